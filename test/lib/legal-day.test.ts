import { describe, expect, it } from 'vitest';

import { legalDay } from '../../api/lib/legal-day';

describe('legalDay', () => {
  it('is the date in Madrid, also when asked again within the minute across a midnight', () => {
    // Summer time (UTC+2): 23:30 UTC on 30 June is 01:30 on 1 July in Madrid.
    expect(legalDay(new Date('2026-06-30T21:59:59.999Z'))).toBe('2026-06-30');
    expect(legalDay(new Date('2026-06-30T22:00:00.000Z'))).toBe('2026-07-01');
    expect(legalDay(new Date('2026-06-30T23:30:00Z'))).toBe('2026-07-01');
    // Winter time (UTC+1) after 25 October 2026: midnight in Madrid is 23:00 UTC.
    expect(legalDay(new Date('2026-10-26T22:59:59.999Z'))).toBe('2026-10-26');
    expect(legalDay(new Date('2026-10-26T22:59:00.000Z'))).toBe('2026-10-26');
    expect(legalDay(new Date('2026-10-26T23:00:00.000Z'))).toBe('2026-10-27');
    expect(legalDay(new Date('2026-10-26T22:59:30.000Z'))).toBe('2026-10-26');
    expect(() => legalDay(new Date(Number.NaN))).toThrow(RangeError);
  });
});
