import type { Sql } from '../../db/sql';
import { transaction } from '../../db/sql';
import { ProblemError } from '../../http/problem';
import { type CalendarSnapshot, CalendarUnavailableError } from '../../lib/calendar';
import { newId } from '../../lib/ids';
import { legalDay } from '../../lib/legal-day';
import { emit, type EventType } from '../events/emit';
import { type NotificationJson, procedureById, type ProcedureRow, touchProcedure } from '../procedures/queries';
import { type Actor, recordTimeline, SYSTEM_ACTOR } from '../procedures/timeline.queries';
import {
  insertNotification,
  markAccessed,
  markDeemedRejected,
  type NotificationKind,
  notificationsPayload,
  type NotificationsRow,
} from './queries';
import { type NotificationTerm, notificationTerm, type TermRow } from './terms';

type Row = Pick<
  ProcedureRow,
  | 'id'
  | 'organization_id'
  | 'livemode'
  | 'type'
  | 'region'
  | 'applicant_municipality'
  | 'office_municipality'
  | 'requirements'
>;

/** The term as of `today`, or null when its dates reach a year without holiday data (never guessed). */
export function termOrNull(
  cal: CalendarSnapshot,
  row: TermRow,
  n: NotificationJson,
  today: string,
): NotificationTerm | null {
  try {
    return notificationTerm(cal, row, n, today);
  } catch (error) {
    if (error instanceof CalendarUnavailableError) return null;
    throw error;
  }
}

/** The data of every `notification.*` event. */
export function notificationEventData(
  row: Pick<ProcedureRow, 'id' | 'type'>,
  n: NotificationJson,
  term: NotificationTerm | null,
) {
  return {
    notification_id: n.id,
    procedure_id: row.id,
    type: row.type,
    kind: n.kind,
    made_available_at: new Date(n.made_available_at).toISOString(),
    deemed_rejected_on: term?.deemedRejectedOn ?? null,
    term_deadline: term?.deadline ?? null,
  };
}

async function emitNotificationEvent(
  tx: Sql,
  row: Row,
  type: EventType,
  n: NotificationJson,
  term: NotificationTerm | null,
  at: Date,
): Promise<boolean> {
  // Each happens once to a notification, whichever process notices first.
  return emit(tx, {
    organizationId: row.organization_id,
    livemode: row.livemode,
    type,
    data: notificationEventData(row, n, term),
    at,
    dedupeKey: `${type}:${n.id}`,
  });
}

/**
 * Makes an agency act available to the representative organisation (art. 43.1), in the
 * transaction that records the act.
 */
export async function makeNotificationAvailable(
  tx: Sql,
  args: {
    row: Row;
    kind: NotificationKind;
    requirementId?: string;
    content: Record<string, unknown>;
    now: Date;
    calendar: CalendarSnapshot;
  },
): Promise<NotificationJson> {
  const n: NotificationJson = {
    id: newId('ntf'),
    kind: args.kind,
    requirement_id: args.requirementId ?? null,
    content: args.content,
    made_available_at: args.now.toISOString(),
    made_available_on: legalDay(args.now),
    accessed_at: null,
    accessed_on: null,
    accessed_by_member_id: null,
    deemed_rejected_at: null,
  };
  // Without holiday data for its year the deemed-rejection day stays unknown (null), never guessed;
  // the act itself is not refused.
  const term = termOrNull(args.calendar, args.row, n, n.made_available_on);
  await insertNotification(tx, {
    id: n.id,
    organizationId: args.row.organization_id,
    livemode: args.row.livemode,
    procedureId: args.row.id,
    kind: n.kind,
    requirementId: n.requirement_id,
    content: n.content,
    at: args.now,
    on: n.made_available_on,
  });
  await emitNotificationEvent(tx, args.row, 'notification.available', n, term, args.now);
  return n;
}

/**
 * Records a member's first opening of a notification: the day it takes effect when within the
 * 10 días naturales. Later openings change nothing. Answers whether this was the first.
 */
async function recordAccess(
  tx: Sql,
  cal: CalendarSnapshot,
  row: Row,
  n: NotificationJson,
  memberId: string,
  now: Date,
  via: 'opened' | 'requirement_response',
): Promise<boolean> {
  const on = legalDay(now);
  if (!(await markAccessed(tx, { id: n.id, procedureId: row.id, memberId, at: now, on }))) return false;
  const opened: NotificationJson = {
    ...n,
    accessed_at: now.toISOString(),
    accessed_on: on,
    accessed_by_member_id: memberId,
  };
  const term = termOrNull(cal, row, opened, on);
  const actor: Actor = { type: 'member', id: memberId, name: null };
  await recordTimeline(tx, {
    procedureId: row.id,
    at: now,
    actor,
    action: 'notification_accessed',
    details: {
      notification_id: n.id,
      kind: n.kind,
      via,
      term_deadline: term?.deadline ?? null,
      deemed_rejected: term?.deemedRejected ?? null,
    },
  });
  await touchProcedure(tx, row.id, now);
  await emitNotificationEvent(tx, row, 'notification.accessed', opened, term, now);
  return true;
}

/**
 * A member opens a notification (in the transaction of the consented write): the first opening is the legal access;
 * later ones change nothing. Answers the procedure's notifications as they now stand.
 */
export async function openNotification(
  tx: Sql,
  args: { procedureId: string; notificationId: string; memberId: string; now: Date; calendar: CalendarSnapshot },
): Promise<NotificationsRow> {
  const row = await procedureById(tx, args.procedureId, { forUpdate: true });
  const n = row.notifications.find((x) => x.id === args.notificationId);
  if (!n) throw new ProblemError('not_found', 'No such notification.');
  await recordAccess(tx, args.calendar, row, n, args.memberId, args.now, 'opened');
  const [after] = await tx<NotificationsRow[]>`${notificationsPayload(tx, args.procedureId)}`;
  return after!;
}

/**
 * Answering a requirement, or asking for its extension, shows knowledge of it (art. 40.3): an
 * unopened notification counts as opened then.
 */
export async function acknowledgeByResponse(
  tx: Sql,
  cal: CalendarSnapshot,
  row: Row,
  n: NotificationJson | undefined,
  memberId: string,
  now: Date,
): Promise<boolean> {
  if (!n || n.accessed_at !== null) return false;
  return recordAccess(tx, cal, row, n, memberId, now, 'requirement_response');
}

/** An unopened notification of a procedure, its term as of the scheduler's pass, and that pass's moment. */
export interface UnopenedNotification {
  row: Row;
  n: NotificationJson;
  term: NotificationTerm;
  now: Date;
}

/**
 * The scheduler records a deemed rejection once (any number of processes may try). The procedure
 * is locked before its notification changes, in the order every other change to a notification
 * takes (opening it, answering its requirement): the other order deadlocked with an opening.
 */
export async function recordDeemedRejection(sql: Sql, unopened: UnopenedNotification): Promise<boolean> {
  const { row, n, term, now } = unopened;
  return transaction(sql, async (tx) => {
    await procedureById(tx, row.id, { forUpdate: true });
    if (!(await markDeemedRejected(tx, n.id, now))) return false;
    await recordTimeline(tx, {
      procedureId: row.id,
      at: now,
      actor: SYSTEM_ACTOR,
      action: 'notification_deemed_rejected',
      details: {
        notification_id: n.id,
        kind: n.kind,
        deemed_rejected_on: term.deemedRejectedOn,
        term_deadline: term.deadline,
      },
    });
    await touchProcedure(tx, row.id, now);
    await emitNotificationEvent(tx, row, 'notification.deemed_rejected', n, term, now);
    return true;
  });
}

export function warnDeemedRejectionApproaching(sql: Sql, unopened: UnopenedNotification): Promise<boolean> {
  const { row, n, term, now } = unopened;
  return emitNotificationEvent(sql, row, 'notification.deemed_rejection_approaching', n, term, now);
}
