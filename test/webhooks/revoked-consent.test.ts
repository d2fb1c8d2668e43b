import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';

import { legalDay } from '../../api/lib/legal-day';
import { deliverDue } from '../../api/modules/webhooks/delivery';
import { createTestApp, deliveryDeps, type TestApp } from '../support/app';
import {
  ADMIN_TOKEN,
  auth,
  expectJson,
  grantDelegation,
  issueAgencyKey,
  mintToken,
  registerOrg,
  registerVerifiedOrg,
} from '../support/fixtures';
import { ALCALA_APPLICANT } from '../support/places';
import { consentHeaders, createDraft, delegatedDraft, FORMS, submitJub, uploadAll } from '../support/procedures';
import { startReceiver } from '../support/receiver';

/**
 * After a delegation ends (revoked, renounced, expired) or its organisation is suspended, the
 * organisation learns nothing new of that citizen's procedures: no event about them is queued,
 * sent or listed. What it is owed still reaches it: the end of the delegation itself, and the
 * events of the clients it still represents.
 */
let t: TestApp;
let agency: string;
beforeAll(async () => {
  t = await createTestApp({
    now: new Date().toISOString(),
    config: {
      adminToken: ADMIN_TOKEN,
      webhooks: { requireHttps: false, allowPrivateTargets: true, timeoutMs: 2000, leaseSeconds: 60 },
    },
  });
  agency = await issueAgencyKey(t);
});
afterAll(() => t.close());

const deps = () => deliveryDeps(t);

async function drain() {
  while ((await deliverDue(t.sql, deps())) > 0) {
    /* until nothing is due */
  }
}

/** A receiver for the running test only, and the events it has received (parsed). */
async function receiverForTest() {
  const receiver = await startReceiver();
  onTestFinished(() => receiver.close());
  const received = () =>
    receiver.received.map((r) => JSON.parse(r.body) as { id: string; type: string; data: Record<string, unknown> });
  return { ...receiver, events: received };
}

/** A live firm with an endpoint at `url` and a client's JUB filed under a delegation; every delivery so far sent. */
async function firmWithFiledProcedure(url: string) {
  const org = await registerVerifiedOrg(t);
  const hook = await expectJson<{ id: string }>(
    await t.request('/v1/webhook-endpoints', { method: 'POST', headers: auth(org.liveKey), json: { url } }),
    201,
  );
  const g = await delegatedDraft(t, org.liveKey, { capacities: ['consult', 'file', 'respond'] });
  await submitJub(t, org.liveKey, g.token, g.draft.id);
  await drain();
  return { org, hook, g, procedureId: g.draft.id as string };
}

async function resolve(procedureId: string) {
  const res = await t.request(`/v1/agency/procedures/${procedureId}/resolve`, {
    method: 'POST',
    headers: auth(agency),
    json: { outcome: 'approved', text: 'Se reconoce la pensión.', amount: 1412.5 },
  });
  expect(res.status, await res.clone().text()).toBe(200);
}

async function revoke(g: { delegationId: string; citizenToken?: string }) {
  const res = await t.request(`/v1/me/delegations/${g.delegationId}/revoke`, {
    method: 'POST',
    headers: auth(g.citizenToken!),
  });
  expect(res.status, await res.clone().text()).toBe(200);
}

/** Every event of the organisation's feed, following its cursor. */
async function feed(key: string) {
  const events: Array<{ id: string; type: string; data: Record<string, unknown> }> = [];
  let cursor: string | null = null;
  for (;;) {
    const page: { data: typeof events; has_more: boolean; next_cursor: string | null } = await expectJson(
      await t.request(`/v1/events?limit=100${cursor ? `&cursor=${cursor}` : ''}`, { headers: auth(key) }),
      200,
    );
    events.push(...page.data);
    if (!page.has_more) return events;
    cursor = page.next_cursor;
  }
}

/** The events recorded about a procedure, whoever may see them, with their deliveries. */
function recordedAbout(procedureId: string) {
  return t.sql<Array<{ id: string; type: string; deliveries: Array<{ status: string; last_error: string | null }> }>>`
    select e.id, e.type, coalesce(json_agg(json_build_object('status', d.status, 'last_error', d.last_error))
      filter (where d.id is not null), '[]') as deliveries
    from events e left join webhook_deliveries d on d.event_id = e.id
    where e.data->>'procedure_id' = ${procedureId}
    group by e.id, e.seq order by e.seq`;
}

const aboutProcedure = (procedureId: string) => (e: { data: Record<string, unknown> }) =>
  e.data.procedure_id === procedureId;

describe('events about a procedure after its delegation ends', () => {
  it('neither queues nor lists what happens after the citizen revoked, and still tells of the revocation', async () => {
    const receiver = await receiverForTest();
    const { org, g, procedureId } = await firmWithFiledProcedure(receiver.url);
    expect(receiver.events().map((e) => e.type)).toContain('procedure.submitted');
    await revoke(g);
    const refused = await t.request(`/v1/procedures/${procedureId}`, {
      headers: consentHeaders(org.liveKey, g.token),
    });
    expect(refused.status).toBe(403);
    await resolve(procedureId);
    await drain();

    // The resolution was recorded (the agency acted), but no delivery was queued for it.
    const recorded = await recordedAbout(procedureId);
    const resolved = recorded.find((e) => e.type === 'procedure.resolved')!;
    expect(resolved).toBeDefined();
    expect(resolved.deliveries).toEqual([]);
    expect(recorded.find((e) => e.type === 'notification.available')!.deliveries).toEqual([]);

    const sent = receiver.events();
    expect(sent.filter((e) => e.type === 'procedure.resolved')).toEqual([]);
    expect(sent.filter(aboutProcedure(procedureId)).map((e) => e.type)).not.toContain('notification.available');
    expect(sent.find((e) => e.type === 'delegation.revoked')?.data).toMatchObject({ delegation_id: g.delegationId });

    const listed = await feed(org.liveKey);
    expect(listed.filter(aboutProcedure(procedureId))).toEqual([]);
    expect(listed.map((e) => e.type)).toContain('delegation.revoked');
    const hidden = await t.request(`/v1/events/${resolved.id}`, { headers: auth(org.liveKey) });
    expect(hidden.status).toBe(404);
  });

  it('does not send a delivery queued before the revocation: it fails unsent, saying why', async () => {
    const receiver = await receiverForTest();
    const { org, hook, g, procedureId } = await firmWithFiledProcedure(receiver.url);
    await resolve(procedureId);
    const queued = (await recordedAbout(procedureId)).find((e) => e.type === 'procedure.resolved')!;
    expect(queued.deliveries).toEqual([{ status: 'pending', last_error: null }]);
    await revoke(g);
    await drain();

    expect(receiver.events().filter((e) => e.type === 'procedure.resolved')).toEqual([]);
    expect(receiver.events().map((e) => e.type)).toContain('delegation.revoked');
    const log = await expectJson<{ data: Array<{ id: string; event_id: string; status: string; attempts: any[] }> }>(
      await t.request(`/v1/webhook-endpoints/${hook.id}/deliveries?limit=100`, { headers: auth(org.liveKey) }),
      200,
    );
    const given = log.data.find((d) => d.event_id === queued.id)!;
    expect(given.status).toBe('failed');
    expect(given.attempts).toEqual([expect.objectContaining({ status_code: null, error: 'consent not in force' })]);

    // A retry asked for by hand is judged again, and not sent either.
    const retried = await t.request(`/v1/webhook-endpoints/${hook.id}/deliveries/${given.id}/retry`, {
      method: 'POST',
      headers: auth(org.liveKey),
    });
    expect(retried.status).toBe(202);
    await drain();
    expect(receiver.events().filter((e) => e.type === 'procedure.resolved')).toEqual([]);
    expect((await feed(org.liveKey)).filter(aboutProcedure(procedureId))).toEqual([]);
  });

  it('stops likewise when the firm renounces, or the delegation reaches its last day', async () => {
    const receiver = await receiverForTest();
    const renounced = await firmWithFiledProcedure(receiver.url);
    expect(
      (
        await t.request(`/v1/delegations/${renounced.g.delegationId}/renounce`, {
          method: 'POST',
          headers: auth(renounced.org.liveKey),
        })
      ).status,
    ).toBe(200);
    await resolve(renounced.procedureId);
    await drain();
    expect(receiver.events().filter((e) => e.type === 'procedure.resolved')).toEqual([]);
    expect((await feed(renounced.org.liveKey)).filter(aboutProcedure(renounced.procedureId))).toEqual([]);

    // A delegation is over the day after its valid_until, before any job closes it.
    const org = await registerVerifiedOrg(t);
    await expectJson(
      await t.request('/v1/webhook-endpoints', {
        method: 'POST',
        headers: auth(org.liveKey),
        json: { url: receiver.url },
      }),
      201,
    );
    const expiring = await grantDelegation(t, org.liveKey, {
      validUntil: legalDay(new Date(t.clock.now().getTime() + 86_400_000)),
    });
    const token = await mintToken(t, org.liveKey, expiring.delegationId);
    const draft = await createDraft(t, org.liveKey, token, 'JUB', FORMS.JUB);
    await submitJub(t, org.liveKey, token, draft.id);
    await drain();
    const sentBefore = receiver.events().filter(aboutProcedure(draft.id));
    expect(sentBefore.map((e) => e.type)).toContain('procedure.submitted');
    t.clock.advance(3 * 86_400_000);
    try {
      await resolve(draft.id);
      await drain();
      expect(receiver.events().filter(aboutProcedure(draft.id))).toEqual(sentBefore);
      expect((await feed(org.liveKey)).filter(aboutProcedure(draft.id))).toEqual([]);
    } finally {
      t.clock.advance(-3 * 86_400_000);
    }
  });
});

describe('events of a suspended organisation', () => {
  it('sends nothing while suspended, and after reinstatement lists nothing of the suspended clients', async () => {
    const receiver = await receiverForTest();
    const { org, hook, g, procedureId } = await firmWithFiledProcedure(receiver.url);
    const second = await delegatedDraft(t, org.liveKey, { capacities: ['consult', 'file', 'respond'] });
    await submitJub(t, org.liveKey, second.token, second.draft.id);
    await drain();
    const before = receiver.received.length;

    // Queued before the suspension, then the suspension, then another resolution.
    await resolve(procedureId);
    await t.request(`/v1/webhook-endpoints/${hook.id}/test`, { method: 'POST', headers: auth(org.liveKey) });
    const suspended = await t.request(`/v1/admin/organizations/${org.id}/suspend`, {
      method: 'POST',
      headers: auth(ADMIN_TOKEN),
      json: { reason: 'Investigación en curso.' },
    });
    expect(suspended.status, await suspended.clone().text()).toBe(200);
    await resolve(second.draft.id);
    await drain();

    expect(receiver.received).toHaveLength(before);
    const [queued] = (await recordedAbout(procedureId)).filter((e) => e.type === 'procedure.resolved');
    expect(queued!.deliveries).toEqual([{ status: 'failed', last_error: 'organization suspended' }]);
    expect((await recordedAbout(second.draft.id)).find((e) => e.type === 'procedure.resolved')!.deliveries).toEqual([]);
    const [pending] = await t.sql<{ count: number }[]>`
      select count(*)::int as count from webhook_deliveries where endpoint_id = ${hook.id} and status = 'pending'`;
    expect(pending!.count).toBe(0);

    const reinstated = await t.request(`/v1/admin/organizations/${org.id}/reinstate`, {
      method: 'POST',
      headers: auth(ADMIN_TOKEN),
    });
    expect(reinstated.status, await reinstated.clone().text()).toBe(200);
    // Its delegations stay suspended: nothing new of those clients, now or when retried by hand.
    const log = await expectJson<{ data: Array<{ id: string; event_id: string }> }>(
      await t.request(`/v1/webhook-endpoints/${hook.id}/deliveries?limit=100`, { headers: auth(org.liveKey) }),
      200,
    );
    const delivery = log.data.find((d) => d.event_id === queued!.id)!;
    await t.request(`/v1/webhook-endpoints/${hook.id}/deliveries/${delivery.id}/retry`, {
      method: 'POST',
      headers: auth(org.liveKey),
    });
    await drain();
    expect(receiver.events().filter((e) => e.type === 'procedure.resolved')).toEqual([]);
    const listed = await feed(org.liveKey);
    expect(listed.filter((e) => e.type === 'procedure.resolved')).toEqual([]);
    expect(
      listed
        .filter((e) => e.type === 'delegation.suspended')
        .map((e) => e.data.delegation_id)
        .sort(),
    ).toEqual([g.delegationId, second.delegationId].sort());
  });
});

describe('a non-practising organisation', () => {
  it("is told nothing of its clients' procedures: no list items, no feed items, no deliveries", async () => {
    const receiver = await receiverForTest();
    const { org, g, procedureId } = await firmWithFiledProcedure(receiver.url);
    const listed = async () =>
      (
        await expectJson<{ data: Array<{ id: string }> }>(
          await t.request('/v1/procedures', { headers: auth(org.liveKey) }),
          200,
        )
      ).data.map((p) => p.id);
    expect(await listed()).toEqual([procedureId]);

    // The colegio lists it as no ejerciente: a consented read is refused, and nothing else tells it more.
    await t.sql`update organizations set practising = false where id = ${org.id}`;
    const refused = await t.request(`/v1/procedures/${procedureId}`, { headers: consentHeaders(org.liveKey, g.token) });
    expect(refused.status).toBe(403);
    expect(await listed()).toEqual([]);
    await resolve(procedureId);
    await drain();
    expect(receiver.events().filter((e) => e.type === 'procedure.resolved')).toEqual([]);
    const resolved = (await recordedAbout(procedureId)).find((e) => e.type === 'procedure.resolved')!;
    expect(resolved.deliveries).toEqual([]);
    expect((await feed(org.liveKey)).filter(aboutProcedure(procedureId))).toEqual([]);

    // Practising again, its clients' procedures are its to follow again.
    await t.sql`update organizations set practising = true where id = ${org.id}`;
    expect(await listed()).toEqual([procedureId]);
    expect((await feed(org.liveKey)).filter(aboutProcedure(procedureId)).map((e) => e.type)).toContain(
      'procedure.resolved',
    );
  });
});

describe('what the end of one delegation leaves alone', () => {
  it("still delivers and lists the firm's other clients and other firms' events", async () => {
    const receiver = await receiverForTest();
    const other = await receiverForTest();
    const { org, g, procedureId } = await firmWithFiledProcedure(receiver.url);
    const client = await delegatedDraft(t, org.liveKey, { capacities: ['consult', 'file', 'respond'] });
    await submitJub(t, org.liveKey, client.token, client.draft.id);
    const firm = await firmWithFiledProcedure(other.url);
    await revoke(g);
    await resolve(procedureId);
    await resolve(client.draft.id);
    await resolve(firm.procedureId);
    await drain();

    const resolvedOf = (events: Array<{ type: string; data: Record<string, unknown> }>) =>
      events.filter((e) => e.type === 'procedure.resolved').map((e) => e.data.procedure_id);
    expect(resolvedOf(receiver.events())).toEqual([client.draft.id]);
    expect(resolvedOf(await feed(org.liveKey))).toEqual([client.draft.id]);
    expect(resolvedOf(other.events())).toEqual([firm.procedureId]);
    expect(resolvedOf(await feed(firm.org.liveKey))).toEqual([firm.procedureId]);
    // The outcome, not the amount: that is the client's contents, read under their consent.
    expect(receiver.events().find((e) => e.type === 'procedure.resolved')!.data).toEqual({
      procedure_id: client.draft.id,
      type: 'JUB',
      status: 'approved',
      outcome: 'approved',
    });
  });
});

describe('a calendar change', () => {
  // Monday 4 May 2026: a 30-business-day term from then runs into June, where the new local day falls.
  let cal: TestApp;
  beforeAll(async () => {
    cal = await createTestApp({ config: { adminToken: ADMIN_TOKEN }, now: '2026-05-04T08:00:00Z' });
  });
  afterAll(() => cal.close());

  /** A client's NCM filed in Alcalá de Henares under a delegation to the organisation of `key`. */
  async function filedNcm(key: string) {
    const granted = await grantDelegation(cal, key, {
      scope: { procedure_types: ['NCM'], subjects: [], capacities: ['consult', 'file'] },
    });
    const token = await mintToken(cal, key, granted.delegationId);
    const draft = await createDraft(cal, key, token, 'NCM', { ...FORMS.NCM, applicant: ALCALA_APPLICANT });
    await uploadAll(cal, key, token, draft.id, [
      'DNI_NIE',
      'BIRTH_CERT',
      'MEDICAL_REPORT',
      'COMPANY_CERT',
      'IBAN_CERT',
    ]);
    await expectJson(
      await cal.request(`/v1/procedures/${draft.id}/submit`, { method: 'POST', headers: consentHeaders(key, token) }),
      200,
    );
    return { delegationId: granted.delegationId, procedureId: draft.id as string };
  }

  it('names to each organisation only the procedures it still follows', async () => {
    const org = await registerOrg(cal);
    const ended = await filedNcm(org.testKey);
    const kept = await filedNcm(org.testKey);
    expect(
      (
        await cal.request(`/v1/delegations/${ended.delegationId}/renounce`, {
          method: 'POST',
          headers: auth(org.testKey),
        })
      ).status,
    ).toBe(200);
    const res = await cal.request('/v1/admin/calendar/years/2026/municipalities/28005', {
      method: 'PUT',
      headers: auth(ADMIN_TOKEN),
      json: {
        days: [{ date: '2026-06-11', name: 'Fiesta local', source: 'BOCM', confidence: 'A' }],
        reason: 'Fiestas locales de Alcalá de Henares para 2026, publicadas en el BOCM.',
      },
    });
    expect((await expectJson(res, 200)).procedures_recomputed).toBe(2);
    const feed = await expectJson<{ data: Array<{ type: string; data: Record<string, unknown> }> }>(
      await cal.request('/v1/events?limit=100', { headers: auth(org.testKey) }),
      200,
    );
    const changed = feed.data.filter((e) => e.type === 'calendar.holidays_changed');
    expect(changed.map((e) => e.data.procedure_ids)).toEqual([[kept.procedureId]]);
  });

  it('and, once a delegation ends after the change, no longer names its procedures; none left, no event', async () => {
    const org = await registerOrg(cal);
    const first = await filedNcm(org.testKey);
    const second = await filedNcm(org.testKey);
    const res = await cal.request('/v1/admin/calendar/years/2026/municipalities/28005', {
      method: 'PUT',
      headers: auth(ADMIN_TOKEN),
      json: {
        days: [
          { date: '2026-06-11', name: 'Fiesta local', source: 'BOCM', confidence: 'A' },
          { date: '2026-06-12', name: 'Fiesta local', source: 'BOCM', confidence: 'A' },
        ],
        reason: 'Corrección de las fiestas locales de Alcalá de Henares para 2026 (BOCM).',
      },
    });
    expect((await expectJson(res, 200)).procedures_recomputed).toBeGreaterThanOrEqual(2);
    const changes = async () =>
      (
        await expectJson<{ data: Array<{ id: string; type: string; data: Record<string, unknown> }> }>(
          await cal.request('/v1/events?type=calendar.holidays_changed&limit=100', { headers: auth(org.testKey) }),
          200,
        )
      ).data;
    const [event] = await changes();
    expect(new Set(event!.data.procedure_ids as string[])).toEqual(new Set([first.procedureId, second.procedureId]));
    const renounce = (delegationId: string) =>
      cal.request(`/v1/delegations/${delegationId}/renounce`, { method: 'POST', headers: auth(org.testKey) });
    expect((await renounce(first.delegationId)).status).toBe(200);
    expect((await changes()).map((e) => e.data.procedure_ids)).toEqual([[second.procedureId]]);
    const retrieved = await expectJson<{ data: Record<string, unknown> }>(
      await cal.request(`/v1/events/${event!.id}`, { headers: auth(org.testKey) }),
      200,
    );
    expect(retrieved.data.procedure_ids).toEqual([second.procedureId]);
    expect((await renounce(second.delegationId)).status).toBe(200);
    expect(await changes()).toEqual([]);
    expect((await cal.request(`/v1/events/${event!.id}`, { headers: auth(org.testKey) })).status).toBe(404);
  });
});
