import { describe, expect, it } from 'vitest';

import { fileTestApp } from '../support/app';
import { ALCALA_APPLICANT_MADRID_OFFICE } from '../support/places';

const t = await fileTestApp();

async function deadline(query: string) {
  const res = await t.request(`/v1/calendar/deadline?${query}`);
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

describe('GET /v1/calendar/deadline', () => {
  it('10 días hábiles from Friday 2026-03-27: national 04-13, Madrid 04-14', async () => {
    const national = await deadline('from=2026-03-27&business_days=10');
    expect(national.status).toBe(200);
    expect(national.body).toMatchObject({
      from: '2026-03-27',
      deadline: '2026-04-13',
      unit: 'business_days',
      amount: 10,
      region: null,
      provisional: false,
    });
    expect(national.body.skipped).toContainEqual(
      expect.objectContaining({ date: '2026-04-03', reason: 'national_holiday', name: expect.any(String) }),
    );

    const madrid = await deadline('from=2026-03-27&business_days=10&region=MD');
    expect(madrid.body.deadline).toBe('2026-04-14');
    expect(madrid.body.skipped).toContainEqual(
      expect.objectContaining({ date: '2026-04-02', reason: 'regional_holiday', name: expect.any(String) }),
    );
  });

  it('90 días hábiles from Monday 2026-01-05 end on 2026-05-14', async () => {
    expect((await deadline('from=2026-01-05&business_days=90')).body.deadline).toBe('2026-05-14');
  });

  it('6 months from 2026-08-31: end of February, a Sunday, rolls to Monday 2027-03-01 (provisional year)', async () => {
    const r = await deadline('from=2026-08-31&months=6');
    expect(r.body).toMatchObject({ deadline: '2027-03-01', unit: 'months', provisional: true });
  });

  it('1 month from 2026-07-15 lands on Saturday 08-15 and rolls to Monday 08-17', async () => {
    expect((await deadline('from=2026-07-15&months=1')).body.deadline).toBe('2026-08-17');
  });

  it('refuses a year without holiday data with 422 calendar_unavailable', async () => {
    const r = await deadline('from=2027-12-20&business_days=30');
    expect(r.status).toBe(422);
    expect(r.body.code).toBe('calendar_unavailable');
    // Ten years from December 9999 end in 10009: the year named is that one, not its first digits.
    const far = await deadline('from=9999-12-20&months=120');
    expect(far.body).toMatchObject({ code: 'calendar_unavailable', year: 10009 });
  });

  it('a term that starts on the last day of a year without data and is counted in one with it needs none of the first', async () => {
    // 2025, national days: 01-01 holiday; 01-02 (1), 01-03 (2), weekend, 01-06 Epiphany, 01-07 (3), 01-08 (4), 01-09 (5).
    const r = await deadline('from=2024-12-31&business_days=5');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ deadline: '2025-01-09', provisional: false });
    // A term that would count a day of 2024 is refused.
    expect((await deadline('from=2024-12-30&business_days=5')).body.code).toBe('calendar_unavailable');
  });

  it('needs exactly one unit and a real date', async () => {
    const both = await deadline('from=2026-03-27&business_days=10&months=1');
    expect(both.status).toBe(400);
    const badDate = await deadline('from=2026-02-30&business_days=10');
    expect(badDate.status).toBe(400);
    expect(badDate.body.errors[0]).toMatchObject({ pointer: '/from', in: 'query' });
    const badRegion = await deadline('from=2026-03-27&business_days=10&region=XX');
    expect(badRegion.body.errors[0].pointer).toBe('/region');
  });
  it('a municipality that does not exist is refused with its pointer', async () => {
    const r = await deadline('from=2026-03-27&business_days=10&municipality=99999');
    expect(r.status).toBe(400);
    expect(r.body.errors[0].pointer).toBe('/municipality');
    const wrongRegion = await deadline('from=2026-03-27&business_days=10&municipality=28079&region=CT');
    expect(wrongRegion.body.errors[0].pointer).toBe('/region');
  });
});

// Every expected date below is counted by hand from regional.csv, subregional.csv, local-capitals.csv
// and local-municipalities.csv (holidays/ in the shared domain notes), not with the engine.
describe('a day proper to each of the 19 communities (1 día hábil from the day before)', () => {
  const cases: Array<[string, string, string, string, string]> = [
    // region, from, holiday (national-only deadline), deadline in the community, count
    ['AN', '2025-02-27', '2025-02-28', '2025-03-03', '02-28 Día de Andalucía, 03-01 Sat, 03-02 Sun → Mon 03-03'],
    ['AR', '2026-04-22', '2026-04-23', '2026-04-24', '04-23 San Jorge → 04-24'],
    ['AS', '2026-09-07', '2026-09-08', '2026-09-09', '09-08 Día de Asturias → 09-09'],
    ['CB', '2026-07-27', '2026-07-28', '2026-07-29', '07-28 Día de las Instituciones → 07-29'],
    ['CE', '2026-09-01', '2026-09-02', '2026-09-03', '09-02 Día de Ceuta → 09-03'],
    ['CL', '2026-04-22', '2026-04-23', '2026-04-24', '04-23 Fiesta de Castilla y León → 04-24'],
    ['CM', '2026-06-03', '2026-06-04', '2026-06-05', '06-04 Corpus Christi → 06-05'],
    ['CN', '2025-05-29', '2025-05-30', '2025-06-02', '05-30 Día de Canarias, Sat, Sun → Mon 06-02'],
    ['CT', '2026-09-10', '2026-09-11', '2026-09-14', '09-11 Diada, Sat, Sun → Mon 09-14'],
    ['EX', '2026-09-07', '2026-09-08', '2026-09-09', '09-08 Día de Extremadura → 09-09'],
    ['GA', '2026-06-23', '2026-06-24', '2026-06-25', '06-24 San Juan → 06-25'],
    [
      'IB',
      '2026-02-27',
      '2026-03-02',
      '2026-03-03',
      'Sat 02-28, Sun 03-01, 03-02 (Día de las Illes Balears moved) → 03-03',
    ],
    ['MC', '2026-06-08', '2026-06-09', '2026-06-10', '06-09 Día de la Región de Murcia → 06-10'],
    ['MD', '2025-05-01', '2025-05-02', '2025-05-05', '05-02 Fiesta de la Comunidad, Sat, Sun → Mon 05-05'],
    ['ML', '2026-03-19', '2026-03-20', '2026-03-23', '03-20 Eid Fitr, Sat, Sun → Mon 03-23'],
    ['NC', '2026-12-02', '2026-12-03', '2026-12-04', '12-03 San Francisco Javier → 12-04'],
    ['PV', '2026-03-18', '2026-03-19', '2026-03-20', '03-19 San José → 03-20'],
    ['RI', '2026-06-08', '2026-06-09', '2026-06-10', '06-09 Día de La Rioja → 06-10'],
    ['VC', '2026-10-08', '2026-10-09', '2026-10-13', '10-09 Día de la Comunitat, Sat, Sun, 10-12 national → Tue 10-13'],
  ];
  for (const [region, from, holiday, expected, count] of cases) {
    it(`${region}: ${count}`, async () => {
      const inRegion = await deadline(`from=${from}&business_days=1&region=${region}`);
      expect(inRegion.status).toBe(200);
      expect(inRegion.body.deadline).toBe(expected);
      expect(inRegion.body.skipped).toContainEqual(
        expect.objectContaining({
          date: holiday,
          reason: 'regional_holiday',
          place: expect.objectContaining({ code: region }),
        }),
      );
      // Without the community: national days only, and a warning saying so.
      const national = await deadline(`from=${from}&business_days=1`);
      expect(national.body.deadline).toBe(holiday);
      expect(national.body.warnings.map((w: any) => w.code)).toContain('region_unknown');
    });
  }
});

describe("the office seat's local days (art. 30.6)", () => {
  it('Madrid: applicant in Alcalá de Henares (no local data), office in Madrid: 05-15 San Isidro → Mon 05-18', async () => {
    // 2026-05-14 + 1: 05-15 San Isidro (Madrid city), Sat, Sun → 05-18.
    const r = await deadline('from=2026-05-14&business_days=1&municipality=28005&office_province=M');
    expect(r.body.deadline).toBe('2026-05-18');
    expect(r.body.skipped[0]).toEqual({
      date: '2026-05-15',
      reason: 'local_holiday',
      name: 'San Isidro',
      place: { code: '28079', name: 'Madrid', roles: ['office'] },
    });
    expect(r.body.places).toEqual(ALCALA_APPLICANT_MADRID_OFFICE);
    expect(r.body.warnings).toContainEqual(
      expect.objectContaining({ code: 'local_days_unknown', message: expect.stringContaining('Alcalá de Henares') }),
    );
    // The office defaults to the applicant's province.
    expect((await deadline('from=2026-05-14&business_days=1&municipality=28005')).body.deadline).toBe('2026-05-18');
  });

  it('Barcelona: applicant in Badalona, 09-24 La Mercè (office) → 09-25', async () => {
    const r = await deadline('from=2026-09-23&business_days=1&municipality=08015');
    expect(r.body.deadline).toBe('2026-09-25');
    expect(r.body.skipped[0]).toMatchObject({
      date: '2026-09-24',
      reason: 'local_holiday',
      place: { code: '08019', roles: ['office'] },
    });
    expect(r.body.places.every((p: any) => p.local_days_known)).toBe(true);
    // 05-25 is a local day of both Badalona and Barcelona.
    const both = await deadline('from=2026-05-22&business_days=1&municipality=08015');
    // Sat 05-23, Sun 05-24, Mon 05-25 local in both → Tue 05-26.
    expect(both.body.deadline).toBe('2026-05-26');
  });

  it('Sevilla: applicant in Dos Hermanas, 04-22 Miércoles de Feria (office) → 04-23', async () => {
    const r = await deadline('from=2026-04-21&business_days=1&municipality=41038');
    expect(r.body.deadline).toBe('2026-04-23');
    expect(r.body.skipped[0]).toMatchObject({
      date: '2026-04-22',
      reason: 'local_holiday',
      name: 'Miércoles de Feria',
      place: { code: '41091' },
    });
  });

  it('Bilbao: applicant in Getxo, 08-21 Viernes de Semana Grande (office), Sat, Sun → Mon 08-24', async () => {
    const r = await deadline('from=2026-08-20&business_days=1&municipality=48044&office_province=BI');
    expect(r.body.deadline).toBe('2026-08-24');
    expect(r.body.skipped[0]).toMatchObject({
      date: '2026-08-21',
      reason: 'local_holiday',
      place: { code: '48020', name: 'Bilbao' },
    });
  });

  it('Bizkaia (historical territory): 07-31 San Ignacio → Mon 08-03', async () => {
    const r = await deadline('from=2026-07-30&business_days=1&municipality=48044');
    expect(r.body.deadline).toBe('2026-08-03');
    expect(r.body.skipped[0]).toMatchObject({
      date: '2026-07-31',
      reason: 'territorial_holiday',
      place: { code: 'bizkaia', roles: ['applicant', 'office'] },
    });
  });

  it('Santa Cruz de Tenerife: applicant in La Laguna, from Friday 05-01: Sat, Sun, 05-04 Día de la Cruz (office) → 05-05', async () => {
    const r = await deadline('from=2026-05-01&business_days=1&municipality=38023&office_province=TF');
    expect(r.body.deadline).toBe('2026-05-05');
    expect(r.body.skipped.map((s: any) => s.reason)).toEqual(['saturday', 'sunday', 'local_holiday']);
    expect(r.body.skipped[2].place).toEqual({ code: '38038', name: 'Santa Cruz de Tenerife', roles: ['office'] });
  });

  it('an island day: Telde, 09-08 Nuestra Señora del Pino (Gran Canaria) → 09-09', async () => {
    const r = await deadline('from=2026-09-07&business_days=1&municipality=35026');
    expect(r.body.deadline).toBe('2026-09-09');
    expect(r.body.skipped[0]).toMatchObject({
      date: '2026-09-08',
      reason: 'island_holiday',
      place: { code: 'gran_canaria', roles: ['applicant', 'office'] },
    });
    expect(r.body.places[0]).toMatchObject({ municipality: '35026', area: 'gran_canaria', local_days_known: true });
  });

  it("Val d'Aran against an office outside Cataluña: 26 December 2025 is hábil in Les", async () => {
    // 2025-12-25 national; 12-26 Sant Esteve is a Catalan day, lifted in Aran → the 1st día hábil is 12-26.
    expect((await deadline('from=2025-12-25&business_days=1&municipality=25121&office_province=M')).body.deadline).toBe(
      '2025-12-26',
    );
    // With the office in Lleida, the union of both places makes it inhábil: Sat 27, Sun 28 → Mon 29.
    expect((await deadline('from=2025-12-25&business_days=1&municipality=25121')).body.deadline).toBe('2025-12-29');
  });
});

describe('months, natural days, provisional years, uncertain data', () => {
  it('month-end: 1 month from 2026-01-31 is 02-28 (Saturday) → Sun → Mon 03-02; in Illes Balears 03-02 is a holiday → 03-03', async () => {
    expect((await deadline('from=2026-01-31&months=1')).body.deadline).toBe('2026-03-02');
    const ib = await deadline('from=2026-01-31&months=1&region=IB');
    expect(ib.body.deadline).toBe('2026-03-03');
    expect(ib.body.skipped.map((s: any) => s.date)).toEqual(['2026-02-28', '2026-03-01', '2026-03-02']);
  });

  it('natural days: 10 from 2026-09-01 end on 09-11, the Diada in Cataluña → Sat, Sun → Mon 09-14 (art. 30.5)', async () => {
    const national = await deadline('from=2026-09-01&natural_days=10');
    expect(national.body).toMatchObject({ deadline: '2026-09-11', unit: 'natural_days', amount: 10, skipped: [] });
    const ct = await deadline('from=2026-09-01&natural_days=10&region=CT');
    expect(ct.body.deadline).toBe('2026-09-14');
    expect(ct.body.skipped.map((s: any) => s.reason)).toEqual(['regional_holiday', 'saturday', 'sunday']);
  });

  it('2027 is provisional: 5 días hábiles from 2027-03-24 in Valencia end on 04-02, grade C', async () => {
    // 03-25 (1); 03-26 Viernes Santo (national, inferred, C); Sat; Sun; 03-29 Lunes de Pascua (VC, B); 03-30 (2), 03-31 (3), 04-01 (4), 04-02 (5).
    const r = await deadline('from=2027-03-24&business_days=5&region=VC');
    expect(r.body).toMatchObject({ deadline: '2027-04-02', provisional: true, lowest_confidence: 'C' });
    expect(r.body.warnings.map((w: any) => w.code)).toContain('provisional_calendar');
  });

  it('a provisional year says what its data lacks, and a gap shared by the applicant and the office is stated once', async () => {
    // 10 días hábiles from Friday 2026-12-18 in Madrid: 12-21, 22, 23, 24 (1–4), 12-25 national, 12-28, 29,
    // 30, 31 (5–8), 2027-01-01 national, 01-04 (9), 01-05 (10). 2027 has only its national days.
    const r = await deadline('from=2026-12-18&business_days=10&municipality=28079&office_province=M');
    expect(r.body).toMatchObject({ deadline: '2027-01-05', provisional: true });
    const provisional = r.body.warnings.find((w: any) => w.code === 'provisional_calendar');
    expect(provisional.message).toMatch(/other communities' lists/);
    const messages = r.body.warnings.map((w: any) => `${w.code} ${w.message}`);
    expect(messages.filter((m: string) => m.startsWith('local_days_unknown'))).toHaveLength(1);
    expect(new Set(messages).size).toBe(messages.length);
  });

  it("a community of one province implies the office's seat; elsewhere the answer says the office is unknown", async () => {
    // Comunidad de Madrid: every office sits in Madrid city. 10 días hábiles from Tuesday 2026-05-05:
    // 05-06 … 05-14 (1–7), 05-15 San Isidro (Madrid city), 05-18, 05-19, 05-20 (8–10).
    const madrid = await deadline('from=2026-05-05&business_days=10&region=MD');
    expect(madrid.body.deadline).toBe('2026-05-20');
    expect(madrid.body.places).toContainEqual(expect.objectContaining({ role: 'office', municipality: '28079' }));
    expect(madrid.body.warnings.map((w: any) => w.code)).not.toContain('office_unknown');
    // Andalucía has eight provinces: the office's local days cannot be counted, and the answer says so.
    const andalucia = await deadline('from=2026-05-05&business_days=10&region=AN');
    expect(andalucia.body.warnings.map((w: any) => w.code)).toContain('office_unknown');
    const national = await deadline('from=2026-05-05&business_days=10');
    expect(national.body.warnings.map((w: any) => w.code)).toContain('office_unknown');
  });

  it('Sitges 2026: one of its two local days is missing, and the answer says so', async () => {
    const r = await deadline('from=2026-09-15&business_days=10&municipality=08270');
    expect(r.status).toBe(200);
    expect(r.body.warnings).toContainEqual({
      code: 'local_days_incomplete',
      message: expect.stringContaining('Only one of the two local days of 2026 is known'),
    });
  });

  it("León's conflicting June days are both kept, graded C, with a warning", async () => {
    // 06-04 Corpus (Diario de León) vs 06-24 San Juan (JCyL): 06-03 + 1 → 06-04 skipped → 06-05.
    const r = await deadline('from=2026-06-03&business_days=1&municipality=24089');
    expect(r.body).toMatchObject({ deadline: '2026-06-05', lowest_confidence: 'C' });
    expect(r.body.warnings.map((w: any) => w.code)).toContain('local_days_conflict');
  });

  it('a municipality whose villages keep other days says so', async () => {
    const r = await deadline('from=2026-07-30&business_days=3&municipality=40014');
    expect(r.body.warnings.map((w: any) => w.code)).toContain('local_days_partial');
  });
});

describe('GET /v1/calendar/holidays', () => {
  it('lists what applies to Les (Aran): no 26 December, 17 June, with sources and grades', async () => {
    const res = await t.request('/v1/calendar/holidays?year=2025&municipality=25121');
    const body = (await res.json()) as any;
    expect(res.status).toBe(200);
    expect(body).toMatchObject({
      object: 'holiday_list',
      year: 2025,
      provisional: false,
      place: { municipality: '25121', area: 'val_aran', local_days_known: false },
    });
    const dates = body.data.map((h: any) => h.date);
    expect(dates).toContain('2025-06-17');
    expect(dates).not.toContain('2025-12-26');
    expect(body.data.find((h: any) => h.date === '2025-06-17')).toMatchObject({
      reason: 'territorial_holiday',
      confidence: 'A',
      source: expect.stringContaining('EMT/85/2024'),
    });
  });

  it('Madrid 2026: 8 national (11-01 is a Sunday), 4 regional, 2 local', async () => {
    const body = (await (await t.request('/v1/calendar/holidays?year=2026&municipality=28079')).json()) as any;
    const by = (reason: string) => body.data.filter((h: any) => h.reason === reason).map((h: any) => h.date);
    expect(by('national_holiday')).toHaveLength(8);
    expect(by('regional_holiday')).toEqual(['2026-04-02', '2026-05-02', '2026-11-02', '2026-12-07']);
    expect(by('local_holiday')).toEqual(['2026-05-15', '2026-11-09']);
    // A list of one place's holidays has no deciding office to miss.
    expect(body.warnings).toEqual([]);
  });

  it('a year without data is 422 calendar_unavailable', async () => {
    const res = await t.request('/v1/calendar/holidays?year=2028&region=MD');
    expect(res.status).toBe(422);
    expect(((await res.json()) as any).code).toBe('calendar_unavailable');
  });
});
