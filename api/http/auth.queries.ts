import type { Sql } from '../db/sql';

export interface ApiKeyPrincipalRow {
  rate_limit_hits: number;
  key_id: string;
  organization_id: string;
  organization_status: string;
  member_id: string;
  member_role: string;
  member_status: string;
  livemode: boolean;
  revoked: boolean;
}

export interface ApiKeyLookup {
  secretHash: string;
  now: Date;
  /** This request's hit: `write` hits to add to a shard now (0 while the instance holds them back), `held` hits it holds. */
  rateLimit: { windowStart: Date; shard: number; write: number; held: number };
}

/**
 * The credential half of a statement, as common table expressions ending in `principal` (one
 * row per known key): the key, its organisation and member, its use recorded at most once a
 * minute, and this request counted against its rate limit (see `HitBuffer`). Folding these writes into the
 * statement that needs the principal is what keeps authentication from costing a round trip.
 */
export function apiKeyPrincipalCtes(sql: Sql, lookup: ApiKeyLookup) {
  const { secretHash, now, rateLimit } = lookup;
  return sql`
    key as (
      select k.id, k.organization_id, k.member_id, k.livemode, k.revoked_at is not null as revoked, k.last_used_at
      from api_keys k where k.secret_hash = ${secretHash}
    ), touched as (
      update api_keys set last_used_at = ${now}
      where id = (select id from key where not revoked)
        and (last_used_at is null or last_used_at < ${now}::timestamptz - interval '60 seconds')
      returning id
    ), hit as (
      insert into rate_limit_windows (bucket, window_start, shard, hits)
      select 'credential:' || id, ${rateLimit.windowStart}, ${rateLimit.shard}, ${rateLimit.write}::int from key where not revoked and ${rateLimit.write}::int > 0
      on conflict (bucket, window_start, shard) do update set hits = rate_limit_windows.hits + excluded.hits
      returning hits
    ), principal as (
      select key.id as key_id, key.organization_id, o.status as organization_status, key.member_id,
             m.role as member_role, m.status as member_status, key.livemode, key.revoked,
             (coalesce((select hits from hit), 0) + ${rateLimit.held}::int + coalesce((
               select sum(r.hits) from rate_limit_windows r
               where r.bucket = 'credential:' || key.id and r.window_start = ${rateLimit.windowStart}
                 and (r.shard <> ${rateLimit.shard} or ${rateLimit.write}::int = 0)), 0))::int
               as rate_limit_hits
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

export interface AgencyPrincipalRow {
  id: string;
  managing_body: string;
  office: string;
  revoked: boolean;
}

export async function findAgencyKeyPrincipal(sql: Sql, secretHash: string, now: Date): Promise<AgencyPrincipalRow | undefined> {
  const rows = await sql<AgencyPrincipalRow[]>`
    with key as (
      select id, managing_body, office, revoked_at is not null as revoked from agency_keys where secret_hash = ${secretHash}
    ), touched as (
      update agency_keys set last_used_at = ${now}
      where id = (select id from key where not revoked)
        and (last_used_at is null or last_used_at < ${now}::timestamptz - interval '60 seconds')
      returning id
    )
    select id, managing_body, office, revoked from key`;
  return rows[0];
}

/**
 * The `caller` expression a consented statement starts from (organisation, mode, member, and
 * whether it may proceed), for a principal authenticated before the statement.
 */
export function knownCaller(sql: Sql, principal: { organizationId: string; livemode: boolean; memberId: string }) {
  return sql`caller as (
    select ${principal.organizationId}::text as organization_id, ${principal.livemode}::boolean as livemode,
           ${principal.memberId}::text as member_id, true as allowed, null::json as principal
  )`;
}

/**
 * The `caller` authenticated inside the statement itself: it may proceed only with a live key of
 * an active member, an organisation that is not suspended (and verified for live keys), and hits
 * within the rate limit. The principal row goes back so the request can give the exact refusal.
 */
export function apiKeyCaller(sql: Sql, lookup: ApiKeyLookup, rateLimit: number) {
  return sql`${apiKeyPrincipalCtes(sql, lookup)}, caller as (
    select organization_id, livemode, member_id,
           (not revoked and member_status = 'active' and organization_status <> 'suspended'
             and (not livemode or organization_status = 'verified') and rate_limit_hits <= ${rateLimit}) as allowed,
           row_to_json(principal) as principal
    from principal
  )`;
}
