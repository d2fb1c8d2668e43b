import { addBusinessDays, addMonths, isBusinessDay, nextBusinessDay } from '../../lib/calendar';
import { addDays } from '../../lib/dates';
import type { RegionCode } from '../../lib/holidays';

/** Días hábiles to cure a requirement (art. 68), and the one extension that may be asked. */
export const REQUIREMENT_DAYS = 10;
export const REQUIREMENT_EXTENSION_DAYS = 5;
/** Días hábiles to file a reclamación previa after a denial (Ley 36/2011, art. 71). */
export const PRIOR_CLAIM_DAYS = 30;

export interface Term {
  value: number;
  unit: 'business_days' | 'months';
}

/** A filing made on a non-working day counts as made on the next working day (art. 31.2.b). */
export function registrationDay(submittedOn: string, region?: RegionCode): string {
  return nextBusinessDay(submittedOn, region);
}

export function maxResolutionBase(registeredOn: string, term: Term, region?: RegionCode): string {
  return term.unit === 'months' ? addMonths(registeredOn, term.value, region).deadline : addBusinessDays(registeredOn, term.value, region).deadline;
}

export interface Suspension {
  from: string;
  /** Exclusive end; undefined while the requirement is still open. */
  until?: string;
}

function businessDaysBetween(from: string, until: string, region?: RegionCode): number {
  let n = 0;
  for (let d = from; d < until; d = addDays(d, 1)) if (isBusinessDay(d, region)) n++;
  return n;
}

/**
 * The maximum resolution date once the clock has been suspended by requirements (art. 22.1.a):
 * the time a requirement was open is added back, in the term's own unit. While one is still
 * open the date is not known, so it answers null.
 */
export function maxResolutionDate(base: string, term: Term, suspensions: readonly Suspension[], region?: RegionCode): string | null {
  let date = base;
  for (const s of suspensions) {
    if (!s.until) return null;
    if (term.unit === 'months') {
      date = nextBusinessDay(addDays(date, Math.round((Date.parse(s.until) - Date.parse(s.from)) / 86_400_000)), region);
    } else {
      const lost = businessDaysBetween(s.from, s.until, region);
      if (lost > 0) date = addBusinessDays(date, lost, region).deadline;
    }
  }
  return date;
}

export function requirementDeadline(notifiedOn: string, extended: boolean, region?: RegionCode): string {
  return addBusinessDays(notifiedOn, REQUIREMENT_DAYS + (extended ? REQUIREMENT_EXTENSION_DAYS : 0), region).deadline;
}

/** Silence: the claim is presumed denied the day after the maximum date passes unresolved. */
export function presumedDeniedOn(maxDate: string): string {
  return addDays(maxDate, 1);
}

export function priorClaimDeadline(from: string, region?: RegionCode): string {
  return addBusinessDays(from, PRIOR_CLAIM_DAYS, region).deadline;
}

/** Días naturales an electronic notification stays unopened before it is deemed rejected (art. 43.2). */
export const DEEMED_REJECTION_DAYS = 10;
/** Months after a lapse warning before caducidad may be declared (art. 95.1), counted date to date. */
export const LAPSE_WARNING_MONTHS = 3;

/**
 * Made available on day D and never opened, a notification is deemed rejected on D+10 (días
 * naturales); a last day that is inhábil moves to the next hábil one (art. 30.5).
 */
export function deemedRejectionOn(madeAvailableOn: string, region?: RegionCode): string {
  return nextBusinessDay(addDays(madeAvailableOn, DEEMED_REJECTION_DAYS), region);
}

/**
 * The day a notification takes effect, from which the term it opens counts (the next day is the
 * first counted): the day it was first opened within the period, or the day of its deemed
 * rejection once that day has passed unopened. Null while neither has happened.
 */
export function notificationEffectiveOn(madeAvailableOn: string, accessedOn: string | null, today: string, region?: RegionCode): string | null {
  const rejectedOn = deemedRejectionOn(madeAvailableOn, region);
  if (accessedOn !== null && accessedOn <= rejectedOn) return accessedOn;
  return today > rejectedOn ? rejectedOn : null;
}

/** The last day of the three months after a lapse warning took effect; caducidad may be declared from the next day. */
export function lapseWarningEnds(effectiveOn: string, region?: RegionCode): string {
  return addMonths(effectiveOn, LAPSE_WARNING_MONTHS, region).deadline;
}
