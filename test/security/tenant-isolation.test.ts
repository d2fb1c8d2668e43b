import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app';
import { ADMIN_TOKEN, auth, dni, registerOrg, type RegisteredOrg } from '../support/fixtures';
import { generateOpenApiDocument } from '../../api/scripts/openapi-document';

/**
 * For every organisation route that takes an id, another organisation's id must answer 404
 * (never 403, which would confirm the id exists). A new route with an id fails this test until
 * it gets a fixture here.
 */
type Fixture = (t: TestApp, owner: RegisteredOrg) => Promise<Record<string, string>>;

let n = 7000;
const FIXTURES: Record<string, Fixture> = {
  '/v1/members/{id}': async (t, owner) => {
    const res = await t.request('/v1/members', { method: 'POST', headers: auth(owner.testKey), json: { name: 'Víctima', id_number: dni(n++), role: 'agent' } });
    return { id: ((await res.json()) as { id: string }).id };
  },
  '/v1/api-keys/{id}': async (t, owner) => {
    const res = await t.request('/v1/api-keys', { method: 'POST', headers: auth(owner.testKey), json: { name: 'victim key' } });
    return { id: ((await res.json()) as { id: string }).id };
  },
};

const doc = generateOpenApiDocument() as { paths: Record<string, Record<string, { security?: Array<Record<string, unknown>> }>> };
const routesWithIds = Object.entries(doc.paths).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([, op]) => op.security?.some((s) => 'ApiKey' in s) && /\{[a-z_]+\}/.test(path))
    .map(([method]) => ({ method: method.toUpperCase(), path })),
);

let t: TestApp;
let victim: RegisteredOrg;
let attacker: RegisteredOrg;
beforeAll(async () => {
  t = await createTestApp({ config: { adminToken: ADMIN_TOKEN } });
  victim = await registerOrg(t);
  attacker = await registerOrg(t);
});
afterAll(() => t.close());

describe('tenant isolation', () => {
  it('has a fixture for every organisation route that takes an id', () => {
    expect(routesWithIds.length).toBeGreaterThan(0);
    const templates = [...new Set(routesWithIds.map((r) => r.path))];
    const missing = templates.filter((p) => !Object.keys(FIXTURES).some((f) => p === f || p.startsWith(f + '/')));
    expect(missing).toEqual([]);
  });

  it.each(routesWithIds)('$method $path answers 404 to another organisation', async ({ method, path }) => {
    const fixtureKey = Object.keys(FIXTURES).filter((f) => path === f || path.startsWith(f + '/')).sort((a, b) => b.length - a.length)[0]!;
    const params = await FIXTURES[fixtureKey]!(t, victim);
    const url = path.replace(/\{([a-z_]+)\}/g, (_, name: string) => params[name] ?? 'unknown');
    const init: RequestInit & { json?: unknown } = { method, headers: auth(attacker.testKey) };
    if (method === 'POST' || method === 'PATCH') init.json = {};
    const res = await t.request(url, init);
    // A body-validation failure would hide whether the lookup is scoped, so only 404 passes.
    expect(res.status, `${method} ${url}: ${await res.clone().text()}`).toBe(404);
  });
});
