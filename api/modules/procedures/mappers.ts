import { type CalendarSnapshot, CalendarUnavailableError, procedureTypeTerms } from '../../lib/calendar';
import { addDays } from '../../lib/dates';
import { legalDay } from '../../lib/legal-day';
import {
  actShown,
  latestNotification,
  type NotificationTerm,
  notificationTerm,
  requirementNotification,
} from '../notifications/terms';
import {
  ARTICLES,
  basisOf,
  type DeadlineBasis,
  maxResolutionBase,
  notificationEffectiveOn,
  opensPriorClaim,
  placesOf,
  presumedDeniedOn,
  PRIOR_CLAIM_DAYS,
  priorClaimDeadline,
  REQUIREMENT_DAYS,
  REQUIREMENT_EXTENSION_DAYS,
  requirementDeadline,
  suspendedTerm,
  type SuspensionEffect,
  withTermGrade,
} from './deadlines';
import type { ProcedureRow, ProcedureStateRow, RequirementStateJson } from './queries';
import type { Procedure, ProcedureSummary } from './schemas';
import { missingDocumentGroups } from './service';
import type { TimelineRow } from './timeline.queries';

/** The term of a requirement as of `today` (null when its dates reach a year without holiday data). */
function requirementTerm(
  cal: CalendarSnapshot,
  row: ProcedureStateRow,
  r: RequirementStateJson,
  today: string,
): NotificationTerm | null {
  const n = requirementNotification(row, r.id);
  if (!n) return null;
  try {
    return notificationTerm(cal, row, n, today);
  } catch (error) {
    if (!(error instanceof CalendarUnavailableError)) throw error;
    return null;
  }
}

/**
 * The day a requirement was notified: the day its notification took effect, or null while one
 * made available is neither opened nor deemed rejected (the term still runs). A requirement
 * stored without a notification was notified when issued.
 */
function requirementNotifiedOn(
  cal: CalendarSnapshot,
  row: ProcedureStateRow,
  r: RequirementStateJson,
  today: string,
): string | null {
  const n = requirementNotification(row, r.id);
  if (!n) return r.notified_on;
  return notificationEffectiveOn(cal, n.made_available_on, n.accessed_on, today, placesOf(cal, row));
}

const TERM_OPENING = ['requirement', 'resolution'] as const;

/** The oldest notification that governs a deadline of the procedure and has not taken effect yet. */
function awaitingNotification(
  cal: CalendarSnapshot,
  row: ProcedureStateRow,
  today: string,
): Procedure['deadlines']['awaiting_notification'] {
  for (const n of row.notifications) {
    if (!(TERM_OPENING as readonly string[]).includes(n.kind)) continue;
    if (n.kind === 'requirement' && row.requirements.find((r) => r.id === n.requirement_id)?.status !== 'open')
      continue;
    if (n.kind === 'resolution' && n !== latestNotification(row, 'resolution')) continue;
    let term: NotificationTerm;
    try {
      term = notificationTerm(cal, row, n, today);
    } catch (error) {
      if (!(error instanceof CalendarUnavailableError)) throw error;
      continue;
    }
    if (term.basis && term.effectiveOn === null) {
      return {
        notification_id: n.id,
        kind: n.kind as 'requirement' | 'resolution',
        term_starts: 'on_access_or_deemed_rejection',
        deemed_rejected_on: term.deemedRejectedOn,
      };
    }
  }
  return null;
}

const RUNNING = ['submitted', 'in_review'];

type DeadlineName = Procedure['deadlines']['unavailable'][number]['deadline'];

/** Time-driven facts, computed from the clock and the calendar on every read, each with its basis. */
export function deadlinesOf(row: ProcedureStateRow, today: string, cal: CalendarSnapshot): Procedure['deadlines'] {
  return legalTermsOf(row, today, cal).deadlines;
}

/** The procedure's deadlines, and what each requirement did to its maximum term (by requirement id). */
function legalTermsOf(
  row: ProcedureStateRow,
  today: string,
  cal: CalendarSnapshot,
): { deadlines: Procedure['deadlines']; suspensions: Map<string, SuspensionEffect> } {
  const places = placesOf(cal, row);
  const unavailable: Procedure['deadlines']['unavailable'] = [];
  /** `compute`'s answer; null when it reaches a year without holiday data: stated, never guessed. */
  const known = <T>(deadline: DeadlineName, compute: () => T): T | null => {
    try {
      return compute();
    } catch (error) {
      if (!(error instanceof CalendarUnavailableError)) throw error;
      unavailable.push({
        deadline,
        year: error.year,
        message: `Counting it reaches ${error.year}, a year with no holiday data yet: it is left null rather than guessed.`,
      });
      return null;
    }
  };
  const openRequirement = row.requirements.find((r) => r.status === 'open');
  const openNotification = openRequirement ? requirementNotification(row, openRequirement.id) : undefined;
  const openTerm = openNotification
    ? known('requirement_deadline', () => notificationTerm(cal, row, openNotification, today))
    : null;
  // A requirement suspends the term from its notification taking effect (arts. 22.1.a and 43.2);
  // until then the clock runs. Settled below by the maximum date, when it can be counted.
  const active = RUNNING.includes(row.status) || row.status === 'action_required';
  const suspended = active && openRequirement !== undefined && (openTerm === null || openTerm.effectiveOn !== null);
  const result: Procedure['deadlines'] = {
    clock: row.max_resolution_base === null ? 'not_started' : suspended ? 'suspended' : active ? 'running' : 'stopped',
    max_resolution_date: null,
    presumed_denied_at: null,
    requirement_deadline: openTerm?.deadline ?? null,
    prior_claim_deadline: null,
    awaiting_notification: awaitingNotification(cal, row, today),
    basis: {
      max_resolution_date: null,
      presumed_denied_at: null,
      requirement_deadline: null,
      prior_claim_deadline: null,
    },
    unavailable,
  };
  if (openRequirement) result.basis.requirement_deadline = requirementBasis(cal, row, openRequirement, openTerm);
  const registeredOn = row.registered_on;
  const maxBase = row.max_resolution_base;
  if (maxBase === null || registeredOn === null) return { deadlines: result, suspensions: new Map() };
  const terms = procedureTypeTerms(cal, row.type);
  const term = { value: terms.max_term_value, unit: terms.max_term_unit };
  // A procedure that has ended stops every suspension on the day it ended: resolved, withdrawn, or
  // (declared lapsed, which records no time of its own) the day of its last change.
  const endedOn = active ? null : legalDay(row.resolved_at ?? row.withdrawn_at ?? row.updated_at);
  const counted = known('max_resolution_date', () => {
    // From the requirement's notification (art. 22.1.a), which takes effect when it is opened or deemed
    // rejected (art. 43.2), not when it is made available; until it is answered or, unanswered, until
    // the term it granted (the extension included) has passed: "o, en su defecto, por el del plazo concedido".
    const requirementSuspensions = row.requirements.flatMap((r) => {
      const notifiedOn = requirementNotifiedOn(cal, row, r, today);
      if (notifiedOn === null) return [];
      const granted = requirementDeadline(cal, notifiedOn, r.extended, places).deadline;
      let lastDay = r.answered_on && r.answered_on <= granted ? r.answered_on : today > granted ? granted : null;
      if (endedOn !== null && (lastDay === null || lastDay > endedOn)) lastDay = endedOn;
      return [{ id: r.id, from: addDays(notifiedOn, 1), until: lastDay ? addDays(lastDay, 1) : undefined }];
    });
    const base = maxResolutionBase(cal, registeredOn, term, places);
    // The stored base is authoritative (recomputed whenever the calendar changes); the basis describes it.
    return suspendedTerm(cal, registeredOn, { ...base, deadline: maxBase }, term, requirementSuspensions, places);
  });
  const max = counted?.result ?? null;
  const suspensions = counted?.effects ?? new Map<string, SuspensionEffect>();
  result.max_resolution_date = max?.deadline ?? null;
  // Counted, the date says it: null while a requirement notified within the term is unanswered.
  if (active && !unavailable.some((u) => u.deadline === 'max_resolution_date'))
    result.clock = max ? 'running' : 'suspended';
  if (max) {
    const basis = withTermGrade(
      basisOf(cal, `${ARTICLES.max_resolution}; ${terms.legal_source}`, term, places, max),
      terms,
    );
    result.basis.max_resolution_date = basis;
    // Also with a requirement waiting: one whose notification has not taken effect suspends nothing yet.
    if (active && today > max.deadline) {
      const deniedOn = presumedDeniedOn(max.deadline);
      result.presumed_denied_at = deniedOn;
      result.basis.presumed_denied_at = { ...basis, article: ARTICLES.presumed_denial };
      const claim = opensPriorClaim(row.type)
        ? known('prior_claim_deadline', () => priorClaimDeadline(cal, deniedOn, places))
        : undefined;
      result.prior_claim_deadline = claim?.deadline ?? null;
      result.basis.prior_claim_deadline = claim
        ? withTermGrade(
            basisOf(cal, ARTICLES.prior_claim, { value: PRIOR_CLAIM_DAYS, unit: 'business_days' }, places, claim),
            terms,
          )
        : null;
    }
  }
  if ((row.status === 'denied' || row.status === 'partially_approved') && opensPriorClaim(row.type)) {
    // From the day after the resolution's notification took effect (opened, or deemed rejected, art. 43.2).
    const notification = latestNotification(row, 'resolution');
    const claim = known('prior_claim_deadline', () =>
      notification
        ? notificationTerm(cal, row, notification, today).result
        : priorClaimDeadline(cal, legalDay(row.resolved_at!), places),
    );
    result.prior_claim_deadline = claim?.deadline ?? null;
    result.basis.prior_claim_deadline = claim
      ? basisOf(
          cal,
          notification ? `${ARTICLES.prior_claim}; ${ARTICLES.notification}` : ARTICLES.prior_claim,
          { value: PRIOR_CLAIM_DAYS, unit: 'business_days' },
          places,
          claim,
        )
      : null;
  }
  return { deadlines: result, suspensions };
}

/** What a requirement did to the maximum term, as responses state it; null while it has done nothing yet or cannot be counted. */
function suspensionOf(effect: SuspensionEffect | undefined): ProcedureSummary['requirements'][number]['suspension'] {
  if (!effect) return null;
  switch (effect.status) {
    case 'running':
      return { status: 'running', first_day: effect.firstDay };
    case 'ended':
      return {
        status: 'ended',
        first_day: effect.firstDay,
        last_day: effect.lastDay,
        days: effect.days,
        unit: effect.unit,
        max_resolution_date_after: effect.maxDateAfter,
      };
    case 'none':
      return { status: 'none', reason: effect.reason };
  }
}

/** The basis of a requirement's deadline: counted from the day after its notification took effect; null while it has not. */
function requirementBasis(
  cal: CalendarSnapshot,
  row: ProcedureStateRow,
  r: RequirementStateJson,
  term: NotificationTerm | null,
): DeadlineBasis | null {
  if (!term?.result) return null;
  const days = REQUIREMENT_DAYS + (r.extended ? REQUIREMENT_EXTENSION_DAYS : 0);
  return basisOf(
    cal,
    `${ARTICLES.requirement}; ${ARTICLES.notification}`,
    { value: days, unit: 'business_days' },
    placesOf(cal, row),
    term.result,
  );
}

function iso(value: string | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}

/**
 * What a list shows of a procedure: its state, its legal dates and what it still needs, none of
 * its contents. The form, the resolution's text and amount and the requirements' messages are
 * shown by `toProcedure`, to a read under the client's consent (which the access log records).
 */
export function toProcedureSummary(row: ProcedureStateRow, today: string, cal: CalendarSnapshot): ProcedureSummary {
  const { deadlines, suspensions } = legalTermsOf(row, today, cal);
  return {
    id: row.id,
    object: 'procedure',
    livemode: row.livemode,
    type: row.type as Procedure['type'],
    status: row.status as Procedure['status'],
    citizen: { id: row.citizen_id, id_number: row.citizen_id_number },
    delegation_id: row.delegation_id,
    region: row.region as Procedure['region'],
    places: { applicant_municipality: row.applicant_municipality, office_municipality: row.office_municipality },
    original_procedure_id: row.original_procedure_id,
    registry_entry_number: row.registry_entry_number,
    managing_body: row.managing_body as Procedure['managing_body'],
    submitted_at: row.submitted_at?.toISOString() ?? null,
    registered_on: row.registered_on,
    deadlines,
    resolution: resolutionOf(row),
    requirements: row.requirements.map((r) => {
      const term = requirementTerm(cal, row, r, today);
      return {
        id: r.id,
        object: 'requirement' as const,
        kinds: r.kinds as Procedure['requirements'][number]['kinds'],
        notified_at: iso(r.notified_at)!,
        notification_id: requirementNotification(row, r.id)?.id ?? null,
        deadline: term?.deadline ?? null,
        deadline_basis: requirementBasis(cal, row, r, term),
        term_starts: term?.starts ?? null,
        counting_from: term?.countingFrom ?? null,
        deemed_rejected_on: term?.deemedRejectedOn ?? null,
        extended: r.extended,
        suspension: suspensionOf(suspensions.get(r.id)),
        // Past its deadline unanswered it is expired, though a late answer is still admitted until the withdrawal is declared (art. 73.3).
        status: r.status === 'open' && term?.deadline && today > term.deadline ? 'expired' : r.status,
        answered_at: iso(r.answered_at),
      };
    }),
    missing_documents: missingDocumentGroups(cal, row).map((group) => ({
      any_of: group as Procedure['missing_documents'][number]['any_of'],
    })),
    created_by: row.created_by_member_id,
    submitted_by: row.submitted_by_member_id,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    version: row.version,
  };
}

/** The express resolution, once there is one: its outcome, when, and the notification that carries it. */
function resolutionOf(row: ProcedureStateRow): ProcedureSummary['resolution'] {
  return row.resolved_at && ['approved', 'partially_approved', 'denied'].includes(row.status)
    ? {
        outcome: row.status as 'approved' | 'partially_approved' | 'denied',
        resolved_at: row.resolved_at.toISOString(),
        notification_id: latestNotification(row, 'resolution')?.id ?? null,
      }
    : null;
}

/**
 * Who reads a whole procedure: the interested party's side (the firm under the client's consent,
 * the client) sees a notified act's text once its notification has taken effect (`actShown`); the
 * agency that issued it always does.
 */
export type ProcedureReader = 'interested' | 'agency';

/** A whole procedure: its summary with its contents. */
export function toProcedure(
  row: ProcedureRow,
  today: string,
  cal: CalendarSnapshot,
  reader: ProcedureReader = 'interested',
): Procedure {
  const summary = toProcedureSummary(row, today, cal);
  const resolution = summary.resolution;
  const shown = (n: Parameters<typeof actShown>[2]) => reader === 'agency' || actShown(cal, row, n, today);
  const resolutionShown = shown(latestNotification(row, 'resolution'));
  const texts = new Map(row.requirements.map((r) => [r.id, r]));
  return {
    ...summary,
    form: row.form,
    resolution: resolution && {
      ...resolution,
      text: resolutionShown ? (row.resolution_text ?? '') : null,
      amount: resolutionShown && row.resolution_amount !== null ? Number(row.resolution_amount) : null,
      content_withheld: !resolutionShown,
    },
    requirements: summary.requirements.map((r) => {
      const withheld = !shown(requirementNotification(row, r.id));
      const { message, response_message } = texts.get(r.id)!;
      return { ...r, message: withheld ? null : message, content_withheld: withheld, response_message };
    }),
  };
}

export function toTimelineEntry(e: TimelineRow) {
  return {
    id: e.id,
    object: 'timeline_entry' as const,
    occurred_at: e.occurred_at.toISOString(),
    actor: { type: e.actor_type, id: e.actor_id, name: e.actor_name },
    action: e.action,
    from_status: e.from_status,
    to_status: e.to_status,
    details: e.details,
  };
}

/** The whole timeline as a one-page list (timelines are short). */
export function toTimeline(entries: TimelineRow[]) {
  return { data: entries.map(toTimelineEntry), has_more: false as const, next_cursor: null };
}
