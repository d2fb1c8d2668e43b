import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';

import type { Database } from '../../api/node/database';
import { openTestDatabase } from '../support/database';
import { registrationBody } from '../support/fixtures';
import { FORMS } from '../support/forms';
import { startReceiver } from '../support/receiver';
import { callServer as call, type ServerProcess, startServer } from '../support/server-process';

/**
 * SIGKILL the server in the middle of a burst of filings and webhook deliveries, restart it, and
 * check that nothing acknowledged is lost, nothing is half-written, idempotent retries produce
 * exactly one procedure each, and every event is delivered. Runs against PostgreSQL (the
 * production store); the embedded database lives inside the killed process.
 */
const onPostgres = inject('databaseMode') === 'postgres';

let db: Database & { url?: string };
let server: ServerProcess | undefined;
// A fixed public URL: consent tokens name it as issuer, and the restarted server listens elsewhere.
const env = () => ({
  PUENTE_BASE_URL: 'http://puente.crash.test',
  DATABASE_URL: db.url,
  PUENTE_WEBHOOKS_ALLOW_PRIVATE: '1',
  PUENTE_WEBHOOK_TIMEOUT_MS: '600',
  PUENTE_WEBHOOK_LEASE_SECONDS: '2',
  PUENTE_ENV: 'development',
  LOG_LEVEL: 'warn',
});

beforeAll(async () => {
  if (onPostgres) db = await openTestDatabase();
});
afterAll(async () => {
  await server?.stop('SIGKILL');
  if (onPostgres) await db.close();
});

describe.skipIf(!onPostgres)('crash safety (SIGKILL mid-burst)', () => {
  it('loses no acknowledged write, half-writes nothing, and delivers every event', async () => {
    const receiver = await startReceiver(() => ({ status: 200, delayMs: 20 }));
    server = await startServer(env());
    const base = server.baseUrl;
    const reg = (await call(base, 'POST', '/v1/organizations', {}, registrationBody())).body;
    const key = { authorization: `Bearer ${reg.test_key.secret}` };
    const hook = (await call(base, 'POST', '/v1/webhook-endpoints', key, { url: receiver.url })).body;
    const request = (
      await call(base, 'POST', '/v1/delegation-requests', key, {
        citizen: { id_number: '12345678Z' },
        scope: { procedure_types: ['JUB'], subjects: [], capacities: ['consult', 'file'] },
        valid_until: '2027-12-31',
      })
    ).body;
    const accepted = (await call(base, 'POST', `/v1/sandbox/delegation-requests/${request.id}/accept`, key)).body;
    const token = (
      await call(base, 'POST', `/v1/delegations/${accepted.delegation_id}/consent-tokens`, key, {
        lifetime_seconds: 3600,
      })
    ).body.token;
    const consented = { ...key, 'puente-consent': token };

    /** Files a JUB on the server at `url` under this Idempotency-Key. */
    const file = (url: string, idempotencyKey: string) =>
      call(
        url,
        'POST',
        '/v1/procedures',
        { ...consented, 'idempotency-key': idempotencyKey },
        { type: 'JUB', form: FORMS.JUB },
      );

    // A burst of filings, each with its own Idempotency-Key; kill the server while they run.
    const keys = Array.from({ length: 40 }, (_, i) => `filing-${i}`);
    const acknowledged = new Map<string, string>();
    const burst = keys.map(async (k, i) => {
      await new Promise((r) => setTimeout(r, i * 10));
      try {
        const res = await file(base, k);
        if (res.status === 201) acknowledged.set(k, res.body.id);
      } catch {
        // connection cut by the kill
      }
    });
    await new Promise((r) => setTimeout(r, 150));
    await server.stop('SIGKILL');
    await Promise.all(burst);

    server = await startServer(env());
    const again = server.baseUrl;
    await new Promise((r) => setTimeout(r, 2100)); // in-flight claims of the dead process expire
    const final = new Map<string, string>();
    for (const k of keys) {
      const res = await file(again, k);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      final.set(k, res.body.id);
    }
    // Acknowledged before the kill: still there, and the retry answered the same procedure.
    for (const [k, id] of acknowledged) expect(final.get(k)).toBe(id);
    const rows = await db.sql<{ id: string; timeline: number }[]>`
      select p.id, (select count(*) from procedure_timeline t where t.procedure_id = p.id)::int as timeline
      from procedures p where p.organization_id = ${reg.organization.id}`;
    expect(rows).toHaveLength(keys.length);
    expect(new Set(rows.map((r) => r.id))).toEqual(new Set(final.values()));
    expect(rows.every((r) => r.timeline === 1)).toBe(true);

    // Every event committed before or after the kill reaches the receiver (at least once).
    const [{ n }] =
      (await db.sql`select count(*)::int as n from events where organization_id = ${reg.organization.id}`) as unknown as [
        { n: number },
      ];
    // A delivery the dead process had claimed is retried once its lease (2 s here) runs out.
    for (let i = 0; i < 200; i++) {
      const delivered = new Set(receiver.received.map((r) => r.headers['webhook-id']));
      if (delivered.size >= n) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const wh = new Webhook(hook.secret);
    const delivered = new Set(
      receiver.received.map((r) => (wh.verify(r.body, r.headers as Record<string, string>), r.headers['webhook-id'])),
    );
    expect(delivered.size).toBe(n);
    await receiver.close();
  }, 120_000);
});
