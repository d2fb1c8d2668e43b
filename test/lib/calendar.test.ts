import { describe, expect, it } from 'vitest';
import { addBusinessDays, addMonths, CalendarUnavailableError, isBusinessDay, isIsoDate, nextBusinessDay, nonWorkingReason } from '../../api/lib/calendar';

describe('días hábiles (Ley 39/2015, art. 30)', () => {
  it('10 días hábiles from Friday 2026-03-27: 04-13 nationally, in Cataluña too; 04-14 in Madrid', () => {
    const national = addBusinessDays('2026-03-27', 10);
    expect(national.deadline).toBe('2026-04-13');
    expect(national.skipped).toContainEqual({ date: '2026-04-03', reason: 'national_holiday', name: 'Viernes Santo' });
    expect(national.skipped.some((s) => s.date === '2026-04-02')).toBe(false);
    expect(addBusinessDays('2026-03-27', 10, 'CT').deadline).toBe('2026-04-13');
    const madrid = addBusinessDays('2026-03-27', 10, 'MD');
    expect(madrid.deadline).toBe('2026-04-14');
    expect(madrid.skipped).toContainEqual({ date: '2026-04-02', reason: 'regional_holiday', name: 'Jueves Santo' });
    expect(madrid.provisional).toBe(false);
  });

  it('90 días hábiles from Monday 2026-01-05 end on 2026-05-14', () => {
    const r = addBusinessDays('2026-01-05', 90);
    expect(r.deadline).toBe('2026-05-14');
    expect(r.skipped.filter((s) => s.reason === 'national_holiday').map((s) => s.date)).toEqual(['2026-01-06', '2026-04-03', '2026-05-01']);
  });

  it('reports weekends with their reason', () => {
    expect(nonWorkingReason('2026-03-28')).toEqual({ date: '2026-03-28', reason: 'saturday' });
    expect(nonWorkingReason('2026-03-29')).toEqual({ date: '2026-03-29', reason: 'sunday' });
    expect(isBusinessDay('2026-03-30')).toBe(true);
  });

  it('moves a filing on a non-working day to the next working day', () => {
    expect(nextBusinessDay('2026-04-03')).toBe('2026-04-06');
    expect(nextBusinessDay('2026-04-02', 'MD')).toBe('2026-04-06');
    expect(nextBusinessDay('2026-03-30')).toBe('2026-03-30');
  });
});

describe('months, date to date', () => {
  it('6 months from 2026-08-31: no 02-31, so 02-28, a Sunday, rolls to Monday 2027-03-01 (provisional year)', () => {
    const r = addMonths('2026-08-31', 6);
    expect(r.deadline).toBe('2027-03-01');
    expect(r.skipped).toEqual([{ date: '2027-02-28', reason: 'sunday' }]);
    expect(r.provisional).toBe(true);
  });

  it('1 month from 2026-07-15 lands on Saturday 08-15 (a holiday too) and rolls to Monday 08-17', () => {
    expect(addMonths('2026-07-15', 1).deadline).toBe('2026-08-17');
  });
});

describe('missing data fails loudly', () => {
  it('throws for a year without holiday data', () => {
    expect(() => addBusinessDays('2027-12-20', 30)).toThrow(CalendarUnavailableError);
    expect(() => addBusinessDays('2024-12-20', 5)).toThrow(CalendarUnavailableError);
    expect(() => addMonths('2027-08-01', 6)).toThrow(CalendarUnavailableError);
    try {
      addBusinessDays('2027-12-20', 30);
    } catch (error) {
      expect((error as CalendarUnavailableError).year).toBe(2028);
    }
  });

  it('validates ISO dates', () => {
    expect(isIsoDate('2026-02-28')).toBe(true);
    expect(isIsoDate('2026-02-30')).toBe(false);
    expect(isIsoDate('26-2-3')).toBe(false);
  });
});
