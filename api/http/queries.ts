/** SQL of the HTTP machinery: credentials, rate limits, idempotency keys, citizens' ids. */
import { inOrder, type Sql, type SqlFragment, textArray } from '../db/sql';
import { newId } from '../lib/ids';

export interface ApiKeyPrincipalRow {
  rate_limit_hits: number;
  key_id: string;
  organization_id: string;
  organization_status: string;
  /** The organisation practises (`organizationPractising`): not registered as non-practising. */
  organization_practising: boolean;
  member_id: string;
  member_role: string;
  member_status: string;
  livemode: boolean;
  revoked: boolean;
  /** When the key's use was last recorded, this request's included (a string when read through `row_to_json`). */
  last_used_at: Date | string | null;
}

export interface ApiKeyLookup {
  secretHash: string;
  now: Date;
  /** Record this use in `last_used_at`: this instance has not seen one recorded in the last minute (see `KeyUses`). */
  recordUse: boolean;
  /**
   * This request's hit: `write` hits to add to a shard now (0 while the instance holds them back),
   * `held` hits it holds, and `known`, the window's total as the database told this instance less
   * than a second ago (null when it must be read now; see `HitBuffer`).
   */
  rateLimit: { windowStart: Date; shard: number; write: number; held: number; known: number | null };
  /** What the route accepts: at most `limit` hits in the window, from a member with one of `roles` (see `readSettlingKey`). */
  accepts: { limit: number; roles: readonly string[] };
}

/**
 * The credential half of a statement, as common table expressions ending in `principal` (one
 * row per known key): the key, its organisation and member, its use recorded at most once a
 * minute, and this request counted against its rate limit (see `HitBuffer`). Folding these writes
 * into the statement that needs the principal is what keeps authentication from costing a round
 * trip. The writes and the read of the window's shards are in the statement only when they are
 * due: most requests need none of them, and PostgreSQL sets up every part of a statement on each
 * execution, whether it then runs or not (a fifth of a consented read's database time went to
 * preparing an update and an upsert that wrote nothing).
 */
export function apiKeyPrincipalCtes(sql: Sql, lookup: ApiKeyLookup) {
  const { secretHash, now, recordUse, rateLimit } = lookup;
  const { windowStart, shard, write, held, known } = rateLimit;
  const touched = recordUse
    ? sql`, touched as (
      update api_keys set last_used_at = ${now}
      where id = (select id from key where not revoked)
        and (last_used_at is null or last_used_at < ${now}::timestamptz - interval '60 seconds')
      returning last_used_at
    )`
    : sql``;
  const hit =
    write > 0
      ? sql`, hit as (
      insert into rate_limit_windows (bucket, window_start, shard, hits)
      select 'credential:' || id, ${windowStart}, ${shard}, ${write}::int from key where not revoked
      on conflict (bucket, window_start, shard) do update set hits = rate_limit_windows.hits + excluded.hits
      returning hits
    )`
      : sql``;
  // A total the instance knows is judged as is; otherwise this shard's hits as written now and the other shards' as committed.
  const hits =
    known !== null && write === 0
      ? sql`${known + held}::int`
      : write > 0
        ? sql`(coalesce((select hits from hit), 0) + ${held}::int + coalesce((
            select sum(r.hits) from rate_limit_windows r
            where r.bucket = 'credential:' || key.id and r.window_start = ${windowStart} and r.shard <> ${shard}), 0))::int`
        : sql`(${held}::int + coalesce((
            select sum(r.hits) from rate_limit_windows r
            where r.bucket = 'credential:' || key.id and r.window_start = ${windowStart}), 0))::int`;
  return sql`
    key as (
      select k.id, k.organization_id, k.member_id, k.livemode, k.revoked_at is not null as revoked, k.last_used_at
      from api_keys k where k.secret_hash = ${secretHash}
    )${touched}${hit}, principal as (
      select key.id as key_id, key.organization_id, o.status as organization_status,
             o.practising is not false as organization_practising, key.member_id,
             m.role as member_role, m.status as member_status, key.livemode, key.revoked,
             ${recordUse ? sql`coalesce((select last_used_at from touched), key.last_used_at)` : sql`key.last_used_at`} as last_used_at,
             ${hits} as rate_limit_hits
      from key
      join organizations o on o.id = key.organization_id
      join members m on m.id = key.member_id
    )`;
}

/** Resolves a key in one round trip (see `apiKeyPrincipalCtes`). */
export async function findApiKeyPrincipal(sql: Sql, lookup: ApiKeyLookup): Promise<ApiKeyPrincipalRow | undefined> {
  const rows = await sql<ApiKeyPrincipalRow[]>`with ${apiKeyPrincipalCtes(sql, lookup)} select * from principal`;
  return rows[0];
}

/**
 * The key's own facts, as columns of a query over the CTE `principal` (see `apiKeyPrincipalCtes`):
 * the key live and its member active, the organisation not suspended, live mode only once the
 * organisation is verified, and the window's hits. `keyRefusal` judges them, in that order.
 */
export function keyFacts(sql: Sql) {
  return sql`(not principal.revoked and principal.member_status = 'active') as key_ok,
    principal.organization_status <> 'suspended' as org_ok,
    (not principal.livemode or principal.organization_status = 'verified') as live_ok,
    principal.rate_limit_hits as hits`;
}

/**
 * A read whose one statement settles the caller's key too (see `apiKeyPrincipalCtes`), for routes
 * that leave the key to their handler (`settleDeferredKey`): one round trip instead of two.
 * `payload` is a query that may use the CTE `principal` (the key's organisation and mode as
 * `principal.organization_id` and `principal.livemode`); it runs only when the key would be
 * accepted (its facts, the rate limit and the role: see `lookup.accepts`), so a refused key costs
 * the key's statement and nothing more. Answers the key's row (undefined: no such key) and the
 * payload's rows, in the payload's order. The key's row comes as text on every row (PostgreSQL
 * makes it once), parsed once here; the rows keep the columns `principal` and `payload_found`
 * beside their own (copying every row without them would cost more than carrying them).
 */
export async function readSettlingKey<T extends object>(
  sql: Sql,
  lookup: ApiKeyLookup,
  payload: SqlFragment,
): Promise<{ principal: ApiKeyPrincipalRow | undefined; rows: T[] }> {
  const rows = await sql<({ principal: string; payload_found: boolean | null } & T)[]>`
    with ${apiKeyPrincipalCtes(sql, lookup)}, facts as (
      select ${keyFacts(sql)}, principal.member_role = any(${textArray(lookup.accepts.roles)}::text[]) as role_ok from principal
    ), settled as (select row_to_json(principal)::text as principal from principal)
    select settled.principal, payload.*
    from principal join settled on true left join lateral (
      select true as payload_found, x.* from (${payload}) x
      -- Only outer facts: checked once, before the payload runs. OFFSET 0 keeps the planner from
      -- pulling the payload up into the join, where the check would follow it as a join filter.
      where (select key_ok and org_ok and live_ok and hits <= ${lookup.accepts.limit}::int and role_ok from facts)
      offset 0
    ) payload on true`;
  if (!rows[0]) return { principal: undefined, rows: [] };
  return { principal: JSON.parse(rows[0].principal) as ApiKeyPrincipalRow, rows: rows[0].payload_found ? rows : [] };
}

export interface AgencyPrincipalRow {
  id: string;
  managing_body: string;
  office: string;
  region: string | null;
  revoked: boolean;
}

export async function findAgencyKeyPrincipal(
  sql: Sql,
  secretHash: string,
  now: Date,
): Promise<AgencyPrincipalRow | undefined> {
  const rows = await sql<AgencyPrincipalRow[]>`
    with key as (
      select id, managing_body, office, region, revoked_at is not null as revoked from agency_keys where secret_hash = ${secretHash}
    ), touched as (
      update agency_keys set last_used_at = ${now}
      where id = (select id from key where not revoked)
        and (last_used_at is null or last_used_at < ${now}::timestamptz - interval '60 seconds')
      returning id
    )
    select id, managing_body, office, region, revoked from key`;
  return rows[0];
}

/**
 * The citizen's pseudonymous id (`cit_…`), created the first time anyone refers to their id
 * number. `name` is the identity provider's (a sign-in): it replaces what was held. Others pass
 * null (a firm's request keeps the name the firm gave on the request itself).
 */
export async function ensureCitizen(sql: Sql, idNumber: string, name: string | null, now: Date): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into citizens (id, id_number, name, created_at) values (${newId('cit')}, ${idNumber}, ${name}, ${now})
    on conflict (id_number) do update set name = coalesce(excluded.name, citizens.name)
    returning id`;
  return row!.id;
}

/** Records a citizen's page session (its ID token's SHA-256) as ended until the token expires. */
export async function endCitizenSession(sql: Sql, tokenSha256: string, expiresAt: Date): Promise<void> {
  await sql`
    insert into ended_citizen_sessions (token_sha256, expires_at) values (${tokenSha256}, ${expiresAt})
    on conflict (token_sha256) do nothing`;
}

/** Whether the citizen signed out of the session of this ID token (its SHA-256). */
export async function citizenSessionEnded(sql: Sql, tokenSha256: string): Promise<boolean> {
  const rows = await sql`select 1 from ended_citizen_sessions where token_sha256 = ${tokenSha256}`;
  return rows.length > 0;
}

/** Deletes the ended sessions whose token has expired (it is refused on its own by then). */
export async function deleteExpiredEndedSessions(sql: Sql, now: Date): Promise<number> {
  const result = await sql`delete from ended_citizen_sessions where expires_at < ${now}`;
  return result.count;
}

export const RATE_LIMIT_SHARDS = 16;

/**
 * Counts one hit in the current fixed window and answers the total so far. The hit goes to a
 * random shard row so concurrent requests of one credential do not queue on a single row lock;
 * the total adds the other shards as committed when the statement started.
 */
export async function hitRateLimit(sql: Sql, bucket: string, windowStart: Date, count = 1): Promise<number> {
  const shard = Math.floor(Math.random() * RATE_LIMIT_SHARDS);
  const [row] = await sql<{ hits: number }[]>`
    with hit as (
      insert into rate_limit_windows (bucket, window_start, shard, hits) values (${bucket}, ${windowStart}, ${shard}, ${count}::int)
      on conflict (bucket, window_start, shard) do update set hits = rate_limit_windows.hits + excluded.hits
      returning hits
    )
    select ((select hits from hit) + coalesce((
      select sum(hits) from rate_limit_windows where bucket = ${bucket} and window_start = ${windowStart} and shard <> ${shard}), 0))::int as hits`;
  return row!.hits;
}

/** Deletes the rows of windows that started before `before`; answers how many went. */
export async function deleteOldRateLimitWindows(sql: Sql, before: Date): Promise<number> {
  const result = await sql`delete from rate_limit_windows where window_start < ${before}`;
  return result.count;
}

/**
 * Deletes the Idempotency-Keys whose retention has ended (a claim would take them over anyway):
 * every write sent with a key leaves a row with its sealed response. Answers how many went.
 */
export async function deleteExpiredIdempotencyKeys(sql: Sql, now: Date): Promise<number> {
  const result = await sql`delete from idempotency_keys where expires_at < ${now}`;
  return result.count;
}

export interface IdempotencyRow {
  fingerprint: string;
  state: 'in_flight' | 'completed';
  response_status: number | null;
  response_body: string | null;
  response_content_type: string | null;
  /** The headers a replay repeats (see `REPLAYED_HEADERS`); null for rows stored before they were kept. */
  response_headers: Record<string, string> | null;
  /** What the first request was allowed (see `ReplayCheck`); null when its route keeps nothing, or for rows stored before. */
  granted: unknown;
  locked_until: Date;
}

/**
 * Claims a key for this request, inside the transaction that runs it (`tx`), writing nothing:
 * the transaction holds a transaction-scoped advisory lock on the key while it runs, so a
 * duplicate sent meanwhile is told at once (`in_flight`), and the record is written only with the
 * response (`completeIdempotencyKey`), in the same commit as the request's writes. A request that
 * fails or whose process dies leaves nothing. The record is read by a statement of its own, after
 * the lock is taken, so it sees whatever the previous holder committed. Answers `claimed`,
 * `in_flight`, or the committed record that decides (replayed, or refused for another request);
 * an expired record, or an in-flight claim an earlier release left and whose lease has run out,
 * is taken over.
 */
export async function claimIdempotencyKey(
  tx: Sql,
  args: { credentialId: string; key: string; now: Date },
): Promise<'claimed' | 'in_flight' | IdempotencyRow> {
  const [[lock], [existing]] = await inOrder(
    tx<{ held: boolean }[]>`
      select pg_try_advisory_xact_lock(hashtextextended(${args.credentialId}::text || ' ' || ${args.key}::text, 0)) as held`,
    tx<IdempotencyRow[]>`
      select fingerprint, state, response_status, response_body, response_content_type, response_headers, granted, locked_until
      from idempotency_keys where credential_id = ${args.credentialId} and key = ${args.key} and expires_at >= ${args.now}`,
  );
  // A record that has not expired decides, even while another transaction holds the key (a replay of it).
  if (existing && !(existing.state === 'in_flight' && existing.locked_until < args.now)) return existing;
  return lock!.held ? 'claimed' : 'in_flight';
}

/**
 * The record of a claimed key with the response to replay, written in the request's transaction
 * (it takes over an expired record or a stale claim, which the claim found).
 */
export async function completeIdempotencyKey(
  sql: Sql,
  args: {
    credentialId: string;
    key: string;
    fingerprint: string;
    now: Date;
    expiresAt: Date;
    status: number;
    body: string;
    contentType: string | null;
    headers: Record<string, string>;
    /** What the request was allowed, for a replay to be allowed again (JSON), or null. */
    granted: unknown;
  },
): Promise<void> {
  const granted = args.granted == null ? null : sql.json(args.granted as never);
  await sql`
    insert into idempotency_keys (credential_id, key, fingerprint, state, response_status, response_body, response_content_type,
                                  response_headers, granted, created_at, locked_until, expires_at)
    values (${args.credentialId}, ${args.key}, ${args.fingerprint}, 'completed', ${args.status}, ${args.body}, ${args.contentType},
            ${sql.json(args.headers)}, ${granted}, ${args.now}, ${args.now}, ${args.expiresAt})
    on conflict (credential_id, key) do update
      set fingerprint = excluded.fingerprint, state = 'completed', response_status = excluded.response_status,
          response_body = excluded.response_body, response_content_type = excluded.response_content_type,
          response_headers = excluded.response_headers, granted = excluded.granted, created_at = excluded.created_at,
          locked_until = excluded.locked_until, expires_at = excluded.expires_at`;
}
