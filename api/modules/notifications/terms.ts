import { type CalendarSnapshot, CalendarUnavailableError, type DeadlineResult } from '../../lib/calendar';
import { addDays } from '../../lib/dates';
import {
  deemedRejectionOn,
  lapseWarningEnds,
  notificationEffectiveOn,
  opensPriorClaim,
  placesOf,
  priorClaimDeadline,
  type ProcedurePlaces,
  requirementDeadline,
} from '../procedures/deadlines';
import type { NotificationStateJson, ProcedureStateRow, RequirementStateJson } from '../procedures/queries';

/** What a notification's term is for: curing a requirement, filing a reclamación previa, or the standstill before caducidad. */
export type TermBasis = 'requirement' | 'prior_claim' | 'lapse_warning';
export type TermStarts = 'on_access_or_deemed_rejection' | 'after_access' | 'after_deemed_rejection';

export const TERM_ARTICLES: Record<TermBasis, string> = {
  requirement: 'Ley 39/2015, arts. 68.1 y 43.2',
  prior_claim: 'Ley 36/2011, art. 71; Ley 39/2015, art. 43.2',
  lapse_warning: 'Ley 39/2015, arts. 95.1 y 30.4',
};

export interface NotificationTerm {
  basis: TermBasis | null;
  /** The day it is (or will be) deemed rejected if not opened. */
  deemedRejectedOn: string;
  /** True once the deemed rejection day has passed with no opening within the period. */
  deemedRejected: boolean;
  /** The day the notification took effect; null while it is neither opened nor deemed rejected. */
  effectiveOn: string | null;
  starts: TermStarts;
  /** First day counted (the day after it took effect). */
  countingFrom: string | null;
  deadline: string | null;
  /** The computation behind `deadline` (its skipped days and data grades), for its basis. */
  result: DeadlineResult | null;
}

/** What a term is computed from: the procedure's places (art. 30.6) and its requirements (for the extension). */
export type TermRow = ProcedurePlaces & {
  type: string;
  requirements: ReadonlyArray<Pick<RequirementStateJson, 'id' | 'extended'>>;
};

function basisOf(type: string, n: Pick<NotificationStateJson, 'kind' | 'content'>): TermBasis | null {
  if (n.kind === 'requirement') return 'requirement';
  if (n.kind === 'lapse_warning') return 'lapse_warning';
  if (
    n.kind === 'resolution' &&
    opensPriorClaim(type) &&
    (n.content.outcome === 'denied' || n.content.outcome === 'partially_approved')
  )
    return 'prior_claim';
  return null;
}

/**
 * The term a notification opens, as of `today`: it starts the day after the first opening within
 * the 10 días naturales, or the day after the deemed rejection (art. 43.2). Throws
 * CalendarUnavailableError when a date reaches a year without holiday data.
 */
export function notificationTerm(
  cal: CalendarSnapshot,
  row: TermRow,
  n: NotificationStateJson,
  today: string,
): NotificationTerm {
  const places = placesOf(cal, row);
  const deemedRejectedOn = deemedRejectionOn(cal, n.made_available_on, places);
  const effectiveOn = notificationEffectiveOn(cal, n.made_available_on, n.accessed_on, today, places);
  const openedInTime = effectiveOn !== null && effectiveOn === n.accessed_on;
  const basis = basisOf(row.type, n);
  let result: DeadlineResult | null = null;
  if (effectiveOn !== null && basis === 'requirement') {
    const requirement = row.requirements.find((r) => r.id === n.requirement_id);
    result = requirementDeadline(cal, effectiveOn, requirement?.extended ?? false, places);
  } else if (effectiveOn !== null && basis === 'prior_claim') {
    result = priorClaimDeadline(cal, effectiveOn, places);
  } else if (effectiveOn !== null && basis === 'lapse_warning') {
    result = lapseWarningEnds(cal, effectiveOn, places);
  }
  return {
    basis,
    deemedRejectedOn,
    deemedRejected: effectiveOn !== null && !openedInTime,
    effectiveOn,
    starts:
      effectiveOn === null ? 'on_access_or_deemed_rejection' : openedInTime ? 'after_access' : 'after_deemed_rejection',
    countingFrom: effectiveOn === null ? null : addDays(effectiveOn, 1),
    deadline: result?.deadline ?? null,
    result,
  };
}

/**
 * The first day caducidad may be declared on a lapse warning (art. 95.1): the day after the three
 * months its notification opened (`notificationTerm`); null while that term has not started.
 */
export function lapseDeclarableFrom(term: Pick<NotificationTerm, 'basis' | 'deadline'>): string | null {
  return term.basis === 'lapse_warning' && term.deadline ? addDays(term.deadline, 1) : null;
}

/** The notification of a requirement (every requirement has one). */
export function requirementNotification(
  row: Pick<ProcedureStateRow, 'notifications'>,
  requirementId: string,
): NotificationStateJson | undefined {
  return row.notifications.find((n) => n.kind === 'requirement' && n.requirement_id === requirementId);
}

/**
 * Whether the act a notification carries is shown to the interested party's side (the firm, the
 * citizen): once the notification has taken effect, opened (the legal access, art. 43.2, which is
 * recorded) or deemed rejected after 10 días naturales unopened. Until then reads show the act's
 * state and dates, never its text, so nobody learns it before the access that its record and its
 * term rest on; once rejected it has had its effect, and hiding it would keep it from the citizen
 * for good when nobody represents them any more. While the rejection day cannot be counted (a
 * year without holiday data), only an opening shows it. An act stored without a notification was
 * notified when issued.
 */
export function actShown(
  cal: CalendarSnapshot,
  row: TermRow,
  n: Pick<NotificationStateJson, 'accessed_at' | 'accessed_on' | 'made_available_on'> | undefined,
  today: string,
): boolean {
  if (n === undefined || n.accessed_at !== null) return true;
  try {
    return notificationEffectiveOn(cal, n.made_available_on, n.accessed_on, today, placesOf(cal, row)) !== null;
  } catch (error) {
    if (error instanceof CalendarUnavailableError) return false;
    throw error;
  }
}

/** The latest notification of a kind. */
export function latestNotification(
  row: Pick<ProcedureStateRow, 'notifications'>,
  kind: NotificationStateJson['kind'],
): NotificationStateJson | undefined {
  return row.notifications.filter((n) => n.kind === kind).at(-1);
}
