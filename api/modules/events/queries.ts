import { limitRows, type OrganizationOwner, ownedById } from '../../db/fragments';
import type { Sql, SqlFragment } from '../../db/sql';
import { legalDay } from '../../lib/legal-day';
import { procedureFollowed } from '../delegations/queries';

/**
 * Delivery workers LISTEN on this channel; a transaction that queues deliveries NOTIFYs it, and
 * PostgreSQL sends the notification when (and only if) that transaction commits, so an idle
 * worker wakes as the event becomes visible. Workers still poll (the embedded database and
 * Hyperdrive cannot listen, and retries come due by the clock).
 */
export const DELIVERIES_CHANNEL = 'puente_deliveries';

export interface EventRow {
  /** The event's place in the feed, taken as its transaction commits (see migration 0160). */
  feed_seq: string;
  id: string;
  organization_id: string;
  livemode: boolean;
  type: string;
  data: Record<string, unknown>;
  created_at: Date;
}

/** The procedure `procedureId` names is one of the event's (`e`) organisation and mode, which it may follow on `today`. */
function followedFor(sql: Sql, alias: string, procedureId: SqlFragment, today: string) {
  const e = sql(alias);
  return sql`exists (
    select 1 from procedures event_p
    where event_p.id = ${procedureId} and event_p.organization_id = ${e}.organization_id
      and event_p.livemode = ${e}.livemode and ${procedureFollowed(sql, 'event_p', today)})`;
}

/**
 * An event (`alias`: an events row, or a row with its columns) its organisation may be told of on
 * `today`. One about a citizen's procedure (its data names a `procedure_id`) only while the
 * organisation may follow that procedure (`procedureFollowed`): once the delegation ends or the
 * organisation is suspended, it learns nothing more of it. One about several (`procedure_ids`, a
 * calendar change) while it follows any of them, and it is told only of those (`visibleEventData`).
 * Any other event (the organisation's own, its keys', its delegations' and requests', among them
 * the end of a delegation) always.
 */
export function eventVisible(sql: Sql, alias: string, today: string) {
  const e = sql(alias);
  return sql`((${e}.data->>'procedure_id' is null or ${followedFor(sql, alias, sql`${e}.data->>'procedure_id'`, today)})
    and (${e}.data->'procedure_ids' is null or exists (
      select 1 from jsonb_array_elements_text(${e}.data->'procedure_ids') as event_pid(id)
      where ${followedFor(sql, alias, sql`event_pid.id`, today)})))`;
}

/**
 * An event's data as its organisation is told it on `today`: the data as recorded, but for an
 * event about several procedures (`procedure_ids`), only those it may still follow, in their order.
 */
export function visibleEventData(sql: Sql, alias: string, today: string) {
  const e = sql(alias);
  return sql`(case when ${e}.data->'procedure_ids' is null then ${e}.data
    else jsonb_set(${e}.data, '{procedure_ids}', (
      select coalesce(jsonb_agg(event_pid.id order by event_pid.n), '[]'::jsonb)
      from jsonb_array_elements_text(${e}.data->'procedure_ids') with ordinality as event_pid(id, n)
      where ${followedFor(sql, alias, sql`event_pid.id`, today)})) end)`;
}

/**
 * Why an event (`eventAlias`) must not be sent to its organisation (`orgAlias`, its
 * organizations row) on `today`, or null when it may: a suspended organisation is sent nothing
 * (what it is still owed waits in the feed, readable once reinstated), and an event it may not be
 * told of (`eventVisible`) is not sent. The one rule of what goes out, judged when an event's
 * deliveries are queued and again when each is claimed for sending; the reason is the failed
 * delivery's `last_error`.
 */
export function deliveryWithheld(sql: Sql, eventAlias: string, orgAlias: string, today: string) {
  return sql`(case when ${sql(orgAlias)}.status = 'suspended' then 'organization suspended'
    when not ${eventVisible(sql, eventAlias, today)} then 'consent not in force' end)`;
}

/**
 * Writes the event and one pending delivery per enabled endpoint that wants it, in the caller's
 * transaction: the change and its notification commit together or not at all. None when the
 * event may not be sent (`deliveryWithheld`), judged in the statement that records it: a
 * revocation committed before it is seen, and one committed after it is caught by the claim.
 */
export async function insertEvent(
  sql: Sql,
  e: {
    id: string;
    organizationId: string;
    livemode: boolean;
    type: string;
    data: Record<string, unknown>;
    dedupeKey: string | null;
    at: Date;
  },
  deliveryId: () => string,
): Promise<boolean> {
  // The event and the endpoints it is for in one round trip; none when the dedupe key was taken.
  // A key is taken in `event_dedupe_keys`, which outlives the event (see `deleteExpiredEvents`).
  const data = sql.json(e.data as never);
  const [row] = await sql<{ inserted: boolean; endpoints: string[] }[]>`
    with ${
      e.dedupeKey === null
        ? sql`inserted as (
      insert into events (id, organization_id, livemode, type, data, created_at)
      values (${e.id}, ${e.organizationId}, ${e.livemode}, ${e.type}, ${data}, ${e.at})
      returning id, organization_id, livemode, data
    )`
        : sql`taken as (
      insert into event_dedupe_keys (dedupe_key, created_at) values (${e.dedupeKey}, ${e.at})
      on conflict (dedupe_key) do nothing
      returning dedupe_key
    ), inserted as (
      insert into events (id, organization_id, livemode, type, data, dedupe_key, created_at)
      select ${e.id}::text, ${e.organizationId}::text, ${e.livemode}::boolean, ${e.type}::text, ${data}::jsonb,
        dedupe_key, ${e.at}::timestamptz from taken
      on conflict (dedupe_key) do nothing
      returning id, organization_id, livemode, data
    )`
    }
    select exists (select 1 from inserted) as inserted, array(
      select w.id from inserted e join organizations o on o.id = e.organization_id
      join webhook_endpoints w on w.organization_id = e.organization_id and w.livemode = e.livemode
      where w.enabled and w.deleted_at is null
        and (cardinality(w.event_types) = 0 or ${e.type} = any(w.event_types) or ${e.type.split('.')[0] + '.*'} = any(w.event_types))
        and ${deliveryWithheld(sql, 'e', 'o', legalDay(e.at))} is null
      order by w.id) as endpoints`;
  if (!row!.inserted) return false;
  if (row!.endpoints.length === 0) return true;
  const deliveries = row!.endpoints.map((endpointId) => ({
    id: deliveryId(),
    endpoint_id: endpointId,
    event_id: e.id,
    next_attempt_at: e.at,
    created_at: e.at,
  }));
  await sql`
    with queued as (
      insert into webhook_deliveries ${sql(deliveries as never, 'id', 'endpoint_id', 'event_id', 'next_attempt_at', 'created_at')}
      returning 1
    )
    select pg_notify(${DELIVERIES_CHANNEL}, '') from (select 1 from queued limit 1) q`;
  return true;
}

/**
 * The organisation's events it may be told of on `today` (`eventVisible`), in the order they
 * committed: an event committed after a page was read always sorts after that page.
 */
export function listEvents(
  sql: Sql,
  args: {
    organizationId: string;
    livemode: boolean;
    type?: string;
    since: Date;
    afterFeedSeq?: string;
    limit: number;
    today: string;
  },
): Promise<EventRow[]> {
  return sql<EventRow[]>`
    select feed_seq::text as feed_seq, id, organization_id, livemode, type,
      ${visibleEventData(sql, 'events', args.today)} as data, created_at from events
    where organization_id = ${args.organizationId} and livemode = ${args.livemode} and created_at >= ${args.since}
      ${args.type ? (args.type.endsWith('.*') ? sql`and type like ${args.type.slice(0, -1) + '%'}` : sql`and type = ${args.type}`) : sql``}
      ${args.afterFeedSeq ? sql`and feed_seq > ${args.afterFeedSeq}::bigint` : sql``}
      and ${eventVisible(sql, 'events', args.today)}
    order by feed_seq
    ${limitRows(sql, args.limit + 1)}`;
}

/** One of the organisation's events, still kept (created at `since` or later) and one it may be told of on `today` (`eventVisible`). */
export async function findEvent(
  sql: Sql,
  owner: OrganizationOwner,
  id: string,
  args: { since: Date; today: string },
): Promise<EventRow | undefined> {
  const [row] = await sql<EventRow[]>`
    select feed_seq::text as feed_seq, id, organization_id, livemode, type,
      ${visibleEventData(sql, 'events', args.today)} as data, created_at from events
    ${ownedById(sql, 'events', { id, organizationId: owner.organizationId, livemode: owner.livemode })}
      and created_at >= ${args.since} and ${eventVisible(sql, 'events', args.today)}`;
  return row;
}

/**
 * Deletes up to `limit` of the events created before `before`, oldest first, with their deliveries
 * and those deliveries' attempts, in one statement; answers how many events went. An event with a
 * delivery still pending (a worker may be sending it: a retry by hand near the end of the
 * retention) waits until it has settled. Their dedupe keys stay taken (`event_dedupe_keys`).
 */
export async function deleteExpiredEvents(sql: Sql, args: { before: Date; limit: number }): Promise<number> {
  const [row] = await sql<{ deleted: number }[]>`
    with gone as (
      select e.id from events e
      where e.created_at < ${args.before} and not exists (
        select 1 from webhook_deliveries d where d.event_id = e.id and d.status = 'pending')
      order by e.created_at ${limitRows(sql, args.limit)}
      for update of e skip locked
    ), deliveries as (
      delete from webhook_deliveries d using gone where d.event_id = gone.id returning d.id
    ), attempts as (
      delete from webhook_attempts a using deliveries where a.delivery_id = deliveries.id
    ), events_gone as (
      delete from events e using gone where e.id = gone.id returning 1
    )
    select count(*)::int as deleted from events_gone`;
  return row!.deleted;
}
