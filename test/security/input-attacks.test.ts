import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestApp, type TestApp } from '../support/app';
import {
  ADMIN_TOKEN,
  auth,
  expectProblem,
  grantDelegation,
  mintToken,
  type RegisteredOrg,
  registerOrg,
  registerVerifiedOrg,
} from '../support/fixtures';
import { consentHeaders, createDraft, FORMS } from '../support/procedures';

let t: TestApp;
let org: RegisteredOrg;
let token: string;
beforeAll(async () => {
  t = await createTestApp({ config: { adminToken: ADMIN_TOKEN } });
  org = await registerOrg(t);
  const granted = await grantDelegation(t, org.testKey);
  token = await mintToken(t, org.testKey, granted.delegationId, { lifetime_seconds: 3600 });
});
afterAll(() => t.close());

const INJECTIONS = [
  "' or '1'='1",
  "'; drop table procedures; --",
  '1) union select secret_hash from api_keys --',
  '\u0000',
  '%27%20or%201=1',
  '../../etc/passwd',
];

describe('SQL injection', () => {
  it('filters and path parameters treat payloads as data: no 5xx, nothing leaks, nothing breaks', async () => {
    for (const payload of INJECTIONS) {
      const q = encodeURIComponent(payload);
      for (const path of [
        `/v1/procedures?status=${q}`,
        `/v1/procedures?type=${q}`,
        `/v1/procedures?updated_since=${q}`,
        `/v1/procedures?cursor=${q}`,
        `/v1/events?type=${q}`,
        `/v1/members?status=${q}`,
        `/v1/delegations?status=${q}`,
        `/v1/delegation-requests?status=${q}`,
        `/v1/members/${q}`,
        `/v1/delegations/${q}`,
        `/v1/events/${q}`,
        `/v1/procedure-types/${q}`,
        `/v1/calendar/deadline?from=${q}&business_days=1`,
      ]) {
        const res = await t.request(path, { headers: auth(org.testKey) });
        expect(res.status, `${path}: ${res.status}`).toBeLessThan(500);
        const text = await res.text();
        expect(text).not.toMatch(/secret_hash|syntax error|postgres/i);
      }
      const res = await t.request(`/v1/procedures/${encodeURIComponent(payload)}`, {
        headers: consentHeaders(org.testKey, token),
      });
      expect([400, 404]).toContain(res.status);
    }
    const [row] = await t.sql<{ n: number }[]>`select count(*)::int as n from procedure_types`;
    expect(row!.n).toBe(17);
  });
});

describe('malformed URLs and bodies', () => {
  it('name the parameter at fault, in the path or in the query', async () => {
    const cases: Array<[string, string, 'path' | 'query']> = [
      ['/v1/members?status=%zz', '/status', 'query'],
      ['/v1/members?status=active%00', '/status', 'query'],
      ['/v1/members?limit=5&st%zzatus=x', '/st%zzatus', 'query'],
      ['/v1/members?cursor=a%2', '/cursor', 'query'],
      ['/v1/members/mem_%00', '/id', 'path'],
      ['/v1/members/%E0%A4%A', '/id', 'path'],
      ['/v1/procedures/prc_x%00/timeline', '/id', 'path'],
      ['/v1/mem%00bers', '', 'path'],
    ];
    for (const [path, pointer, where] of cases) {
      const problem = await expectProblem(
        await t.request(path, { headers: auth(org.testKey) }),
        400,
        'validation_failed',
      );
      expect(problem.errors, path).toEqual([expect.objectContaining({ pointer, in: where })]);
    }
    const both = await expectProblem(
      await t.request('/v1/members/mem_%00?status=%zz', { headers: auth(org.testKey) }),
      400,
      'validation_failed',
    );
    expect(both.errors).toEqual([
      expect.objectContaining({ pointer: '/id', in: 'path' }),
      expect.objectContaining({ pointer: '/status', in: 'query' }),
    ]);
  });

  it('name the body when a multipart body cannot be parsed, and store nothing', async () => {
    const draft = await createDraft(t, org.testKey, token, 'JUB', FORMS.JUB);
    const count = async () => (await t.sql<{ n: number }[]>`select count(*)::int as n from documents`)[0]!.n;
    const before = await count();
    for (const body of ['', '--x\r\nContent-Disposition: form-data; name="kind"\r\n\r\nDNI_NIE']) {
      const problem = await expectProblem(
        await t.request(`/v1/procedures/${draft.id}/documents`, {
          method: 'POST',
          headers: consentHeaders(org.testKey, token, { 'content-type': 'multipart/form-data; boundary=x' }),
          body,
        }),
        400,
        'validation_failed',
      );
      expect(problem.errors).toEqual([expect.objectContaining({ pointer: '', in: 'body' })]);
    }
    expect(await count()).toBe(before);
  });
});

describe('mass assignment', () => {
  it('refuses livemode, status and organization_id in bodies instead of applying them', async () => {
    const attempts: Array<[string, string, Record<string, unknown>, Record<string, string>]> = [
      [
        'POST',
        '/v1/procedures',
        { type: 'JUB', form: FORMS.JUB, status: 'approved' },
        consentHeaders(org.testKey, token),
      ],
      [
        'POST',
        '/v1/procedures',
        { type: 'JUB', form: FORMS.JUB, organization_id: 'org_other' },
        consentHeaders(org.testKey, token),
      ],
      ['POST', '/v1/members', { name: 'Ana Gil', id_number: '11111111H', role: 'owner' }, auth(org.testKey)],
      [
        'POST',
        '/v1/members',
        { name: 'Ana Gil', id_number: '11111111H', role: 'agent', organization_id: 'org_x' },
        auth(org.testKey),
      ],
      ['POST', '/v1/webhook-endpoints', { url: 'https://hooks.example.com/x', livemode: true }, auth(org.testKey)],
      [
        'POST',
        '/v1/delegation-requests',
        {
          citizen: { id_number: '11111111H' },
          scope: { procedure_types: ['JUB'], capacities: ['consult'] },
          valid_until: '2027-01-01',
          status: 'accepted',
        },
        auth(org.testKey),
      ],
    ];
    for (const [method, path, json, headers] of attempts) {
      const problem = await expectProblem(await t.request(path, { method, headers, json }), 400, 'validation_failed');
      expect(problem.errors.length, `${path} ${JSON.stringify(json)}`).toBeGreaterThan(0);
    }
    const draft = await createDraft(t, org.testKey, token, 'JUB', FORMS.JUB);
    const patched = await t.request(`/v1/procedures/${draft.id}`, {
      method: 'PATCH',
      headers: consentHeaders(org.testKey, token),
      json: { form: FORMS.JUB, status: 'approved' },
    });
    await expectProblem(patched, 400, 'validation_failed');
  });
});

describe('secrets hygiene', () => {
  it('never writes keys, tokens or id numbers into the logs', async () => {
    const verified = await registerVerifiedOrg(t);
    const granted = await grantDelegation(t, verified.liveKey, { idNumber: '99999999R' });
    const liveToken = await mintToken(t, verified.liveKey, granted.delegationId);
    await t.request(`/v1/consent-tokens/current`, { headers: auth(verified.liveKey, { 'puente-consent': liveToken }) });
    await t.request(`/v1/consent-tokens/current`, {
      headers: auth(verified.liveKey, { 'puente-consent': liveToken + 'x' }),
    });
    await t.request('/v1/organization', { headers: auth('sk_live_' + 'Z'.repeat(43)) });
    const logs = t.logs.join('\n');
    for (const secret of [
      verified.liveKey,
      verified.testKey,
      liveToken,
      granted.citizenToken!,
      ADMIN_TOKEN,
      '99999999R',
    ]) {
      expect(logs.includes(secret), `log contains ${secret.slice(0, 12)}…`).toBe(false);
    }
    expect(logs).toContain('"route":"/v1/consent-tokens/current"');
  });
});
