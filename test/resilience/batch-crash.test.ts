import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import type { Database } from '../../api/node/database';
import { ACCEPTANCE_COUNTS, acceptanceCsv } from '../support/batches';
import { openTestDatabase } from '../support/database';
import { registrationBody } from '../support/fixtures';
import { callServer as call, type ServerProcess, startServer } from '../support/server-process';

/**
 * SIGKILL the server while its background worker is in the middle of a 1,000-row batch, restart
 * it, and check that the batch ends with the same counts as an undisturbed one and that no row
 * made a request twice. On PostgreSQL the rows are counted in the database; with the embedded
 * database (its data directory survives the kill) through the API.
 */
const onPostgres = inject('databaseMode') === 'postgres';

let db: (Database & { url?: string }) | undefined;
let dataDir: string | undefined;
let server: ServerProcess | undefined;
const env = () => ({
  ...(onPostgres ? { DATABASE_URL: db!.url } : { PUENTE_DATA_DIR: dataDir }),
  PUENTE_BASE_URL: 'http://puente.batch-crash.test',
  PUENTE_BATCH_LEASE_SECONDS: '2',
  PUENTE_RATE_LIMIT: '100000',
  PUENTE_ENV: 'development',
  LOG_LEVEL: 'warn',
});

beforeAll(async () => {
  if (onPostgres) db = await openTestDatabase();
  else dataDir = mkdtempSync(join(tmpdir(), 'puente-batch-crash-'));
});
afterAll(async () => {
  await server?.stop('SIGKILL');
  await db?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

type Json = Record<string, any>;

async function allPages(base: string, path: string, headers: Record<string, string>): Promise<Json[]> {
  const out: Json[] = [];
  let cursor: string | null = null;
  do {
    const page = await call(
      base,
      'GET',
      `${path}${path.includes('?') ? '&' : '?'}limit=100${cursor ? `&cursor=${cursor}` : ''}`,
      headers,
    );
    expect(page.status).toBe(200);
    out.push(...page.body.data);
    cursor = page.body.has_more ? page.body.next_cursor : null;
  } while (cursor);
  return out;
}

describe('a batch survives SIGKILL mid-way', () => {
  it('ends with 950 created, 30 duplicates and 20 failures, and no request made twice', async () => {
    server = await startServer(env());
    const base = server.baseUrl;
    const reg = (await call(base, 'POST', '/v1/organizations', {}, registrationBody())).body;
    const key = { authorization: `Bearer ${reg.test_key.secret}` };
    const data = acceptanceCsv(60_000_000 + Math.floor(Math.random() * 1_000_000) * 10);
    for (const id of data.preexisting) {
      const res = await call(base, 'POST', '/v1/delegation-requests', key, {
        citizen: { id_number: id },
        scope: { procedure_types: ['JUB'], subjects: [], capacities: ['consult', 'file', 'respond'] },
        valid_until: '2027-12-31',
      });
      expect(res.status).toBe(201);
    }

    /** The CSV uploaded to the server at `url`, always with the same Idempotency-Key. */
    const upload = (url: string) => {
      const form = new FormData();
      form.append('file', new File([data.csv], 'clientes.csv', { type: 'text/csv' }));
      return fetch(`${url}/v1/delegation-requests/batches`, {
        method: 'POST',
        headers: { ...key, 'idempotency-key': 'crash-batch' },
        body: form,
      });
    };
    const res = await upload(base);
    expect(res.status).toBe(202);
    const batch = (await res.json()) as Json;

    // Kill while the worker is between a tenth and nine tenths of the way.
    let seen: Json = batch;
    for (let i = 0; i < 2000; i++) {
      seen = (await call(base, 'GET', `/v1/delegation-requests/batches/${batch.id}`, key)).body;
      if (seen.done >= 100) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    await server.stop('SIGKILL');
    expect(seen.status).toBe('processing');
    expect(seen.done).toBeLessThan(900);

    server = await startServer(env());
    const again = server.baseUrl;
    let final: Json = {};
    for (let i = 0; i < 600; i++) {
      final = (await call(again, 'GET', `/v1/delegation-requests/batches/${batch.id}`, key)).body;
      if (final.status === 'completed') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(final).toMatchObject({ status: 'completed', done: 1000, ...ACCEPTANCE_COUNTS });

    const rows = await allPages(again, `/v1/delegation-requests/batches/${batch.id}/rows`, key);
    expect(rows.filter((r) => r.status === 'failed').map((r) => [r.row, r.problem.errors[0].column])).toEqual([
      ...data.invalid.entries(),
    ]);
    const created = rows.filter((r) => r.status === 'created').map((r) => r.delegation_request_id);
    expect(new Set(created).size).toBe(950);

    // Every request of the organisation: the 15 made before the batch and one per created row, no more.
    const requests = onPostgres
      ? await db!.sql<{ id: string; citizen: string }[]>`
          select r.id, c.id_number as citizen from delegation_requests r join citizens c on c.id = r.citizen_id where r.organization_id = ${reg.organization.id}`
      : (await allPages(again, '/v1/delegation-requests', key)).map((r) => ({
          id: r.id as string,
          citizen: r.citizen.id_number as string,
        }));
    expect(requests).toHaveLength(965);
    expect(new Set(requests.map((r) => r.citizen)).size).toBe(965);
    expect(new Set(requests.map((r) => r.id))).toEqual(
      new Set([...created, ...requests.filter((r) => data.preexisting.includes(r.citizen)).map((r) => r.id)]),
    );

    // The same upload with the same key is still the same batch.
    const replay = await upload(again);
    expect(replay.status).toBe(202);
    expect(((await replay.json()) as Json).id).toBe(batch.id);

    const events = await allPages(again, '/v1/events?type=delegation_request_batch.completed', key);
    expect(events.map((e) => e.data)).toEqual([
      {
        delegation_request_batch_id: batch.id,
        status: 'completed',
        ...ACCEPTANCE_COUNTS,
      },
    ]);
  }, 180_000);
});
