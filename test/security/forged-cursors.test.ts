import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestApp, type TestApp } from '../support/app';
import {
  ADMIN_TOKEN,
  auth,
  citizenToken,
  delegationRequestBody,
  dni,
  expectJson,
  expectProblem,
  grantDelegation,
  issueAgencyKey,
  type RegisteredOrg,
  registerOrg,
} from '../support/fixtures';

/**
 * A cursor is the client's input: one in the right format whose positions are forged (a
 * timestamp that is not one, an id of no kind, a sequence number that is not a safe integer) is
 * an invalid cursor on every list, never a query that fails.
 */
let t: TestApp;
let org: RegisteredOrg;
let citizen: string;
let agency: string;
let batchId: string;
let endpointId: string;
beforeAll(async () => {
  t = await createTestApp({ config: { adminToken: ADMIN_TOKEN } });
  org = await registerOrg(t);
  const granted = await grantDelegation(t, org.testKey);
  citizen = await citizenToken(t, granted.idNumber);
  agency = await issueAgencyKey(t);
  const batch = await expectJson(
    await t.request('/v1/delegation-requests/batches', {
      method: 'POST',
      headers: auth(org.testKey),
      json: { rows: [delegationRequestBody(dni(7401))] },
    }),
    202,
  );
  batchId = batch.id;
  const endpoint = await expectJson(
    await t.request('/v1/webhook-endpoints', {
      method: 'POST',
      headers: auth(org.testKey),
      json: { url: 'https://hooks.example.com/puente', event_types: ['procedure.*'] },
    }),
    201,
  );
  endpointId = endpoint.id;
});
afterAll(() => t.close());

const cursor = (...key: unknown[]) => Buffer.from(JSON.stringify(key)).toString('base64url');
const AT = '2026-03-02T09:00:00.000Z';

/** Positions forged for each kind of key: none may reach a query. */
const FORGED = {
  created: [
    ['garbage', 'x'],
    ['99999-01-01', 'x'],
    ['0000-01-01T00:00:00.000Z', 'mem_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0'],
    [1e300, 'x'],
    [AT, 'x'],
    [AT, "x' or '1'='1"],
  ],
  sequence: [['garbage'], ['1.5'], [1.5], ['99999999999999999999'], [1e300], ['-1']],
  row: [['garbage'], [1e300], ['99999999999999999999'], [3_000_000_000], [-1]],
} as const;

type Who = 'org' | 'citizen' | 'agency' | 'admin';
const LISTS: Array<[path: () => string, list: () => string, key: keyof typeof FORGED, who: Who]> = [
  [() => '/v1/members', () => 'members', 'created', 'org'],
  [() => '/v1/api-keys', () => 'api_keys', 'created', 'org'],
  [() => '/v1/delegation-requests', () => 'delegation_requests', 'created', 'org'],
  [() => '/v1/delegations', () => 'delegations', 'created', 'org'],
  [() => '/v1/procedures', () => 'procedures', 'created', 'org'],
  [() => '/v1/events', () => 'events', 'sequence', 'org'],
  [() => '/v1/webhook-endpoints', () => 'webhook_endpoints', 'created', 'org'],
  [() => `/v1/webhook-endpoints/${endpointId}/deliveries`, () => 'webhook_deliveries', 'created', 'org'],
  [
    () => `/v1/delegation-requests/batches/${batchId}/rows`,
    () => `delegation_request_batch_rows:${batchId}:`,
    'row',
    'org',
  ],
  [() => '/v1/agency/procedures', () => 'agency_queue', 'created', 'agency'],
  [() => '/v1/me/delegation-requests', () => 'my_delegation_requests', 'created', 'citizen'],
  [() => '/v1/me/delegations', () => 'my_delegations', 'created', 'citizen'],
  [() => '/v1/me/procedures', () => 'my_procedures', 'created', 'citizen'],
  [() => '/v1/me/access-log', () => 'my_access_log', 'sequence', 'citizen'],
  [() => '/v1/me/access-log/export?format=csv&', () => 'my_access_log', 'sequence', 'citizen'],
  [() => '/v1/me/avisos', () => 'my_avisos', 'created', 'citizen'],
  [() => '/v1/admin/organizations', () => 'admin_organizations', 'created', 'admin'],
  [() => '/v1/admin/calendar/changes', () => 'calendar_changes', 'created', 'admin'],
];

function credential(who: Who): string {
  return { org: org.testKey, citizen, agency, admin: ADMIN_TOKEN }[who];
}

describe('forged cursors', () => {
  it('are invalid_cursor on every list, naming the cursor', async () => {
    for (const [path, list, key, who] of LISTS) {
      for (const forged of FORGED[key]) {
        const base = path();
        const url = `${base}${base.endsWith('&') ? '' : '?'}cursor=${cursor(list(), ...forged)}`;
        const problem = await expectProblem(
          await t.request(url, { headers: auth(credential(who)) }),
          400,
          'invalid_cursor',
        );
        expect(problem.errors, `${url} ${JSON.stringify(forged)}`).toEqual([
          expect.objectContaining({ pointer: '/cursor', in: 'query' }),
        ]);
      }
    }
  });

  it('still takes the cursors the lists make', async () => {
    const events = await expectJson(await t.request('/v1/events?limit=1', { headers: auth(org.testKey) }), 200);
    expect(events.next_cursor).not.toBeNull();
    await expectJson(await t.request(`/v1/events?cursor=${events.next_cursor}`, { headers: auth(org.testKey) }), 200);
    for (const n of [7402, 7403])
      await expectJson(
        await t.request('/v1/delegation-requests', {
          method: 'POST',
          headers: auth(org.testKey),
          json: delegationRequestBody(dni(n)),
        }),
        201,
      );
    const first = await expectJson(
      await t.request('/v1/delegation-requests?limit=1', { headers: auth(org.testKey) }),
      200,
    );
    expect(first.has_more).toBe(true);
    const second = await expectJson(
      await t.request(`/v1/delegation-requests?limit=1&cursor=${first.next_cursor}`, { headers: auth(org.testKey) }),
      200,
    );
    expect(second.data[0].id).not.toBe(first.data[0].id);
  });

  it('answer a problem page on the citizen pages, not an error', async () => {
    const headers = { cookie: `puente_citizen=${citizen}` };
    for (const url of [
      `/ciudadania/registro?antes=${cursor('citizen_page_access_log', 'garbage')}`,
      `/ciudadania/delegaciones?desde=${cursor('citizen_page_delegations', 'garbage', 'x')}`,
    ]) {
      const res = await t.request(url, { headers });
      expect(res.status, url).toBe(400);
    }
  });
});
