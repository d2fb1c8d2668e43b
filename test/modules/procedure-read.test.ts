import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestApp, type TestApp } from '../support/app';
import { ADMIN_TOKEN, auth, expectProblem, registerOrg, registerVerifiedOrg } from '../support/fixtures';
import { consentHeaders, delegatedDraft } from '../support/procedures';

/**
 * `GET /v1/procedures/{id}` authenticates the key, counts the rate limit, checks the delegation,
 * reads and logs in one statement. These tests hold it to the same answers as the middleware
 * stack, and to a single query.
 */
let t: TestApp;
let queries = 0;

beforeAll(async () => {
  // postgres.js calls its `debug` hook once for every query it sends to the server.
  t = await createTestApp({
    config: { adminToken: ADMIN_TOKEN, rateLimit: { limit: 1000, windowSeconds: 60 } },
    onQuery: () => queries++,
  });
});
afterAll(() => t.close());

/** `GET /v1/procedures/{id}` with a key and a consent token (and a request id), on `app`. */
const read = (id: string, key: string, token: string, requestId?: string, app: TestApp = t) =>
  app.request(`/v1/procedures/${id}`, {
    headers: consentHeaders(key, token, requestId ? { 'request-id': requestId } : {}),
  });

const accessLogFor = async (requestId: string) =>
  t.sql<
    { action: string; member_id: string }[]
  >`select action, member_id from access_log where request_id = ${requestId}`;

/** `read` with a request id, refused with `status` and `code`, leaving nothing in the access log; answers the refusal. */
async function expectRefusedRead(
  r: { id: string; key: string; token: string; requestId: string; app?: TestApp },
  status: number,
  code: string,
): Promise<Response> {
  const refused = await read(r.id, r.key, r.token, r.requestId, r.app);
  await expectProblem(refused, status, code);
  expect(await accessLogFor(r.requestId)).toEqual([]);
  return refused;
}

describe('consented read of a procedure', () => {
  it('costs one query, and logs the access once, with rate-limit headers', async () => {
    const org = await registerOrg(t);
    const { token, draft: procedure } = await delegatedDraft(t, org.testKey);
    const before = queries;
    const res = await read(procedure.id, org.testKey, token, 'req_read_once_0001');
    expect(queries - before).toBe(1);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { id: string }).id).toBe(procedure.id);
    expect(res.headers.get('etag')).toBeTruthy();
    expect(res.headers.get('ratelimit-policy')).toBe('"credential";q=1000;w=60');
    expect(res.headers.get('ratelimit')).toMatch(/^"credential";r=\d+;t=\d+$/);
    expect(await accessLogFor('req_read_once_0001')).toEqual([{ action: 'procedure.read', member_id: org.ownerId }]);
  });

  it('answers 401 for a bad or revoked key before any consent problem, and logs nothing', async () => {
    const org = await registerOrg(t);
    const { token, draft: procedure } = await delegatedDraft(t, org.testKey);
    await expectProblem(
      await t.request(`/v1/procedures/${procedure.id}`, { headers: auth('sk_test_' + 'a'.repeat(43)) }),
      401,
      'unauthorized',
    );
    await expectProblem(await read(procedure.id, 'sk_test_' + 'a'.repeat(43), token), 401, 'unauthorized');

    const extra = (await (
      await t.request('/v1/api-keys', { method: 'POST', headers: auth(org.testKey), json: { name: 'soon revoked' } })
    ).json()) as { id: string; secret: string };
    expect((await read(procedure.id, extra.secret, token)).status).toBe(200);
    await t.request(`/v1/api-keys/${extra.id}`, { method: 'DELETE', headers: auth(org.testKey) });
    await expectRefusedRead(
      { id: procedure.id, key: extra.secret, token, requestId: 'req_revoked_key_01' },
      401,
      'unauthorized',
    );
    // A valid key still gets the consent problems, in their own words.
    await expectProblem(
      await t.request(`/v1/procedures/${procedure.id}`, { headers: auth(org.testKey) }),
      403,
      'consent_required',
    );
  });

  it('refuses a suspended organisation as suspended, not as a consent problem', async () => {
    const org = await registerVerifiedOrg(t);
    const { token, draft: procedure } = await delegatedDraft(t, org.testKey);
    await t.request(`/v1/admin/organizations/${org.id}/suspend`, {
      method: 'POST',
      headers: auth(ADMIN_TOKEN),
      json: { reason: 'Baja colegial.' },
    });
    await expectRefusedRead(
      { id: procedure.id, key: org.testKey, token, requestId: 'req_suspended_001' },
      403,
      'organization_suspended',
    );
  });

  it('answers 429 past the limit and logs no access for the refused request', async () => {
    const limited = await createTestApp({
      database: t.database,
      config: { rateLimit: { limit: 3, windowSeconds: 60 } },
    });
    const org = await registerOrg(limited);
    const { token, draft: procedure } = await delegatedDraft(t, org.testKey);
    // Registration, the delegation and the draft have used the window already; start a fresh one.
    limited.clock.advance(60_000);
    for (let i = 0; i < 3; i++)
      expect((await read(procedure.id, org.testKey, token, undefined, limited)).status).toBe(200);
    const refused = await expectRefusedRead(
      { id: procedure.id, key: org.testKey, token, requestId: 'req_over_limit_01', app: limited },
      429,
      'rate_limited',
    );
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it("refuses another organisation's token with its own key as an actor mismatch, and logs nothing", async () => {
    const mine = await registerOrg(t);
    const theirs = await registerOrg(t);
    const { draft: procedure } = await delegatedDraft(t, mine.testKey);
    const { token: theirToken } = await delegatedDraft(t, theirs.testKey);
    await expectRefusedRead(
      { id: procedure.id, key: mine.testKey, token: theirToken, requestId: 'req_actor_mismatch' },
      403,
      'consent_actor_mismatch',
    );
  });

  it('stops reading the moment the delegation is revoked, with no cache in between', async () => {
    const org = await registerOrg(t);
    const { token, draft: procedure, delegationId } = await delegatedDraft(t, org.testKey);
    expect((await read(procedure.id, org.testKey, token)).status).toBe(200);
    const renounced = await t.request(`/v1/delegations/${delegationId}/renounce`, {
      method: 'POST',
      headers: auth(org.testKey),
      json: { reason: 'Fin del encargo.' },
    });
    expect(renounced.status, await renounced.clone().text()).toBe(200);
    await expectProblem(await read(procedure.id, org.testKey, token), 403, 'delegation_inactive');
  });

  it('refuses a token it has already accepted once it expires: only the signature is remembered', async () => {
    const org = await registerOrg(t);
    const { token, draft: procedure } = await delegatedDraft(t, org.testKey, { tokenLifetimeSeconds: 60 });
    expect((await read(procedure.id, org.testKey, token)).status).toBe(200);
    t.clock.advance(66_000);
    await expectProblem(await read(procedure.id, org.testKey, token), 403, 'consent_expired');
  });
});
