import type { Context, MiddlewareHandler } from 'hono';

import type { AppEnv } from './context';
import { ProblemError } from './problem';
import { hitRateLimit } from './queries';

export interface RateLimitPolicy {
  /** Requests allowed per window. */
  limit: number;
  windowSeconds: number;
}

/**
 * Fixed-window limits counted in PostgreSQL, so every instance shares them. Headers follow the
 * IETF RateLimit draft (`RateLimit-Policy`, `RateLimit`). Old windows are pruned by the
 * scheduler's pass, never on a request.
 */
export function windowStartOf(now: Date, windowSeconds: number): Date {
  const windowMs = windowSeconds * 1000;
  return new Date(Math.floor(now.getTime() / windowMs) * windowMs);
}

/**
 * Hits this instance has counted for a credential but not yet written, and the window's total as
 * the database last told it. Writing every hit made one hot row update per request (a tenth of
 * the database time of a consented read); instead an instance holds back at most a twentieth of
 * the limit, for at most a second. Between its writes it judges the total it last read (less
 * than a second ago) plus the hits it holds, without reading the shards again; the API-key
 * statement and the middleware's count (`countHit`) both work this way.
 *
 * The bounded error: an instance does not see the other instances' hits since it last read the
 * total, that is at most one second of their traffic, and each of them holds back at most a
 * twentieth of the limit. Within the second every instance sees everyone's hits again, so the
 * limit stays shared. With a small limit (a twentieth under one) every hit is written and the
 * total read each time, so counts stay exact across instances.
 */
export class HitBuffer {
  private readonly pending = new Map<string, { windowStart: number; hits: number; since: number }>();
  /** The window's total as the database last answered it, and when: judged with the held hits in between writes. */
  private readonly totals = new Map<string, { windowStart: number; total: number; at: number }>();

  /** Takes out every hit held for `subject` (to write them now). */
  drain(subject: string): number {
    const hits = this.pending.get(subject)?.hits ?? 0;
    this.pending.delete(subject);
    return hits;
  }

  /** Keeps the total the database answered when this instance last wrote its hits. */
  remember(subject: string, windowStart: Date, total: number, nowMs: number): void {
    if (this.totals.size >= 10_000) this.totals.clear();
    this.totals.set(subject, { windowStart: windowStart.getTime(), total, at: nowMs });
  }

  /** The remembered total of this window, if the database said it less than a second ago. */
  recall(subject: string, windowStart: Date, nowMs: number): number | undefined {
    const known = this.totals.get(subject);
    return known && known.windowStart === windowStart.getTime() && nowMs - known.at < 1000 ? known.total : undefined;
  }

  /**
   * Puts back hits `take` gave out to be written by a statement that never ran (a request that
   * ended before it, such as one refused for its input), so they are written with a later one.
   */
  restore(subject: string, windowStart: Date, hits: number, nowMs: number): void {
    if (hits === 0) return;
    const entry = this.pending.get(subject);
    if (!entry) this.pending.set(subject, { windowStart: windowStart.getTime(), hits, since: nowMs });
    else if (entry.windowStart === windowStart.getTime()) entry.hits += hits;
  }

  /** Counts one hit: how many to write now (0 while holding back), and how many stay held. */
  take(subject: string, windowStart: Date, limit: number, nowMs: number): { write: number; held: number } {
    let entry = this.pending.get(subject);
    if (!entry || entry.windowStart !== windowStart.getTime()) {
      // Unknown credentials make entries too: the map is bounded by starting over.
      if (this.pending.size >= 10_000) this.pending.clear();
      entry = { windowStart: windowStart.getTime(), hits: 0, since: nowMs };
      this.pending.set(subject, entry);
    }
    entry.hits++;
    if (entry.hits >= Math.max(1, Math.floor(limit / 20)) || nowMs - entry.since >= 1000) {
      const write = entry.hits;
      this.pending.delete(subject);
      return { write, held: 0 };
    }
    return { write: 0, held: entry.hits };
  }
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
    throw new ProblemError(
      'rate_limited',
      `Rate limit of ${policy.limit} requests per ${policy.windowSeconds} s exceeded; retry in ${reset} s.`,
      {
        headers: { ...headers, 'retry-after': String(reset) },
      },
    );
  }
  return headers;
}

export function rateLimit(
  name: string,
  policyOf: (c: Context<AppEnv>) => RateLimitPolicy,
  subjectOf: (c: Context<AppEnv>) => string,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const policy = policyOf(c);
    const now = c.get('deps').clock.now();
    // Authentication may already have counted this hit in its own statement (one round trip less).
    const counted = c.get('countedHits');
    const hits = counted?.bucket === name ? counted.hits : await countHit(c, `${name}:${subjectOf(c)}`, policy, now);
    for (const [k, v] of Object.entries(judge(name, policy, now, hits))) c.header(k, v);
    await next();
  };
}

/**
 * Counts this request's hit for routes whose authentication did not (citizens, agencies, public
 * sign-ups): between its writes an instance judges the total the database gave it at its last
 * write (less than a second ago) plus the hits it holds, without a round trip. What it cannot see
 * is bounded: the other instances' hits since its last write (at most a second of their traffic,
 * and each of them holds back at most a twentieth of the limit). Small limits are written on
 * every hit, so they stay exact.
 */
async function countHit(c: Context<AppEnv>, bucket: string, policy: RateLimitPolicy, now: Date): Promise<number> {
  const { hits: buffer } = c.get('deps');
  const windowStart = windowStartOf(now, policy.windowSeconds);
  const nowMs = now.getTime();
  const { write, held } = buffer.take(bucket, windowStart, policy.limit, nowMs);
  if (write === 0) {
    const known = buffer.recall(bucket, windowStart, nowMs);
    if (known !== undefined) return known + held;
  }
  // Nothing known (or time to write): write what is held, this hit included, and learn the total.
  const count = write > 0 ? write : buffer.drain(bucket);
  const total = await hitRateLimit(c.get('sql'), bucket, windowStart, count);
  buffer.remember(bucket, windowStart, total, nowMs);
  return total;
}

/** The per-credential limit every authenticated route carries. */
export function credentialRateLimit(): MiddlewareHandler<AppEnv> {
  return rateLimit(
    'credential',
    (c) => c.get('deps').config.rateLimit,
    (c) => c.get('principal')?.credentialId ?? 'anonymous',
  );
}

/** The per-client-address limit of public sign-ups (`PUENTE_REGISTRATION_RATE_LIMIT`). */
export function registrationRateLimit(): MiddlewareHandler<AppEnv> {
  return rateLimit(
    'registration',
    (c) => c.get('deps').config.registrationRateLimit,
    (c) => c.get('deps').clientAddress(c),
  );
}

/** The credential limit for hits an authenticating statement already counted (no middleware). */
export function enforceCredentialRateLimit(c: Context<AppEnv>, hits: number): Record<string, string> {
  return judge('credential', c.get('deps').config.rateLimit, c.get('deps').clock.now(), hits);
}
