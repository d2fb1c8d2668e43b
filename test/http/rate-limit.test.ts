import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createApp } from '../../api/app';
import { configFromEnv } from '../../api/config';
import type { AppEnv } from '../../api/http/context';
import { memoryLogger } from '../../api/http/logger';
import { ProblemError } from '../../api/http/problem';
import { HitBuffer, rateLimit, windowStartOf } from '../../api/http/rate-limit';
import { CalendarStore } from '../../api/modules/calendar/store';
import { runScheduler } from '../../api/modules/events/scheduler';
import { nodeDeps } from '../../api/node/runtime';
import { createTestApp, type TestApp } from '../support/app';
import { openTestDatabase } from '../support/database';
import { auth, registerOrg } from '../support/fixtures';

/**
 * The rate limit of routes whose authentication does not count hits (citizens, agencies, sign-ups):
 * an instance writes its hits in batches and judges in between with the total the database gave
 * it at its last write plus what it holds. Real database; two instances are two HitBuffers.
 */
let db: Awaited<ReturnType<typeof openTestDatabase>>;
let writes = 0;
beforeAll(async () => {
  // Counted with the driver's public debug hook: every statement that writes a hit.
  db = await openTestDatabase({
    debug: (_connection, query) => {
      if (query.includes('insert into rate_limit_windows')) writes++;
    },
  });
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

describe('old rate-limit windows', () => {
  it("are deleted by the scheduler's hourly pass once a day old, never by a request", async () => {
    const at = new Date('2026-03-05T09:00:00.000Z');
    await statuses(
      instance(200, () => at),
      1,
    );
    const rows = () => db.sql<{ n: number }[]>`
      select count(*)::int as n from rate_limit_windows where bucket = 'test:subject-1' and window_start = ${windowStartOf(at, 60)}`;
    expect((await rows())[0]!.n).toBe(1);
    // The passes of each hour's first minute prune: 23 hours later the window stays; a day and an hour later it goes,
    // and a pass in another minute of that hour deletes nothing.
    await runScheduler(db.sql, new Date(at.getTime() + 23 * 3600_000), new CalendarStore());
    expect((await rows())[0]!.n).toBe(1);
    await runScheduler(db.sql, new Date(at.getTime() + 25 * 3600_000 + 60_000), new CalendarStore());
    expect((await rows())[0]!.n).toBe(1);
    const report = await runScheduler(db.sql, new Date(at.getTime() + 25 * 3600_000), new CalendarStore());
    expect((await rows())[0]!.n).toBe(0);
    expect(report.prunedRateLimitWindows).toBeGreaterThanOrEqual(1);
  });
});

describe('API-key rate limit totals held per instance', () => {
  it("judges from the total it last read for a second, then reads the other instances' hits again", async () => {
    const a = await createTestApp({
      config: { rateLimit: { limit: 200, windowSeconds: 60 } },
      now: '2026-03-02T13:00:00Z',
    });
    try {
      const config = configFromEnv({ PUENTE_ENV: 'test' }, { rateLimit: { limit: 200, windowSeconds: 60 } });
      const b = createApp(nodeDeps(config, a.database, memoryLogger(), a.clock));
      const org = await registerOrg(a);
      a.clock.advance(60_000); // a fresh window, 13:01:00
      const read = async (app: { request: TestApp['request'] }) => {
        const res = await app.request('/v1/organization', { headers: auth(org.testKey) });
        return { status: res.status, remaining: Number(/r=(\d+)/.exec(res.headers.get('ratelimit') ?? '')?.[1]) };
      };
      const viaB = { request: (path: string, init?: RequestInit) => Promise.resolve(b.request(path, init)) };
      expect(await read(viaB)).toEqual({ status: 200, remaining: 199 }); // b reads the total: nothing yet
      for (let i = 0; i < 150; i++) expect((await read(a)).status).toBe(200);
      // Within the second b judges the total it read plus its own held hits: a's 150 unseen.
      a.clock.advance(500);
      expect(await read(viaB)).toEqual({ status: 200, remaining: 198 });
      // Past it b reads again and sees what a wrote (a holds back at most 200 / 20 = 10 of its hits).
      a.clock.advance(600);
      const fresh = await read(viaB);
      expect(fresh.status).toBe(200);
      expect(fresh.remaining).toBeLessThanOrEqual(200 - 150 - 3 + 10);
      expect(fresh.remaining).toBeGreaterThanOrEqual(200 - 150 - 3 - 10);
    } finally {
      await a.close();
    }
  });
});
