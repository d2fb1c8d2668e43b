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

/**
 * Resolves a key in one round trip and, at most once a minute, records its use: the write is
 * folded into the same statement so authentication never costs a second query.
 */
export async function findApiKeyPrincipal(
  sql: Sql,
  secretHash: string,
  now: Date,
  rateLimit: { windowStart: Date; shard: number },
): Promise<ApiKeyPrincipalRow | undefined> {
  const rows = await sql<ApiKeyPrincipalRow[]>`
    with key as (
      select k.id, k.organization_id, k.member_id, k.livemode, k.revoked_at is not null as revoked, k.last_used_at
      from api_keys k where k.secret_hash = ${secretHash}
    ), touched as (
      update api_keys set last_used_at = ${now}
      where id = (select id from key where not revoked)
        and (last_used_at is null or last_used_at < ${now}::timestamptz - interval '60 seconds')
      returning id
    ), hit as (
      insert into rate_limit_windows (bucket, window_start, shard, hits)
      select 'credential:' || id, ${rateLimit.windowStart}, ${rateLimit.shard}, 1 from key where not revoked
      on conflict (bucket, window_start, shard) do update set hits = rate_limit_windows.hits + 1
      returning hits
    )
    select key.id as key_id, key.organization_id, o.status as organization_status, key.member_id,
           m.role as member_role, m.status as member_status, key.livemode, key.revoked,
           (coalesce((select hits from hit), 0) + coalesce((
             select sum(r.hits) from rate_limit_windows r
             where r.bucket = 'credential:' || key.id and r.window_start = ${rateLimit.windowStart} and r.shard <> ${rateLimit.shard}), 0))::int
             as rate_limit_hits
    from key
    join organizations o on o.id = key.organization_id
    join members m on m.id = key.member_id`;
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
