import type { Sql } from '../../db/sql';
import { transaction } from '../../db/sql';
import type { Deps } from '../../deps';
import { preconditionFailed } from '../../http/etag';
import { ProblemError } from '../../http/problem';
import type { SecretBox } from '../../lib/crypto-box';
import { newId } from '../../lib/ids';
import { sameJson } from '../../lib/json';
import { eventsKeptSince } from '../events/retention';
import {
  deliveryClaimed,
  type DeliveryRow,
  type EndpointRow,
  endpointVersion,
  findEndpoint,
  insertEndpoint,
  insertTestEvent,
  requeueDelivery,
  rotateSecret,
  softDeleteEndpoint,
  updateEndpoint,
} from './queries';
import { MAX_PREVIOUS_SECRETS } from './schemas';
import { newWebhookSecret, signingPreviousSecrets } from './signing';
import { checkWebhookUrl } from './url-policy';

/** How long a secret rotated out keeps signing, unless the rotation says otherwise. */
export const PREVIOUS_SECRET_GRACE_SECONDS = 24 * 3600;

/** The event types an endpoint is saved with: each once, in the order first given. */
function eventTypeList(types: readonly string[]): string[] {
  return [...new Set(types)];
}

export async function createEndpoint(
  sql: Sql,
  deps: Pick<Deps, 'config' | 'resolveHost' | 'secretBox'>,
  args: {
    organizationId: string;
    livemode: boolean;
    url: string;
    description?: string;
    eventTypes: string[];
    now: Date;
  },
): Promise<{ endpoint: EndpointRow; secret: string }> {
  const url = await checkWebhookUrl(args.url, deps.config, deps.resolveHost);
  const secret = newWebhookSecret();
  const endpoint = await insertEndpoint(sql, {
    id: newId('whe'),
    organization_id: args.organizationId,
    livemode: args.livemode,
    url: url.toString(),
    description: args.description ?? null,
    event_types: eventTypeList(args.eventTypes),
    secret_encrypted: await deps.secretBox.seal(secret),
    at: args.now,
  });
  return { endpoint, secret };
}

/**
 * Changes an endpoint, as read (`endpoint`); a new URL passes the same policy as at creation
 * (https, no private networks). With `expectedVersion` (the client sent `If-Match`), only while
 * the endpoint is still at that version: 412 when it moved since it was read. A change that
 * changes nothing (no field, or each equal to what the endpoint holds) writes nothing: the
 * endpoint is answered as read, at its version, so other clients' ETags stay good.
 */
export async function changeEndpoint(
  sql: Sql,
  deps: Pick<Deps, 'config' | 'resolveHost'>,
  endpoint: EndpointRow,
  changes: { url?: string; description?: string | null; event_types?: string[]; enabled?: boolean },
  now: Date,
  expectedVersion?: number,
): Promise<EndpointRow> {
  const url =
    changes.url !== undefined
      ? (await checkWebhookUrl(changes.url, deps.config, deps.resolveHost)).toString()
      : undefined;
  const event_types = changes.event_types && eventTypeList(changes.event_types);
  const change = { ...changes, url, event_types };
  if (!changesEndpoint(endpoint, change)) return endpoint;
  const changed = await updateEndpoint(sql, endpoint.id, change, now, expectedVersion);
  if (!changed) {
    // Another change committed between the read and this write: name the version it left.
    const current = (await endpointVersion(sql, endpoint.id)) ?? endpoint.version;
    throw preconditionFailed(endpoint.id, current, 'The webhook endpoint changed while you were editing it');
  }
  return changed;
}

/** Whether writing `change` would make the endpoint differ from `endpoint` (see `updateEndpoint`). */
function changesEndpoint(
  endpoint: EndpointRow,
  change: { url?: string; description?: string | null; event_types?: string[]; enabled?: boolean },
): boolean {
  return (
    (change.url !== undefined && change.url !== endpoint.url) ||
    (change.description !== undefined && change.description !== endpoint.description) ||
    (change.event_types !== undefined && !sameJson(change.event_types, endpoint.event_types)) ||
    (change.enabled !== undefined && change.enabled !== endpoint.enabled) ||
    // Enabling clears why and since when it was disabled.
    (change.enabled === true && (endpoint.disabled_reason !== null || endpoint.disabled_at !== null))
  );
}

/** Deletes an endpoint and gives up its pending deliveries, together. */
export function deleteEndpoint(sql: Sql, id: string, now: Date): Promise<void> {
  return transaction(sql, (tx) => softDeleteEndpoint(tx, id, now));
}

/**
 * A new secret; the one replaced keeps signing beside it for `previousValidSeconds` (0: every
 * secret rotated out stops at once), and earlier ones until their own end. Refused while
 * `MAX_PREVIOUS_SECRETS` of them still sign, unless it stops them.
 */
export async function rotateEndpointSecret(
  sql: Sql,
  box: SecretBox,
  endpoint: EndpointRow,
  previousValidSeconds: number,
  now: Date,
): Promise<{ endpoint: EndpointRow; secret: string }> {
  const secret = newWebhookSecret();
  const rotated = await rotateSecret(sql, {
    id: endpoint.id,
    newSecretEncrypted: await box.seal(secret),
    previousUntil: new Date(now.getTime() + previousValidSeconds * 1000),
    at: now,
    maxPrevious: MAX_PREVIOUS_SECRETS,
  });
  if (!rotated) {
    const owner = { organizationId: endpoint.organization_id, livemode: endpoint.livemode };
    const current = (await findEndpoint(sql, { ...owner, id: endpoint.id })) ?? endpoint;
    const ends = signingPreviousSecrets(current.previous_secrets, now).map((p) => p.expires_at);
    throw new ProblemError(
      'conflict',
      `${MAX_PREVIOUS_SECRETS} secrets rotated out still sign beside the current one. Rotate again once the first of them ends, or pass previous_secret_valid_seconds: 0 to stop all of them now.`,
      { extensions: { previous_secrets_valid_until: ends } },
    );
  }
  return { endpoint: rotated, secret };
}

/** Queues a `webhook_endpoint.test` event for this endpoint only (the normal delivery path); answers the delivery. */
export function sendTestEvent(sql: Sql, endpoint: EndpointRow, now: Date): Promise<DeliveryRow> {
  return transaction(sql, (tx) =>
    insertTestEvent(tx, { eventId: newId('evt'), deliveryId: newId('whd'), endpoint, at: now }),
  );
}

/**
 * Queues one of the endpoint's deliveries again, due now; answers it. Not while a worker is
 * sending it: a second worker could send it at the same time; nor once its event is past its
 * retention (the event is gone from the feed, and the purge deletes it).
 */
export async function redeliver(sql: Sql, endpoint: EndpointRow, deliveryId: string, now: Date): Promise<DeliveryRow> {
  const delivery = await requeueDelivery(sql, endpoint.id, deliveryId, now, eventsKeptSince(now));
  if (delivery) return delivery;
  if (await deliveryClaimed(sql, endpoint.id, deliveryId, now))
    throw new ProblemError('conflict', 'The delivery is being sent; retry it once its attempt is in the log.');
  throw new ProblemError('not_found', 'No such delivery.');
}
