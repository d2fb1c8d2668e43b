import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import {
  APIError,
  AuthenticationError,
  BadRequestError,
  type ClientOptions,
  ConflictError,
  ConnectionError,
  DelegationInactiveError,
  etagOf,
  InternalServerError,
  NotFoundError,
  PayloadTooLargeError,
  PermissionDeniedError,
  PreconditionFailedError,
  Puente,
  RateLimitError,
  TimeoutError,
  UnprocessableEntityError,
  UnsupportedMediaTypeError,
} from '../src';

const BASE = 'http://puente.test';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

// Tiny backoff so retries are fast; the public default stays 500 ms → 8 s.
const client = (options: ClientOptions = {}) =>
  new Puente({ apiKey: 'sk_test_abc', baseUrl: BASE, retryBaseDelayMs: 20, ...options });
const problem = (
  status: number,
  code: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) =>
  HttpResponse.json(
    {
      type: `https://docs.puente.es/problems/${code}`,
      title: code,
      status,
      detail: `${code} detail`,
      code,
      request_id: 'rid_body',
      ...extra,
    },
    { status, headers: { 'content-type': 'application/problem+json', 'request-id': 'rid_header', ...headers } },
  );
const member = { name: 'Ana Gil Pérez', id_number: '12345678Z', role: 'agent' } as const;
const slow = (ms: number) => async () => (
  await new Promise((r) => setTimeout(r, ms)),
  HttpResponse.json({ id: 'org_1' })
);

describe('requests', () => {
  it('sends the key, JSON, query params and URL-encoded path params', async () => {
    let seen: Request | undefined;
    server.use(http.get(`${BASE}/v1/members/*`, ({ request }) => ((seen = request), HttpResponse.json({ id: 'x' }))));
    await client({ defaultHeaders: { 'x-team': 'a' } }).members.retrieve('mem/1 ?', { headers: { 'x-trace': 't' } });
    expect(seen!.url).toBe(`${BASE}/v1/members/mem%2F1%20%3F`);
    expect(seen!.headers.get('authorization')).toBe('Bearer sk_test_abc');
    expect(seen!.headers.get('x-team')).toBe('a');
    expect(seen!.headers.get('x-trace')).toBe('t');
    expect(seen!.headers.get('idempotency-key')).toBeNull();

    server.use(http.get(`${BASE}/v1/calendar/deadline`, ({ request }) => HttpResponse.json({ url: request.url })));
    const result = (await client().calendar.computeDeadline({ from: '2026-03-02', business_days: 10 })) as unknown as {
      url: string;
    };
    expect(new URL(result.url).search).toBe('?from=2026-03-02&business_days=10');
  });

  it('refuses an empty path parameter instead of calling another route', () => {
    expect(() => client().members.retrieve('')).toThrow(TypeError);
  });

  it('returns binary responses as the Response', async () => {
    server.use(
      http.get(
        `${BASE}/v1/procedures/prc_1/receipt`,
        () => new HttpResponse('%PDF-1.4', { headers: { 'content-type': 'application/pdf' } }),
      ),
    );
    const receipt = await client().procedures.receipt('prc_1');
    expect(await receipt.text()).toBe('%PDF-1.4');
  });

  it('sends multipart bodies with the file name', async () => {
    let form: FormData | undefined;
    server.use(
      http.post(
        `${BASE}/v1/procedures/prc_1/documents`,
        async ({ request }) => ((form = await request.formData()), HttpResponse.json({ id: 'doc_1' }, { status: 201 })),
      ),
    );
    await client().procedures.documents.upload('prc_1', {
      kind: 'DNI_NIE',
      file: new File(['%PDF-1.4'], 'dni.pdf', { type: 'application/pdf' }),
    });
    expect(form!.get('kind')).toBe('DNI_NIE');
    expect((form!.get('file') as File).name).toBe('dni.pdf');
  });
});

describe('operations that take several body types', () => {
  // `delegationRequests.batches.create` takes multipart/form-data (a `file`), text/csv and JSON `{ rows }`.
  const batch = { id: 'dlb_1', object: 'delegation_request_batch' };
  const capture = () => {
    const seen: { contentType: string | null; body?: string; form?: FormData } = { contentType: null };
    server.use(
      http.post(`${BASE}/v1/delegation-requests/batches`, async ({ request }) => {
        seen.contentType = request.headers.get('content-type');
        if (seen.contentType?.startsWith('multipart/form-data')) seen.form = await request.formData();
        else seen.body = await request.text();
        return HttpResponse.json(batch, { status: 202 });
      }),
    );
    return seen;
  };
  const row = {
    citizen: { id_number: '12345678Z', name: 'Carmen López García' },
    scope: { procedure_types: ['JUB' as const], subjects: [], capacities: ['consult' as const] },
    valid_until: '2027-12-31',
  };

  it('sends an object without a file as JSON', async () => {
    const seen = capture();
    expect(await client().delegationRequests.batches.create({ rows: [row] })).toEqual(batch);
    expect(seen.contentType).toBe('application/json');
    expect(JSON.parse(seen.body!)).toEqual({ rows: [row] });
  });

  it('sends a string as the text type the operation declares, byte for byte', async () => {
    const seen = capture();
    const csv =
      'id_number;name;procedure_types;capacities;valid_until\r\n12345678Z;Núñez, Óscar;JUB;consult;2027-12-31\r\n';
    await client().delegationRequests.batches.create(csv);
    expect(seen.contentType).toBe('text/csv; charset=utf-8');
    expect(seen.body).toBe(csv);
  });

  it('sends an object carrying a file as multipart/form-data', async () => {
    const seen = capture();
    await client().delegationRequests.batches.create({
      file: new File(['id_number,capacities,valid_until\n'], 'clientes.csv', { type: 'text/csv' }),
    });
    expect(seen.contentType).toMatch(/^multipart\/form-data; boundary=/);
    const file = seen.form!.get('file') as File;
    expect(file.name).toBe('clientes.csv');
    expect(await file.text()).toBe('id_number,capacities,valid_until\n');
  });

  it('keeps an operation that takes only multipart on multipart, and one that takes only JSON on JSON', async () => {
    let uploadType: string | null = null;
    let memberType: string | null = null;
    server.use(
      http.post(`${BASE}/v1/procedures/prc_1/documents`, ({ request }) => {
        uploadType = request.headers.get('content-type');
        return HttpResponse.json({ id: 'doc_1' }, { status: 201 });
      }),
      http.post(`${BASE}/v1/members`, ({ request }) => {
        memberType = request.headers.get('content-type');
        return HttpResponse.json({ id: 'mem_1' }, { status: 201 });
      }),
    );
    // Without its file the upload is still multipart (the API names the missing part).
    await client().procedures.documents.upload('prc_1', { kind: 'DNI_NIE' } as never);
    await client().members.create(member);
    expect(uploadType).toMatch(/^multipart\/form-data; boundary=/);
    expect(memberType).toBe('application/json');
  });
});

describe('retries', () => {
  it('retries 503 with growing backoff, with one Idempotency-Key for every attempt', async () => {
    const attempts: Array<{ key: string | null; at: number }> = [];
    server.use(
      http.post(`${BASE}/v1/members`, ({ request }) => {
        attempts.push({ key: request.headers.get('idempotency-key'), at: Date.now() });
        return attempts.length < 3
          ? problem(503, 'service_unavailable')
          : HttpResponse.json({ id: 'mem_1' }, { status: 201 });
      }),
    );
    const created = await client({ retryBaseDelayMs: 40 }).members.create(member);
    expect(created.id).toBe('mem_1');
    expect(attempts).toHaveLength(3);
    expect(new Set(attempts.map((a) => a.key)).size).toBe(1);
    expect(attempts[0]!.key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // 40 ms then 80 ms, each jittered down by at most 25%.
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(28);
    expect(attempts[2]!.at - attempts[1]!.at).toBeGreaterThanOrEqual(58);
  });

  it('uses a new key for each call, and the caller’s key when given', async () => {
    const keys: Array<string | null> = [];
    server.use(
      http.post(
        `${BASE}/v1/members`,
        ({ request }) => (
          keys.push(request.headers.get('idempotency-key')),
          HttpResponse.json({ id: 'm' }, { status: 201 })
        ),
      ),
    );
    const puente = client();
    await puente.members.create(member);
    await puente.members.create(member);
    await puente.members.create(member, { idempotencyKey: 'import-2026-03-02-row-17' });
    expect(keys[0]).not.toBe(keys[1]);
    expect(keys[2]).toBe('import-2026-03-02-row-17');
  });

  it('retries connection errors, then throws ConnectionError', async () => {
    let n = 0;
    server.use(http.get(`${BASE}/v1/organization`, () => (n++, HttpResponse.error())));
    await expect(client().organization.retrieve()).rejects.toBeInstanceOf(ConnectionError);
    expect(n).toBe(3);

    n = 0;
    server.use(
      http.get(`${BASE}/v1/organization`, () =>
        ++n === 1 ? HttpResponse.error() : HttpResponse.json({ id: 'org_1' }),
      ),
    );
    await expect(client().organization.retrieve()).resolves.toMatchObject({ id: 'org_1' });
  });

  it('retries 408 and 429, honouring Retry-After in seconds', async () => {
    const times: number[] = [];
    server.use(
      http.get(`${BASE}/v1/organization`, () => {
        times.push(Date.now());
        if (times.length === 1) return problem(408, 'timeout');
        if (times.length === 2) return problem(429, 'rate_limited', {}, { 'retry-after': '1' });
        return HttpResponse.json({ id: 'org_1' });
      }),
    );
    await client().organization.retrieve();
    expect(times).toHaveLength(3);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(950);
  });

  it('honours Retry-After as an HTTP date, and ignores hints over a minute', async () => {
    /** The time between a 503 with this Retry-After and the retry that gets an answer. */
    const waitedAfter = async (retryAfter: string) => {
      const times: number[] = [];
      server.use(
        http.get(
          `${BASE}/v1/organization`,
          () => (
            times.push(Date.now()),
            times.length === 1
              ? problem(503, 'service_unavailable', {}, { 'retry-after': retryAfter })
              : HttpResponse.json({})
          ),
        ),
      );
      await client().organization.retrieve();
      expect(times).toHaveLength(2);
      return times[1]! - times[0]!;
    };
    // Whole seconds: 1–2 s from now.
    expect(await waitedAfter(new Date(Date.now() + 2000).toUTCString())).toBeGreaterThanOrEqual(900);
    expect(await waitedAfter('3600')).toBeLessThan(500);
  });

  it.each([400, 401, 403, 404, 409, 412, 422])('does not retry %i', async (status) => {
    let n = 0;
    server.use(http.post(`${BASE}/v1/members`, () => (n++, problem(status, 'whatever'))));
    await expect(client().members.create(member)).rejects.toBeInstanceOf(APIError);
    expect(n).toBe(1);
  });

  it('gives up after maxRetries with the last error', async () => {
    let n = 0;
    server.use(http.get(`${BASE}/v1/organization`, () => (n++, problem(500, 'internal'))));
    await expect(client({ maxRetries: 1 }).organization.retrieve()).rejects.toBeInstanceOf(InternalServerError);
    expect(n).toBe(2);
    n = 0;
    await expect(client().organization.retrieve({ maxRetries: 0 })).rejects.toBeInstanceOf(InternalServerError);
    expect(n).toBe(1);
  });
});

describe('timeouts and cancellation', () => {
  it('throws TimeoutError when every attempt is too slow', async () => {
    let n = 0;
    server.use(http.get(`${BASE}/v1/organization`, async () => (n++, slow(300)())));
    const error = await client({ timeout: 30 })
      .organization.retrieve()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(n).toBe(3);
    await expect(client({ maxRetries: 0 }).organization.retrieve({ timeout: 30 })).rejects.toBeInstanceOf(TimeoutError);
  });

  it('rethrows the caller’s abort as is, without retrying', async () => {
    let n = 0;
    server.use(http.get(`${BASE}/v1/organization`, async () => (n++, slow(300)())));
    const controller = new AbortController();
    const reason = new Error('user cancelled');
    setTimeout(() => controller.abort(reason), 30);
    await expect(client().organization.retrieve({ signal: controller.signal })).rejects.toBe(reason);
    expect(n).toBe(1);
  });

  it('sends nothing when the signal is already aborted, and stops during a backoff', async () => {
    let n = 0;
    server.use(
      http.get(`${BASE}/v1/organization`, () => (n++, problem(503, 'service_unavailable', {}, { 'retry-after': '5' }))),
    );
    await expect(client().organization.retrieve({ signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(n).toBe(0);
    const started = Date.now();
    const controller = new AbortController();
    setTimeout(() => controller.abort('navigated away'), 100);
    await expect(client().organization.retrieve({ signal: controller.signal })).rejects.toBe('navigated away');
    expect(n).toBe(1);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('errors', () => {
  it('carry status, code, request id, headers and the problem with its pointers', async () => {
    const errors = [{ pointer: '/id_number', in: 'body', detail: 'The check letter should be Z for 12345678.' }];
    server.use(http.post(`${BASE}/v1/members`, () => problem(400, 'validation_failed', { errors })));
    const error = await client()
      .members.create(member)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({
      status: 400,
      code: 'validation_failed',
      requestId: 'rid_header',
      name: 'BadRequestError',
    });
    expect((error as BadRequestError).problem?.errors).toEqual(errors);
    expect((error as BadRequestError).headers.get('content-type')).toBe('application/problem+json');
    expect((error as BadRequestError).message).toContain('validation_failed');
  });

  it.each([
    [400, BadRequestError],
    [401, AuthenticationError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [409, ConflictError],
    [412, PreconditionFailedError],
    [413, PayloadTooLargeError],
    [415, UnsupportedMediaTypeError],
    [422, UnprocessableEntityError],
    [429, RateLimitError],
    [500, InternalServerError],
    [503, InternalServerError],
  ] as const)('map %i to its class', async (status, ErrorClass) => {
    server.use(http.get(`${BASE}/v1/organization`, () => problem(status, 'some_code')));
    await expect(client({ maxRetries: 0 }).organization.retrieve()).rejects.toBeInstanceOf(ErrorClass);
  });

  it('map delegation_inactive to DelegationInactiveError, a PermissionDeniedError', async () => {
    server.use(http.get(`${BASE}/v1/delegations/dlg_1`, () => problem(403, 'delegation_inactive')));
    const error = await client()
      .delegations.retrieve('dlg_1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DelegationInactiveError);
    expect(error).toBeInstanceOf(PermissionDeniedError);
  });

  it('take the request id from the body when the header is missing, and survive non-problem bodies', async () => {
    server.use(
      http.get(`${BASE}/v1/organization`, () =>
        HttpResponse.json(
          { type: 'about:blank', title: 't', status: 404, detail: 'd', code: 'not_found', request_id: 'rid_body' },
          { status: 404 },
        ),
      ),
    );
    await expect(client().organization.retrieve()).rejects.toMatchObject({ requestId: 'rid_body', code: 'not_found' });
    server.use(
      http.get(
        `${BASE}/v1/organization`,
        () => new HttpResponse('<html>Bad gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } }),
      ),
    );
    await expect(client({ maxRetries: 0 }).organization.retrieve()).rejects.toMatchObject({
      status: 502,
      code: 'unknown',
      problem: undefined,
    });
  });
});

describe('optimistic concurrency', () => {
  const hook = { id: 'whe_1', url: 'https://gestoria.example/hooks', description: null };
  const etag = (version: number) => `"whe_1.v${version}"`;

  it('keeps the ETag of a resource, out of its JSON, and sends it as If-Match when given the resource', async () => {
    let version = 1;
    const ifMatch: Array<string | null> = [];
    server.use(
      http.get(`${BASE}/v1/webhook-endpoints/whe_1`, () =>
        HttpResponse.json(hook, { headers: { etag: etag(version) } }),
      ),
      http.patch(`${BASE}/v1/webhook-endpoints/whe_1`, ({ request }) => {
        ifMatch.push(request.headers.get('if-match'));
        if (request.headers.get('if-match') !== etag(version))
          return problem(412, 'precondition_failed', { current_etag: etag(version) });
        version++;
        return HttpResponse.json({ ...hook, description: 'nueva' }, { headers: { etag: etag(version) } });
      }),
    );
    const puente = client();
    const read = await puente.webhookEndpoints.retrieve('whe_1');
    expect(etagOf(read)).toBe(etag(1));
    expect(JSON.parse(JSON.stringify(read))).toEqual(hook);
    expect(Object.keys(read)).toEqual(Object.keys(hook));

    const updated = await puente.webhookEndpoints.update('whe_1', { description: 'nueva' }, { ifMatch: read });
    expect(etagOf(updated)).toBe(etag(2));

    // A change based on the first read, after the one above: refused, naming the version now current.
    const error = await puente.webhookEndpoints
      .update('whe_1', { description: 'otra' }, { ifMatch: read })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PreconditionFailedError);
    expect((error as PreconditionFailedError).currentEtag).toBe(etag(2));
    // An ETag string goes as it is.
    await puente.webhookEndpoints.update('whe_1', { description: 'otra' }, { ifMatch: etag(2) });
    expect(ifMatch).toEqual([etag(1), etag(1), etag(2)]);
  });

  it('refuses, sending nothing, a resource that carries no ETag (a list item, a copy)', async () => {
    let sent = 0;
    server.use(
      http.get(`${BASE}/v1/webhook-endpoints/whe_1`, () => HttpResponse.json(hook, { headers: { etag: etag(1) } })),
      http.patch(`${BASE}/v1/webhook-endpoints/whe_1`, () => (sent++, HttpResponse.json(hook))),
    );
    const read = await client().webhookEndpoints.retrieve('whe_1');
    for (const resource of [{ ...read }, hook])
      await expect(
        client().webhookEndpoints.update('whe_1', { description: 'x' }, { ifMatch: resource }),
      ).rejects.toBeInstanceOf(TypeError);
    expect(sent).toBe(0);
  });

  it('refuses, sending nothing, an ifMatch given without an ETag: etagOf of a list item, null or empty', async () => {
    let sent = 0;
    server.use(
      http.get(`${BASE}/v1/webhook-endpoints`, () =>
        HttpResponse.json({ data: [hook], has_more: false, next_cursor: null }),
      ),
      http.patch(`${BASE}/v1/webhook-endpoints/whe_1`, () => (sent++, HttpResponse.json(hook))),
      http.post(
        `${BASE}/v1/delegations/dlg_1/consent-tokens`,
        () => (sent++, HttpResponse.json({ token: 'ct_1', expires_at: new Date(Date.now() + 600_000).toISOString() })),
      ),
      http.patch(`${BASE}/v1/procedures/prc_1`, () => (sent++, HttpResponse.json({ id: 'prc_1' }))),
    );
    const puente = client();
    const [item] = (await puente.webhookEndpoints.list()).data;
    expect(etagOf(item!)).toBeUndefined();
    for (const ifMatch of [etagOf(item!), null as unknown as string, '', ' ']) {
      const error = await puente.webhookEndpoints
        .update('whe_1', { description: 'x' }, { ifMatch })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TypeError);
      expect((error as TypeError).message).toMatch(/retrieve.*a list item .*carries none/);
      // A consented write refuses it before minting its consent token.
      await expect(
        puente.forClient('dlg_1').procedures.update('prc_1', { form: {} }, { ifMatch }),
      ).rejects.toBeInstanceOf(TypeError);
    }
    expect(sent).toBe(0);
  });

  it('sends no If-Match when ifMatch is left out', async () => {
    const ifMatch: Array<string | null> = [];
    server.use(
      http.patch(
        `${BASE}/v1/webhook-endpoints/whe_1`,
        ({ request }) => (ifMatch.push(request.headers.get('if-match')), HttpResponse.json(hook)),
      ),
    );
    await client().webhookEndpoints.update('whe_1', { description: 'x' });
    await client().webhookEndpoints.update('whe_1', { description: 'x' }, { timeout: 5_000 });
    expect(ifMatch).toEqual([null, null]);
  });
});

describe('pagination', () => {
  const pages = () => {
    const cursors: Array<string | null> = [];
    server.use(
      http.get(`${BASE}/v1/members`, ({ request }) => {
        const cursor = new URL(request.url).searchParams.get('cursor');
        cursors.push(cursor);
        const page = cursor === null ? 0 : Number(cursor.replace('cur_', ''));
        return HttpResponse.json({
          data: [{ id: `mem_${page}a` }, { id: `mem_${page}b` }],
          has_more: page < 2,
          next_cursor: page < 2 ? `cur_${page + 1}` : null,
        });
      }),
    );
    return cursors;
  };

  it('walks all three pages with for await, following next_cursor', async () => {
    const cursors = pages();
    const ids: string[] = [];
    for await (const m of client().members.list({ limit: 2, status: 'active' })) ids.push(m.id);
    expect(ids).toEqual(['mem_0a', 'mem_0b', 'mem_1a', 'mem_1b', 'mem_2a', 'mem_2b']);
    expect(cursors).toEqual([null, 'cur_1', 'cur_2']);
  });

  it('awaited, gives the first page only, once', async () => {
    const cursors = pages();
    const list = client().members.list();
    const first = await list;
    expect(first).toMatchObject({ has_more: true, next_cursor: 'cur_1' });
    expect(first.data).toHaveLength(2);
    await list;
    expect(cursors).toEqual([null]);
  });

  it('pages through the event feed, whose last page keeps its cursor for polling', async () => {
    const cursors: Array<string | null> = [];
    server.use(
      http.get(`${BASE}/v1/events`, ({ request }) => {
        const url = new URL(request.url);
        const cursor = url.searchParams.get('cursor');
        cursors.push(cursor);
        const page = cursor === null ? 0 : Number(cursor.replace('cur_', ''));
        const event = (n: number) => ({ id: `evt_${n}`, object: 'event', type: 'procedure.submitted', data: {} });
        // The feed's next_cursor is never null once it holds events: has_more alone says there is more.
        return HttpResponse.json({
          data: [event(page * 2), event(page * 2 + 1)],
          has_more: page < 2,
          next_cursor: `cur_${page + 1}`,
        });
      }),
    );
    const ids: string[] = [];
    for await (const e of client().events.list({ type: 'procedure.*' })) ids.push(e.id);
    expect(ids).toEqual(['evt_0', 'evt_1', 'evt_2', 'evt_3', 'evt_4', 'evt_5']);
    expect(cursors).toEqual([null, 'cur_1', 'cur_2']);

    cursors.length = 0;
    const some = await client().events.list().toArray({ limit: 3 });
    expect(some.map((e) => e.id)).toEqual(['evt_0', 'evt_1', 'evt_2']);
    expect(cursors).toEqual([null, 'cur_1']);
    expect(await client().events.list().toArray({ limit: 500 })).toHaveLength(6);
  });
});

describe('forClient', () => {
  it('mints one consent token and sends it only on operations that need one', async () => {
    let minted = 0;
    const consent: Array<string | null> = [];
    server.use(
      http.post(`${BASE}/v1/delegations/dlg_1/consent-tokens`, () =>
        HttpResponse.json(
          { token: `ct_${++minted}`, expires_at: new Date(Date.now() + 600_000).toISOString() },
          { status: 201 },
        ),
      ),
      http.get(
        `${BASE}/v1/procedures/prc_1`,
        ({ request }) => (consent.push(request.headers.get('puente-consent')), HttpResponse.json({ id: 'prc_1' })),
      ),
      http.get(
        `${BASE}/v1/organization`,
        ({ request }) => (consent.push(request.headers.get('puente-consent')), HttpResponse.json({ id: 'org_1' })),
      ),
    );
    const carmen = client().forClient('dlg_1');
    await carmen.procedures.retrieve('prc_1');
    await carmen.procedures.retrieve('prc_1');
    await carmen.organization.retrieve();
    expect(consent).toEqual(['ct_1', 'ct_1', null]);
    expect(minted).toBe(1);

    server.use(http.get(`${BASE}/v1/procedures/prc_1`, () => problem(403, 'delegation_inactive')));
    await expect(carmen.procedures.retrieve('prc_1')).rejects.toBeInstanceOf(DelegationInactiveError);
    await expect(carmen.procedures.retrieve('prc_1')).rejects.toBeInstanceOf(DelegationInactiveError);
    expect(minted).toBe(2);
  });
});
