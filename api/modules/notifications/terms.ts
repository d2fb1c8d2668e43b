import type { RegionCode } from '../../lib/holidays';
import { addDays } from '../../lib/dates';
import {
  deemedRejectionOn, lapseWarningEnds, notificationEffectiveOn, priorClaimDeadline, requirementDeadline,
} from '../procedures/deadlines';
import type { NotificationJson, ProcedureRow } from '../procedures/queries';

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
}

export const regionOf = (row: Pick<ProcedureRow, 'region'>) => (row.region ?? undefined) as RegionCode | undefined;

function basisOf(n: Pick<NotificationJson, 'kind' | 'content'>): TermBasis | null {
  if (n.kind === 'requirement') return 'requirement';
  if (n.kind === 'lapse_warning') return 'lapse_warning';
  if (n.kind === 'resolution' && (n.content.outcome === 'denied' || n.content.outcome === 'partially_approved')) return 'prior_claim';
  return null;
}

/**
 * The term a notification opens, as of `today`: it starts the day after the first opening within
 * the 10 días naturales, or the day after the deemed rejection (art. 43.2). Throws
 * CalendarUnavailableError when a date reaches a year without holiday data.
 */
export function notificationTerm(row: Pick<ProcedureRow, 'region' | 'requirements'>, n: NotificationJson, today: string): NotificationTerm {
  const region = regionOf(row);
  const deemedRejectedOn = deemedRejectionOn(n.made_available_on, region);
  const effectiveOn = notificationEffectiveOn(n.made_available_on, n.accessed_on, today, region);
  const openedInTime = effectiveOn !== null && effectiveOn === n.accessed_on;
  const basis = basisOf(n);
  let deadline: string | null = null;
  if (effectiveOn !== null && basis === 'requirement') {
    const requirement = row.requirements.find((r) => r.id === n.requirement_id);
    deadline = requirementDeadline(effectiveOn, requirement?.extended ?? false, region);
  } else if (effectiveOn !== null && basis === 'prior_claim') {
    deadline = priorClaimDeadline(effectiveOn, region);
  } else if (effectiveOn !== null && basis === 'lapse_warning') {
    deadline = lapseWarningEnds(effectiveOn, region);
  }
  return {
    basis,
    deemedRejectedOn,
    deemedRejected: effectiveOn !== null && !openedInTime,
    effectiveOn,
    starts: effectiveOn === null ? 'on_access_or_deemed_rejection' : openedInTime ? 'after_access' : 'after_deemed_rejection',
    countingFrom: effectiveOn === null ? null : addDays(effectiveOn, 1),
    deadline,
  };
}

/** The notification of a requirement (every requirement has one). */
export function requirementNotification(row: Pick<ProcedureRow, 'notifications'>, requirementId: string): NotificationJson | undefined {
  return row.notifications.find((n) => n.kind === 'requirement' && n.requirement_id === requirementId);
}

/** The latest notification of a kind. */
export function latestNotification(row: Pick<ProcedureRow, 'notifications'>, kind: NotificationJson['kind']): NotificationJson | undefined {
  return row.notifications.filter((n) => n.kind === kind).at(-1);
}
