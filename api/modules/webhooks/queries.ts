import { limitRows, type OrganizationOwner, ownedById, pageAfter } from '../../db/fragments';
import { type Sql, textArray } from '../../db/sql';
import { legalDay } from '../../lib/legal-day';
import { DELIVERIES_CHANNEL, deliveryWithheld, visibleEventData } from '../events/queries';

export interface EndpointRow {
  id: string;
  organization_id: string;
  livemode: boolean;
  url: string;
  description: string | null;
  event_types: string[];
  enabled: boolean;
  disabled_reason: string | null;
  /** When it was last disabled (a 410 answer, or a change); null while enabled. */
  disabled_at: Date | null;
  secret_encrypted: string;
  /** Secrets rotated out that still sign until their own end, newest first (ended ones may linger until the next rotation). */
  previous_secrets: PreviousSecret[];
  created_at: Date;
  updated_at: Date;
  version: number;
}

/** A secret rotated out, as stored in `webhook_endpoints.previous_secrets`. */
export interface PreviousSecret {
  secret_encrypted: string;
  /** An ISO timestamp: it signs while this is later than now. */
  expires_at: string;
}

export async function insertEndpoint(
  sql: Sql,
  e: Pick<
    EndpointRow,
    'id' | 'organization_id' | 'livemode' | 'url' | 'description' | 'event_types' | 'secret_encrypted'
  > & { at: Date },
): Promise<EndpointRow> {
  const [row] = await sql<EndpointRow[]>`
    insert into webhook_endpoints (id, organization_id, livemode, url, description, event_types, secret_encrypted, created_at, updated_at)
    values (${e.id}, ${e.organization_id}, ${e.livemode}, ${e.url}, ${e.description}, ${textArray(e.event_types)}::text[], ${e.secret_encrypted}, ${e.at}, ${e.at})
    returning *`;
  return row!;
}

export async function findEndpoint(
  sql: Sql,
  where: OrganizationOwner & { id: string },
): Promise<EndpointRow | undefined> {
  const [row] = await sql<EndpointRow[]>`
    select * from webhook_endpoints
    ${ownedById(sql, 'webhook_endpoints', where)} and deleted_at is null`;
  return row;
}

export function listEndpoints(
  sql: Sql,
  args: { organizationId: string; livemode: boolean; after?: [string, string]; limit: number },
): Promise<EndpointRow[]> {
  return sql<EndpointRow[]>`
    select * from webhook_endpoints
    where organization_id = ${args.organizationId} and livemode = ${args.livemode} and deleted_at is null
      ${pageAfter(sql, { at: 'created_at', id: 'id' }, args)}`;
}

/** Changes an endpoint; when `expectedVersion` is given, only while the endpoint is still at it (undefined otherwise). */
export async function updateEndpoint(
  sql: Sql,
  id: string,
  change: { url?: string; description?: string | null; event_types?: string[]; enabled?: boolean },
  at: Date,
  expectedVersion?: number,
): Promise<EndpointRow | undefined> {
  const [row] = await sql<EndpointRow[]>`
    update webhook_endpoints set
      url = coalesce(${change.url ?? null}, url),
      description = ${change.description === undefined ? sql`description` : change.description},
      event_types = ${change.event_types ? sql`${textArray(change.event_types)}::text[]` : sql`event_types`},
      enabled = coalesce(${change.enabled ?? null}::boolean, enabled),
      disabled_reason = case when ${change.enabled ?? null}::boolean then null else disabled_reason end,
      disabled_at = case when ${change.enabled ?? null}::boolean then null
        when not ${change.enabled ?? null}::boolean and enabled then ${at}::timestamptz else disabled_at end,
      updated_at = ${at}, version = version + 1
    where id = ${id} ${expectedVersion === undefined ? sql`` : sql`and version = ${expectedVersion}`}
    returning *`;
  return row;
}

/**
 * The version an endpoint is at now, as a statement of its own (a fresh snapshot): after an
 * update refused for its expected version, the one that moved it has committed.
 */
export async function endpointVersion(sql: Sql, id: string): Promise<number | undefined> {
  const [row] = await sql<{ version: number }[]>`select version from webhook_endpoints where id = ${id}`;
  return row?.version;
}

export async function softDeleteEndpoint(sql: Sql, id: string, at: Date): Promise<void> {
  await sql`update webhook_endpoints set deleted_at = ${at}, enabled = false, updated_at = ${at} where id = ${id}`;
  await sql`update webhook_deliveries set status = 'failed', last_error = 'endpoint deleted' where endpoint_id = ${id} and status = 'pending'`;
}

/**
 * Replaces the signing secret. The one replaced signs until `previousUntil` (not at all when that
 * is not later than `at`, which also ends every earlier one at once); earlier secrets keep their
 * own end, and those ended are dropped. Written only while fewer than `maxPrevious` earlier
 * secrets still sign (undefined otherwise: the caller refuses). The list is read from the row
 * being updated, so a rotation that waited for a concurrent one keeps what that one rotated out.
 */
export async function rotateSecret(
  sql: Sql,
  args: { id: string; newSecretEncrypted: string; previousUntil: Date; at: Date; maxPrevious: number },
): Promise<EndpointRow | undefined> {
  const keep = args.previousUntil > args.at;
  const live = sql`from jsonb_array_elements(w.previous_secrets) with ordinality as e(p, n)
      where (p->>'expires_at')::timestamptz > ${args.at}::timestamptz`;
  const [row] = await sql<EndpointRow[]>`
    update webhook_endpoints w set
      previous_secrets = case when ${keep}::boolean
        then jsonb_build_array(jsonb_build_object('secret_encrypted', w.secret_encrypted, 'expires_at', to_jsonb(${args.previousUntil}::timestamptz)))
             || (select coalesce(jsonb_agg(p order by n), '[]'::jsonb) ${live})
        else '[]'::jsonb end,
      secret_encrypted = ${args.newSecretEncrypted}, updated_at = ${args.at}, version = version + 1
    where w.id = ${args.id} and (not ${keep}::boolean or (select count(*) ${live}) < ${args.maxPrevious}::int)
    returning w.*`;
  return row;
}

export interface DeliveryRow {
  id: string;
  endpoint_id: string;
  event_id: string;
  status: string;
  attempts: number;
  next_attempt_at: Date;
  last_status_code: number | null;
  last_error: string | null;
  last_latency_ms: number | null;
  created_at: Date;
  delivered_at: Date | null;
  event_type: string;
}

/** The columns of a DeliveryRow from `d` (webhook_deliveries) and `e` (its event). */
function deliveryColumns(sql: Sql) {
  return sql`d.id, d.endpoint_id, d.event_id, d.status, d.attempts, d.next_attempt_at, d.last_status_code, d.last_error, d.last_latency_ms,
    d.created_at, d.delivered_at, e.type as event_type`;
}

/** The endpoint's deliveries of events still kept (created at `since` or later), newest first. */
export function listDeliveries(
  sql: Sql,
  args: { endpointId: string; since: Date; before?: [string, string]; limit: number },
): Promise<DeliveryRow[]> {
  return sql<DeliveryRow[]>`
    select ${deliveryColumns(sql)}
    from webhook_deliveries d join events e on e.id = d.event_id
    where d.endpoint_id = ${args.endpointId} and e.created_at >= ${args.since}
      ${args.before ? sql`and (d.created_at, d.id) < (${args.before[0]}::timestamptz, ${args.before[1]})` : sql``}
    order by d.created_at desc, d.id desc ${limitRows(sql, args.limit + 1)}`;
}

export function listAttempts(sql: Sql, deliveryIds: readonly string[]) {
  if (deliveryIds.length === 0) return Promise.resolve([]);
  return sql<
    Array<{
      delivery_id: string;
      attempted_at: Date;
      status_code: number | null;
      latency_ms: number;
      error: string | null;
    }>
  >`
    select delivery_id, attempted_at, status_code, latency_ms, error from webhook_attempts
    where delivery_id = any(${textArray(deliveryIds)}::text[]) order by id`;
}

/**
 * Manual redelivery: due now, whatever happened before, unless a worker holds it (its lease runs
 * at `at`: it is being sent). Answers the delivery, or undefined when the endpoint has no such
 * delivery free to queue, or its event is no longer kept (created before `since`).
 */
export async function requeueDelivery(
  sql: Sql,
  endpointId: string,
  id: string,
  at: Date,
  since: Date,
): Promise<DeliveryRow | undefined> {
  const [row] = await sql<DeliveryRow[]>`
    with d as (
      -- Claims lost to dead workers are forgiven: a delivery given up for them is sent again.
      update webhook_deliveries set status = 'pending', next_attempt_at = ${at}, locked_until = null, claims = attempts
      where id = ${id} and endpoint_id = ${endpointId} and (locked_until is null or locked_until < ${at})
        and exists (select 1 from events e where e.id = webhook_deliveries.event_id and e.created_at >= ${since})
      returning *
    ), notified as (select pg_notify(${DELIVERIES_CHANNEL}, '') from d)
    select ${deliveryColumns(sql)} from d join events e on e.id = d.event_id, notified`;
  return row;
}

/** Whether a worker holds the endpoint's delivery at `at` (its lease has not run out). */
export async function deliveryClaimed(sql: Sql, endpointId: string, id: string, at: Date): Promise<boolean> {
  const [row] = await sql<{ id: string }[]>`
    select id from webhook_deliveries where id = ${id} and endpoint_id = ${endpointId} and locked_until >= ${at}`;
  return row !== undefined;
}

export interface ClaimedDelivery {
  id: string;
  /** The number of the attempt this claim makes (1 for the first): the attempts recorded so far, plus one. */
  attempt: number;
  /** Claims of the delivery so far, this one included; more than `attempt` when a worker died holding it. */
  claims: number;
  event_id: string;
  event_type: string;
  event_data: Record<string, unknown>;
  event_livemode: boolean;
  event_created_at: Date;
  endpoint_id: string;
  url: string;
  enabled: boolean;
  secret_encrypted: string;
  previous_secrets: PreviousSecret[];
  /** Why the event may not be sent now (`deliveryWithheld`), or null: the delivery is then given up unsent. */
  withheld: string | null;
}

/**
 * Claims due deliveries for this worker: rows already claimed by another worker are skipped, and
 * the claim is a lease, so a worker that dies mid-delivery leaves them to be retried. At most
 * `perEndpoint` per endpoint, and none for the endpoints in `busy` (those this worker already
 * sends to at its limit), so one endpoint's backlog cannot take every slot. Only the oldest due
 * rows are looked at (a bounded scan however long the backlog). Whether the event may still be
 * sent is judged in the same statement (`withheld`): a revocation or a suspension committed after
 * the delivery was queued stops it here.
 */
export function claimDueDeliveries(
  sql: Sql,
  now: Date,
  leaseSeconds: number,
  limit: number,
  options: { perEndpoint?: number; busy?: readonly string[] } = {},
): Promise<ClaimedDelivery[]> {
  const perEndpoint = options.perEndpoint ?? limit;
  return sql<ClaimedDelivery[]>`
    with candidates as (
      select id, endpoint_id, next_attempt_at from webhook_deliveries
      where status = 'pending' and next_attempt_at <= ${now} and (locked_until is null or locked_until < ${now})
        ${options.busy?.length ? sql`and not (endpoint_id = any(${textArray(options.busy)}::text[]))` : sql``}
      order by next_attempt_at
      ${limitRows(sql, Math.min(1000, limit * 8))}
    ), ranked as (
      select id, row_number() over (partition by endpoint_id order by next_attempt_at, id) as rank from candidates
    ), due as (
      -- The ranked ids as one array, computed once and looked up by primary key: as a join, a
      -- table without statistics yet (a new database) was planned as a loop re-ranking every row.
      select d.id from webhook_deliveries d
      where d.id = any(array(select id from ranked where rank <= ${perEndpoint}))
        and d.status = 'pending' and (d.locked_until is null or d.locked_until < ${now})
      order by d.next_attempt_at
      ${limitRows(sql, limit)}
      for update of d skip locked
    ), claimed as (
      update webhook_deliveries d set locked_until = ${now}::timestamptz + make_interval(secs => ${leaseSeconds}), claims = d.claims + 1
      from due where d.id = due.id
      returning d.id, d.attempts + 1 as attempt, d.claims, d.event_id, d.endpoint_id
    )
    select c.id, c.attempt, c.claims, c.event_id, e.type as event_type, ${visibleEventData(sql, 'e', legalDay(now))} as event_data,
      e.livemode as event_livemode, e.created_at as event_created_at,
      c.endpoint_id, w.url, w.enabled and w.deleted_at is null as enabled, w.secret_encrypted, w.previous_secrets,
      ${deliveryWithheld(sql, 'e', 'o', legalDay(now))} as withheld
    from claimed c join events e on e.id = c.event_id join webhook_endpoints w on w.id = c.endpoint_id
    join organizations o on o.id = e.organization_id`;
}

/** One delivery attempt and the state it leaves the delivery in. */
export interface AttemptRecord {
  deliveryId: string;
  at: Date;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  outcome: 'succeeded' | 'retry' | 'failed' | 'exhausted';
  nextAttemptAt: Date | null;
  /** False when the delivery was given up without a request (endpoint disabled, workers died holding it). */
  sent: boolean;
}

/**
 * The attempts and their deliveries' new states in one statement, so a worker commits the
 * attempts of many concurrent deliveries at once. Attempts are stored in the order given.
 */
export async function recordAttempts(sql: Sql, attempts: readonly AttemptRecord[]): Promise<void> {
  if (attempts.length === 0) return;
  const rows = attempts.map((a, ord) => ({
    ord,
    delivery_id: a.deliveryId,
    attempted_at: a.at.toISOString(),
    status_code: a.statusCode,
    latency_ms: a.latencyMs,
    error: a.error,
    status: a.outcome === 'retry' ? 'pending' : a.outcome,
    next_attempt_at: a.nextAttemptAt?.toISOString() ?? null,
    delivered_at: a.outcome === 'succeeded' ? a.at.toISOString() : null,
    sent: a.sent,
  }));
  await sql`
    with a as (
      select * from jsonb_to_recordset(${sql.json(rows as never)}::jsonb) as a(ord int, delivery_id text, attempted_at timestamptz,
        status_code int, latency_ms int, error text, status text, next_attempt_at timestamptz, delivered_at timestamptz, sent boolean)
    ), attempt as (
      -- A late attempt (its lease ran out, another worker settled it) may find its delivery deleted with its event since.
      insert into webhook_attempts (delivery_id, attempted_at, status_code, latency_ms, error)
      select delivery_id, attempted_at, status_code, latency_ms, error from a
      where exists (select 1 from webhook_deliveries d where d.id = a.delivery_id)
      order by ord
    ), last as (
      -- A delivery sent twice in one batch (its lease ran out and it was claimed again) ends as its last attempt left it.
      select distinct on (delivery_id) *, (count(*) filter (where sent) over (partition by delivery_id))::int as requests
      from a order by delivery_id, ord desc
    )
    update webhook_deliveries d set
      status = a.status,
      attempts = d.attempts + a.requests,
      -- A recorded attempt ends a run of claims lost to dead workers.
      claims = d.attempts + a.requests,
      next_attempt_at = coalesce(a.next_attempt_at, d.next_attempt_at),
      locked_until = null,
      last_status_code = a.status_code, last_error = a.error, last_latency_ms = a.latency_ms,
      delivered_at = a.delivered_at
    from last a where d.id = a.delivery_id
      -- A late attempt (its lease ran out meanwhile) does not undo another worker's final outcome, unless it succeeded.
      and (d.status = 'pending' or a.status = 'succeeded')`;
}

export async function disableEndpoint(sql: Sql, id: string, reason: string, at: Date): Promise<void> {
  await sql`
    update webhook_endpoints set enabled = false, disabled_reason = ${reason},
      disabled_at = case when enabled then ${at}::timestamptz else disabled_at end, updated_at = ${at}, version = version + 1
    where id = ${id}`;
  await sql`update webhook_deliveries set status = 'failed', last_error = ${reason}, locked_until = null where endpoint_id = ${id} and status = 'pending'`;
}

/** An event for one endpoint only, outside the fan-out: the endpoint's "send a test" button. Answers its delivery. */
export async function insertTestEvent(
  sql: Sql,
  args: { eventId: string; deliveryId: string; endpoint: EndpointRow; at: Date },
): Promise<DeliveryRow> {
  await sql`
    insert into events (id, organization_id, livemode, type, data, created_at)
    values (${args.eventId}, ${args.endpoint.organization_id}, ${args.endpoint.livemode}, 'webhook_endpoint.test',
      ${sql.json({ webhook_endpoint_id: args.endpoint.id } as never)}, ${args.at})`;
  const [row] = await sql<DeliveryRow[]>`
    with d as (
      insert into webhook_deliveries (id, endpoint_id, event_id, next_attempt_at, created_at)
      values (${args.deliveryId}, ${args.endpoint.id}, ${args.eventId}, ${args.at}, ${args.at})
      returning *
    ), notified as (select pg_notify(${DELIVERIES_CHANNEL}, '') from d)
    select ${deliveryColumns(sql)} from d join events e on e.id = d.event_id, notified`;
  return row!;
}
