import type { Sql } from '../db/sql';

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

export async function deleteOldRateLimitWindows(sql: Sql, before: Date): Promise<void> {
  await sql`delete from rate_limit_windows where window_start < ${before}`;
}

export interface IdempotencyRow {
  fingerprint: string;
  state: 'in_flight' | 'completed';
  response_status: number | null;
  response_body: string | null;
  response_content_type: string | null;
  locked_until: Date;
}

/**
 * Claims a key for this request. Answers null when the claim succeeded; otherwise the existing
 * record. A stale in-flight claim (its request died) is taken over.
 */
export async function claimIdempotencyKey(
  sql: Sql,
  args: { credentialId: string; key: string; fingerprint: string; now: Date; lockedUntil: Date; expiresAt: Date },
): Promise<IdempotencyRow | null> {
  const claimed = await sql<{ key: string }[]>`
    insert into idempotency_keys (credential_id, key, fingerprint, state, created_at, locked_until, expires_at)
    values (${args.credentialId}, ${args.key}, ${args.fingerprint}, 'in_flight', ${args.now}, ${args.lockedUntil}, ${args.expiresAt})
    on conflict (credential_id, key) do update
      set fingerprint = excluded.fingerprint, created_at = excluded.created_at,
          locked_until = excluded.locked_until, expires_at = excluded.expires_at
      where (idempotency_keys.state = 'in_flight' and idempotency_keys.locked_until < ${args.now})
         or idempotency_keys.expires_at < ${args.now}
    returning key`;
  if (claimed.length > 0) return null;
  const [existing] = await sql<IdempotencyRow[]>`
    select fingerprint, state, response_status, response_body, response_content_type, locked_until
    from idempotency_keys where credential_id = ${args.credentialId} and key = ${args.key}`;
  return existing ?? null;
}

export async function completeIdempotencyKey(
  sql: Sql,
  args: { credentialId: string; key: string; status: number; body: string; contentType: string | null },
): Promise<void> {
  await sql`
    update idempotency_keys
    set state = 'completed', response_status = ${args.status}, response_body = ${args.body}, response_content_type = ${args.contentType}
    where credential_id = ${args.credentialId} and key = ${args.key}`;
}

export async function releaseIdempotencyKey(sql: Sql, credentialId: string, key: string): Promise<void> {
  await sql`delete from idempotency_keys where credential_id = ${credentialId} and key = ${key} and state = 'in_flight'`;
}
