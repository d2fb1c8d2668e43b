import { spawn } from 'node:child_process';

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { openTestDatabase } from '../support/database';
import { freePort, ROOT } from '../support/server-process';

const METRICS_TOKEN = 'worker-metrics-token-16+';
const postgres = inject('databaseMode') === 'postgres';

// A delivery worker needs PostgreSQL: it refuses to start on the embedded database (compiled-node.test.ts).
describe.skipIf(!postgres)('the delivery worker with PUENTE_METRICS_PORT', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(() => database.close());

  it('serves /health and, behind the metrics token, /metrics with its own counters; stops cleanly', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'api/scripts/delivery-worker.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        PUENTE_METRICS_PORT: String(port),
        PUENTE_METRICS_TOKEN: METRICS_TOKEN,
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    try {
      const base = `http://127.0.0.1:${port}`;
      let health: Response | undefined;
      for (let i = 0; i < 600 && !health; i++) {
        if (child.exitCode !== null) throw new Error(`the worker exited:\n${out}`);
        health = await fetch(`${base}/health`).catch(() => undefined);
        if (!health) await new Promise((r) => setTimeout(r, 100));
      }
      expect(health!.status).toBe(200);
      expect(await health!.json()).toMatchObject({ status: 'ok', database: { status: 'ok' } });

      const refused = await fetch(`${base}/metrics`);
      expect(refused.status).toBe(401);
      expect(refused.headers.get('content-type')).toBe('application/problem+json');
      expect(await refused.json()).toMatchObject({ code: 'unauthorized' });
      expect(
        (await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer not-the-token-at-all' } })).status,
      ).toBe(401);

      const metrics = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      expect(metrics.status).toBe(200);
      expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await metrics.text();
      // The scheduler ran its first pass at start, in this process.
      expect(text).toMatch(/^puente_scheduler_runs_total [1-9]/m);
      expect(text).toContain('# TYPE puente_webhook_delivery_attempts_total counter');
      expect(text).toContain('# TYPE puente_avisos_sent_total counter');
      expect(text).toMatch(/^puente_outbox_backlog \d+/m);
      expect(text).toContain('puente_process_cpu_user_seconds_total');

      expect((await fetch(`${base}/v1/organization`)).status).toBe(404);
    } finally {
      const exited = new Promise<number | null>((r) => child.once('exit', r));
      if (child.exitCode === null) child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  }, 120_000);
});
