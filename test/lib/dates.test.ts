import { describe, expect, it } from 'vitest';

import { addDays } from '../../api/lib/dates';

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
