import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { AppEnv } from '../../api/http/context';
import { ProblemError } from '../../api/http/problem';
import { HitBuffer, rateLimit } from '../../api/http/rate-limit';
import { openTestDatabase } from '../support/database';

/**
 * The rate limit of routes whose authentication does not count hits (citizens, agencies, sign-ups):
 * an instance writes its hits in batches and judges in between with the total the database gave
 * it at its last write plus what it holds. Real database; two instances are two HitBuffers.
 */
let db: Awaited<ReturnType<typeof openTestDatabase>>;
let writes = 0;
beforeAll(async () => {
  db = await openTestDatabase();
  const proto = Object.getPrototypeOf(db.sql`select 1`) as {
    handle(this: { executed: boolean; strings: string[] }, ...args: unknown[]): unknown;
  };
  const handle = proto.handle;
  proto.handle = function (this: { executed: boolean; strings: string[] }, ...args: unknown[]) {
    if (!this.executed && this.strings?.join('').includes('rate_limit_windows')) writes++;
    return handle.apply(this, args);
  };
});
afterAll(() => db.close());

function instance(limit: number, now: () => Date) {
  const hits = new HitBuffer();
  const app = new Hono<AppEnv>();
  app.use(async (c, next) => {
    c.set('deps', { clock: { now }, hits } as never);
    c.set('sql', db.sql);
    await next();
  });
  app.use(
    rateLimit(
      'test',
      () => ({ limit, windowSeconds: 60 }),
      () => 'subject-1',
    ),
  );
  app.get('/', (c) => c.text('ok'));
  app.onError((error, c) => (error instanceof ProblemError ? c.text(error.code, 429) : c.text(String(error), 500)));
  return app;
}

async function statuses(app: Hono<AppEnv>, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await app.request('/')).status);
  return out;
}

describe('rate limit totals held per instance', () => {
  it('is exact on one instance, and writes a twentieth as often as it counts', async () => {
    const at = new Date('2026-03-02T10:00:00.000Z');
    const app = instance(200, () => at);
    writes = 0;
    const answers = await statuses(app, 201);
    expect(answers.filter((s) => s === 200)).toHaveLength(200);
    expect(answers.at(-1)).toBe(429);
    // 200 / 20 = 10 hits per write (the first request writes to learn the total).
    expect(writes).toBeLessThanOrEqual(201 / 10 + 2);
  });

  it('sees the hits of another instance within a second, missing at most what that one holds back', async () => {
    let ms = Date.parse('2026-03-02T11:00:00.000Z');
    const now = () => new Date(ms);
    const a = instance(200, now);
    const b = instance(200, now);
    expect((await statuses(a, 150)).every((s) => s === 200)).toBe(true);
    ms += 1_100; // a second later b's knowledge is fresh from its first write
    const fromB = await statuses(b, 60);
    const allowed = fromB.filter((s) => s === 200).length;
    // a holds back at most 200 / 20 = 10 hits unwritten, so b allows between 50 and 60.
    expect(allowed).toBeGreaterThanOrEqual(50);
    expect(allowed).toBeLessThanOrEqual(60);
    expect(fromB.at(-1)).toBe(429);
  });

  it('writes every hit of a small limit (a twentieth under one), so it stays exact across instances', async () => {
    const at = new Date('2026-03-02T12:00:00.000Z');
    const a = instance(5, () => at);
    const b = instance(5, () => at);
    expect(await statuses(a, 3)).toEqual([200, 200, 200]);
    expect(await statuses(b, 3)).toEqual([200, 200, 429]);
  });
});
