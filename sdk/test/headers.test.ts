import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import {
  type ClientOptions,
  ConflictError,
  type DelegationRequestBatch,
  type DelegationRequestBatchRowResult,
  Puente,
  VERSION,
} from '../src';

const BASE = 'http://puente.test';
type Seen = { method: string; url: string; headers: Headers; body: unknown };

/** An injected fetch that answers from a script and records every request. */
function scripted(answer: (request: Seen, n: number) => Response) {
  const seen: Seen[] = [];
  const fetch = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const request = {
      method: init.method ?? 'GET',
      url: String(input),
      headers: new Headers(init.headers),
      body: init.body,
    };
    seen.push(request);
    return answer(request, seen.length);
  }) as typeof globalThis.fetch;
  return { seen, fetch };
}
const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const problem = (status: number, code: string, headers: Record<string, string> = {}) =>
  new Response(
    JSON.stringify({
      type: `https://docs.puente.es/problems/${code}`,
      title: code,
      status,
      detail: code,
      code,
      request_id: 'rid_1',
    }),
    {
      status,
      headers: { 'content-type': 'application/problem+json', ...headers },
    },
  );
const client = (fetch: typeof globalThis.fetch, options: ClientOptions = {}) =>
  new Puente({ apiKey: 'sk_test_abc', baseUrl: BASE, fetch, retryBaseDelayMs: 5, ...options });

describe('headers', () => {
  it('sends Puente-SDK-Version (the package version) and Puente-Retry-Count per attempt', async () => {
    expect(VERSION).toBe(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version);
    const { seen, fetch } = scripted((_, n) => (n < 3 ? problem(503, 'service_unavailable') : json({ id: 'org_1' })));
    await client(fetch).organization.retrieve();
    expect(seen.map((r) => r.headers.get('puente-sdk-version'))).toEqual(Array(3).fill(`typescript/${VERSION}`));
    expect(seen.map((r) => r.headers.get('puente-retry-count'))).toEqual(['0', '1', '2']);
  });

  it.each(['PATCH', 'DELETE', 'POST'])('sends an Idempotency-Key on %s, the same on every attempt', async (method) => {
    const { seen, fetch } = scripted((_, n) =>
      n === 1
        ? problem(502, 'internal')
        : method === 'DELETE'
          ? new Response(null, { status: 204 })
          : json({ id: 'x' }),
    );
    const puente = client(fetch);
    if (method === 'PATCH') await puente.webhookEndpoints.update('whe_1', { enabled: false }, { ifMatch: 'W/"3"' });
    else if (method === 'DELETE') await puente.webhookEndpoints.del('whe_1');
    else await puente.members.create({ name: 'Ana Gil Pérez', id_number: '12345678Z', role: 'agent' } as never);
    expect(seen).toHaveLength(2);
    expect(seen[0]!.method).toBe(method);
    expect(seen[0]!.headers.get('idempotency-key')).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen[1]!.headers.get('idempotency-key')).toBe(seen[0]!.headers.get('idempotency-key'));
  });

  it('sends no Idempotency-Key on GET', async () => {
    const { seen, fetch } = scripted(() => json({ id: 'org_1' }));
    await client(fetch).organization.retrieve();
    expect(seen[0]!.headers.has('idempotency-key')).toBe(false);
  });
});

describe('Puente-Should-Retry', () => {
  it('false stops retries of an answer that would otherwise be retried', async () => {
    const { seen, fetch } = scripted(() => problem(503, 'service_unavailable', { 'puente-should-retry': 'false' }));
    await expect(client(fetch).organization.retrieve()).rejects.toMatchObject({ status: 503 });
    expect(seen).toHaveLength(1);
  });

  it('false on idempotency_in_flight: the write is not resent blindly', async () => {
    const { seen, fetch } = scripted(() =>
      problem(409, 'idempotency_in_flight', { 'puente-should-retry': 'false', 'retry-after': '1' }),
    );
    await expect(client(fetch).members.create({} as never)).rejects.toBeInstanceOf(ConflictError);
    expect(seen).toHaveLength(1);
  });

  it('true forces a retry of an answer that is not retried by default, within maxRetries', async () => {
    const { seen, fetch } = scripted((_, n) =>
      n < 2 ? problem(409, 'conflict', { 'puente-should-retry': 'true' }) : json({ id: 'org_1' }),
    );
    await expect(client(fetch).organization.retrieve()).resolves.toMatchObject({ id: 'org_1' });
    expect(seen).toHaveLength(2);

    const always = scripted(() => problem(409, 'conflict', { 'puente-should-retry': 'true' }));
    await expect(client(always.fetch, { maxRetries: 1 }).organization.retrieve()).rejects.toBeInstanceOf(ConflictError);
    expect(always.seen).toHaveLength(2);
  });
});

describe('page helpers', () => {
  const lister = () =>
    scripted((request) => {
      const cursor = new URL(request.url).searchParams.get('cursor');
      const page = cursor === null ? 0 : Number(cursor.slice(4));
      return json({
        data: [{ id: `mem_${page}a` }, { id: `mem_${page}b` }],
        has_more: page < 2,
        next_cursor: page < 2 ? `cur_${page + 1}` : null,
      });
    });

  it('.pages() yields each page in turn', async () => {
    const { seen, fetch } = lister();
    const pages = [];
    for await (const page of client(fetch).members.list({ limit: 2 }).pages()) pages.push(page.data.map((m) => m.id));
    expect(pages).toEqual([
      ['mem_0a', 'mem_0b'],
      ['mem_1a', 'mem_1b'],
      ['mem_2a', 'mem_2b'],
    ]);
    expect(seen.map((r) => new URL(r.url).searchParams.get('cursor'))).toEqual([null, 'cur_1', 'cur_2']);
  });

  it('.toArray({ limit }) stops at the limit without asking for further pages', async () => {
    const { seen, fetch } = lister();
    expect((await client(fetch).members.list({ limit: 2 }).toArray({ limit: 3 })).map((m) => m.id)).toEqual([
      'mem_0a',
      'mem_0b',
      'mem_1a',
    ]);
    expect(seen).toHaveLength(2);
    const all = lister();
    expect(await client(all.fetch).members.list().toArray({ limit: 100 })).toHaveLength(6);
    await expect(client(all.fetch).members.list().toArray({ limit: -1 })).rejects.toBeInstanceOf(RangeError);
  });
});

describe('delegationRequests.createBatch', () => {
  const ID = 'dlb_4Rt6Yu8Io0Pa2Sd4Fg6Hj8';
  const batch = (done: number, status: 'processing' | 'completed'): DelegationRequestBatch => ({
    id: ID,
    object: 'delegation_request_batch',
    livemode: false,
    source: 'csv',
    status,
    total: 3,
    done,
    created: Math.min(done, 1),
    duplicates: done >= 2 ? 1 : 0,
    failed: done === 3 ? 1 : 0,
    rows_url: `/v1/delegation-requests/batches/${ID}/rows`,
    created_by: 'mem_8Fq2LwP0sZ4nR7tY1xB5cV',
    created_at: '2026-03-02T09:00:00.000Z',
    completed_at: status === 'completed' ? '2026-03-02T09:00:02.000Z' : null,
  });
  const row = (
    n: number,
    status: DelegationRequestBatchRowResult['status'],
    extra: Partial<DelegationRequestBatchRowResult> = {},
  ): DelegationRequestBatchRowResult => ({
    object: 'delegation_request_batch_row',
    row: n,
    line: n + 1,
    status,
    delegation_request_id: null,
    problem: null,
    processed_at: '2026-03-02T09:00:01.000Z',
    ...extra,
  });
  const rows = [
    row(1, 'created', { delegation_request_id: 'dlr_1' }),
    row(2, 'duplicate', { delegation_request_id: 'dlr_0' }),
    row(3, 'failed', {
      problem: {
        code: 'validation_failed',
        detail: 'Invalid',
        errors: [{ pointer: '/citizen/id_number', column: 'id_number', detail: 'Bad letter' }],
      },
    }),
  ];
  // The rows list in pages of two, following the cursor.
  const rowsPage = (url: URL) =>
    url.searchParams.get('cursor') === 'c2'
      ? json({ data: rows.slice(2), has_more: false, next_cursor: null })
      : json({ data: rows.slice(0, 2), has_more: true, next_cursor: 'c2' });

  it('uploads a CSV as multipart, polls until completed, reports progress, then reads every row', async () => {
    let polls = 0;
    const { seen, fetch } = scripted((request) => {
      const url = new URL(request.url);
      if (request.method === 'POST') return json(batch(0, 'processing'), 202);
      if (url.pathname.endsWith('/rows')) return rowsPage(url);
      polls++;
      return json(polls < 3 ? batch(polls, 'processing') : batch(3, 'completed'));
    });
    const progress: number[] = [];
    const csv = new File(['\uFEFFdni;nombre\n12345678Z;"López García, Carmen"\n'], 'clientes.csv', {
      type: 'text/csv',
    });
    const result = await client(fetch).delegationRequests.createBatch(csv, {
      onProgress: (b) => progress.push(b.done),
      pollIntervalMs: 5,
    });
    expect(result.rows).toEqual(rows);
    expect(result).toMatchObject({ status: 'completed', total: 3, created: 1, failed: 1, duplicates: 1 });
    expect(progress).toEqual([0, 1, 2, 3]);
    expect(seen[0]!.url).toBe(`${BASE}/v1/delegation-requests/batches`);
    const file = (seen[0]!.body as FormData).get('file') as File;
    expect(file.name).toBe('clientes.csv');
    expect(await file.text()).toContain('López García, Carmen');
    expect(seen[0]!.headers.get('idempotency-key')).toBeTruthy();
    expect(seen.slice(1).map((r) => `${r.method} ${r.url}`)).toEqual([
      ...Array(3).fill(`GET ${BASE}/v1/delegation-requests/batches/${ID}`),
      `GET ${BASE}/v1/delegation-requests/batches/${ID}/rows?limit=100`,
      `GET ${BASE}/v1/delegation-requests/batches/${ID}/rows?limit=100&cursor=c2`,
    ]);
    expect(seen.slice(1).every((r) => !r.headers.has('idempotency-key'))).toBe(true);
  });

  it('sends rows as JSON with the caller’s key, and reads the rows of a batch that completed at once', async () => {
    const { seen, fetch } = scripted((request) =>
      request.method === 'POST' ? json(batch(3, 'completed'), 202) : rowsPage(new URL(request.url)),
    );
    const input = [
      {
        citizen: { id_number: '12345678Z', name: 'Carmen López García' },
        scope: { procedure_types: ['JUB'], subjects: [], capacities: ['consult'] },
        valid_until: '2027-12-31',
      },
    ];
    const result = await client(fetch).delegationRequests.createBatch(input as never, {
      idempotencyKey: 'import-2026-03-02',
    });
    expect(result.rows).toHaveLength(3);
    expect(JSON.parse(seen[0]!.body as string)).toEqual({ rows: input });
    expect(seen[0]!.headers.get('content-type')).toBe('application/json');
    expect(seen[0]!.headers.get('idempotency-key')).toBe('import-2026-03-02');
    expect(seen.map((r) => r.method)).toEqual(['POST', 'GET', 'GET']);
  });

  it('stops polling when the signal aborts', async () => {
    const { fetch } = scripted(() => json(batch(0, 'processing'), 202));
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('stop')), 30);
    await expect(
      client(fetch).delegationRequests.createBatch(new Blob(['a']), { signal: controller.signal, pollIntervalMs: 10 }),
    ).rejects.toThrow('stop');
  });
});
