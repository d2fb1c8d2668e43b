import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { generateOpenApiDocument } from '../../api/scripts/openapi-document';
import { createTestApp, type TestApp } from '../support/app';
import {
  ADMIN_TOKEN,
  auth,
  createRequest,
  delegationRequestBody,
  dni,
  grantDelegation,
  mintToken,
  newCitizenId,
  type RegisteredOrg,
  registerVerifiedOrg,
} from '../support/fixtures';
import { consentHeaders, createDraft, FORMS, PDF_BYTES, uploadAll } from '../support/procedures';

/**
 * For every organisation route that takes an id, another organisation's id must answer 404
 * (never 403, which would confirm the id exists), and so must an id of the other mode for
 * resources that belong to a mode. A new route with an id fails this test until it gets a
 * fixture here. Fixtures create test-mode resources with the owner's test key.
 */
type Fixture = (t: TestApp, owner: RegisteredOrg) => Promise<Record<string, string>>;
/** Resources that exist per mode: a live key must not see test-mode ids. */
const MODE_SCOPED = [
  '/v1/delegation-requests/',
  '/v1/delegations/',
  '/v1/procedures/',
  '/v1/events/',
  '/v1/webhook-endpoints/',
];

/** Bodies that pass validation, so only the ownership check can answer. */
const BODIES: Record<string, unknown> = {
  'PATCH /v1/procedures/{id}': { form: {} },
  'POST /v1/sandbox/procedures/{id}/advance': { action: 'admit' },
  'PATCH /v1/webhook-endpoints/{id}': { enabled: true },
};

/** A submitted JUB with a document and an open requirement: one fixture for every procedure route. */
async function procedureFixture(t: TestApp, owner: RegisteredOrg): Promise<Record<string, string>> {
  const granted = await grantDelegation(t, owner.testKey);
  const token = await mintToken(t, owner.testKey, granted.delegationId);
  const draft = await createDraft(t, owner.testKey, token, 'JUB', FORMS.JUB);
  await uploadAll(t, owner.testKey, token, draft.id, ['DNI_NIE', 'IBAN_CERT']);
  await t.request(`/v1/procedures/${draft.id}/submit`, {
    method: 'POST',
    headers: consentHeaders(owner.testKey, token),
  });
  const required = await t.request(`/v1/sandbox/procedures/${draft.id}/advance`, {
    method: 'POST',
    headers: auth(owner.testKey),
    json: { action: 'require', kinds: ['OTHER'] },
  });
  const procedure = (await required.json()) as { requirements: Array<{ id: string }> };
  const docs = (await (
    await t.request(`/v1/procedures/${draft.id}/documents`, { headers: consentHeaders(owner.testKey, token) })
  ).json()) as { data: Array<{ id: string }> };
  return { id: draft.id, requirement_id: procedure.requirements[0]!.id, document_id: docs.data[0]!.id };
}

let n = 7000;
const FIXTURES: Record<string, Fixture> = {
  '/v1/members/{id}': async (t, owner) => {
    const res = await t.request('/v1/members', {
      method: 'POST',
      headers: auth(owner.testKey),
      json: { name: 'Víctima', id_number: dni(n++), role: 'agent' },
    });
    return { id: ((await res.json()) as { id: string }).id };
  },
  '/v1/api-keys/{id}': async (t, owner) => {
    const res = await t.request('/v1/api-keys', {
      method: 'POST',
      headers: auth(owner.testKey),
      json: { name: 'victim key' },
    });
    return { id: ((await res.json()) as { id: string }).id };
  },
  '/v1/delegation-requests/batches/{id}': async (t, owner) => {
    const res = await t.request('/v1/delegation-requests/batches', {
      method: 'POST',
      headers: auth(owner.testKey),
      json: { rows: [delegationRequestBody(newCitizenId())] },
    });
    return { id: ((await res.json()) as { id: string }).id };
  },
  '/v1/delegation-requests/{id}': async (t, owner) => ({
    id: (await createRequest(t, owner.testKey, delegationRequestBody(newCitizenId()))).id,
  }),
  '/v1/sandbox/delegation-requests/{id}': async (t, owner) => ({
    id: (await createRequest(t, owner.testKey, delegationRequestBody(newCitizenId()))).id,
  }),
  '/v1/delegations/{id}': async (t, owner) => ({ id: (await grantDelegation(t, owner.testKey)).delegationId }),
  '/v1/procedures/{id}': procedureFixture,
  '/v1/events/{id}': async (t, owner) => {
    await grantDelegation(t, owner.testKey);
    const feed = (await (await t.request('/v1/events', { headers: auth(owner.testKey) })).json()) as {
      data: Array<{ id: string }>;
    };
    return { id: feed.data[0]!.id };
  },
  '/v1/webhook-endpoints/{id}': async (t, owner) => {
    const res = await t.request('/v1/webhook-endpoints', {
      method: 'POST',
      headers: auth(owner.testKey),
      json: { url: 'https://hooks.example.com/puente' },
    });
    const endpoint = (await res.json()) as { id: string };
    const queued = await t.request(`/v1/webhook-endpoints/${endpoint.id}/test`, {
      method: 'POST',
      headers: auth(owner.testKey),
    });
    return { id: endpoint.id, delivery_id: ((await queued.json()) as { id: string }).id };
  },
  '/v1/sandbox/procedures/{id}': procedureFixture,
};

const doc = generateOpenApiDocument() as {
  paths: Record<string, Record<string, { security?: Array<Record<string, unknown>> }>>;
};
const routesWithIds = Object.entries(doc.paths).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([, op]) => op.security?.some((s) => 'ApiKey' in s) && /\{[a-z_]+\}/.test(path))
    .map(([method, op]) => ({ method: method.toUpperCase(), path, consent: op.security!.some((s) => 'Consent' in s) })),
);

/** Each caller's own valid consent token, so a refusal can only come from the ownership check. */
const consentOf = new Map<string, string>();
const FULL_SCOPE = { procedure_types: ['JUB'], subjects: [], capacities: ['consult', 'file', 'respond', 'withdraw'] };

let t: TestApp;
let victim: Required<RegisteredOrg>;
let attacker: Required<RegisteredOrg>;
beforeAll(async () => {
  t = await createTestApp({ config: { adminToken: ADMIN_TOKEN } });
  victim = await registerVerifiedOrg(t);
  attacker = await registerVerifiedOrg(t);
  for (const key of [attacker.testKey, victim.liveKey]) {
    const own = await grantDelegation(t, key, { scope: FULL_SCOPE });
    consentOf.set(key, await mintToken(t, key, own.delegationId, { lifetime_seconds: 3600 }));
  }
});

function fixtureFor(path: string): Fixture {
  const key = Object.keys(FIXTURES)
    .filter((f) => path === f || path.startsWith(f + '/'))
    .sort((a, b) => b.length - a.length)[0]!;
  return FIXTURES[key]!;
}

async function call(
  method: string,
  path: string,
  params: Record<string, string>,
  key: string,
  consent: boolean,
): Promise<Response> {
  const url = path.replace(/\{([a-z_]+)\}/g, (_, name: string) => params[name] ?? 'unknown');
  const init: RequestInit & { json?: unknown } = {
    method,
    headers: auth(key, consent ? { 'puente-consent': consentOf.get(key)! } : {}),
  };
  if (method === 'POST' && path.endsWith('/documents')) {
    const form = new FormData();
    form.set('kind', 'OTHER');
    form.set('file', new Blob([PDF_BYTES], { type: 'application/pdf' }), 'x.pdf');
    init.body = form;
  } else if (method === 'POST' || method === 'PATCH') {
    init.json = BODIES[`${method} ${path}`] ?? {};
  }
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

  it.each(routesWithIds)('$method $path answers 404 to another organisation', async ({ method, path, consent }) => {
    const params = await fixtureFor(path)(t, victim);
    const res = await call(method, path, params, attacker.testKey, consent);
    // A body-validation failure would hide whether the lookup is scoped, so only 404 passes.
    expect(res.status, `${method} ${path}: ${await res.clone().text()}`).toBe(404);
  });

  it.each(routesWithIds.filter((r) => MODE_SCOPED.some((p) => r.path.startsWith(p))))(
    '$method $path answers 404 to a live key for a test-mode id',
    async ({ method, path, consent }) => {
      const params = await fixtureFor(path)(t, victim);
      const res = await call(method, path, params, victim.liveKey, consent);
      expect(res.status, `${method} ${path}: ${await res.clone().text()}`).toBe(404);
    },
  );
});
