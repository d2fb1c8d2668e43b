import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  addBusinessDays,
  addMonths,
  addNaturalDays,
  type CalendarSnapshot,
  CalendarUnavailableError,
  isBusinessDay,
  municipalityPlace,
  nextBusinessDay,
  nonWorkingReason,
  officePlace,
  regionPlace,
} from '../../api/lib/calendar';
import { readSnapshot } from '../../api/modules/calendar/store';
import type { Database } from '../../api/node/database';
import { openTestDatabase } from '../support/database';

// The engine is pure over a snapshot; the snapshot here is the one the migrations load.
let db: Database;
let cal: CalendarSnapshot;
beforeAll(async () => {
  db = await openTestDatabase();
  cal = await readSnapshot(db.sql);
});
afterAll(() => db.close());

const MD = () => [regionPlace('applicant', 'MD')];
const CT = () => [regionPlace('applicant', 'CT')];

describe('días hábiles (Ley 39/2015, art. 30)', () => {
  it('10 días hábiles from Friday 2026-03-27: 04-13 nationally; 04-14 in Madrid (Holy Thursday) and in Cataluña (Easter Monday)', () => {
    const national = addBusinessDays(cal, '2026-03-27', 10);
    expect(national.deadline).toBe('2026-04-13');
    expect(national.skipped).toContainEqual(
      expect.objectContaining({ date: '2026-04-03', reason: 'national_holiday', name: 'Viernes Santo' }),
    );
    expect(national.skipped.some((s) => s.date === '2026-04-02')).toBe(false);
    // Cataluña keeps no Holy Thursday but has Easter Monday 04-06 (regional.csv):
    // 03-30, 03-31, 04-01, 04-02, 04-07, 04-08, 04-09, 04-10, 04-13, 04-14 → 04-14.
    const catalonia = addBusinessDays(cal, '2026-03-27', 10, CT());
    expect(catalonia.deadline).toBe('2026-04-14');
    expect(catalonia.skipped).toContainEqual(
      expect.objectContaining({ date: '2026-04-06', reason: 'regional_holiday', name: 'Lunes de Pascua' }),
    );
    const madrid = addBusinessDays(cal, '2026-03-27', 10, MD());
    expect(madrid.deadline).toBe('2026-04-14');
    expect(madrid.skipped).toContainEqual({
      date: '2026-04-02',
      reason: 'regional_holiday',
      name: 'Jueves Santo',
      place: { code: 'MD', name: 'Comunidad de Madrid', roles: ['applicant'] },
    });
    expect(madrid.provisional).toBe(false);
  });

  it('90 días hábiles from Monday 2026-01-05 end on 2026-05-14', () => {
    const r = addBusinessDays(cal, '2026-01-05', 90);
    expect(r.deadline).toBe('2026-05-14');
    expect(r.skipped.filter((s) => s.reason === 'national_holiday').map((s) => s.date)).toEqual([
      '2026-01-06',
      '2026-04-03',
      '2026-05-01',
    ]);
  });

  it('reports weekends with their reason', () => {
    expect(nonWorkingReason(cal, '2026-03-28')).toEqual({
      date: '2026-03-28',
      reason: 'saturday',
      name: null,
      place: null,
    });
    expect(nonWorkingReason(cal, '2026-03-29')).toEqual({
      date: '2026-03-29',
      reason: 'sunday',
      name: null,
      place: null,
    });
    expect(isBusinessDay(cal, '2026-03-30')).toBe(true);
  });

  it('moves a filing on a non-working day to the next working day', () => {
    expect(nextBusinessDay(cal, '2026-04-03')).toBe('2026-04-06');
    expect(nextBusinessDay(cal, '2026-04-02', MD())).toBe('2026-04-06');
    expect(nextBusinessDay(cal, '2026-03-30')).toBe('2026-03-30');
  });
});

describe('months, date to date', () => {
  it('6 months from 2026-08-31: no 02-31, so 02-28, a Sunday, rolls to Monday 2027-03-01 (provisional year)', () => {
    const r = addMonths(cal, '2026-08-31', 6);
    expect(r.deadline).toBe('2027-03-01');
    expect(r.skipped).toEqual([{ date: '2027-02-28', reason: 'sunday', name: null, place: null }]);
    expect(r.provisional).toBe(true);
    expect(r.lowestConfidence).toBe('C');
  });

  it('1 month from 2026-07-15 lands on Saturday 08-15 (a holiday too) and rolls to Monday 08-17', () => {
    expect(addMonths(cal, '2026-07-15', 1).deadline).toBe('2026-08-17');
  });
});

describe('both places of art. 30.6', () => {
  it("Val d'Aran: 26 December 2025 is not a holiday there, 17 June is", () => {
    const les = municipalityPlace(cal, 'applicant', '25121')!; // Les, in Aran
    expect(les.area).toBe('val_aran');
    // Friday 2025-12-26: Sant Esteve in Cataluña, but not in Aran.
    expect(nonWorkingReason(cal, '2025-12-26', [les])).toBeNull();
    expect(nonWorkingReason(cal, '2025-12-26', [municipalityPlace(cal, 'applicant', '25120')!])).toMatchObject({
      reason: 'regional_holiday',
    });
    expect(nonWorkingReason(cal, '2025-06-17', [les])).toMatchObject({
      reason: 'territorial_holiday',
      place: { code: 'val_aran' },
    });
    // With the office in Lleida, 26 December is inhábil again: the union of both places.
    expect(nonWorkingReason(cal, '2025-12-26', [les, officePlace(cal, 'L')!])).toMatchObject({
      reason: 'regional_holiday',
      place: { roles: ['office'] },
    });
  });

  it('the office of each province sits in its capital', () => {
    expect(cal.provinces.size).toBe(52);
    expect(officePlace(cal, 'M')!.municipality).toBe('28079');
    expect(officePlace(cal, 'B')!.municipality).toBe('08019');
    expect(officePlace(cal, 'SE')!.municipality).toBe('41091');
    expect(officePlace(cal, 'BI')!.municipality).toBe('48020');
    expect(officePlace(cal, 'TF')!.municipality).toBe('38038');
    expect(officePlace(cal, 'CE')!.municipality).toBe('51001');
    expect(officePlace(cal, 'ML')!.municipality).toBe('52001');
  });

  it('islands: 88 Canary municipalities, each on its island', () => {
    const count = (area: string) => [...cal.municipalities.values()].filter((m) => m.area === area).length;
    expect([
      count('lanzarote'),
      count('fuerteventura'),
      count('gran_canaria'),
      count('tenerife'),
      count('la_palma'),
      count('la_gomera'),
      count('el_hierro'),
    ]).toEqual([7, 6, 21, 31, 14, 6, 3]);
    expect([...cal.municipalities.values()].filter((m) => m.region === 'CN' && !m.area)).toEqual([]);
    expect(count('val_aran')).toBe(9);
    expect(cal.municipalities.get('01059')!.area).toBe('araba');
    expect(cal.municipalities.get('48020')!.area).toBe('bizkaia');
    expect(cal.municipalities.get('20069')!.area).toBe('gipuzkoa');
  });
});

describe('natural days', () => {
  it('10 días naturales from 2026-03-27 end on 04-06: 04-06 is a working day', () => {
    // 03-28 … 04-06 is the 10th day (Monday), hábil nationally.
    expect(addNaturalDays(cal, '2026-03-27', 10).deadline).toBe('2026-04-06');
  });
  it('a last day that is inhábil rolls forward (art. 30.5)', () => {
    // 2026-03-24 + 10 = Friday 04-03 (Good Friday) → Sat, Sun → Monday 04-06.
    const r = addNaturalDays(cal, '2026-03-24', 10);
    expect(r.deadline).toBe('2026-04-06');
    expect(r.skipped.map((s) => s.reason)).toEqual(['national_holiday', 'saturday', 'sunday']);
  });
});

describe('missing data fails loudly', () => {
  it('throws for a year without holiday data', () => {
    expect(() => addBusinessDays(cal, '2027-12-20', 30)).toThrow(CalendarUnavailableError);
    expect(() => addBusinessDays(cal, '2024-12-20', 5)).toThrow(CalendarUnavailableError);
    expect(() => addMonths(cal, '2027-08-01', 6)).toThrow(CalendarUnavailableError);
    try {
      addBusinessDays(cal, '2027-12-20', 30);
    } catch (error) {
      expect((error as CalendarUnavailableError).year).toBe(2028);
    }
  });
});
