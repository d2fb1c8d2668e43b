import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app';
import { ADMIN_TOKEN, auth, createRequest, delegationRequestBody, dni, grantDelegation, newCitizenId, registerVerifiedOrg, type RegisteredOrg } from '../support/fixtures';
import { generateOpenApiDocument } from '../../api/scripts/openapi-document';

/**
 * For every organisation route that takes an id, another organisation's id must answer 404
 * (never 403, which would confirm the id exists), and so must an id of the other mode for
 * resources that belong to a mode. A new route with an id fails this test until it gets a
 * fixture here. Fixtures create test-mode resources with the owner's test key.
 */
type Fixture = (t: TestApp, owner: RegisteredOrg) => Promise<Record<string, string>>;
/** Resources that exist per mode: a live key must not see test-mode ids. */
const MODE_SCOPED = ['/v1/delegation-requests/', '/v1/delegations/'];

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
  '/v1/delegation-requests/{id}': async (t, owner) => ({ id: (await createRequest(t, owner.testKey, delegationRequestBody(newCitizenId()))).id }),
  '/v1/sandbox/delegation-requests/{id}': async (t, owner) => ({ id: (await createRequest(t, owner.testKey, delegationRequestBody(newCitizenId()))).id }),
  '/v1/delegations/{id}': async (t, owner) => ({ id: (await grantDelegation(t, owner.testKey)).delegationId }),
};

const doc = generateOpenApiDocument() as { paths: Record<string, Record<string, { security?: Array<Record<string, unknown>> }>> };
const routesWithIds = Object.entries(doc.paths).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([, op]) => op.security?.some((s) => 'ApiKey' in s) && /\{[a-z_]+\}/.test(path))
    .map(([method]) => ({ method: method.toUpperCase(), path })),
);

let t: TestApp;
let victim: Required<RegisteredOrg>;
let attacker: Required<RegisteredOrg>;
beforeAll(async () => {
  t = await createTestApp({ config: { adminToken: ADMIN_TOKEN } });
  victim = await registerVerifiedOrg(t);
  attacker = await registerVerifiedOrg(t);
});

function fixtureFor(path: string): Fixture {
  const key = Object.keys(FIXTURES).filter((f) => path === f || path.startsWith(f + '/')).sort((a, b) => b.length - a.length)[0]!;
  return FIXTURES[key]!;
}

async function call(method: string, path: string, params: Record<string, string>, key: string): Promise<Response> {
  const url = path.replace(/\{([a-z_]+)\}/g, (_, name: string) => params[name] ?? 'unknown');
  const init: RequestInit & { json?: unknown } = { method, headers: auth(key) };
  if (method === 'POST' || method === 'PATCH') init.json = {};
  return t.request(url, init);
}
afterAll(() => t.close());

describe('tenant isolation', () => {
  it('has a fixture for every organisation route that takes an id', () => {
    expect(routesWithIds.length).toBeGreaterThan(0);
    const templates = [...new Set(routesWithIds.map((r) => r.path))];
    const missing = templates.filter((p) => !Object.keys(FIXTURES).some((f) => p === f || p.startsWith(f + '/')));
    expect(missing).toEqual([]);
  });

  it.each(routesWithIds)('$method $path answers 404 to another organisation', async ({ method, path }) => {
    const params = await fixtureFor(path)(t, victim);
    const res = await call(method, path, params, attacker.testKey);
    // A body-validation failure would hide whether the lookup is scoped, so only 404 passes.
    expect(res.status, `${method} ${path}: ${await res.clone().text()}`).toBe(404);
  });

  it.each(routesWithIds.filter((r) => MODE_SCOPED.some((p) => r.path.startsWith(p))))(
    '$method $path answers 404 to a live key for a test-mode id',
    async ({ method, path }) => {
      const params = await fixtureFor(path)(t, victim);
      const res = await call(method, path, params, victim.liveKey);
      expect(res.status, `${method} ${path}: ${await res.clone().text()}`).toBe(404);
    },
  );
});
