import { describe, expect, it } from 'vitest';

import { addDays, isInstantInRange, isIsoDate } from '../../api/lib/dates';

describe('addDays', () => {
  it('gives the day after for every day from 1999 to 2101 (month ends, leap years, 2000 and 2100)', () => {
    // Expected from the milliseconds of a UTC day, independently of the day-after shortcut.
    for (let ms = Date.UTC(1999, 11, 25); ms <= Date.UTC(2101, 0, 5); ms += 86_400_000) {
      const day = new Date(ms).toISOString().slice(0, 10);
      expect(addDays(day, 1)).toBe(new Date(ms + 86_400_000).toISOString().slice(0, 10));
    }
  });

  it('spells out the awkward cases', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2028-02-29', 1)).toBe('2028-03-01');
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(addDays('2100-02-28', 1)).toBe('2100-03-01');
    expect(addDays('2000-02-28', 1)).toBe('2000-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-09-30', 1)).toBe('2026-10-01');
    expect(addDays('2026-01-09', 1)).toBe('2026-01-10');
    expect(addDays('2026-03-31', -31)).toBe('2026-02-28');
  });
});

describe('isIsoDate', () => {
  it('takes real days written YYYY-MM-DD', () => {
    expect(isIsoDate('2026-02-28')).toBe(true);
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-02-30')).toBe(false);
    expect(isIsoDate('26-2-3')).toBe(false);
    expect(isIsoDate('2026-03-02T00:00:00Z')).toBe(false);
  });

  it('takes the years 0001 to 9999 only: PostgreSQL has no year 0', () => {
    expect(isIsoDate('0001-01-01')).toBe(true);
    expect(isIsoDate('9999-12-31')).toBe(true);
    expect(isIsoDate('0000-01-01')).toBe(false);
    expect(isIsoDate('0000-12-31')).toBe(false);
  });
});

describe('isInstantInRange', () => {
  it('judges the year in UTC', () => {
    expect(isInstantInRange(new Date('0001-01-01T00:00:00Z'))).toBe(true);
    expect(isInstantInRange(new Date('9999-12-31T23:59:59.999Z'))).toBe(true);
    expect(isInstantInRange(new Date('0000-12-31T23:59:59Z'))).toBe(false);
    expect(isInstantInRange(new Date('9999-12-31T23:59:59-23:59'))).toBe(false);
    expect(isInstantInRange(new Date('0001-01-01T00:00:00+01:00'))).toBe(false);
    expect(isInstantInRange(new Date('not a date'))).toBe(false);
  });
});
