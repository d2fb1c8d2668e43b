import { type Sql, textArray } from '../../db/sql';

export interface RequirementRow {
  id: string;
  procedure_id: string;
  kinds: string[];
  message: string;
  notified_at: Date;
  notified_on: string;
  deadline: string | null;
  extended: boolean;
  status: string;
  answered_at: Date | null;
  answered_on: string | null;
  response_message: string | null;
  issued_by: string;
}

const COLUMNS = `id, procedure_id, kinds, message, notified_at, to_char(notified_on, 'YYYY-MM-DD') as notified_on,
  to_char(deadline, 'YYYY-MM-DD') as deadline, extended, status, answered_at, to_char(answered_on, 'YYYY-MM-DD') as answered_on,
  response_message, issued_by`;

export async function insertRequirement(
  sql: Sql,
  r: Pick<
    RequirementRow,
    'id' | 'procedure_id' | 'kinds' | 'message' | 'notified_at' | 'notified_on' | 'deadline' | 'issued_by'
  >,
): Promise<void> {
  await sql`
    insert into requirements (id, procedure_id, kinds, message, notified_at, notified_on, deadline, issued_by, created_at)
    values (${r.id}, ${r.procedure_id}, ${textArray(r.kinds)}::text[], ${r.message}, ${r.notified_at}, ${r.notified_on}, ${r.deadline},
      ${r.issued_by}, ${r.notified_at})`;
}

export function listRequirements(sql: Sql, procedureIds: readonly string[]): Promise<RequirementRow[]> {
  if (procedureIds.length === 0) return Promise.resolve([]);
  return sql<RequirementRow[]>`
    select ${sql.unsafe(COLUMNS)} from requirements where procedure_id = any(${textArray(procedureIds)}::text[]) order by created_at, id`;
}

export async function findRequirement(sql: Sql, procedureId: string, id: string): Promise<RequirementRow | undefined> {
  const [row] = await sql<
    RequirementRow[]
  >`select ${sql.unsafe(COLUMNS)} from requirements where procedure_id = ${procedureId} and id = ${id}`;
  return row;
}

export async function extendRequirement(sql: Sql, id: string, deadline: string | null): Promise<boolean> {
  const rows =
    await sql`update requirements set extended = true, deadline = ${deadline} where id = ${id} and status = 'open' and not extended returning id`;
  return rows.length > 0;
}

export async function answerRequirement(
  sql: Sql,
  id: string,
  message: string | null,
  at: Date,
  on: string,
): Promise<boolean> {
  const rows = await sql`
    update requirements set status = 'answered', answered_at = ${at}, answered_on = ${on}, response_message = ${message}
    where id = ${id} and status = 'open' returning id`;
  return rows.length > 0;
}

/**
 * The procedure ended (declared withdrawn once the term passed, withdrawn by the applicant, or lapsed):
 * a requirement still open closes unanswered with it.
 */
export async function expireOpenRequirements(sql: Sql, procedureId: string): Promise<void> {
  await sql`update requirements set status = 'expired' where procedure_id = ${procedureId} and status = 'open'`;
}
