import { describe, expect, it } from 'vitest';

import { readSnapshot } from '../../api/modules/calendar/store';
import { legalDatesOf } from '../../api/modules/citizen/service';
import { deadlinesOf, toProcedureSummary } from '../../api/modules/procedures/mappers';
import { fileTestApp } from '../support/app';

/**
 * How a requirement suspends the maximum resolution term (art. 22.1.a Ley 39/2015): from the
 * day after its notification takes effect (opened, or deemed rejected, art. 43.2) until it is
 * answered or, unanswered, until the term it granted has passed. Every date below is counted by
 * hand on the Madrid calendar (2 and 3 April, 1 and 15 May 2026 are not working days there).
 */
const t = await fileTestApp();

type Row = Parameters<typeof deadlinesOf>[0];

function procedure(over: Record<string, unknown>): Row {
  return {
    id: 'prc_suspension',
    type: 'JUB',
    status: 'action_required',
    region: 'MD',
    applicant_municipality: '28079',
    office_municipality: '28079',
    registered_on: '2026-02-02',
    // 90 días hábiles from Monday 2 February: Friday 12 June.
    max_resolution_base: '2026-06-12',
    resolved_at: null,
    requirements: [],
    notifications: [],
    document_kinds: [],
    created_at: new Date('2026-02-02T09:00:00Z'),
    updated_at: new Date('2026-02-02T09:00:00Z'),
    submitted_at: null,
    ...over,
  } as unknown as Row;
}

/** A requirement made available on `availableOn`, opened on `openedOn`, answered on `answeredOn`. */
function required(availableOn: string, openedOn: string | null, answeredOn: string | null, id = 's') {
  return {
    requirements: [
      {
        id: `req_${id}`,
        kinds: ['COMPANY_CERT'],
        message: 'Falta el certificado.',
        notified_at: `${availableOn}T09:00:00Z`,
        notified_on: availableOn,
        deadline: null,
        extended: false,
        status: answeredOn ? 'answered' : 'open',
        answered_at: answeredOn ? `${answeredOn}T09:00:00Z` : null,
        answered_on: answeredOn,
        response_message: null,
      },
    ],
    notifications: [
      {
        id: `ntf_${id}`,
        kind: 'requirement',
        requirement_id: `req_${id}`,
        content: {},
        made_available_at: `${availableOn}T09:00:00Z`,
        made_available_on: availableOn,
        accessed_at: openedOn ? `${openedOn}T09:00:00Z` : null,
        accessed_on: openedOn,
        accessed_by_member_id: null,
        deemed_rejected_at: null,
      },
    ],
  };
}

/** What the procedure says its one requirement did to the maximum term, on `today`. */
async function suspensionOf(row: Row, today: string, index = 0) {
  return toProcedureSummary(row, today, await readSnapshot(t.sql)).requirements[index]!.suspension;
}

describe('a requirement and the maximum term', () => {
  it('unanswered, suspends it only until the term it granted has passed', async () => {
    const cal = await readSnapshot(t.sql);
    // Opened Monday 2 March: 10 días hábiles end Monday 16 March. Never answered, never declared withdrawn.
    const row = procedure(required('2026-03-02', '2026-03-02', null));
    expect(deadlinesOf(row, '2026-03-10', cal)).toMatchObject({ clock: 'suspended', max_resolution_date: null });
    // From 17 March the term runs again, 10 días hábiles later: 12 June + 10 = Friday 26 June.
    expect(deadlinesOf(row, '2026-12-01', cal)).toMatchObject({
      clock: 'running',
      requirement_deadline: '2026-03-16',
      max_resolution_date: '2026-06-26',
      presumed_denied_at: '2026-06-27',
    });
    // Said on the requirement, for a count by hand: 3–6, 9–13 and 16 March, 10 días hábiles added back.
    expect(await suspensionOf(row, '2026-03-10')).toEqual({ status: 'running', first_day: '2026-03-03' });
    expect(await suspensionOf(row, '2026-12-01')).toEqual({
      status: 'ended',
      first_day: '2026-03-03',
      last_day: '2026-03-16',
      days: 10,
      unit: 'business_days',
      max_resolution_date_after: '2026-06-26',
    });
  });

  it('notified on the last day and answered on a Saturday, ends no earlier than the next working day', async () => {
    const cal = await readSnapshot(t.sql);
    const row = procedure({ status: 'in_review', ...required('2026-06-12', '2026-06-12', '2026-06-13') });
    // Nothing was left of the term when it was suspended; it cannot end on the 12th, before the answer.
    expect(deadlinesOf(row, '2026-06-16', cal)).toMatchObject({
      max_resolution_date: '2026-06-15',
      presumed_denied_at: '2026-06-16',
    });
    // Suspended on Saturday 13 June only: no día hábil added back; the date rests on the last
    // suspended day, moved to Monday 15 June, and says so.
    expect(await suspensionOf(row, '2026-06-16')).toEqual({
      status: 'ended',
      first_day: '2026-06-13',
      last_day: '2026-06-13',
      days: 0,
      unit: 'business_days',
      max_resolution_date_after: '2026-06-15',
    });
  });

  it('in months, deemed rejected on the day the last one moved to, ends no earlier than the answer', async () => {
    const cal = await readSnapshot(t.sql);
    // IMV, six months from Friday 17 April reach Saturday 17 October: the last day is Monday 19 October.
    // Made available 7 October and never opened: deemed rejected 17 October, a Saturday, so Monday 19.
    const waiting = procedure({
      type: 'IMV',
      registered_on: '2026-04-17',
      max_resolution_base: '2026-10-19',
      ...required('2026-10-07', null, null),
    });
    expect(deadlinesOf(waiting, '2026-10-20', cal)).toMatchObject({ clock: 'suspended', max_resolution_date: null });
    const answered = procedure({
      type: 'IMV',
      status: 'in_review',
      registered_on: '2026-04-17',
      max_resolution_base: '2026-10-19',
      ...required('2026-10-07', '2026-10-21', '2026-10-21'),
    });
    // Answered Wednesday 21 October, with nothing left of the term: it ends that day.
    expect(deadlinesOf(answered, '2026-10-21', cal)).toMatchObject({
      clock: 'running',
      max_resolution_date: '2026-10-21',
      presumed_denied_at: null,
    });
    expect(deadlinesOf(answered, '2026-10-22', cal)).toMatchObject({ presumed_denied_at: '2026-10-22' });
    // In months the suspended días naturales count: Tuesday 20 and Wednesday 21 October.
    expect(await suspensionOf(answered, '2026-10-22')).toEqual({
      status: 'ended',
      first_day: '2026-10-20',
      last_day: '2026-10-21',
      days: 2,
      unit: 'natural_days',
      // 17 October + 2 = Monday 19 October, before the last suspended day: the 21st.
      max_resolution_date_after: '2026-10-21',
    });
  });

  it('notified after the term ended, suspends nothing, and the citizen is not told the clock stopped', async () => {
    const cal = await readSnapshot(t.sql);
    // Opened Monday 15 June, after the last day (12 June): silence arose on Saturday 13 June.
    const row = procedure(required('2026-06-15', '2026-06-15', null));
    const deadlines = deadlinesOf(row, '2026-06-17', cal);
    expect(deadlines).toMatchObject({
      clock: 'running',
      max_resolution_date: '2026-06-12',
      presumed_denied_at: '2026-06-13',
      requirement_deadline: '2026-06-29',
    });
    const said = legalDatesOf(row, { silence_effect: 'negative' }, deadlines, cal).map((d) => d.code);
    expect(said).toContain('presumed_denied');
    expect(said).not.toContain('clock_suspended');
    expect(await suspensionOf(row, '2026-06-17')).toEqual({ status: 'none', reason: 'notified_after_term' });
  });

  it('answered the day its notification took effect, suspends nothing', async () => {
    const cal = await readSnapshot(t.sql);
    // Opened and answered on Monday 2 March: not one day suspended, 12 June stands.
    const row = procedure({ status: 'in_review', ...required('2026-03-02', '2026-03-02', '2026-03-02') });
    expect(deadlinesOf(row, '2026-03-10', cal)).toMatchObject({ clock: 'running', max_resolution_date: '2026-06-12' });
    expect(await suspensionOf(row, '2026-03-10')).toEqual({ status: 'none', reason: 'answered_when_notified' });
  });

  it('unanswered when the procedure ended, stopped suspending it that day', async () => {
    const cal = await readSnapshot(t.sql);
    // Opened Monday 2 March, the client withdrew on Thursday 5 March, within the 10 días hábiles.
    const row = procedure({
      status: 'withdrawn',
      withdrawn_at: new Date('2026-03-05T10:00:00Z'),
      ...required('2026-03-02', '2026-03-02', null),
    });
    // Suspended 3, 4 and 5 March (3 días hábiles): 12 June + 3 = Wednesday 17 June, then and later.
    for (const today of ['2026-03-10', '2026-12-01']) {
      expect(deadlinesOf(row, today, cal)).toMatchObject({ clock: 'stopped', max_resolution_date: '2026-06-17' });
      expect(await suspensionOf(row, today)).toEqual({
        status: 'ended',
        first_day: '2026-03-03',
        last_day: '2026-03-05',
        days: 3,
        unit: 'business_days',
        max_resolution_date_after: '2026-06-17',
      });
    }
  });

  it('after another that ended on the last day, counts from the date that one left', async () => {
    const cal = await readSnapshot(t.sql);
    // The first is opened Friday 12 June (the last day) and answered Saturday 13: the date moves to
    // Monday 15. The second is opened Sunday 14 June and answered Friday 19: 15–19 June are 5 días
    // hábiles, added to the 15th: 16, 17, 18, 19 and Monday 22 June.
    const first = required('2026-06-12', '2026-06-12', '2026-06-13', 'a');
    const second = required('2026-06-14', '2026-06-14', '2026-06-19', 'b');
    const row = procedure({
      status: 'in_review',
      requirements: [...first.requirements, ...second.requirements],
      notifications: [...first.notifications, ...second.notifications],
    });
    expect(deadlinesOf(row, '2026-06-22', cal)).toMatchObject({ max_resolution_date: '2026-06-22' });
    expect(await suspensionOf(row, '2026-06-22', 0)).toMatchObject({
      days: 0,
      max_resolution_date_after: '2026-06-15',
    });
    expect(await suspensionOf(row, '2026-06-22', 1)).toEqual({
      status: 'ended',
      first_day: '2026-06-15',
      last_day: '2026-06-19',
      days: 5,
      unit: 'business_days',
      max_resolution_date_after: '2026-06-22',
    });
  });
});
