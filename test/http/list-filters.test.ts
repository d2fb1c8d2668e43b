import { describe, expect, it } from 'vitest';

import { fileTestApp } from '../support/app';
import { ADMIN_TOKEN, auth, expectJson, expectProblem, issueAgencyKey, registerOrg } from '../support/fixtures';

const t = await fileTestApp({ config: { adminToken: ADMIN_TOKEN } });

describe('list filters refuse a value that can match nothing, naming it', () => {
  it('an event type that does not exist (a family that does is taken)', async () => {
    const org = await registerOrg(t);
    const refused = await expectProblem(
      await t.request('/v1/events?type=procedure.bogus', { headers: auth(org.testKey) }),
      400,
      'validation_failed',
    );
    expect(refused.errors).toEqual([expect.objectContaining({ pointer: '/type', in: 'query' })]);
    for (const type of ['procedure.*', 'delegation.revoked'])
      await expectJson(await t.request(`/v1/events?type=${type}`, { headers: auth(org.testKey) }), 200);
  });

  it("the agency queue's status: a draft never reaches the agency", async () => {
    const agencyKey = await issueAgencyKey(t);
    const refused = await expectProblem(
      await t.request('/v1/agency/procedures?status=draft', { headers: auth(agencyKey) }),
      400,
      'validation_failed',
    );
    expect(refused.errors).toEqual([expect.objectContaining({ pointer: '/status', in: 'query' })]);
    await expectJson(await t.request('/v1/agency/procedures?status=in_review', { headers: auth(agencyKey) }), 200);
  });
});
