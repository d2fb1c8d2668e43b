import { z } from '@hono/zod-openapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { defineRoute } from '../../api/http/openapi';
import { createTestApp, type TestApp } from '../support/app';

let t: TestApp;

const ProbeBody = z
  .object({ name: z.string().min(2), nested: z.object({ count: z.number().int() }).strict() })
  .strict();

beforeAll(async () => {
  t = await createTestApp({ config: { maxJsonBodyBytes: 2048 } });
  // A probe route registered through the same machinery every module uses.
  t.app.openapi(
    defineRoute({
      method: 'post',
      path: '/v1/probe',
      operationId: 'probe',
      auth: 'public',
      request: { body: { content: { 'application/json': { schema: ProbeBody } }, required: true } },
      responses: {
        200: { description: 'ok', content: { 'application/json': { schema: z.object({ ok: z.boolean() }) } } },
      },
    }),
    (c) => c.json({ ok: true }, 200),
  );
  t.app.get('/v1/boom', async (c) => {
    await c.get('sql')`select * from table_that_does_not_exist`;
    return c.text('unreachable');
  });
  // A failure whose database text quotes the value refused (here a DNI taken for a date).
  t.app.get('/v1/boom-data', async (c) => {
    await c.get('sql')`select (${'12345678Z'}::text)::date`;
    return c.text('unreachable');
  });
});
afterAll(() => t.close());

async function problem(res: Response) {
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  const requestId = res.headers.get('request-id');
  expect(requestId).toBeTruthy();
  const body = (await res.json()) as Record<string, any>;
  expect(body.request_id).toBe(requestId);
  expect(body.status).toBe(res.status);
  expect(body.type).toMatch(/^https:\/\/.+\/problems\/[a-z_]+$/);
  return body;
}

describe('HTTP contract', () => {
  it('answers unknown routes with a 404 problem', async () => {
    const res = await t.request('/v1/nothing-here');
    expect(res.status).toBe(404);
    expect((await problem(res)).code).toBe('not_found');
  });

  it('answers a known path with the wrong method with 405 and Allow', async () => {
    const res = await t.request('/v1/procedure-types', { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toContain('GET');
    expect((await problem(res)).code).toBe('method_not_allowed');
  });

  it('answers a known path with a trailing slash with 404, whatever the method: routes match exactly', async () => {
    for (const [path, method] of [
      ['/v1/procedure-types/', 'GET'],
      ['/v1/procedure-types/', 'DELETE'],
      ['/v1/procedures/', 'GET'],
      ['/v1/procedures/', 'POST'],
      ['/v1/procedure-types/JUB/', 'GET'],
    ] as const) {
      const res = await t.request(path, { method });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.headers.get('allow')).toBeNull();
      expect((await problem(res)).code).toBe('not_found');
    }
    // Without the slash the same paths still tell a wrong method from an unknown path.
    expect((await t.request('/v1/procedure-types', { method: 'DELETE' })).status).toBe(405);
  });

  it('points at every invalid and unknown field', async () => {
    const res = await t.request('/v1/probe', {
      method: 'POST',
      json: { name: 'x', nested: { count: 1.5, extra: true }, admin: true },
    });
    expect(res.status).toBe(400);
    const body = await problem(res);
    expect(body.code).toBe('validation_failed');
    const pointers = body.errors.map((e: { pointer: string }) => e.pointer).sort();
    expect(pointers).toEqual(['/admin', '/name', '/nested/count', '/nested/extra']);
    expect(body.errors.every((e: { in: string }) => e.in === 'body')).toBe(true);
  });

  it.each([
    ['malformed JSON', 400, 'malformed_json', { headers: { 'content-type': 'application/json' }, body: '{"name": ' }],
    [
      'a body of the wrong content type',
      415,
      'unsupported_media_type',
      { headers: { 'content-type': 'text/plain' }, body: 'name=abc' },
    ],
    ['an oversized body', 413, 'payload_too_large', { json: { name: 'x'.repeat(5000), nested: { count: 1 } } }],
  ] as const)('rejects %s with %i %s', async (_, status, code, init) => {
    const res = await t.request('/v1/probe', { method: 'POST', ...init });
    expect(res.status).toBe(status);
    expect((await problem(res)).code).toBe(code);
  });

  it('answers an unexpected failure with 500 and no internals', async () => {
    const res = await t.request('/v1/boom');
    expect(res.status).toBe(500);
    const body = await problem(res);
    expect(body.code).toBe('internal');
    const text = JSON.stringify(body);
    expect(text).not.toMatch(/table_that_does_not_exist|select|stack|at .*\.ts/i);
    // The details go to the log instead, tied to the same request id.
    const logged = t.logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'unhandled error');
    expect(logged.request_id).toBe(body.request_id);
    // A database error is logged by its code (its text may quote a client's value).
    expect(logged.code).toBe('42P01');
    expect(JSON.stringify(logged)).not.toContain('table_that_does_not_exist');
  });

  it('logs the code of a database failure whose text quotes a value, never the value', async () => {
    const res = await t.request('/v1/boom-data');
    expect(res.status).toBe(500);
    const { request_id } = await problem(res);
    const line = t.logs.find((l) => JSON.parse(l).request_id === request_id && JSON.parse(l).msg === 'unhandled error');
    expect(JSON.parse(line!)).toMatchObject({ error: expect.any(String), code: expect.stringMatching(/^22/) });
    expect(line).not.toContain('12345678Z');
  });

  it('accepts a well-formed client request id and echoes it', async () => {
    const res = await t.request('/v1/procedure-types', { headers: { 'request-id': 'client-trace-0001' } });
    expect(res.headers.get('request-id')).toBe('client-trace-0001');
    const bad = await t.request('/v1/procedure-types', { headers: { 'request-id': 'bad id with spaces' } });
    expect(bad.headers.get('request-id')).toMatch(/^rid_[0-9A-Za-z]{22}$/);
  });

  it('writes one structured log line per request with the route pattern, not the path', async () => {
    await t.request('/v1/procedure-types/JUB', { headers: { 'request-id': 'log-line-check-1' } });
    const line = t.logs
      .map((l) => JSON.parse(l))
      .find((l) => l.request_id === 'log-line-check-1' && l.msg === 'request');
    expect(line).toMatchObject({ level: 'info', method: 'GET', route: '/v1/procedure-types/:code', status: 200 });
    expect(typeof line.duration_ms).toBe('number');
  });
});
