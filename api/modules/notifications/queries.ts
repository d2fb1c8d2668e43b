import type { Sql } from '../../db/sql';
import { calendarVersion } from '../calendar/queries';
import type { NotificationJson, RequirementJson } from '../procedures/queries';

export type NotificationKind = NotificationJson['kind'];

export async function insertNotification(
  sql: Sql,
  n: {
    id: string;
    organizationId: string;
    livemode: boolean;
    procedureId: string;
    kind: NotificationKind;
    requirementId: string | null;
    content: Record<string, unknown>;
    at: Date;
    on: string;
  },
): Promise<void> {
  await sql`
    insert into notifications (id, organization_id, livemode, procedure_id, kind, requirement_id, content, made_available_at, made_available_on, created_at)
    values (${n.id}, ${n.organizationId}, ${n.livemode}, ${n.procedureId}, ${n.kind}, ${n.requirementId}, ${sql.json(n.content as never)},
      ${n.at}, ${n.on}, ${n.at})`;
}

/** Records the first opening only; answers false when it had already been opened. */
export async function markAccessed(
  sql: Sql,
  args: { id: string; procedureId: string; memberId: string; at: Date; on: string },
): Promise<boolean> {
  const rows = await sql`
    update notifications set accessed_at = ${args.at}, accessed_on = ${args.on}, accessed_by_member_id = ${args.memberId}
    where id = ${args.id} and procedure_id = ${args.procedureId} and accessed_at is null
    returning id`;
  return rows.length > 0;
}

/** Answers false when another process recorded it first. */
export async function markDeemedRejected(sql: Sql, id: string, at: Date): Promise<boolean> {
  const rows =
    await sql`update notifications set deemed_rejected_at = ${at} where id = ${id} and deemed_rejected_at is null returning id`;
  return rows.length > 0;
}

/**
 * Notifications whose deemed rejection is not recorded yet and that were not opened in their
 * first 10 días naturales (a last day moved by art. 30.5 is checked by the caller).
 */
export function listUnrecordedNotifications(sql: Sql): Promise<Array<{ id: string; procedure_id: string }>> {
  return sql<Array<{ id: string; procedure_id: string }>>`
    select id, procedure_id from notifications
    where deemed_rejected_at is null and (accessed_on is null or accessed_on > made_available_on + 10)
    order by made_available_on, id`;
}

/** What the notifications of a procedure are shown with: its places and requirements (for the terms) and the calendar version. */
export interface NotificationsRow {
  id: string;
  livemode: boolean;
  type: string;
  region: string | null;
  applicant_municipality: string | null;
  office_municipality: string | null;
  requirements: Array<Pick<RequirementJson, 'id' | 'extended'>>;
  notifications: NotificationJson[];
  calendar_version: number;
}

/** A procedure's notifications as the payload of a read (or write) through the consent gate: one row. */
export function notificationsPayload(sql: Sql, procedureId: string) {
  return sql`
    select p.id, p.livemode, p.type, p.region, p.applicant_municipality, p.office_municipality,
      p.requirements_json as requirements, p.notifications_json as notifications,
      ${calendarVersion(sql)} as calendar_version
    from procedures p where p.id = ${procedureId}`;
}

/** The boolean the gate checks: that notification exists in that procedure (a miss is a 404, not logged). */
export function notificationExists(sql: Sql, procedureId: string, id: string) {
  return sql`exists (select 1 from notifications where procedure_id = ${procedureId} and id = ${id})`;
}
