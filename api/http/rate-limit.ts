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

export function rateLimit(name: string, policyOf: (c: Context<AppEnv>) => RateLimitPolicy, subjectOf: (c: Context<AppEnv>) => string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const policy = policyOf(c);
    const now = c.get('deps').clock.now();
    const windowMs = policy.windowSeconds * 1000;
    const windowStart = windowStartOf(now, policy.windowSeconds);
    const sql = c.get('sql');
    // Authentication may already have counted this hit in its own statement (one round trip less).
    const counted = c.get('countedHits');
    const hits = counted?.bucket === name ? counted.hits : await hitRateLimit(sql, `${name}:${subjectOf(c)}`, windowStart);
    if (Math.random() < 0.001) await deleteOldRateLimitWindows(sql, new Date(now.getTime() - 24 * 3600_000));
    const reset = Math.max(1, Math.ceil((windowStart.getTime() + windowMs - now.getTime()) / 1000));
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
    await next();
    for (const [k, v] of Object.entries(headers)) c.res.headers.set(k, v);
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
