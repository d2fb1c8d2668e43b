import {
  addBusinessDays,
  addMonths,
  addNaturalDays,
  assess,
  type CalendarSnapshot,
  type CalendarWarning,
  combineResults,
  type DeadlineResult,
  isBusinessDay,
  municipalityPlace,
  nextBusinessDay,
  type Place,
  type PlaceReport,
  type ProcedureTypeTerms,
  procedureTypeTerms,
  regionPlace,
} from '../../lib/calendar';
import { addDays, addMonths as addMonthsToDate, daysBetween } from '../../lib/dates';
import { type Confidence, REGION_CODES, type RegionCode } from '../../lib/holidays';

/** Días hábiles to cure a requirement (art. 68), and the one extension that may be asked. */
export const REQUIREMENT_DAYS = 10;
export const REQUIREMENT_EXTENSION_DAYS = 5;
/** Días hábiles to file a reclamación previa after a denial (Ley 36/2011, art. 71). */
export const PRIOR_CLAIM_DAYS = 30;

export const ARTICLES = {
  registration: 'Ley 39/2015, art. 31.2.b (filing on a día inhábil counts from the first hour of the next día hábil)',
  max_resolution:
    'Ley 39/2015, arts. 21.2–21.3 (plazo máximo) and 30 (cómputo); suspended by a requirement, art. 22.1.a',
  presumed_denial:
    'Ley 39/2015, art. 24.1 and TRLGSS (RDLeg 8/2015): silence is negative in Social Security benefit procedures',
  requirement: 'Ley 39/2015, art. 68.1 (10 días hábiles) and 68.2 (extension of 5 días hábiles)',
  prior_claim: 'Ley 36/2011, art. 71.2 (30 días hábiles)',
  notification:
    'Ley 39/2015, art. 43.2 (from the day after the notification is opened, or deemed rejected after 10 días naturales unopened)',
} as const;

export interface Term {
  value: number;
  unit: 'business_days' | 'months';
}

/** The maximum term to resolve a procedure of this type, as the catalogue states it (with the calendar snapshot). */
export function maxTermOf(cal: CalendarSnapshot, type: string): Term {
  const terms = procedureTypeTerms(cal, type);
  return { value: terms.max_term_value, unit: terms.max_term_unit };
}

/** Where a procedure's calendar comes from: the applicant's municipality and the seat of the deciding office (art. 30.6). */
export interface ProcedurePlaces {
  region: string | null;
  applicant_municipality: string | null;
  office_municipality: string | null;
}

export function placesOf(cal: CalendarSnapshot, p: ProcedurePlaces): Place[] {
  const applicant = (p.applicant_municipality
    ? municipalityPlace(cal, 'applicant', p.applicant_municipality)
    : undefined) ??
    (p.region && (REGION_CODES as readonly string[]).includes(p.region)
      ? regionPlace('applicant', p.region as RegionCode)
      : undefined) ?? { role: 'applicant' as const, region: null, province: null, municipality: null, area: null };
  const office = p.office_municipality ? municipalityPlace(cal, 'office', p.office_municipality) : undefined;
  return office ? [applicant, office] : [applicant];
}

/** A filing made on a non-working day counts as made on the next working day (art. 31.2.b). */
export function registrationDay(cal: CalendarSnapshot, submittedOn: string, places: readonly Place[]): string {
  return nextBusinessDay(cal, submittedOn, places);
}

export function maxResolutionBase(
  cal: CalendarSnapshot,
  registeredOn: string,
  term: Term,
  places: readonly Place[],
): DeadlineResult {
  return term.unit === 'months'
    ? addMonths(cal, registeredOn, term.value, places)
    : addBusinessDays(cal, registeredOn, term.value, places);
}

export interface Suspension {
  /** The requirement that suspends the term. */
  id: string;
  /** First day suspended. */
  from: string;
  /** The day after the last one suspended (exclusive); undefined while the requirement is still open. */
  until?: string;
}

/**
 * What one requirement did to the maximum term: `running` while it suspends it (the term's end
 * is not known); `ended` with its first and last day (inclusive), the days it added back (días
 * hábiles for a term in días hábiles, días naturales for one in months) and the maximum date once
 * it is counted; or `none`, with why: its notification took effect after the term had ended
 * (silence had arisen), or it was answered the day its notification took effect.
 */
export type SuspensionEffect =
  | { status: 'running'; firstDay: string }
  | {
      status: 'ended';
      firstDay: string;
      lastDay: string;
      days: number;
      unit: 'business_days' | 'natural_days';
      maxDateAfter: string;
    }
  | { status: 'none'; reason: 'notified_after_term' | 'answered_when_notified' };

function businessDaysBetween(cal: CalendarSnapshot, from: string, until: string, places: readonly Place[]): number {
  let n = 0;
  for (let d = from; d < until; d = addDays(d, 1)) if (isBusinessDay(cal, d, places)) n++;
  return n;
}

/**
 * The maximum resolution date once the clock has been suspended by requirements (art. 22.1.a):
 * the time a requirement was open is added back, in the term's own unit. While one is still
 * open the date is not known, so `result` is null. A suspension runs from the day after the
 * requirement's notification took effect; one whose notification took effect after the term had
 * ended suspends nothing (silence had arisen). A term in months ends on a calendar date (date
 * to date from the registration, art. 30.4) and only that last day moves to a working one (art.
 * 30.5): the suspended days are added to the date the months reach, not to `base` (already moved),
 * and the result is moved once. With the date, what each suspension did (`effects`, by
 * requirement id), so that it can be counted again by hand; a suspension after one still running
 * is not judged yet (it has no entry).
 */
export function suspendedTerm(
  cal: CalendarSnapshot,
  registeredOn: string,
  base: DeadlineResult,
  term: Term,
  suspensions: readonly Suspension[],
  places: readonly Place[],
): { result: DeadlineResult | null; effects: Map<string, SuspensionEffect> } {
  const effects = new Map<string, SuspensionEffect>();
  const inOrder = [...suspensions].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  const parts = [base];
  let date = base.deadline;
  let suspendedDays = 0;
  let applied = false;
  // In months, each suspension recounts from the date the months reach: only the last count stands.
  let monthsEnd: DeadlineResult | undefined;
  for (const s of inOrder) {
    // Notified after the last day of the term (the suspension would start two days after it).
    if (s.from > addDays(date, 1)) {
      effects.set(s.id, { status: 'none', reason: 'notified_after_term' });
      continue;
    }
    if (!s.until) {
      effects.set(s.id, { status: 'running', firstDay: s.from });
      return { result: null, effects };
    }
    // Answered the day its notification took effect: not a single day was suspended.
    if (s.until <= s.from) {
      effects.set(s.id, { status: 'none', reason: 'answered_when_notified' });
      continue;
    }
    applied = true;
    const lastDay = addDays(s.until, -1);
    let days: number;
    if (term.unit === 'months') {
      days = daysBetween(s.from, s.until);
      suspendedDays += days;
      monthsEnd = addNaturalDays(cal, addMonthsToDate(registeredOn, term.value), suspendedDays, places);
      if (monthsEnd.deadline > date) date = monthsEnd.deadline;
    } else {
      days = businessDaysBetween(cal, s.from, s.until, places);
      if (days > 0) {
        const step = addBusinessDays(cal, date, days, places);
        parts.push(step);
        date = step.deadline;
      }
    }
    // A term that had nothing left when the suspension began ends no earlier than the suspension
    // (the last day moved to a working one): counted back, it would end while it was suspended.
    if (date < lastDay) {
      const floor = addNaturalDays(cal, lastDay, 0, places);
      parts.push(floor);
      date = floor.deadline;
    }
    const unit = term.unit === 'months' ? 'natural_days' : 'business_days';
    effects.set(s.id, { status: 'ended', firstDay: s.from, lastDay, days, unit, maxDateAfter: date });
  }
  if (!applied) return { result: base, effects };
  if (monthsEnd) parts.push(monthsEnd);
  return { result: combineResults(date, parts), effects };
}

export function requirementDeadline(
  cal: CalendarSnapshot,
  notifiedOn: string,
  extended: boolean,
  places: readonly Place[],
): DeadlineResult {
  return addBusinessDays(cal, notifiedOn, REQUIREMENT_DAYS + (extended ? REQUIREMENT_EXTENSION_DAYS : 0), places);
}

/** Silence: the claim is presumed denied the day after the maximum date passes unresolved. */
export function presumedDeniedOn(maxDate: string): string {
  return addDays(maxDate, 1);
}

/**
 * Whether a denial of this type of procedure is contested with a reclamación previa (Ley 36/2011,
 * art. 71). An RP is that claim: its own denial, express or by silence, is contested in court (the
 * demanda of art. 71.6), whose term runs in the judicial calendar (August is not working), which
 * Puente does not count. So an RP states no prior-claim date.
 */
export function opensPriorClaim(type: string): boolean {
  return type !== 'RP';
}

export function priorClaimDeadline(cal: CalendarSnapshot, from: string, places: readonly Place[]): DeadlineResult {
  return addBusinessDays(cal, from, PRIOR_CLAIM_DAYS, places);
}

/** What a deadline rests on: its article, the places whose calendars counted, and the weakest data behind it. */
export interface DeadlineBasis {
  article: string;
  term: { value: number; unit: 'business_days' | 'months' | 'natural_days' } | null;
  places: PlaceReport[];
  lowest_confidence: Confidence;
  provisional: boolean;
  warnings: CalendarWarning[];
}

export function basisOf(
  cal: CalendarSnapshot,
  article: string,
  term: DeadlineBasis['term'],
  places: readonly Place[],
  result: DeadlineResult,
): DeadlineBasis {
  const { places: reports, warnings } = assess(cal, places, result);
  return {
    article,
    term,
    places: reports,
    lowest_confidence: result.lowestConfidence,
    provisional: result.provisional,
    warnings,
  };
}

/** The catalogue's grade of a maximum term on the calendar's scale (confirmed → A, one secondary source → B, unconfirmed → C). */
const TERM_GRADE: Record<ProcedureTypeTerms['confidence'], Confidence> = { C: 'A', S: 'B', U: 'C' };
const TERM_UNIT: Record<ProcedureTypeTerms['max_term_unit'], string> = {
  business_days: 'días hábiles',
  months: 'months',
};

/**
 * A basis that also rests on the catalogue's maximum term for the type (the maximum date, the
 * presumed denial and what is counted from it): the term's grade joins the data's, and a term the
 * catalogue has not confirmed is stated as such.
 */
export function withTermGrade(basis: DeadlineBasis, terms: ProcedureTypeTerms): DeadlineBasis {
  if (terms.confidence === 'C') return basis;
  const grade = TERM_GRADE[terms.confidence];
  const note = terms.confidence_note ? ` (${terms.confidence_note.replace(/\.$/, '')})` : '';
  return {
    ...basis,
    lowest_confidence: basis.lowest_confidence > grade ? basis.lowest_confidence : grade,
    warnings: [
      ...basis.warnings,
      {
        code: 'term_unconfirmed',
        message: `The maximum term of ${terms.code}, ${terms.max_term_value} ${TERM_UNIT[terms.max_term_unit]}, is not confirmed by an official text${note}: a date counted from it may differ.`,
      },
    ],
  };
}

/** Días naturales an electronic notification stays unopened before it is deemed rejected (art. 43.2). */
export const DEEMED_REJECTION_DAYS = 10;
/** Months after a lapse warning before caducidad may be declared (art. 95.1), counted date to date. */
export const LAPSE_WARNING_MONTHS = 3;

/**
 * Made available on day D and never opened, a notification is deemed rejected on D+10 (días
 * naturales); a last day that is inhábil moves to the next hábil one (art. 30.5).
 */
export function deemedRejectionOn(cal: CalendarSnapshot, madeAvailableOn: string, places: readonly Place[]): string {
  return nextBusinessDay(cal, addDays(madeAvailableOn, DEEMED_REJECTION_DAYS), places);
}

/**
 * The day a notification takes effect, from which the term it opens counts (the next day is the
 * first counted): the day it was first opened within the period, or the day of its deemed
 * rejection once that day has passed unopened. Null while neither has happened.
 */
export function notificationEffectiveOn(
  cal: CalendarSnapshot,
  madeAvailableOn: string,
  accessedOn: string | null,
  today: string,
  places: readonly Place[],
): string | null {
  const rejectedOn = deemedRejectionOn(cal, madeAvailableOn, places);
  if (accessedOn !== null && accessedOn <= rejectedOn) return accessedOn;
  return today > rejectedOn ? rejectedOn : null;
}

/** The last day of the three months after a lapse warning took effect; caducidad may be declared from the next day. */
export function lapseWarningEnds(cal: CalendarSnapshot, effectiveOn: string, places: readonly Place[]): DeadlineResult {
  return addMonths(cal, effectiveOn, LAPSE_WARNING_MONTHS, places);
}
