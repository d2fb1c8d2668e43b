import { type Sql, textArray } from '../../db/sql';
import { newId } from '../../lib/ids';

export type ActorType = 'member' | 'caseworker' | 'citizen' | 'system';
export interface Actor {
  type: ActorType;
  id: string | null;
  name: string | null;
}

/** Puente itself, for the steps its scheduler records (a deadline passed, a notification deemed rejected). */
export const SYSTEM_ACTOR: Actor = { type: 'system', id: null, name: null };

export interface TimelineRow {
  id: string;
  occurred_at: Date;
  actor_type: ActorType;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  from_status: string | null;
  to_status: string | null;
  details: Record<string, unknown>;
}

export async function recordTimeline(
  sql: Sql,
  e: {
    procedureId: string;
    at: Date;
    actor: Actor;
    action: string;
    from?: string | null;
    to?: string | null;
    details?: Record<string, unknown>;
  },
): Promise<void> {
  await sql`
    insert into procedure_timeline (id, procedure_id, occurred_at, actor_type, actor_id, actor_name, action, from_status, to_status, details)
    values (${newId('tl')}, ${e.procedureId}, ${e.at}, ${e.actor.type}, ${e.actor.id},
      ${e.actor.name ?? (e.actor.type === 'member' && e.actor.id ? sql`(select name from members where id = ${e.actor.id})` : null)},
      ${e.action}, ${e.from ?? null}, ${e.to ?? null}, ${sql.json((e.details ?? {}) as never)})`;
}

export function listTimeline(sql: Sql, procedureId: string): Promise<TimelineRow[]> {
  return sql<TimelineRow[]>`
    select id, occurred_at, actor_type, actor_id, actor_name, action, from_status, to_status, details
    from procedure_timeline where procedure_id = ${procedureId} order by seq`;
}

/** Whether a member did anything on the procedure after `since`, other than the listed actions. */
export async function memberActedSince(
  sql: Sql,
  procedureId: string,
  since: Date,
  except: readonly string[],
): Promise<boolean> {
  const [row] = await sql<{ acted: boolean }[]>`
    select exists (
      select 1 from procedure_timeline
      where procedure_id = ${procedureId} and actor_type = 'member' and occurred_at > ${since}
        and not (action = any(${textArray(except)}::text[]))) as acted`;
  return row!.acted;
}

/** The whole timeline as the payload of a read through the consent gate (one row, entries as JSON). */
export function timelinePayload(sql: Sql, procedureId: string) {
  return sql`
    select coalesce((select json_agg(json_build_object('id', id, 'occurred_at', occurred_at, 'actor_type', actor_type, 'actor_id', actor_id,
                      'actor_name', actor_name, 'action', action, 'from_status', from_status, 'to_status', to_status, 'details', details) order by seq)
                     from procedure_timeline where procedure_id = ${procedureId}), '[]'::json) as entries`;
}

/** Timeline entries as a gated read gives them (timestamps as JSON text). */
export function timelineFromJson(
  entries: Array<Omit<TimelineRow, 'occurred_at'> & { occurred_at: string }>,
): TimelineRow[] {
  return entries.map((e) => ({ ...e, occurred_at: new Date(e.occurred_at) }));
}
