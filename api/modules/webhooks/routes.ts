import type { Context } from 'hono';

import { organizationPrincipal } from '../../http/auth';
import type { App, AppEnv } from '../../http/context';
import { checkIfMatch, etagOf } from '../../http/etag';
import { accepted, created, del, get, ok, optionalJsonBody, patch, post, routesOf } from '../../http/openapi';
import { createdPage } from '../../http/pagination';
import { ProblemError } from '../../http/problem';
import { EVENT_RETENTION_DAYS, eventsKeptSince } from '../events/retention';
import { toDelivery, toWebhookEndpoint } from './mappers';
import { findEndpoint, listAttempts, listDeliveries, listEndpoints } from './queries';
import {
  CreateWebhookEndpointBody,
  DeliveryPageSchema,
  DeliveryParams,
  DeliverySchema,
  ListQuery,
  MAX_PREVIOUS_SECRETS,
  RotateWebhookSecretBody,
  UpdateWebhookEndpointBody,
  WebhookEndpointPageSchema,
  WebhookEndpointParams,
  WebhookEndpointSchema,
  WebhookEndpointWithSecretSchema,
} from './schemas';
import {
  changeEndpoint,
  createEndpoint,
  deleteEndpoint,
  PREVIOUS_SECRET_GRACE_SECONDS,
  redeliver,
  rotateEndpointSecret,
  sendTestEvent,
} from './service';

const routes = routesOf('Webhook endpoints', {
  create: post('/v1/webhook-endpoints', {
    operationId: 'createWebhookEndpoint',
    summary: 'Add a webhook endpoint',
    description:
      'Events are signed per Standard Webhooks with the returned `whsec_` secret. URLs must be https in production and resolve to public addresses.',
    auth: 'orgWrite',
    role: 'admin',
    body: CreateWebhookEndpointBody,
    etag: true,
    responses: created('The endpoint and its signing secret.', WebhookEndpointWithSecretSchema),
  }),
  list: get('/v1/webhook-endpoints', {
    operationId: 'listWebhookEndpoints',
    summary: 'List webhook endpoints',
    description:
      "The organisation's webhook endpoints, oldest first (the order they were created), cursor-paginated. Secrets are never shown again after creation.",
    auth: 'orgRead',
    query: ListQuery,
    responses: ok('A page of endpoints.', WebhookEndpointPageSchema),
  }),
  retrieve: get('/v1/webhook-endpoints/{id}', {
    operationId: 'retrieveWebhookEndpoint',
    summary: 'Retrieve a webhook endpoint',
    description:
      'One webhook endpoint: its URL, the event types it receives, whether it is enabled and why it was disabled, if it was. Answers an `ETag` to send as `If-Match` when updating.',
    auth: 'orgRead',
    params: WebhookEndpointParams,
    etag: true,
    responses: ok('The endpoint.', WebhookEndpointSchema),
  }),
  update: patch('/v1/webhook-endpoints/{id}', {
    operationId: 'updateWebhookEndpoint',
    summary: 'Update a webhook endpoint',
    description:
      'Change the URL, the event types, or enable it again after it was disabled (`enabled: true`). ' +
      'Enabling it sends nothing it missed: while it was disabled no delivery was queued for it, and those pending when it was disabled were given up (`failed` in its delivery log, where each can be retried). ' +
      'Read what it missed in the feed (`GET /v1/events`, oldest first): the events created at or after its `disabled_at`, which enabling clears. ' +
      "Send the `ETag` of your last read as `If-Match` to avoid overwriting someone else's change (412 if it moved). " +
      'A change that changes nothing (an empty body, or only values the endpoint already has) writes nothing: it answers the endpoint as it is, with its version and `ETag` unchanged.',
    auth: 'orgWrite',
    role: 'admin',
    params: WebhookEndpointParams,
    body: UpdateWebhookEndpointBody,
    etag: true,
    ifMatch: true,
    responses: ok('The endpoint.', WebhookEndpointSchema),
  }),
  remove: del('/v1/webhook-endpoints/{id}', {
    operationId: 'deleteWebhookEndpoint',
    summary: 'Delete a webhook endpoint',
    description:
      'Removes a webhook endpoint: nothing more is delivered to it. Events stay available at `GET /v1/events`.',
    auth: 'orgWrite',
    role: 'admin',
    params: WebhookEndpointParams,
    responses: ok('The endpoint.', WebhookEndpointSchema),
  }),
  rotate: post('/v1/webhook-endpoints/{id}/rotate-secret', {
    operationId: 'rotateWebhookEndpointSecret',
    summary: 'Rotate the signing secret',
    description:
      'The secret replaced keeps signing beside the new one (a signature more in `webhook-signature`) for 24 hours, or as long as `previous_secret_valid_seconds` says; secrets rotated out earlier keep signing until their own end. ' +
      `At most ${MAX_PREVIOUS_SECRETS} secrets rotated out sign at once: a rotation beyond that is refused (409 \`conflict\`) unless it passes \`previous_secret_valid_seconds: 0\`, which stops every earlier secret at once (a leaked secret).`,
    auth: 'orgWrite',
    role: 'admin',
    params: WebhookEndpointParams,
    body: optionalJsonBody(RotateWebhookSecretBody),
    problems: ['conflict'],
    etag: true,
    responses: ok('The endpoint and its signing secret.', WebhookEndpointWithSecretSchema),
  }),
  test: post('/v1/webhook-endpoints/{id}/test', {
    operationId: 'testWebhookEndpoint',
    summary: 'Send a test event',
    description: 'Queues a `webhook_endpoint.test` event for this endpoint only; see its delivery in the log.',
    auth: 'orgWrite',
    role: 'admin',
    params: WebhookEndpointParams,
    problems: ['conflict'],
    responses: accepted('Queued.', DeliveryPageSchema.shape.data.element),
  }),
  deliveries: get('/v1/webhook-endpoints/{id}/deliveries', {
    operationId: 'listWebhookDeliveries',
    summary: 'The delivery log',
    description:
      `Newest first, with every attempt: status code, latency, error; the deliveries of the events of the last ${EVENT_RETENTION_DAYS} days (older ones are deleted with their events). ` +
      "A delivery that may no longer be sent is given up unsent, `failed` with the reason as its attempt's error: `consent not in force` for an event about a client's procedure after the delegation ended or while the organisation is registered as non-practising, `organization suspended` while the organisation is suspended.",
    auth: 'orgRead',
    params: WebhookEndpointParams,
    query: ListQuery,
    responses: ok('A page of deliveries.', DeliveryPageSchema),
  }),
  retry: post('/v1/webhook-endpoints/{id}/deliveries/{delivery_id}/retry', {
    operationId: 'retryWebhookDelivery',
    summary: 'Deliver again now',
    description:
      'Queues a delivery again for immediate sending, for example after fixing the receiving endpoint. The new attempt appears in the delivery log. While a worker is sending the delivery, the answer is `409 conflict`: retry once that attempt is in the log. ' +
      `A delivery whose event is older than the ${EVENT_RETENTION_DAYS} days events are kept answers 404.`,
    auth: 'orgWrite',
    role: 'admin',
    params: DeliveryParams,
    problems: ['conflict'],
    responses: accepted('Queued again.', DeliverySchema),
  }),
});

async function ownEndpoint(c: Context<AppEnv>, id: string) {
  const principal = organizationPrincipal(c);
  const row = await findEndpoint(c.get('sql'), {
    id,
    organizationId: principal.organizationId,
    livemode: principal.livemode,
  });
  if (!row) throw new ProblemError('not_found', 'No such webhook endpoint.');
  return row;
}

export function registerWebhooks(app: App): void {
  const now = (c: Context<AppEnv>) => c.get('deps').clock.now();

  app.openapi(routes.create, async (c) => {
    const principal = organizationPrincipal(c);
    const body = c.req.valid('json');
    const { endpoint, secret } = await createEndpoint(c.get('sql'), c.get('deps'), {
      organizationId: principal.organizationId,
      livemode: principal.livemode,
      url: body.url,
      description: body.description,
      eventTypes: body.event_types ?? [],
      now: now(c),
    });
    c.header('etag', etagOf(endpoint.id, endpoint.version));
    return c.json({ ...toWebhookEndpoint(endpoint, now(c)), secret }, 201);
  });

  app.openapi(routes.list, async (c) => {
    const { organizationId, livemode } = organizationPrincipal(c);
    const page = await createdPage(
      'webhook_endpoints',
      c.req.valid('query'),
      (p) => listEndpoints(c.get('sql'), { organizationId, livemode, ...p }),
      (r) => toWebhookEndpoint(r, now(c)),
    );
    return c.json(page, 200);
  });

  app.openapi(routes.retrieve, async (c) => {
    const endpoint = await ownEndpoint(c, c.req.valid('param').id);
    c.header('etag', etagOf(endpoint.id, endpoint.version));
    return c.json(toWebhookEndpoint(endpoint, now(c)), 200);
  });

  app.openapi(routes.update, async (c) => {
    const endpoint = await ownEndpoint(c, c.req.valid('param').id);
    const expectedVersion = checkIfMatch(c, endpoint.id, endpoint.version);
    const body = c.req.valid('json');
    const changed = await changeEndpoint(
      c.get('sql'),
      c.get('deps'),
      endpoint,
      { url: body.url, description: body.description, event_types: body.event_types, enabled: body.enabled },
      now(c),
      expectedVersion,
    );
    c.header('etag', etagOf(changed.id, changed.version));
    return c.json(toWebhookEndpoint(changed, now(c)), 200);
  });

  app.openapi(routes.remove, async (c) => {
    const endpoint = await ownEndpoint(c, c.req.valid('param').id);
    await deleteEndpoint(c.get('sql'), endpoint.id, now(c));
    return c.json({ ...toWebhookEndpoint(endpoint, now(c)), enabled: false }, 200);
  });

  app.openapi(routes.rotate, async (c) => {
    const endpoint = await ownEndpoint(c, c.req.valid('param').id);
    // The body is optional: without a JSON content type the validator leaves it unset.
    const body = c.req.valid('json') as { previous_secret_valid_seconds?: number } | undefined;
    const rotated = await rotateEndpointSecret(
      c.get('sql'),
      c.get('deps').secretBox,
      endpoint,
      body?.previous_secret_valid_seconds ?? PREVIOUS_SECRET_GRACE_SECONDS,
      now(c),
    );
    c.header('etag', etagOf(rotated.endpoint.id, rotated.endpoint.version));
    return c.json({ ...toWebhookEndpoint(rotated.endpoint, now(c)), secret: rotated.secret }, 200);
  });

  app.openapi(routes.test, async (c) => {
    const endpoint = await ownEndpoint(c, c.req.valid('param').id);
    if (!endpoint.enabled) throw new ProblemError('conflict', 'The endpoint is disabled; enable it first.');
    const delivery = await sendTestEvent(c.get('sql'), endpoint, now(c));
    return c.json(toDelivery(delivery, []), 202);
  });

  app.openapi(routes.deliveries, async (c) => {
    const endpoint = await ownEndpoint(c, c.req.valid('param').id);
    const page = await createdPage(
      'webhook_deliveries',
      c.req.valid('query'),
      async ({ after, limit }) => {
        const rows = await listDeliveries(c.get('sql'), {
          endpointId: endpoint.id,
          since: eventsKeptSince(now(c)),
          before: after,
          limit,
        });
        const attempts = await listAttempts(
          c.get('sql'),
          rows.map((r) => r.id),
        );
        return rows.map((r) => ({ ...r, attemptRows: attempts.filter((a) => a.delivery_id === r.id) }));
      },
      (r) => toDelivery(r, r.attemptRows),
    );
    return c.json(page, 200);
  });

  app.openapi(routes.retry, async (c) => {
    const { id, delivery_id } = c.req.valid('param');
    const endpoint = await ownEndpoint(c, id);
    if (!endpoint.enabled) throw new ProblemError('conflict', 'The endpoint is disabled; enable it first.');
    const delivery = await redeliver(c.get('sql'), endpoint, delivery_id, now(c));
    return c.json(toDelivery(delivery, await listAttempts(c.get('sql'), [delivery.id])), 202);
  });
}
