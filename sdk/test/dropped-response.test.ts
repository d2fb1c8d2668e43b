import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestApp, type ServedApp, serveTestApp, type TestApp } from '../../test/support/app';
import { FORMS } from '../../test/support/forms';
import { ConnectionError, PreconditionFailedError } from '../src';
import { registeredClient, sandboxDelegation } from './sandbox';

// The real app on a real socket; the fetch below performs each request for real and, for the
// first PATCH, throws after the server has answered, as when a connection drops on the way back.
let t: TestApp;
let server: ServedApp | undefined;
let base: string;
beforeAll(async () => {
  t = await createTestApp();
  server = await serveTestApp(t);
  base = server.url;
});
afterAll(async () => {
  await server?.close();
  await t.close();
});

function droppingFirstAnswer(method: string) {
  const sent: Array<{ key: string | null; retryCount: string | null; status: number; replayed: string | null }> = [];
  let dropped = false;
  const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const response = await fetch(input, init);
    if (init?.method !== method) return response;
    const headers = new Headers(init.headers);
    const body = await response.arrayBuffer(); // the server has finished and answered
    sent.push({
      key: headers.get('idempotency-key'),
      retryCount: headers.get('puente-retry-count'),
      status: response.status,
      replayed: response.headers.get('idempotent-replayed'),
    });
    if (!dropped) {
      dropped = true;
      throw new TypeError('fetch failed', { cause: new Error('socket hang up') });
    }
    return new Response(body, { status: response.status, headers: response.headers });
  }) as typeof fetch;
  return { sent, fetcher };
}

async function draftProcedure(options: { fetch: typeof fetch }) {
  const puente = await registeredClient({ baseUrl: base, retryBaseDelayMs: 10, ...options });
  const { client } = await sandboxDelegation(puente);
  const draft = await client.procedures.create({ type: 'JUB', form: FORMS.JUB as never });
  const [row] = await t.sql<Array<{ version: number }>>`select version from procedures where id = ${draft.id}`;
  return { client, draft, version: row!.version };
}

describe('a write whose answer is lost', () => {
  it('PATCH with If-Match: retried with the same Idempotency-Key, applied once, answered with the first outcome', async () => {
    const { sent, fetcher } = droppingFirstAnswer('PATCH');
    const { client, draft, version } = await draftProcedure({ fetch: fetcher });
    const form = { ...FORMS.JUB, requested_start_date: '2026-07-01' };

    const updated = await client.procedures.update(
      draft.id,
      { form: form as never },
      { ifMatch: `"${draft.id}.v${version}"` },
    );
    expect(updated.id).toBe(draft.id);
    expect((updated.form as { requested_start_date?: string }).requested_start_date).toBe('2026-07-01');
    expect(sent).toHaveLength(2);
    expect(sent[0]).toMatchObject({ status: 200, retryCount: '0', replayed: null });
    expect(sent[1]).toMatchObject({ status: 200, retryCount: '1', replayed: 'true' });
    expect(sent[1]!.key).toBe(sent[0]!.key);

    // Exactly one change: one version step, one stored idempotent response.
    const [row] = await t.sql<Array<{ version: number }>>`select version from procedures where id = ${draft.id}`;
    expect(row!.version).toBe(version + 1);
    const keys = await t.sql`select 1 from idempotency_keys where key = ${sent[0]!.key}`;
    expect(keys).toHaveLength(1);
  });

  it('without the key the retry would have failed its If-Match (what the key prevents)', async () => {
    const { sent, fetcher } = droppingFirstAnswer('PATCH');
    const { client, draft, version } = await draftProcedure({ fetch: fetcher });
    const ifMatch = `"${draft.id}.v${version}"`;
    const form = { ...FORMS.JUB, requested_start_date: '2026-07-01' };
    const call = (key: string) =>
      client.procedures.update(
        draft.id,
        { form: form as never },
        { ifMatch, maxRetries: 0, headers: { 'idempotency-key': key } },
      );
    await expect(call('first')).rejects.toBeInstanceOf(ConnectionError);
    await expect(call('second')).rejects.toBeInstanceOf(PreconditionFailedError);
    expect(sent.map((s) => s.status)).toEqual([200, 412]);
  });
});
