import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestApp, type TestApp } from '../support/app';
import {
  ADMIN_TOKEN,
  auth,
  expectJson,
  grantDelegation,
  issueAgencyKey,
  registerOrg,
  registrationBody,
} from '../support/fixtures';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ config: { adminToken: ADMIN_TOKEN } });
});
afterAll(() => t.close());

/**
 * Whatever answers a credential (keys and their secrets, members, clients' delegations and
 * procedures, the agency's queue) is never kept by a cache, shared or private: one answer per
 * kind of credential. The public reference data may be cached.
 */
describe('Cache-Control', () => {
  it('every answer to a credential is no-store, successes as well as refusals', async () => {
    const org = await registerOrg(t);
    const agency = await issueAgencyKey(t);
    const { delegationId } = await grantDelegation(t, org.testKey);
    const requests: Array<[string, string, RequestInit & { json?: unknown }, number]> = [
      ['sign-up (its answer holds the keys)', '/v1/organizations', { method: 'POST', json: registrationBody() }, 201],
      ['organisation read', '/v1/procedures', { headers: auth(org.testKey) }, 200],
      ['organisation read of a delegation', `/v1/delegations/${delegationId}`, { headers: auth(org.testKey) }, 200],
      ['organisation write', '/v1/api-keys', { method: 'POST', headers: auth(org.testKey), json: { name: 'ci' } }, 201],
      [
        'consent token mint',
        `/v1/delegations/${delegationId}/consent-tokens`,
        { method: 'POST', headers: auth(org.testKey) },
        201,
      ],
      [
        'introspection',
        '/v1/consent-tokens/introspect',
        { method: 'POST', headers: auth(org.testKey), json: { token: 'not.a.token' } },
        200,
      ],
      ['agency queue', '/v1/agency/procedures', { headers: auth(agency) }, 200],
      ['administrator', '/v1/admin/organizations', { headers: auth(ADMIN_TOKEN) }, 200],
      ['refused', '/v1/procedures', { headers: auth('sk_test_unknown') }, 401],
    ];
    for (const [name, path, init, status] of requests) {
      const res = await t.request(path, init);
      expect(res.status, `${name}: ${await res.clone().text()}`).toBe(status);
      expect(res.headers.get('cache-control'), name).toBe('no-store');
    }
  });

  it('the public reference data may be cached', async () => {
    const res = await t.request('/.well-known/jwks.json');
    await expectJson(res, 200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
  });
});
