import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestApp, type TestApp } from '../support/app';
import {
  ADMIN_TOKEN,
  auth,
  expectJson,
  expectProblem,
  grantDelegation,
  issueAgencyKey,
  mintToken,
  registerOrg,
  registerVerifiedOrg,
} from '../support/fixtures';
import { consentHeaders, createDraft, FORMS, submitJub } from '../support/procedures';

/**
 * A resolution's amount is stored in euros and cents (`numeric(12, 2)`): an amount with more
 * decimals is refused naming `/amount`, never rounded where it is stored (0.004 became 0).
 */
let t: TestApp;
let agency: string;
beforeAll(async () => {
  t = await createTestApp({ config: { adminToken: ADMIN_TOKEN } });
  agency = await issueAgencyKey(t);
});
afterAll(() => t.close());

const REFUSED = [0.004, 1456.329, 0.001, 1e-7, 1_000_000.01, -0.01];
const SCOPE = { procedure_types: ['JUB'], subjects: [], capacities: ['consult', 'file', 'respond'] };

/** A filed JUB of a new organisation (`live`: a verified one's live procedure, which the agency sees). */
async function filedProcedure(live: boolean) {
  const org = live ? await registerVerifiedOrg(t) : await registerOrg(t);
  const key = live ? org.liveKey! : org.testKey;
  const granted = await grantDelegation(t, key, { scope: SCOPE });
  const token = await mintToken(t, key, granted.delegationId, { lifetime_seconds: 3600 });
  const draft = await createDraft(t, key, token, 'JUB', FORMS.JUB);
  await submitJub(t, key, token, draft.id);
  return { key, token, id: draft.id as string };
}

/**
 * What the procedure's resolution and timeline are now: a refused request must leave both as they
 * were. A resolution's amount is shown once its notification is opened, so this opens it.
 */
async function stateOf(p: { key: string; token: string; id: string }) {
  const read = () => t.request(`/v1/procedures/${p.id}`, { headers: consentHeaders(p.key, p.token) });
  let procedure = await expectJson(await read(), 200);
  if (procedure.resolution?.content_withheld) {
    const opened = `/v1/procedures/${p.id}/notifications/${procedure.resolution.notification_id}/access`;
    await expectJson(await t.request(opened, { method: 'POST', headers: consentHeaders(p.key, p.token) }), 200);
    procedure = await expectJson(await read(), 200);
  }
  const [row] = await t.sql<{ n: number }[]>`
    select count(*)::int as n from procedure_timeline where procedure_id = ${p.id}`;
  return { status: procedure.status, resolution: procedure.resolution, timeline: row!.n };
}

async function expectAmountRefused(res: Response): Promise<void> {
  const problem = await expectProblem(res, 400, 'validation_failed');
  expect(problem.errors).toEqual([expect.objectContaining({ pointer: '/amount', in: 'body' })]);
}

describe('amounts in euros', () => {
  it('the sandbox refuses more than two decimals, and stores two exactly', async () => {
    const p = await filedProcedure(false);
    const before = await stateOf(p);
    for (const amount of REFUSED) {
      await expectAmountRefused(
        await t.request(`/v1/sandbox/procedures/${p.id}/advance`, {
          method: 'POST',
          headers: auth(p.key),
          json: { action: 'approve', message: 'Se reconoce el derecho a la pensión.', amount },
        }),
      );
    }
    expect(await stateOf(p)).toEqual(before);
    await expectJson(
      await t.request(`/v1/sandbox/procedures/${p.id}/advance`, {
        method: 'POST',
        headers: auth(p.key),
        json: { action: 'approve', message: 'Se reconoce el derecho a la pensión.', amount: 1456.32 },
      }),
      200,
    );
    expect((await stateOf(p)).resolution).toMatchObject({ outcome: 'approved', amount: 1456.32 });
  });

  it('the agency refuses more than two decimals when it resolves, and stores two exactly', async () => {
    const p = await filedProcedure(true);
    await expectJson(
      await t.request(`/v1/agency/procedures/${p.id}/admit`, { method: 'POST', headers: auth(agency) }),
      200,
    );
    const before = await stateOf(p);
    for (const amount of REFUSED) {
      await expectAmountRefused(
        await t.request(`/v1/agency/procedures/${p.id}/resolve`, {
          method: 'POST',
          headers: auth(agency),
          json: { outcome: 'approved', text: 'Se reconoce la prestación solicitada.', amount },
        }),
      );
    }
    expect(await stateOf(p)).toEqual(before);
    const resolved = await expectJson(
      await t.request(`/v1/agency/procedures/${p.id}/resolve`, {
        method: 'POST',
        headers: auth(agency),
        json: { outcome: 'approved', text: 'Se reconoce la prestación solicitada.', amount: 1_000_000 },
      }),
      200,
    );
    expect(resolved.resolution).toMatchObject({ amount: 1_000_000 });
    expect((await stateOf(p)).resolution).toMatchObject({ amount: 1_000_000 });
  });
});
