import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CalendarStore } from '../../api/modules/calendar/store';
import { runScheduler } from '../../api/modules/events/scheduler';
import { createTestApp, type TestApp } from '../support/app';
import {
  ADMIN_TOKEN,
  auth,
  citizenToken,
  expectProblem,
  issueAgencyKey,
  mintToken,
  registerOrg,
  registerVerifiedOrg,
} from '../support/fixtures';
import { consentHeaders, delegatedDraft, submitJub, upload } from '../support/procedures';

// Every expected date below is counted by hand on the calendar of the applicant's community
// (Madrid, MD) for 2026: weekends, 2 April (Jueves Santo, MD) and 3 April (Viernes Santo, national).

let t: TestApp;
let agencyKey: string;
beforeAll(async () => {
  t = await createTestApp({ config: { adminToken: ADMIN_TOKEN }, now: '2026-03-02T09:00:00Z' });
  agencyKey = await issueAgencyKey(t);
});
afterAll(() => t.close());

/** 10:00 in Madrid (CET, UTC+1, until 29 March; CEST, UTC+2, after). */
const at = (day: string) => `${day}T${day < '2026-03-29' ? '09' : '08'}:00:00Z`;
const json = async (res: Response) => {
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return (await res.json()) as Record<string, any>;
};

interface Filed {
  id: string;
  key: string;
  idNumber: string;
  /** A consent token minted now (for an hour unless told otherwise). */
  mint(body?: Record<string, unknown>): Promise<string>;
  /** Fresh consent headers at the current clock (tokens live minutes). */
  headers(): Promise<Record<string, string>>;
}

/** A JUB filed on Monday 2 March 2026 by an organisation for a client in Madrid, live or test. */
async function fileJub(live: boolean): Promise<Filed> {
  t.clock.set(at('2026-03-02'));
  const org = live ? await registerVerifiedOrg(t) : await registerOrg(t);
  const key = live ? org.liveKey! : org.testKey;
  const { token, draft, idNumber, delegationId } = await delegatedDraft(t, key, {
    capacities: ['consult', 'file', 'respond'],
  });
  await submitJub(t, key, token, draft.id);
  const mint = (body: Record<string, unknown> = { lifetime_seconds: 3600 }) => mintToken(t, key, delegationId, body);
  return { id: draft.id, key, idNumber, mint, headers: async () => consentHeaders(key, await mint()) };
}

async function requireDocuments(p: Filed, day: string): Promise<Record<string, any>> {
  t.clock.set(at(day));
  return json(
    await t.request(`/v1/agency/procedures/${p.id}/requirements`, {
      method: 'POST',
      headers: auth(agencyKey),
      json: { kinds: ['COMPANY_CERT'], message: 'Falta el certificado de empresa con la fecha de cese.' },
    }),
  );
}

const procedure = async (p: Filed) => json(await t.request(`/v1/procedures/${p.id}`, { headers: await p.headers() }));
const notifications = async (p: Filed) =>
  (await json(await t.request(`/v1/procedures/${p.id}/notifications`, { headers: await p.headers() }))).data as any[];
const events = async (p: Filed, type: string) =>
  ((await json(await t.request(`/v1/events?type=${type}&limit=100`, { headers: auth(p.key) }))).data as any[]).filter(
    (e) => e.data.procedure_id === p.id,
  );
/** The sandbox plays the agency: moves the procedure on by `action`. */
const advance = (p: Filed, action: string) =>
  t.request(`/v1/sandbox/procedures/${p.id}/advance`, { method: 'POST', headers: auth(p.key), json: { action } });
/** The data of the one event of `type` about the procedure; fails unless there is exactly one. */
async function onlyEvent(p: Filed, type: string): Promise<any> {
  const found = await events(p, type);
  expect(found).toHaveLength(1);
  return found[0].data;
}
/** Two scheduler passes at once, then a third: each fact must be emitted once. */
async function schedule(day: string): Promise<void> {
  t.clock.set(at(day));
  await Promise.all([
    runScheduler(t.sql, t.clock.now(), new CalendarStore()),
    runScheduler(t.sql, t.clock.now(), new CalendarStore()),
  ]);
  await runScheduler(t.sql, t.clock.now(), new CalendarStore());
}

describe('a requirement never opened', () => {
  it('is deemed rejected on the 10th natural day; its term runs from the next day; withdrawal is refused a day early and declared on the right day', async () => {
    const p = await fileJub(true);
    // Made available on Tuesday 10 March: 10 días naturales (11, 12, …, 20) → deemed rejected on Friday 20 March.
    const required = await requireDocuments(p, '2026-03-10');
    expect(required.status).toBe('action_required');
    expect(required.requirements[0]).toMatchObject({
      deadline: null,
      term_starts: 'on_access_or_deemed_rejection',
      deemed_rejected_on: '2026-03-20',
      counting_from: null,
    });
    expect(required.deadlines).toMatchObject({
      requirement_deadline: null,
      awaiting_notification: { kind: 'requirement', deemed_rejected_on: '2026-03-20' },
    });
    const [available] = await notifications(p);
    expect(available).toMatchObject({
      kind: 'requirement',
      status: 'available',
      accessed_at: null,
      deemed_rejected_on: '2026-03-20',
      content: null,
    });
    expect(available.term).toMatchObject({
      basis: 'requirement',
      starts: 'on_access_or_deemed_rejection',
      deadline: null,
    });
    expect(await onlyEvent(p, 'notification.available')).toEqual({
      notification_id: available.id,
      procedure_id: p.id,
      type: 'JUB',
      kind: 'requirement',
      made_available_at: '2026-03-10T09:00:00.000Z',
      deemed_rejected_on: '2026-03-20',
      term_deadline: null,
    });

    // Three días naturales before (17 March) the representative is warned; not on the 16th.
    await schedule('2026-03-16');
    expect(await events(p, 'notification.deemed_rejection_approaching')).toHaveLength(0);
    await schedule('2026-03-17');
    await schedule('2026-03-18');
    expect(await onlyEvent(p, 'notification.deemed_rejection_approaching')).toMatchObject({
      notification_id: available.id,
      deemed_rejected_on: '2026-03-20',
      term_deadline: null,
    });

    // 20 March is still within the period: not running yet.
    await schedule('2026-03-20');
    expect((await procedure(p)).deadlines.requirement_deadline).toBe(null);
    expect(await events(p, 'notification.deemed_rejected')).toHaveLength(0);

    // Saturday 21 March: deemed rejected on the 20th; counting from the 21st, 10 días hábiles:
    // 23, 24, 25, 26, 27, 30, 31 March, 1 April, (2 and 3 April holidays) 6, 7 April → 7 April.
    await schedule('2026-03-21');
    expect(await onlyEvent(p, 'notification.deemed_rejected')).toMatchObject({
      notification_id: available.id,
      kind: 'requirement',
      type: 'JUB',
      deemed_rejected_on: '2026-03-20',
      term_deadline: '2026-04-07',
    });
    const afterRejection = await procedure(p);
    expect(afterRejection.deadlines).toMatchObject({ requirement_deadline: '2026-04-07', awaiting_notification: null });
    expect(afterRejection.requirements[0]).toMatchObject({
      deadline: '2026-04-07',
      term_starts: 'after_deemed_rejection',
      counting_from: '2026-03-21',
      status: 'open',
    });
    const [deemed] = await notifications(p);
    expect(deemed).toMatchObject({ status: 'deemed_rejected', accessed_at: null });
    expect(deemed.deemed_rejected_at).not.toBe(null);
    expect(deemed.term).toMatchObject({
      starts: 'after_deemed_rejection',
      counting_from: '2026-03-21',
      deadline: '2026-04-07',
    });

    // Opening it late changes no date (the term already runs from the deemed rejection).
    const late = await json(
      await t.request(`/v1/procedures/${p.id}/notifications/${available.id}/access`, {
        method: 'POST',
        headers: await p.headers(),
      }),
    );
    expect(late).toMatchObject({ status: 'deemed_rejected', term: { deadline: '2026-04-07' } });
    expect(late.content).toMatchObject({ kinds: ['COMPANY_CERT'] });

    // On the last day of the term (7 April) the withdrawal cannot be declared yet.
    await schedule('2026-04-07');
    expect(await events(p, 'requirement.expired')).toHaveLength(0);
    const early = await expectProblem(
      await t.request(`/v1/agency/procedures/${p.id}/withdrawal-declaration`, {
        method: 'POST',
        headers: auth(agencyKey),
      }),
      409,
      'term_not_elapsed',
    );
    expect(early).toMatchObject({ term_deadline: '2026-04-07', earliest_on: '2026-04-08' });
    expect((await procedure(p)).status).toBe('action_required');

    // 8 April: the term passed unanswered, once.
    await schedule('2026-04-08');
    expect(await onlyEvent(p, 'requirement.expired')).toMatchObject({
      requirement_id: required.requirements[0].id,
      deadline: '2026-04-07',
    });
    expect((await procedure(p)).requirements[0].status).toBe('expired');
    const withdrawn = await json(
      await t.request(`/v1/agency/procedures/${p.id}/withdrawal-declaration`, {
        method: 'POST',
        headers: auth(agencyKey),
      }),
    );
    expect(withdrawn.status).toBe('withdrawn');
    await expectProblem(
      await t.request(`/v1/agency/procedures/${p.id}/withdrawal-declaration`, {
        method: 'POST',
        headers: auth(agencyKey),
      }),
      409,
      'invalid_state_transition',
    );
    const declared = await onlyEvent(p, 'procedure.withdrawal_declared');
    const all = await notifications(p);
    expect(all.map((n) => n.kind)).toEqual(['requirement', 'withdrawal_declaration']);
    expect(declared).toMatchObject({
      status: 'withdrawn',
      notification_id: all[1].id,
      requirement_deadline: '2026-04-07',
    });
    expect(all[1]).toMatchObject({ status: 'available', deemed_rejected_on: '2026-04-20' }); // 8 April + 10 días naturales = Saturday 18 → Monday 20 April (art. 30.5)
    const timeline = (
      await json(await t.request(`/v1/procedures/${p.id}/timeline`, { headers: await p.headers() }))
    ).data.map((e: any) => e.action);
    expect(timeline.slice(-5)).toEqual([
      'requirement_issued',
      'notification_deemed_rejected',
      'notification_accessed',
      'requirement_expired',
      'withdrawal_declared',
    ]);
  });
});

describe('a requirement opened on day 3', () => {
  it("runs from day 4, is recorded in the citizen's access log, and is never deemed rejected", async () => {
    const p = await fileJub(true);
    const required = await requireDocuments(p, '2026-03-10'); // day 1: Tuesday 10 March
    const [n] = await notifications(p);
    expect((await procedure(p)).deadlines.requirement_deadline).toBe(null);

    // Day 3: Thursday 12 March. Counting starts Friday 13: 13, 16, 17, 18, 19, 20, 23, 24, 25, 26 March → 26 March.
    t.clock.set('2026-03-12T11:30:00Z');
    const opened = await json(
      await t.request(`/v1/procedures/${p.id}/notifications/${n.id}/access`, {
        method: 'POST',
        headers: await p.headers(),
      }),
    );
    expect(opened).toMatchObject({
      status: 'accessed',
      accessed_at: '2026-03-12T11:30:00.000Z',
      term: { starts: 'after_access', counting_from: '2026-03-13', deadline: '2026-03-26' },
    });
    expect(opened.accessed_by_member_id).toMatch(/^mem_/);
    expect(opened.content).toEqual({
      requirement_id: required.requirements[0].id,
      kinds: ['COMPANY_CERT'],
      message: 'Falta el certificado de empresa con la fecha de cese.',
    });
    expect((await procedure(p)).deadlines).toMatchObject({
      requirement_deadline: '2026-03-26',
      awaiting_notification: null,
    });

    // Opening again is harmless: same first access.
    t.clock.set('2026-03-13T09:00:00Z');
    const again = await json(
      await t.request(`/v1/procedures/${p.id}/notifications/${n.id}/access`, {
        method: 'POST',
        headers: await p.headers(),
      }),
    );
    expect(again.accessed_at).toBe('2026-03-12T11:30:00.000Z');
    expect(await onlyEvent(p, 'notification.accessed')).toEqual({
      notification_id: n.id,
      procedure_id: p.id,
      type: 'JUB',
      kind: 'requirement',
      made_available_at: '2026-03-10T09:00:00.000Z',
      deemed_rejected_on: '2026-03-20',
      term_deadline: '2026-03-26',
    });

    // The citizen sees who opened it.
    const log = (
      await json(await t.request('/v1/me/access-log?limit=100', { headers: auth(await citizenToken(t, p.idNumber)) }))
    ).data as any[];
    const openings = log.filter((e) => e.action === 'notification.accessed');
    expect(openings).toHaveLength(2);
    // Each opening names the notification it opened.
    expect(openings[0]).toMatchObject({ resource: { type: 'notification', id: n.id } });

    // The 5-day extension counts from the same start: 27, 30, 31 March, 1, (2, 3) 6 April → 6 April.
    const extended = await json(
      await t.request(`/v1/procedures/${p.id}/requirements/${required.requirements[0].id}/response`, {
        method: 'POST',
        headers: await p.headers(),
        json: { request_extension: true },
      }),
    );
    expect(extended.requirements[0]).toMatchObject({ extended: true, deadline: '2026-04-06' });
    // The citizen's record of accesses says what the firm did, in words.
    const exported = await t.request('/v1/me/access-log/export?format=csv&limit=100', {
      headers: auth(await citizenToken(t, p.idNumber)),
    });
    expect(await exported.text()).toContain('Pidió más plazo para responder a un requerimiento');

    // Opened in time: no deemed rejection, ever.
    await schedule('2026-03-21');
    expect(await events(p, 'notification.deemed_rejected')).toHaveLength(0);
    expect(await events(p, 'notification.deemed_rejection_approaching')).toHaveLength(0);
  });

  it('a consent token without consult cannot open it', async () => {
    const p = await fileJub(false);
    const token = await p.mint();
    await json(await advance(p, 'require'));
    const narrow = await p.mint({ capacities: ['file'] });
    const list = (
      await json(await t.request(`/v1/procedures/${p.id}/notifications`, { headers: consentHeaders(p.key, token) }))
    ).data as any[];
    await expectProblem(
      await t.request(`/v1/procedures/${p.id}/notifications/${list[0].id}/access`, {
        method: 'POST',
        headers: consentHeaders(p.key, narrow),
      }),
      403,
      'scope_insufficient',
    );
    // A notification that is not there is refused by the gate: 404, and nothing in the citizen's access log.
    const logged = async () =>
      (await t.sql<{ n: number }[]>`select count(*)::int as n from access_log where resource_id = 'ntf_missing'`)[0]!.n;
    await expectProblem(
      await t.request(`/v1/procedures/${p.id}/notifications/ntf_missing/access`, {
        method: 'POST',
        headers: consentHeaders(p.key, token),
      }),
      404,
      'not_found',
    );
    await expectProblem(
      await t.request(`/v1/procedures/${p.id}/notifications/ntf_missing`, {
        headers: consentHeaders(p.key, token),
      }),
      404,
      'not_found',
    );
    expect(await logged()).toBe(0);
    expect(
      (
        await json(
          await t.request(`/v1/procedures/${p.id}/notifications/${list[0].id}`, {
            headers: consentHeaders(p.key, token),
          }),
        )
      ).accessed_at,
    ).toBe(null);
  });
});

describe('the resolution clock and a requirement opened on day 10', () => {
  it('keeps running until the requirement is notified, and stops only from then until it is answered', async () => {
    const p = await fileJub(true);
    // Filed Monday 2 March: 90 días hábiles in Madrid (2 and 3 April, 1 and 15 May skipped) → Friday 10 July.
    expect((await procedure(p)).deadlines.max_resolution_date).toBe('2026-07-10');
    const required = await requireDocuments(p, '2026-03-10'); // made available Tuesday 10 March
    const requirementId = required.requirements[0].id;
    // Opened on Thursday 19 March, within the 10 días naturales: the requirement is notified that day (art. 43.2).
    t.clock.set(at('2026-03-19'));
    const [n] = await notifications(p);
    await json(
      await t.request(`/v1/procedures/${p.id}/notifications/${n.id}/access`, {
        method: 'POST',
        headers: await p.headers(),
      }),
    );
    // Answered on Monday 23 March.
    t.clock.set(at('2026-03-23'));
    expect((await upload(t, p.key, await p.mint(), p.id, 'COMPANY_CERT')).status).toBe(201);
    const answered = await json(
      await t.request(`/v1/procedures/${p.id}/requirements/${requirementId}/response`, {
        method: 'POST',
        headers: await p.headers(),
        json: { message: 'Se aporta el certificado de empresa.' },
      }),
    );
    // Suspended between the notification (19 March) and the answer (23 March), art. 22.1.a: the días
    // hábiles lost are 20 and 23 March, so 10 July moves two días hábiles → Tuesday 14 July. The
    // days the notification waited unopened (11 to 19 March) do not stop the clock.
    expect(answered.status).toBe('in_review');
    expect(answered.deadlines).toMatchObject({ clock: 'running', max_resolution_date: '2026-07-14' });
  });
});

describe('caducidad through the sandbox', () => {
  it('refuses the declaration before three months after the warning and accepts it after', async () => {
    const p = await fileJub(false);
    t.clock.set(at('2026-03-09'));
    await json(await advance(p, 'admit'));
    await expectProblem(await advance(p, 'declare_lapse'), 409, 'conflict'); // no warning yet
    await expectProblem(await advance(p, 'declare_withdrawal'), 409, 'invalid_state_transition'); // no requirement: in_review
    // In review the applicant has nothing to answer: no standstill of theirs to warn of.
    await expectProblem(await advance(p, 'warn_lapse'), 409, 'invalid_state_transition');

    // Required on the 9th, then warned on Tuesday 10 March, opened the same day: three months date
    // to date → 10 June (Wednesday, hábil).
    await json(await advance(p, 'require'));
    t.clock.set(at('2026-03-10'));
    await json(await advance(p, 'warn_lapse'));
    const warning = (await notifications(p)).find((n) => n.kind === 'lapse_warning');
    expect(warning.term).toMatchObject({ basis: 'lapse_warning', deadline: null });
    const opened = await json(
      await t.request(`/v1/procedures/${p.id}/notifications/${warning.id}/access`, {
        method: 'POST',
        headers: await p.headers(),
      }),
    );
    expect(opened.term).toMatchObject({ starts: 'after_access', deadline: '2026-06-10' });
    expect(await events(p, 'procedure.lapse_warned')).toHaveLength(1);

    t.clock.set(at('2026-06-10'));
    const early = await expectProblem(await advance(p, 'declare_lapse'), 409, 'term_not_elapsed');
    expect(early).toMatchObject({ term_deadline: '2026-06-10', earliest_on: '2026-06-11' });

    t.clock.set(at('2026-06-11'));
    const lapsed = await json(await advance(p, 'declare_lapse'));
    expect(lapsed.status).toBe('lapsed');
    expect(await events(p, 'procedure.lapsed')).toHaveLength(1);
    expect((await notifications(p)).map((n) => n.kind)).toEqual(['requirement', 'lapse_warning', 'lapse_declaration']);
    const timeline = (
      await json(await t.request(`/v1/procedures/${p.id}/timeline`, { headers: await p.headers() }))
    ).data.map((e: any) => e.action);
    expect(timeline.slice(-3)).toEqual(['lapse_warned', 'notification_accessed', 'lapse_declared']);
    await expectProblem(await advance(p, 'warn_lapse'), 409, 'invalid_state_transition');
  });

  it('a representative who acts after the warning ends the standstill', async () => {
    const p = await fileJub(false);
    t.clock.set(at('2026-03-10'));
    await json(await advance(p, 'require'));
    await json(await advance(p, 'warn_lapse'));
    // Asking for the extension shows knowledge of the requirement (art. 40.3) and is an act of the applicant.
    t.clock.set(at('2026-03-11'));
    const requirementId = (await procedure(p)).requirements[0].id;
    await json(
      await t.request(`/v1/procedures/${p.id}/requirements/${requirementId}/response`, {
        method: 'POST',
        headers: await p.headers(),
        json: { request_extension: true },
      }),
    );
    // Counting from 12 March, 15 días hábiles: 12, 13, 16, 17, 18, 19, 20, 23, 24, 25, 26, 27, 30, 31 March, 1 April → 1 April.
    expect((await procedure(p)).requirements[0]).toMatchObject({ term_starts: 'after_access', deadline: '2026-04-01' });
    // Warning unopened (made available 10 March → deemed rejected 20 March, effective then): 20 June is a Saturday → Monday 22 June.
    t.clock.set(at('2026-06-23'));
    await expectProblem(await advance(p, 'declare_lapse'), 409, 'conflict');
    // The requirement's term did pass: the withdrawal is declarable.
    const withdrawn = await json(await advance(p, 'declare_withdrawal'));
    expect(withdrawn.status).toBe('withdrawn');
  });
});
