import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { begin } from '../../api/db/sql';
import { changeHolidays } from '../../api/modules/calendar/service';
import { CalendarStore } from '../../api/modules/calendar/store';
import { runScheduler } from '../../api/modules/events/scheduler';
import { createTestApp, type TestApp } from '../support/app';
import { ADMIN_TOKEN, auth, expectProblem, grantDelegation, mintToken, registerOrg } from '../support/fixtures';
import { ALCALA_APPLICANT, ALCALA_APPLICANT_MADRID_OFFICE } from '../support/places';
import { consentHeaders, createDraft, FORMS, uploadAll } from '../support/procedures';

const NCM_DOCS = ['DNI_NIE', 'BIRTH_CERT', 'MEDICAL_REPORT', 'COMPANY_CERT', 'IBAN_CERT'];
let t: TestApp;
let key: string;
let token: string;
let h: Record<string, string>;
let delegationId: string;
beforeAll(async () => {
  // Monday 4 May 2026, 10:00 in Madrid.
  t = await createTestApp({ config: { adminToken: ADMIN_TOKEN }, now: '2026-05-04T08:00:00Z' });
  const org = await registerOrg(t);
  key = org.testKey;
  delegationId = (
    await grantDelegation(t, key, {
      scope: { procedure_types: ['NCM'], subjects: [], capacities: ['consult', 'file', 'respond'] },
    })
  ).delegationId;
  token = await mintToken(t, key, delegationId, { lifetime_seconds: 3600 });
  h = consentHeaders(key, token);
});
afterAll(() => t.close());

const refresh = async () => {
  token = await mintToken(t, key, delegationId, { lifetime_seconds: 3600 });
  h = consentHeaders(key, token);
};

/** Creates an NCM whose applicant lives in Alcalá, with these fields of the address changed. */
const createFrom = (address: Partial<typeof ALCALA_APPLICANT.address>) =>
  t.request('/v1/procedures', {
    method: 'POST',
    headers: h,
    json: {
      type: 'NCM',
      form: { ...FORMS.NCM, applicant: { ...ALCALA_APPLICANT, address: { ...ALCALA_APPLICANT.address, ...address } } },
    },
  });

describe('the place of a procedure (art. 30.6)', () => {
  it('validates the municipality against the INE register and the postal code against its province', async () => {
    const unknown = await createFrom({ municipality_code: '28999' });
    const p1 = await expectProblem(unknown, 400, 'validation_failed');
    expect(p1.errors.map((e: any) => e.pointer)).toEqual(['/form/applicant/address/municipality_code']);

    const elsewhere = await createFrom({ postal_code: '08001' });
    const p2 = await expectProblem(elsewhere, 400, 'validation_failed');
    expect(p2.errors.map((e: any) => e.pointer)).toEqual(['/form/applicant/address/postal_code']);

    const wrongRegion = await createFrom({ region: 'CT' });
    expect((await expectProblem(wrongRegion, 400, 'validation_failed')).errors[0].pointer).toBe(
      '/form/applicant/address/region',
    );
  });

  it('refuses to file a form without the place (422, with the pointer)', async () => {
    const { municipality_code: _omitted, ...address } = ALCALA_APPLICANT.address;
    const draft = await createDraft(t, key, token, 'NCM', {
      ...FORMS.NCM,
      applicant: { ...ALCALA_APPLICANT, address },
    });
    await uploadAll(t, key, token, draft.id, NCM_DOCS);
    const res = await t.request(`/v1/procedures/${draft.id}/submit`, { method: 'POST', headers: h });
    const problem = await expectProblem(res, 422, 'unprocessable');
    expect(problem.errors.map((e: any) => e.pointer)).toEqual(['/form/applicant/address/municipality_code']);
  });
});

describe('a filed procedure in a municipality without local data', () => {
  let id: string;

  it("counts the office seat (Madrid) and says the applicant's local days are unknown", async () => {
    const draft = await createDraft(t, key, token, 'NCM', { ...FORMS.NCM, applicant: ALCALA_APPLICANT });
    id = draft.id;
    expect(draft.places).toEqual({ applicant_municipality: '28005', office_municipality: '28079' });
    await uploadAll(t, key, token, id, NCM_DOCS);
    const res = await t.request(`/v1/procedures/${id}/submit`, { method: 'POST', headers: h });
    expect(res.status, await res.clone().text()).toBe(200);
    const p = (await res.json()) as any;
    expect(p.registered_on).toBe('2026-05-04');
    // NCM: 30 días hábiles from Monday 2026-05-04. May 5-8 (4), 11-14 (8), 15 San Isidro (Madrid city, the
    // office's seat) skipped, 18-22 (13), 25-29 (18), Jun 1-5 (23), 8-12 (28), 15 (29), 16 (30) → 2026-06-16.
    expect(p.deadlines.max_resolution_date).toBe('2026-06-16');
    const basis = p.deadlines.basis.max_resolution_date;
    // Every holiday behind the date is official (A), but the catalogue has not confirmed NCM's
    // 30-day term in an official text (grade U): the date rests on it, and says so.
    expect(basis).toMatchObject({
      term: { value: 30, unit: 'business_days' },
      lowest_confidence: 'C',
      provisional: false,
    });
    expect(basis.article).toContain('arts. 21.2–21.3');
    expect(basis.places).toEqual(ALCALA_APPLICANT_MADRID_OFFICE);
    expect(basis.warnings).toContainEqual(expect.objectContaining({ code: 'local_days_unknown' }));
    expect(basis.warnings).toContainEqual({
      code: 'term_unconfirmed',
      message:
        'The maximum term of NCM, 30 días hábiles, is not confirmed by an official text (Plazo máximo no confirmado en texto oficial): a date counted from it may differ.',
    });
  });

  it('the administrator adds the local days: recorded, the stored date moves, the organisation is told', async () => {
    const version = Number(
      (await t.sql<{ version: string }[]>`select version::text as version from calendar_state`)[0]!.version,
    );
    const refused = await t.request('/v1/admin/calendar/years/2026/municipalities/28005', {
      method: 'PUT',
      headers: auth(ADMIN_TOKEN),
      json: { days: [{ date: '2026-06-11', name: 'Fiesta local', source: 'BOCM', confidence: 'A' }] },
    });
    expect(refused.status).toBe(400); // the reason is required
    const res = await t.request('/v1/admin/calendar/years/2026/municipalities/28005', {
      method: 'PUT',
      headers: auth(ADMIN_TOKEN),
      json: {
        days: [
          {
            date: '2026-06-11',
            name: 'Fiesta local',
            source: 'BOCM, Resolución de fiestas locales 2026',
            confidence: 'A',
          },
          {
            date: '2026-08-24',
            name: 'Fiesta local',
            source: 'BOCM, Resolución de fiestas locales 2026',
            confidence: 'A',
          },
        ],
        reason: 'Fiestas locales de Alcalá de Henares para 2026, publicadas en el BOCM.',
      },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const change = (await res.json()) as any;
    expect(change).toMatchObject({
      object: 'calendar_change',
      actor: 'admin',
      year: 2026,
      scope: 'municipality',
      code: '28005',
      mode: 'replace',
      before_count: 0,
      after_count: 2,
      calendar_version: version + 1,
      procedures_recomputed: 1,
    });

    // 06-11 now counts too: the 30th día hábil moves from 06-16 to 06-17.
    const p = (await (await t.request(`/v1/procedures/${id}`, { headers: h })).json()) as any;
    expect(p.deadlines.max_resolution_date).toBe('2026-06-17');
    expect(p.deadlines.basis.max_resolution_date.places[0].local_days_known).toBe(true);
    const timeline = (await (await t.request(`/v1/procedures/${id}/timeline`, { headers: h })).json()) as any;
    expect(timeline.data.at(-1)).toMatchObject({
      action: 'calendar_recomputed',
      actor: { type: 'system' },
      details: { calendar_change_id: change.id, max_resolution_base: { before: '2026-06-16', after: '2026-06-17' } },
    });
    const feed = (await (await t.request('/v1/events?limit=100', { headers: auth(key) })).json()) as any;
    const event = feed.data.find((e: any) => e.type === 'calendar.holidays_changed');
    expect(event.data).toMatchObject({
      calendar_change_id: change.id,
      year: 2026,
      scope: 'municipality',
      code: '28005',
      procedure_ids: [id],
    });

    // The public endpoint reads the new version at once (this process reloaded its snapshot).
    const d = (await (
      await t.request('/v1/calendar/deadline?from=2026-06-10&business_days=1&municipality=28005')
    ).json()) as any;
    expect(d.deadline).toBe('2026-06-12');
    expect(d.places[0].local_days_known).toBe(true);

    const list = (await (await t.request('/v1/admin/calendar/changes', { headers: auth(ADMIN_TOKEN) })).json()) as any;
    expect(list.data[0]).toMatchObject({ id: change.id, reason: expect.stringContaining('BOCM') });
  });

  it('one legal day: at 23:30 UTC on the maximum date the API and the scheduler agree it is the next day in Madrid', async () => {
    const store = new CalendarStore();
    // 2026-06-17 21:30 UTC is 23:30 in Madrid: still the maximum date, no silence yet.
    t.clock.set('2026-06-17T21:30:00Z');
    await refresh();
    let p = (await (await t.request(`/v1/procedures/${id}`, { headers: h })).json()) as any;
    expect(p.deadlines.presumed_denied_at).toBeNull();
    await runScheduler(t.sql, t.clock.now(), store);
    const before = await t.sql`select 1 from events where dedupe_key = ${`procedure.presumed_denied:${id}`}`;
    expect(before).toHaveLength(0);

    // 23:30 UTC is 01:30 on 18 June in Madrid: both say presumed denied on 2026-06-18.
    t.clock.set('2026-06-17T23:30:00Z');
    await refresh();
    p = (await (await t.request(`/v1/procedures/${id}`, { headers: h })).json()) as any;
    expect(p.deadlines.presumed_denied_at).toBe('2026-06-18');
    expect(p.deadlines.basis.presumed_denied_at.article).toContain('silence');
    // The silence and the reclamación previa counted from it rest on the same unconfirmed term.
    expect(p.deadlines.basis.presumed_denied_at.warnings).toContainEqual(
      expect.objectContaining({ code: 'term_unconfirmed' }),
    );
    expect(p.deadlines.basis.prior_claim_deadline).toMatchObject({
      lowest_confidence: 'C',
      warnings: expect.arrayContaining([expect.objectContaining({ code: 'term_unconfirmed' })]),
    });
    await runScheduler(t.sql, t.clock.now(), store);
    const [event] = await t.sql<
      { data: any }[]
    >`select data from events where dedupe_key = ${`procedure.presumed_denied:${id}`}`;
    expect(event!.data.presumed_denied_at).toBe('2026-06-18');
    expect(event!.data.prior_claim_deadline).toBe(p.deadlines.prior_claim_deadline);
    // The procedure's history shows the silence once, however many passes run.
    await runScheduler(t.sql, t.clock.now(), store);
    const timeline = (await (await t.request(`/v1/procedures/${id}/timeline`, { headers: h })).json()) as any;
    const silences = timeline.data.filter((e: any) => e.action === 'presumed_denied');
    expect(silences).toEqual([
      expect.objectContaining({
        actor: expect.objectContaining({ type: 'system' }),
        details: { presumed_denied_at: '2026-06-18', prior_claim_deadline: p.deadlines.prior_claim_deadline },
      }),
    ]);
  });

  it("a change to the catalogue reaches the next answer: the type's terms travel with the calendar version", async () => {
    const versionNow = async () =>
      Number((await t.sql<{ version: string }[]>`select version::text as version from calendar_state`)[0]!.version);
    const before = await versionNow();
    const read = async () => (await (await t.request(`/v1/procedures/${id}`, { headers: h })).json()) as any;
    expect((await read()).deadlines.basis.max_resolution_date.article).not.toContain('(revisado)');

    await t.sql`update procedure_types set legal_source = legal_source || ' (revisado)' where code = 'NCM'`;
    try {
      expect(await versionNow()).toBe(before + 1);
      expect((await read()).deadlines.basis.max_resolution_date.article).toContain('(revisado)');
    } finally {
      await t.sql`update procedure_types set legal_source = replace(legal_source, ' (revisado)', '') where code = 'NCM'`;
    }
    expect(await versionNow()).toBe(before + 2);
    expect((await read()).deadlines.basis.max_resolution_date.article).not.toContain('(revisado)');
  });
});

describe('calendar administration', () => {
  it('a change its caller rolls back never reaches the calendar this process holds', async () => {
    const store = new CalendarStore();
    const held = await store.ensure(t.sql);
    // La Acebeda (Madrid), a municipality no other test gives local days.
    const change: Parameters<typeof changeHolidays>[2] = {
      year: 2026,
      scope: 'municipality',
      code: '28001',
      mode: 'add',
      days: [
        {
          date: '2026-10-14',
          kind: 'holiday',
          name: 'Fiesta de prueba',
          source: 'prueba',
          confidence: 'A',
          partial: false,
          conflict: false,
        },
      ],
      reason: 'rolled back by its caller',
      now: t.clock.now(),
    };
    // The change commits inside the caller's transaction, which then fails (as a request whose answer cannot be stored).
    await expect(
      begin(t.sql, async (tx) => {
        await changeHolidays(tx, store, change);
        throw new Error('the caller failed after the change');
      }),
    ).rejects.toThrow('the caller failed');
    expect(store.peek()).toBe(held);
    expect((await store.ensure(t.sql)).version).toBe(held.version);
    // Committed, it is adopted.
    await changeHolidays(t.sql, store, { ...change, reason: 'committed' });
    expect(store.peek()!.days.get('municipality:28001')?.has('2026-10-14')).toBe(true);
    expect(store.peek()!.version).toBe(held.version + 1);
  });

  it('a year without data fails until the administrator creates it, provisional until replaced', async () => {
    expect((await t.request('/v1/calendar/deadline?from=2028-03-01&business_days=5&region=MD')).status).toBe(422);
    const early = await t.request('/v1/admin/calendar/years/2028/regions/MD', {
      method: 'PUT',
      headers: auth(ADMIN_TOKEN),
      json: { days: [], reason: 'Calendario de la Comunidad de Madrid 2028.' },
    });
    await expectProblem(early, 422, 'calendar_unavailable');
    const year = await t.request('/v1/admin/calendar/years/2028', {
      method: 'PUT',
      headers: auth(ADMIN_TOKEN),
      json: {
        provisional: true,
        source: 'Proyección de los días fijos',
        confidence: 'C',
        reason: 'Proyección para poder calcular plazos que acaban en 2028.',
        national_days: [{ date: '2028-03-06', name: 'Prueba', source: 'Proyección', confidence: 'C' }],
      },
    });
    expect(year.status, await year.clone().text()).toBe(200);
    // 2028-03-01 (Wed) + 5: 02, 03, [Sat, Sun], 06 holiday, 07, 08, 09 → 2028-03-09, provisional.
    const d = (await (
      await t.request('/v1/calendar/deadline?from=2028-03-01&business_days=5&region=MD')
    ).json()) as any;
    expect(d).toMatchObject({ deadline: '2028-03-09', provisional: true, lowest_confidence: 'C' });
    // The same regional day, added twice: the second is a conflict.
    const addRegionalDay = () =>
      t.request('/v1/admin/calendar/years/2028/regions/MD/days', {
        method: 'POST',
        headers: auth(ADMIN_TOKEN),
        json: {
          days: [{ date: '2028-05-02', name: 'Fiesta de la Comunidad', source: 'BOCM', confidence: 'A' }],
          reason: 'Decreto de fiestas 2028.',
        },
      });
    expect((await addRegionalDay()).status).toBe(200);
    const again = await addRegionalDay();
    await expectProblem(again, 409, 'conflict');
  });
});
