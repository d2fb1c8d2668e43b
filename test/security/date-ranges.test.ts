import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestApp, type TestApp } from '../support/app';
import {
  auth,
  citizenToken,
  delegationRequestBody,
  dni,
  expectJson,
  expectProblem,
  grantDelegation,
  type RegisteredOrg,
  registerOrg,
} from '../support/fixtures';

/**
 * Dates and timestamps PostgreSQL cannot hold (year 0, a year past 9999 once in UTC) are the
 * client's mistake: a 400 naming the field, never a query that fails.
 */
let t: TestApp;
let org: RegisteredOrg;
let citizen: string;
beforeAll(async () => {
  t = await createTestApp();
  org = await registerOrg(t);
  const granted = await grantDelegation(t, org.testKey);
  citizen = await citizenToken(t, granted.idNumber);
});
afterAll(() => t.close());

async function expectFieldProblem(res: Response, pointer: string, where: string): Promise<void> {
  const problem = await expectProblem(res, 400, 'validation_failed');
  expect(problem.errors).toEqual([expect.objectContaining({ pointer, in: where })]);
}

describe('dates out of range', () => {
  it('refuses year 0 in the access log filters and their exports', async () => {
    for (const [path, pointer] of [
      ['/v1/me/access-log?from=0000-01-01', '/from'],
      ['/v1/me/access-log?to=0000-12-31', '/to'],
      ['/v1/me/access-log/export?format=csv&from=0000-01-01', '/from'],
      ['/v1/me/access-log/export?format=pdf&to=0000-01-01', '/to'],
    ] as const) {
      await expectFieldProblem(await t.request(path, { headers: auth(citizen) }), pointer, 'query');
    }
    await expectJson(
      await t.request('/v1/me/access-log?from=0001-01-01&to=9999-12-31', { headers: auth(citizen) }),
      200,
    );
  });

  it('refuses timestamps outside the years 1 to 9999 in UTC, whatever their offset', async () => {
    for (const since of ['0000-01-01T00:00:00Z', '9999-12-31T23:59:59-23:59', '0001-01-01T00:30:00+01:00']) {
      await expectFieldProblem(
        await t.request(`/v1/procedures?updated_since=${encodeURIComponent(since)}`, { headers: auth(org.testKey) }),
        '/updated_since',
        'query',
      );
    }
    for (const since of ['0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '2026-03-02T10:00:00+01:00']) {
      await expectJson(
        await t.request(`/v1/procedures?updated_since=${encodeURIComponent(since)}`, { headers: auth(org.testKey) }),
        200,
      );
    }
  });

  it('holds every date field to the same rule: a deadline from year 0 is not a missing calendar', async () => {
    await expectFieldProblem(
      await t.request('/v1/calendar/deadline?from=0000-01-01&business_days=1'),
      '/from',
      'query',
    );
  });

  it('refuses year 0 in a body date and writes nothing', async () => {
    const [before] = await t.sql<{ n: number }[]>`select count(*)::int as n from delegation_requests`;
    await expectFieldProblem(
      await t.request('/v1/delegation-requests', {
        method: 'POST',
        headers: auth(org.testKey),
        json: delegationRequestBody(dni(7301), { valid_until: '0000-01-01' }),
      }),
      '/valid_until',
      'body',
    );
    const [after] = await t.sql<{ n: number }[]>`select count(*)::int as n from delegation_requests`;
    expect(after!.n).toBe(before!.n);
  });

  it('shows a field error on the access log page, not an error page', async () => {
    const res = await t.request('/ciudadania/registro?inicio=0000-01-01', {
      headers: { cookie: `puente_citizen=${citizen}` },
    });
    expect(res.status).toBeLessThan(500);
    expect(await res.text()).toContain('Escriba la fecha como aaaa-mm-dd');
  });
});
