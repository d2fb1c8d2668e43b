import { organizationPrincipal } from '../../http/auth';
import type { App } from '../../http/context';
import { get, ok, routesOf } from '../../http/openapi';
import { openCursor, sealCursor, toPage } from '../../http/pagination';
import { ProblemError } from '../../http/problem';
import { legalDay } from '../../lib/legal-day';
import { type EventRow, findEvent, listEvents } from './queries';
import { EVENT_RETENTION_DAYS, eventsKeptSince } from './retention';
import { EventPageSchema, EventParams, EventSchema, ListEventsQuery } from './schemas';

export function toEvent(row: EventRow) {
  return {
    id: row.id,
    object: 'event' as const,
    type: row.type,
    livemode: row.livemode,
    created_at: row.created_at.toISOString(),
    timestamp: row.created_at.toISOString(),
    data: row.data,
  };
}

const routes = routesOf('Events', {
  listEvents: get('/v1/events', {
    operationId: 'listEvents',
    summary: 'The event feed',
    description: `Every event of the last ${EVENT_RETENTION_DAYS} days, oldest first: the source of truth for clients that poll. Keep the last \`next_cursor\` and pass it next time to get only what is new. An event about a client's procedure is listed only while the organisation holds a delegation that lets it consult that procedure (the rule of \`GET /v1/procedures\`): once the delegation ends (revoked, renounced, expired or suspended), or while the organisation is registered as non-practising, those events drop out, and none is sent to webhook endpoints. The end of the delegation itself is listed and sent.`,
    auth: 'orgRead',
    query: ListEventsQuery,
    responses: ok('A page of events.', EventPageSchema),
  }),
  retrieveEvent: get('/v1/events/{id}', {
    operationId: 'retrieveEvent',
    summary: 'Retrieve an event',
    description: `One event by id: the body delivered to webhook endpoints (\`id\`, \`type\`, \`timestamp\`, \`livemode\`, \`data\`), with \`object\` and \`created_at\` besides. Events are kept for ${EVENT_RETENTION_DAYS} days: an older one answers 404. An event about a client's procedure answers 404 once the organisation may no longer consult that procedure.`,
    auth: 'orgRead',
    params: EventParams,
    responses: ok('The event.', EventSchema),
  }),
});

export function registerEvents(app: App): void {
  app.openapi(routes.listEvents, async (c) => {
    const principal = organizationPrincipal(c);
    const { limit, cursor, type } = c.req.valid('query');
    const { clock, secretBox } = c.get('deps');
    // The feed's position is a platform-wide sequence: its cursor is sealed, for this feed only (see `sealCursor`).
    const feed = `events:${principal.organizationId}:${principal.livemode ? 'live' : 'test'}`;
    const afterFeedSeq = cursor ? (await openCursor(secretBox, feed, cursor, 1))[0] : undefined;
    const now = clock.now();
    const rows = await listEvents(c.get('sql'), {
      organizationId: principal.organizationId,
      livemode: principal.livemode,
      type,
      since: eventsKeptSince(now),
      afterFeedSeq,
      limit,
      today: legalDay(now),
    });
    const page = toPage(rows, limit, 'events', (r) => [r.feed_seq], toEvent);
    // A poller always gets a cursor to resume from, even on the last page.
    const last = rows.slice(0, limit).at(-1);
    const next = last ? await sealCursor(secretBox, feed, [last.feed_seq]) : (cursor ?? null);
    return c.json({ ...page, next_cursor: next }, 200);
  });

  app.openapi(routes.retrieveEvent, async (c) => {
    const principal = organizationPrincipal(c);
    const now = c.get('deps').clock.now();
    const row = await findEvent(c.get('sql'), principal, c.req.valid('param').id, {
      since: eventsKeptSince(now),
      today: legalDay(now),
    });
    if (!row) throw new ProblemError('not_found', 'No such event.');
    return c.json(toEvent(row), 200);
  });
}
