import { describe, expect, it } from 'vitest';

import { municipalityPlace, officePlace } from '../../api/lib/calendar';
import { readSnapshot } from '../../api/modules/calendar/store';
import { maxResolutionBase, suspendedTerm, type Term } from '../../api/modules/procedures/deadlines';
import { deadlinesOf } from '../../api/modules/procedures/mappers';
import { fileTestApp } from '../support/app';

const t = await fileTestApp();
const SIX_MONTHS: Term = { value: 6, unit: 'months' };

/** An applicant in Madrid (28079) whose procedure is decided in Madrid. */
async function madrid() {
  const cal = await readSnapshot(t.sql);
  return { cal, places: [municipalityPlace(cal, 'applicant', '28079')!, officePlace(cal, 'M')!] };
}

/**
 * The time a requirement was open is added to a term in months after the months are counted
 * date to date (art. 30.4), and only the last day is moved to a working one (art. 30.5).
 * Every expected date below is counted by hand.
 */
describe('the maximum resolution date of a term in months, suspended by a requirement', () => {
  it('adds the suspended days to the date the months reach, not to a date already moved', async () => {
    const { cal, places } = await madrid();
    // Registered Friday 2026-04-17; six months reach Saturday 2026-10-17 (the base moves to
    // Monday 10-19). A requirement open for 6 days (the clock stopped from 05-04 to 05-10,
    // exclusive): 10-17 + 6 = Friday 2026-10-23, a working day in Madrid. Adding the 6 days to
    // the moved Monday would give Sunday 10-25, moved again to Monday 10-26: a day late.
    const base = maxResolutionBase(cal, '2026-04-17', SIX_MONTHS, places);
    expect(base.deadline).toBe('2026-10-19');
    const max = suspendedTerm(
      cal,
      '2026-04-17',
      base,
      SIX_MONTHS,
      [{ id: 'req_a', from: '2026-05-04', until: '2026-05-10' }],
      places,
    ).result;
    expect(max!.deadline).toBe('2026-10-23');
  });

  it('moves the last day once when it is not a working day', async () => {
    const { cal, places } = await madrid();
    // Registered 2026-03-02; six months reach Wednesday 09-02. Suspended 10 days (03-10 to 03-20):
    // Saturday 09-12, so the deadline is Monday 2026-09-14.
    const base = maxResolutionBase(cal, '2026-03-02', SIX_MONTHS, places);
    const max = suspendedTerm(
      cal,
      '2026-03-02',
      base,
      SIX_MONTHS,
      [{ id: 'req_a', from: '2026-03-10', until: '2026-03-20' }],
      places,
    ).result;
    expect(max!.deadline).toBe('2026-09-14');
  });

  it('adds up two requirements', async () => {
    const { cal, places } = await madrid();
    // Registered 2026-03-02 → Wednesday 09-02; suspended 5 days (04-01 to 04-06) and 3 days
    // (05-04 to 05-07): 09-02 + 8 = Thursday 2026-09-10.
    const base = maxResolutionBase(cal, '2026-03-02', SIX_MONTHS, places);
    const suspensions = [
      { id: 'req_a', from: '2026-04-01', until: '2026-04-06' },
      { id: 'req_b', from: '2026-05-04', until: '2026-05-07' },
    ];
    const { result, effects } = suspendedTerm(cal, '2026-03-02', base, SIX_MONTHS, suspensions, places);
    expect(result!.deadline).toBe('2026-09-10');
    // What each one added, as the procedure states it for a count by hand.
    expect(Object.fromEntries(effects)).toEqual({
      // 2 September + 5 = Monday 7 September; + 3 more = Thursday 10 September.
      req_a: {
        status: 'ended',
        firstDay: '2026-04-01',
        lastDay: '2026-04-05',
        days: 5,
        unit: 'natural_days',
        maxDateAfter: '2026-09-07',
      },
      req_b: {
        status: 'ended',
        firstDay: '2026-05-04',
        lastDay: '2026-05-06',
        days: 3,
        unit: 'natural_days',
        maxDateAfter: '2026-09-10',
      },
    });
  });

  it('is provisional, on the weakest data, when the added days reach a year not yet published', async () => {
    const { cal, places } = await madrid();
    // Registered 2026-06-16 → Wednesday 12-16; suspended 30 days (07-01 to 07-31): Friday
    // 2027-01-15. The 2027 calendar is provisional (only the national days, grade C).
    const base = maxResolutionBase(cal, '2026-06-16', SIX_MONTHS, places);
    expect(base.provisional).toBe(false);
    const max = suspendedTerm(
      cal,
      '2026-06-16',
      base,
      SIX_MONTHS,
      [{ id: 'req_a', from: '2026-07-01', until: '2026-07-31' }],
      places,
    ).result!;
    expect(max.deadline).toBe('2027-01-15');
    expect(max.provisional).toBe(true);
    expect(max.lowestConfidence).toBe('C');
  });

  it('is unknown while a requirement is still open', async () => {
    const { cal, places } = await madrid();
    const base = maxResolutionBase(cal, '2026-03-02', SIX_MONTHS, places);
    const { result, effects } = suspendedTerm(
      cal,
      '2026-03-02',
      base,
      SIX_MONTHS,
      [{ id: 'req_a', from: '2026-03-10' }],
      places,
    );
    expect(result).toBeNull();
    expect(effects.get('req_a')).toEqual({ status: 'running', firstDay: '2026-03-10' });
  });
});

describe('a date that reaches a year without holiday data', () => {
  it('is null, and the procedure says which date and which year, rather than nothing', async () => {
    const { cal } = await madrid();
    // A JUB denied in Madrid, its resolution opened on Friday 2027-12-10: the 30 días hábiles of the
    // prior claim start on 12-13; 2027 gives 14 of them (12-13 … 12-31, 12-25 a Saturday), the rest
    // fall in 2028, which has no data.
    const row = {
      id: 'prc_x',
      type: 'JUB',
      status: 'denied',
      region: 'MD',
      applicant_municipality: '28079',
      office_municipality: '28079',
      registered_on: '2027-06-01',
      max_resolution_base: '2027-10-05',
      resolved_at: new Date('2027-12-10T10:00:00Z'),
      requirements: [],
      notifications: [
        {
          id: 'ntf_1',
          kind: 'resolution',
          requirement_id: null,
          content: { outcome: 'denied' },
          made_available_at: '2027-12-10T10:00:00Z',
          made_available_on: '2027-12-10',
          accessed_at: '2027-12-10T11:00:00Z',
          accessed_on: '2027-12-10',
          accessed_by_member_id: null,
          deemed_rejected_at: null,
        },
      ],
    } as unknown as Parameters<typeof deadlinesOf>[0];
    const d = deadlinesOf(row, '2027-12-15', cal);
    expect(d.prior_claim_deadline).toBeNull();
    expect(d.basis.prior_claim_deadline).toBeNull();
    expect(d.unavailable).toEqual([
      { deadline: 'prior_claim_deadline', year: 2028, message: expect.stringContaining('2028') },
    ]);
    // The dates that could be computed are there, and not listed as unavailable.
    expect(d.max_resolution_date).toBe('2027-10-05');
  });
});
