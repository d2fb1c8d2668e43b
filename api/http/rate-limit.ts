import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from './context';
import { ProblemError } from './problem';
import { deleteOldRateLimitWindows, hitRateLimit } from './write-machinery.queries';

export interface RateLimitPolicy {
  /** Requests allowed per window. */
  limit: number;
  windowSeconds: number;
}

/**
 * Fixed-window limits counted in PostgreSQL, so every instance shares them. Headers follow the
 * IETF RateLimit draft (`RateLimit-Policy`, `RateLimit`).
 */
export function windowStartOf(now: Date, windowSeconds: number): Date {
  const windowMs = windowSeconds * 1000;
  return new Date(Math.floor(now.getTime() / windowMs) * windowMs);
}

/** Judges the hits counted so far in this window: the headers to send, or a 429 carrying them. */
function judge(name: string, policy: RateLimitPolicy, now: Date, hits: number): Record<string, string> {
  const windowStart = windowStartOf(now, policy.windowSeconds);
  const reset = Math.max(1, Math.ceil((windowStart.getTime() + policy.windowSeconds * 1000 - now.getTime()) / 1000));
  const remaining = Math.max(0, policy.limit - hits);
  const headers = {
    'ratelimit-policy': `"${name}";q=${policy.limit};w=${policy.windowSeconds}`,
    ratelimit: `"${name}";r=${remaining};t=${reset}`,
  };
  if (hits > policy.limit) {
    throw new ProblemError('rate_limited', `Rate limit of ${policy.limit} requests per ${policy.windowSeconds} s exceeded; retry in ${reset} s.`, {
      headers: { ...headers, 'retry-after': String(reset) },
    });
  }
  return headers;
}

export function rateLimit(name: string, policyOf: (c: Context<AppEnv>) => RateLimitPolicy, subjectOf: (c: Context<AppEnv>) => string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const policy = policyOf(c);
    const now = c.get('deps').clock.now();
    const sql = c.get('sql');
    // Authentication may already have counted this hit in its own statement (one round trip less).
    const counted = c.get('countedHits');
    const hits = counted?.bucket === name ? counted.hits : await hitRateLimit(sql, `${name}:${subjectOf(c)}`, windowStartOf(now, policy.windowSeconds));
    if (Math.random() < 0.001) await deleteOldRateLimitWindows(sql, new Date(now.getTime() - 24 * 3600_000));
    for (const [k, v] of Object.entries(judge(name, policy, now, hits))) c.header(k, v);
    await next();
  };
}

/** The per-credential limit every authenticated route carries. */
export function credentialRateLimit(): MiddlewareHandler<AppEnv> {
  return rateLimit(
    'credential',
    (c) => c.get('deps').config.rateLimit,
    (c) => c.get('principal')?.credentialId ?? 'anonymous',
  );
}

/** The credential limit for hits an authenticating statement already counted (no middleware). */
export function enforceCredentialRateLimit(c: Context<AppEnv>, hits: number): Record<string, string> {
  return judge('credential', c.get('deps').config.rateLimit, c.get('deps').clock.now(), hits);
}
