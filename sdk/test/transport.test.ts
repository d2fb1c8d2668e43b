import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { AuthenticationError, BadRequestError, ConnectionError, DelegationInactiveError, InternalServerError, NotFoundError, Puente, RateLimitError, TimeoutError } from '../src';

const BASE = 'http://puente.test';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const client = (options: Record<string, unknown> = {}) => new Puente({ apiKey: 'sk_test_abc', baseUrl: BASE, retryBaseDelayMs: 5, ...options });
const problem = (status: number, code: string, extra: Record<string, unknown> = {}) =>
  HttpResponse.json({ type: `https://docs.puente.es/problems/${code}`, title: code, status, detail: `${code} detail`, code, request_id: 'rid_test', ...extra }, {
    status,
    headers: { 'content-type': 'application/problem+json', 'request-id': 'rid_test' },
  });

describe('retries', () => {
  it('retries 5xx and succeeds, sending the same Idempotency-Key each time', async () => {
    const keys: string[] = [];
    let n = 0;
    server.use(
      http.post(`${BASE}/v1/members`, ({ request }) => {
        keys.push(request.headers.get('idempotency-key')!);
        return ++n < 3 ? problem(503, 'service_unavailable') : HttpResponse.json({ id: 'mem_1' }, { status: 201 });
      }),
    );
    const member = await client().members.create({ name: 'Ana Gil', id_number: '12345678Z', role: 'agent' });
    expect(member.id).toBe('mem_1');
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('uses a new key for a new call and honours an explicit one', async () => {
    const keys: string[] = [];
    server.use(http.post(`${BASE}/v1/members`, ({ request }) => (keys.push(request.headers.get('idempotency-key')!), HttpResponse.json({ id: 'm' }, { status: 201 }))));
    const c = client();
    await c.members.create({ name: 'Ana Gil', id_number: '12345678Z', role: 'agent' });
    await c.members.create({ name: 'Ana Gil', id_number: '12345678Z', role: 'agent' });
    await c.members.create({ name: 'Ana Gil', id_number: '12345678Z', role: 'agent' }, { idempotencyKey: 'mine-1' });
    expect(keys[0]).not.toBe(keys[1]);
    expect(keys[2]).toBe('mine-1');
  });

  it('honours Retry-After on 429', async () => {
    let n = 0;
    const times: number[] = [];
    server.use(
      http.get(`${BASE}/v1/organization`, () => {
        times.push(Date.now());
        return ++n === 1 ? problem(429, 'rate_limited', {}) && new HttpResponse(null, { status: 429, headers: { 'retry-after': '1' } }) : HttpResponse.json({ id: 'org_1' });
      }),
    );
    await client().organization.retrieve();
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(950);
  });

  it('does not retry 4xx other than 408 and 429', async () => {
    let n = 0;
    server.use(http.get(`${BASE}/v1/members/mem_x`, () => (n++, problem(404, 'not_found'))));
    await expect(client().members.retrieve('mem_x')).rejects.toBeInstanceOf(NotFoundError);
    expect(n).toBe(1);
  });

  it('gives up after maxRetries with the last error', async () => {
    let n = 0;
    server.use(http.get(`${BASE}/v1/organization`, () => (n++, problem(500, 'internal'))));
    await expect(client({ maxRetries: 1 }).organization.retrieve()).rejects.toBeInstanceOf(InternalServerError);
    expect(n).toBe(2);
  });

  it('retries connection errors, then throws ConnectionError', async () => {
    let n = 0;
    server.use(http.get(`${BASE}/v1/organization`, () => (n++, HttpResponse.error())));
    await expect(client().organization.retrieve()).rejects.toBeInstanceOf(ConnectionError);
    expect(n).toBe(3);
  });
});

describe('timeouts and cancellation', () => {
  it('throws TimeoutError when the server is too slow', async () => {
    server.use(http.get(`${BASE}/v1/organization`, async () => (await new Promise((r) => setTimeout(r, 200)), HttpResponse.json({}))));
    await expect(client({ maxRetries: 0 }).organization.retrieve({ timeout: 30 })).rejects.toBeInstanceOf(TimeoutError);
  });

  it('stops when the caller aborts', async () => {
    server.use(http.get(`${BASE}/v1/organization`, async () => (await new Promise((r) => setTimeout(r, 200)), HttpResponse.json({}))));
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user cancelled')), 20);
    await expect(client().organization.retrieve({ signal: controller.signal })).rejects.toThrow('user cancelled');
  });
});

describe('errors', () => {
  it('carry status, code, request id and the problem with pointers', async () => {
    server.use(http.post(`${BASE}/v1/members`, () => problem(400, 'validation_failed', { errors: [{ pointer: '/id_number', in: 'body', detail: 'bad' }] })));
    const error = await client().members.create({ name: 'X Y', id_number: '1', role: 'agent' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ status: 400, code: 'validation_failed', requestId: 'rid_test' });
    expect((error as BadRequestError).problem?.errors?.[0]?.pointer).toBe('/id_number');
  });

  it('map 401, 429 and delegation_inactive to their classes', async () => {
    server.use(
      http.get(`${BASE}/v1/organization`, () => problem(401, 'unauthorized')),
      http.get(`${BASE}/v1/delegations/dlg_1`, () => problem(403, 'delegation_inactive')),
    );
    await expect(client().organization.retrieve()).rejects.toBeInstanceOf(AuthenticationError);
    await expect(client().delegations.retrieve('dlg_1')).rejects.toBeInstanceOf(DelegationInactiveError);
    server.use(http.get(`${BASE}/v1/organization`, () => problem(429, 'rate_limited')));
    await expect(client({ maxRetries: 0 }).organization.retrieve()).rejects.toBeInstanceOf(RateLimitError);
  });
});

describe('pagination', () => {
  it('walks every page with for await, and awaiting gives the first page', async () => {
    server.use(
      http.get(`${BASE}/v1/members`, ({ request }) => {
        const cursor = new URL(request.url).searchParams.get('cursor');
        const page = cursor === null ? 0 : Number(cursor);
        return HttpResponse.json({ data: [{ id: `mem_${page}a` }, { id: `mem_${page}b` }], has_more: page < 2, next_cursor: page < 2 ? String(page + 1) : null });
      }),
    );
    const ids: string[] = [];
    for await (const member of client().members.list({ limit: 2 })) ids.push(member.id);
    expect(ids).toEqual(['mem_0a', 'mem_0b', 'mem_1a', 'mem_1b', 'mem_2a', 'mem_2b']);
    const first = await client().members.list();
    expect(first.has_more).toBe(true);
  });
});
