import { MAX_RATE_LIMIT_WINDOW } from '../../config';
import type { Sql } from '../../db/sql';
import { transaction } from '../../db/sql';
import type { Calendar } from '../../deps';
import {
  deleteExpiredEndedSessions,
  deleteExpiredIdempotencyKeys,
  deleteOldRateLimitWindows,
} from '../../http/queries';
import { addBusinessDays, type CalendarSnapshot, CalendarUnavailableError } from '../../lib/calendar';
import { addDays } from '../../lib/dates';
import { legalDay } from '../../lib/legal-day';
import { queueEndingDelegations } from '../avisos/service';
import { expireDueRequests } from '../delegation-requests/queries';
import { expireDueDelegations } from '../delegations/queries';
import { listUnrecordedNotifications } from '../notifications/queries';
import { recordDeemedRejection, termOrNull, warnDeemedRejectionApproaching } from '../notifications/service';
import { requirementNotification } from '../notifications/terms';
import { placesOf } from '../procedures/deadlines';
import { deadlinesOf } from '../procedures/mappers';
import { findProcedure, listClockCandidates, procedureById } from '../procedures/queries';
import { recordTimeline, SYSTEM_ACTOR } from '../procedures/timeline.queries';
import { emit } from './emit';
import { deleteExpiredEvents } from './queries';
import { eventsKeptSince } from './retention';

/** Días hábiles before a requirement's deadline when the representative is warned. */
export const DEADLINE_WARNING_DAYS = 3;
/** Días naturales before an unopened notification's deemed rejection when the representative is warned. */
export const DEEMED_REJECTION_WARNING_DAYS = 3;

export interface SchedulerReport {
  expiredRequests: number;
  expiredDelegations: number;
  presumedDenials: number;
  deadlineWarnings: number;
  deemedRejections: number;
  deemedRejectionWarnings: number;
  expiredRequirements: number;
  /** Avisos queued to citizens whose delegation ends within 30 days. */
  endingDelegationAvisos: number;
  /** Rate-limit window rows older than a day, deleted (no limit reads them again). */
  prunedRateLimitWindows: number;
  /** Idempotency-Keys past their 24 hours, deleted with the responses kept for their retries. */
  prunedIdempotencyKeys: number;
  /** Signed-out page sessions whose ID token has expired since (see `endCitizenSessionOf`). */
  prunedEndedSessions: number;
  /** Events past their retention, deleted with their deliveries and attempts. */
  prunedEvents: number;
}

/** How long a rate-limit window's rows are kept: as long as the longest window the configuration accepts. */
export const RATE_LIMIT_RETENTION_MS = MAX_RATE_LIMIT_WINDOW * 1000;

/** Events deleted by one statement, and the most statements of a pass: a backlog goes over several passes. */
export const EVENT_PURGE_BATCH = 1000;
export const EVENT_PURGE_BATCHES_PER_PASS = 10;

/**
 * Deletes the events past their retention, with their deliveries and attempts, a bounded batch per
 * statement (each commits on its own, so no lock is held for long), until a batch is not full or
 * the pass has done its share; answers how many went.
 */
async function pruneEvents(sql: Sql, now: Date): Promise<number> {
  const args = { before: eventsKeptSince(now), limit: EVENT_PURGE_BATCH };
  let total = 0;
  for (let i = 0; i < EVENT_PURGE_BATCHES_PER_PASS; i++) {
    const deleted = await deleteExpiredEvents(sql, args);
    total += deleted;
    if (deleted < EVENT_PURGE_BATCH) break;
  }
  return total;
}

/**
 * Time-driven facts: expiries, silence (desestimación presunta) and requirement deadlines. Every
 * event carries a dedupe key and every state change is a conditional UPDATE, so any number of
 * processes may run this at once without emitting anything twice.
 */
export async function runScheduler(sql: Sql, now: Date, calendar: Calendar): Promise<SchedulerReport> {
  const report: SchedulerReport = {
    expiredRequests: 0,
    expiredDelegations: 0,
    presumedDenials: 0,
    deadlineWarnings: 0,
    deemedRejections: 0,
    deemedRejectionWarnings: 0,
    expiredRequirements: 0,
    endingDelegationAvisos: 0,
    prunedRateLimitWindows: 0,
    prunedIdempotencyKeys: 0,
    prunedEndedSessions: 0,
    prunedEvents: 0,
  };
  // Housekeeping first, so a failure further on never skips it; in the passes of each hour's first minute
  // only (the delete scans the table, which holds a day of windows).
  if (now.getUTCMinutes() === 0)
    report.prunedRateLimitWindows = await deleteOldRateLimitWindows(
      sql,
      new Date(now.getTime() - RATE_LIMIT_RETENTION_MS),
    );
  // On every pass: the expiry's index finds them, and each pass deletes what expired since the last.
  report.prunedIdempotencyKeys = await deleteExpiredIdempotencyKeys(sql, now);
  report.prunedEndedSessions = await deleteExpiredEndedSessions(sql, now);
  report.prunedEvents = await pruneEvents(sql, now);
  await transaction(sql, async (tx) => {
    for (const r of await expireDueRequests(tx, now)) {
      report.expiredRequests++;
      await emit(tx, {
        organizationId: r.organization_id,
        livemode: r.livemode,
        type: 'delegation_request.expired',
        data: { delegation_request_id: r.id, status: 'expired' },
        at: now,
        dedupeKey: `delegation_request.expired:${r.id}`,
      });
    }
    for (const d of await expireDueDelegations(tx, legalDay(now))) {
      report.expiredDelegations++;
      await emit(tx, {
        organizationId: d.organization_id,
        livemode: d.livemode,
        type: 'delegation.expired',
        data: { delegation_id: d.id, status: 'expired', ended_by: 'expiry' },
        at: now,
        dedupeKey: `delegation.expired:${d.id}`,
      });
    }
  });

  const today = legalDay(now);
  const cal = await calendar.ensure(sql);
  for (const { id, silence_recorded } of await listClockCandidates(sql)) {
    const row = await findProcedure(sql, { id });
    if (!row) continue;
    const deadlines = deadlinesOf(row, today, cal);
    const base = { organizationId: row.organization_id, livemode: row.livemode, at: now };
    // A silence already recorded is not judged again (an action_required procedure stays a
    // candidate for its requirement's warnings).
    if (!silence_recorded && deadlines.presumed_denied_at && deadlines.presumed_denied_at <= today) {
      const emitted = await transaction(sql, async (tx) => {
        // Judged again on the row locked: a resolution committed since this pass read it ends the silence.
        const current = await lockedAgain(tx, row.id, today, cal);
        const deniedAt = current.deadlines.presumed_denied_at;
        if (!deniedAt || deniedAt > today) return false;
        const priorClaimDeadline = current.deadlines.prior_claim_deadline;
        const first = await emit(tx, {
          ...base,
          type: 'procedure.presumed_denied',
          data: {
            procedure_id: row.id,
            type: row.type,
            status: current.row.status,
            presumed_denied_at: deniedAt,
            prior_claim_deadline: priorClaimDeadline,
          },
          dedupeKey: `procedure.presumed_denied:${row.id}`,
        });
        // The history the firm and the citizen read shows the silence too, once.
        if (first) {
          await recordTimeline(tx, {
            procedureId: row.id,
            at: now,
            actor: SYSTEM_ACTOR,
            action: 'presumed_denied',
            details: { presumed_denied_at: deniedAt, prior_claim_deadline: priorClaimDeadline },
          });
        }
        return first;
      });
      if (emitted) report.presumedDenials++;
    }
    const open = row.requirements.find((r) => r.status === 'open');
    const notification = open ? requirementNotification(row, open.id) : undefined;
    const deadline = open && notification ? termOrNull(cal, row, notification, today)?.deadline : null;
    if (open && deadline && deadline >= today) {
      try {
        const warnFrom = addBusinessDays(cal, today, DEADLINE_WARNING_DAYS, placesOf(cal, row)).deadline;
        if (warnFrom >= deadline) {
          const emitted = await emit(sql, {
            ...base,
            type: 'procedure.requirement_deadline_approaching',
            data: { procedure_id: row.id, type: row.type, status: row.status, requirement_id: open.id, deadline },
            dedupeKey: `procedure.requirement_deadline_approaching:${open.id}:${deadline}`,
          });
          if (emitted) report.deadlineWarnings++;
        }
      } catch (error) {
        if (!(error instanceof CalendarUnavailableError)) throw error;
      }
    }
    // The term passed unanswered: the agency may now declare the application withdrawn (art. 68.1).
    if (open && deadline && today > deadline) {
      const emitted = await transaction(sql, async (tx) => {
        // Judged again on the row locked: a late answer (art. 73.3) committed since this pass read it closes it.
        const again = await lockedAgain(tx, row.id, today, cal);
        if (again.row.requirements.find((r) => r.id === open.id)?.status !== 'open') return false;
        const first = await emit(tx, {
          ...base,
          type: 'requirement.expired',
          data: {
            procedure_id: row.id,
            type: row.type,
            status: row.status,
            requirement_id: open.id,
            deadline,
            withdrawal_declarable_from: addDays(deadline, 1),
          },
          dedupeKey: `requirement.expired:${open.id}`,
        });
        if (first) {
          await recordTimeline(tx, {
            procedureId: row.id,
            at: now,
            actor: SYSTEM_ACTOR,
            action: 'requirement_expired',
            details: { requirement_id: open.id, deadline },
          });
        }
        return first;
      });
      if (emitted) report.expiredRequirements++;
    }
  }

  // Electronic notifications left unopened (art. 43.2): warned three días naturales ahead, then deemed rejected.
  for (const { id, procedure_id } of await listUnrecordedNotifications(sql)) {
    const row = await findProcedure(sql, { id: procedure_id });
    const n = row?.notifications.find((x) => x.id === id);
    if (!row || !n) continue;
    const term = termOrNull(cal, row, n, today);
    if (!term) continue;
    const unopened = { row, n, term, now };
    if (term.deemedRejected) {
      if (await recordDeemedRejection(sql, unopened)) report.deemedRejections++;
    } else if (n.accessed_at === null && today >= addDays(term.deemedRejectedOn, -DEEMED_REJECTION_WARNING_DAYS)) {
      if (await warnDeemedRejectionApproaching(sql, unopened)) report.deemedRejectionWarnings++;
    }
  }
  report.endingDelegationAvisos = await queueEndingDelegations(sql, now);
  return report;
}

/**
 * The procedure read again in `tx`, locked until it commits, with its deadlines: what a pass read
 * before may be stale by the time it emits, and an event must describe the state it commits with
 * (the requests that change a procedure lock it too).
 */
async function lockedAgain(tx: Sql, id: string, today: string, cal: CalendarSnapshot) {
  const row = await procedureById(tx, id, { forUpdate: true });
  return { row, deadlines: deadlinesOf(row, today, cal) };
}
