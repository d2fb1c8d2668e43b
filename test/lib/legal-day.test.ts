import { describe, expect, it } from 'vitest';

import { lastLegalDayBefore, legalDay, legalDayStart } from '../../api/lib/legal-day';

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

describe('legalDayStart', () => {
  it('is midnight in Madrid: 23:00 UTC the evening before in winter time, 22:00 UTC in summer time', () => {
    expect(legalDayStart('2026-03-05').toISOString()).toBe('2026-03-04T23:00:00.000Z');
    // Summer time starts at 02:00 on 29 March 2026: that day still begins in winter time.
    expect(legalDayStart('2026-03-29').toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(legalDayStart('2026-03-30').toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect(legalDayStart('2026-07-01').toISOString()).toBe('2026-06-30T22:00:00.000Z');
    // Winter time starts at 03:00 on 25 October 2026: that day still begins in summer time.
    expect(legalDayStart('2026-10-25').toISOString()).toBe('2026-10-24T22:00:00.000Z');
    expect(legalDayStart('2026-10-26').toISOString()).toBe('2026-10-25T23:00:00.000Z');
    expect(legalDayStart('2027-01-01').toISOString()).toBe('2026-12-31T23:00:00.000Z');
  });
});

describe('lastLegalDayBefore', () => {
  it('is the day before when the end falls at midnight in Madrid, and the same day otherwise', () => {
    expect(lastLegalDayBefore(new Date('2026-03-04T23:00:00.000Z'))).toBe('2026-03-04');
    expect(lastLegalDayBefore(new Date('2026-03-04T23:00:00.001Z'))).toBe('2026-03-05');
    expect(lastLegalDayBefore(new Date('2026-03-23T09:00:00.000Z'))).toBe('2026-03-23');
    expect(lastLegalDayBefore(new Date('2026-06-30T22:00:00.000Z'))).toBe('2026-06-30');
  });
});
