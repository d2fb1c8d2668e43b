import type { RegionCode } from '../../lib/holidays';
import { addDays } from '../../lib/dates';
import { CalendarUnavailableError } from '../../lib/calendar';
import type { Procedure } from './schemas';
import type { ProcedureRow, RequirementJson } from './queries';
import type { TimelineRow } from './timeline.queries';
import { maxResolutionDate, presumedDeniedOn, priorClaimDeadline } from './deadlines';
import { missingDocumentGroups } from './service';
import { latestNotification, notificationTerm, requirementNotification, type NotificationTerm } from '../notifications/terms';

/** The term of a requirement as of `today` (null when its dates reach a year without holiday data). */
function requirementTerm(row: ProcedureRow, r: RequirementJson, today: string): NotificationTerm | null {
  const n = requirementNotification(row, r.id);
  if (!n) return null;
  try {
    return notificationTerm(row, n, today);
  } catch (error) {
    if (!(error instanceof CalendarUnavailableError)) throw error;
    return null;
  }
}

const TERM_OPENING = ['requirement', 'resolution'] as const;

/** The oldest notification that governs a deadline of the procedure and has not taken effect yet. */
function awaitingNotification(row: ProcedureRow, today: string): Procedure['deadlines']['awaiting_notification'] {
  for (const n of row.notifications) {
    if (!(TERM_OPENING as readonly string[]).includes(n.kind)) continue;
    if (n.kind === 'requirement' && row.requirements.find((r) => r.id === n.requirement_id)?.status !== 'open') continue;
    if (n.kind === 'resolution' && n !== latestNotification(row, 'resolution')) continue;
    let term: NotificationTerm;
    try {
      term = notificationTerm(row, n, today);
    } catch (error) {
      if (!(error instanceof CalendarUnavailableError)) throw error;
      continue;
    }
    if (term.basis && term.effectiveOn === null) {
      return { notification_id: n.id, kind: n.kind as 'requirement' | 'resolution', term_starts: 'on_access_or_deemed_rejection', deemed_rejected_on: term.deemedRejectedOn };
    }
  }
  return null;
}

const RUNNING = ['submitted', 'in_review'];

/** Time-driven facts, computed from the clock and the calendar on every read. */
export function deadlinesOf(row: ProcedureRow, today: string): Procedure['deadlines'] {
  const region = (row.region ?? undefined) as RegionCode | undefined;
  const openRequirement = row.requirements.find((r) => r.status === 'open');
  const result: Procedure['deadlines'] = {
    clock: row.max_resolution_base === null ? 'not_started' : openRequirement ? 'suspended' : RUNNING.includes(row.status) ? 'running' : 'stopped',
    max_resolution_date: null,
    presumed_denied_at: null,
    requirement_deadline: openRequirement ? (requirementTerm(row, openRequirement, today)?.deadline ?? null) : null,
    prior_claim_deadline: null,
    awaiting_notification: awaitingNotification(row, today),
  };
  if (row.max_resolution_base === null) return result;
  try {
    const suspensions = row.requirements.map((r: RequirementJson) => ({
      from: addDays(r.notified_on, 1),
      until: r.answered_on ? addDays(r.answered_on, 1) : undefined,
    }));
    const max = maxResolutionDate(row.max_resolution_base, { value: row.max_term_value, unit: row.max_term_unit }, suspensions, region);
    result.max_resolution_date = max;
    if (max && RUNNING.includes(row.status) && today > max) {
      result.presumed_denied_at = presumedDeniedOn(max);
      result.prior_claim_deadline = priorClaimDeadline(result.presumed_denied_at, region);
    }
    if (row.status === 'denied' || row.status === 'partially_approved') {
      // From the day after the resolution's notification took effect (opened, or deemed rejected).
      const notification = latestNotification(row, 'resolution');
      result.prior_claim_deadline = notification
        ? notificationTerm(row, notification, today).deadline
        : priorClaimDeadline(row.resolved_at!.toISOString().slice(0, 10), region);
    }
  } catch (error) {
    // Dates that reach a year without holiday data stay unknown rather than guessed.
    if (!(error instanceof CalendarUnavailableError)) throw error;
  }
  return result;
}

function iso(value: string | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}

export function toProcedure(row: ProcedureRow, today: string): Procedure {
  return {
    id: row.id,
    object: 'procedure',
    livemode: row.livemode,
    type: row.type as Procedure['type'],
    status: row.status as Procedure['status'],
    citizen: { id: row.citizen_id, id_number: row.citizen_id_number },
    delegation_id: row.delegation_id,
    form: row.form,
    region: row.region as Procedure['region'],
    original_procedure_id: row.original_procedure_id,
    registry_entry_number: row.registry_entry_number,
    submitted_at: row.submitted_at?.toISOString() ?? null,
    registered_on: row.registered_on,
    deadlines: deadlinesOf(row, today),
    resolution:
      row.resolved_at && ['approved', 'partially_approved', 'denied'].includes(row.status)
        ? {
            outcome: row.status as 'approved' | 'partially_approved' | 'denied',
            text: row.resolution_text ?? '',
            amount: row.resolution_amount === null ? null : Number(row.resolution_amount),
            resolved_at: row.resolved_at.toISOString(),
          }
        : null,
    requirements: row.requirements.map((r) => {
      const term = requirementTerm(row, r, today);
      return {
        id: r.id,
        object: 'requirement' as const,
        kinds: r.kinds as Procedure['requirements'][number]['kinds'],
        message: r.message,
        notified_at: iso(r.notified_at)!,
        notification_id: requirementNotification(row, r.id)?.id ?? null,
        deadline: term?.deadline ?? null,
        term_starts: term?.starts ?? null,
        counting_from: term?.countingFrom ?? null,
        deemed_rejected_on: term?.deemedRejectedOn ?? null,
        extended: r.extended,
        // Past its deadline unanswered it is expired, though a late answer is still admitted until the withdrawal is declared (art. 73.3).
        status: r.status === 'open' && term?.deadline && today > term.deadline ? 'expired' : r.status,
        answered_at: iso(r.answered_at),
        response_message: r.response_message,
      };
    }),
    missing_documents: missingDocumentGroups(row).map((group) => ({ any_of: group as Procedure['missing_documents'][number]['any_of'] })),
    created_by: row.created_by_member_id,
    submitted_by: row.submitted_by_member_id,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    version: row.version,
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
