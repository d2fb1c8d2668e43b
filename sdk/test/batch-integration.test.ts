import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { processDelegationRequestBatches } from '../../api/modules/delegation-request-batches/service';
import { createTestApp, type TestApp } from '../../test/support/app';
import { dni } from '../../test/support/people';
import type { Puente } from '../src';
import { registeredClient } from './sandbox';

let t: TestApp;
let puente: Puente;
let posts = 0;
beforeAll(async () => {
  t = await createTestApp();
  // The real app without a socket; before each progress read the background worker does one
  // small pass (three rows), as the Node loop would between two polls.
  const fetchThroughApp = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input));
    if (init?.method === 'POST' && url.pathname === '/v1/delegation-requests/batches') posts++;
    if ((init?.method ?? 'GET') === 'GET' && /^\/v1\/delegation-requests\/batches\/[^/]+$/.test(url.pathname)) {
      await processDelegationRequestBatches(t.sql, { config: t.config, clock: t.clock }, 3);
    }
    return t.app.request(String(input), init);
  }) as typeof fetch;
  puente = await registeredClient({ baseUrl: 'http://puente.test', fetch: fetchThroughApp });
});
afterAll(() => t.close());

describe('delegationRequests.createBatch against the real API', () => {
  it('uploads a Spanish-spreadsheet CSV, reports progress until done, and returns every row’s outcome', async () => {
    const [a, b, c] = [dni(71_000_001), dni(71_000_002), dni(71_000_003)];
    const existing = await puente.delegationRequests.create({
      citizen: { id_number: c, name: 'Núñez Peña, Óscar' },
      scope: { procedure_types: ['JUB'], subjects: [], capacities: ['consult', 'file'] },
      valid_until: '2027-12-31',
    });
    const badLetter = a.slice(0, 8) + (a[8] === 'A' ? 'B' : 'A');
    const csv = [
      'id_number;name;procedure_types;capacities;valid_until',
      `${a};"López García; Carmen";JUB;consult,file;2027-12-31`,
      `${b};Ibáñez Ruiz, José;JUB;consult,file;2027-12-31`,
      `${badLetter};María;JUB;consult;2027-12-31`,
      `${c};Núñez Peña, Óscar;JUB;consult,file;2027-12-31`,
      `${a};"López García; Carmen";JUB;consult,file;2027-12-31`,
    ].join('\r\n');
    const file = new File(['\uFEFF' + csv + '\r\n'], 'clientes.csv', { type: 'text/csv' });
    const progress: number[] = [];
    const result = await puente.delegationRequests.createBatch(file, {
      onProgress: (batch) => progress.push(batch.done),
      pollIntervalMs: 1,
      idempotencyKey: 'import-clientes-1',
    });

    expect(result).toMatchObject({
      object: 'delegation_request_batch',
      status: 'completed',
      total: 5,
      done: 5,
      created: 2,
      duplicates: 2,
      failed: 1,
    });
    expect(progress[0]).toBeLessThan(5); // seen part-way, not only at the end
    expect(progress.at(-1)).toBe(5);
    expect(progress).toEqual([...progress].sort((x, y) => x - y));
    expect(result.rows.map((r) => [r.row, r.status])).toEqual([
      [1, 'created'],
      [2, 'created'],
      [3, 'failed'],
      [4, 'duplicate'],
      [5, 'duplicate'],
    ]);
    expect(result.rows[2]!.problem!.errors[0]).toMatchObject({ pointer: '/citizen/id_number', column: 'id_number' });
    expect(result.rows[3]!.delegation_request_id).toBe(existing.id);
    expect(result.rows[4]!.delegation_request_id).toBe(result.rows[0]!.delegation_request_id);
    const created = await puente.delegationRequests.retrieve(result.rows[0]!.delegation_request_id!);
    expect(created.citizen).toMatchObject({ name: 'López García; Carmen' });

    // The same import run again with the same key finds the same batch and creates nothing.
    const again = await puente.delegationRequests.createBatch(file, {
      pollIntervalMs: 1,
      idempotencyKey: 'import-clientes-1',
    });
    expect(again.id).toBe(result.id);
    expect(again.rows).toEqual(result.rows);
    expect(posts).toBe(2);
  });

  it('sends rows as JSON; more rows than one page are all returned', async () => {
    const rows = Array.from({ length: 120 }, (_, i) => ({
      citizen: { id_number: dni(72_000_000 + i), name: `Cliente ${i + 1}` },
      scope: { procedure_types: ['JUB' as const], subjects: [], capacities: ['consult' as const] },
      valid_until: '2027-12-31',
    }));
    const result = await puente.delegationRequests.createBatch(rows as never, { pollIntervalMs: 1 });
    expect(result).toMatchObject({ source: 'json', status: 'completed', total: 120, created: 120, failed: 0 });
    expect(result.rows.map((r) => r.row)).toEqual(rows.map((_, i) => i + 1));
    expect(new Set(result.rows.map((r) => r.delegation_request_id)).size).toBe(120);
  });
});
