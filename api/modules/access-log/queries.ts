import type { Sql, SqlFragment } from '../../db/sql';

export interface AccessLogEntry {
  id: string;
  citizenId: string;
  delegationId: string | null;
  organizationId: string;
  memberId: string | null;
  livemode: boolean;
  action: string;
  resourceType: string | null;
  resourceId: string | null;
  requestId: string | null;
  at: Date;
}

/**
 * The one way an access-log row is written: from `source`, a row set with the columns
 * `citizen_id`, `delegation_id`, `organization_id`, `member_id` and `livemode`.
 */
export function accessLogInsert(
  sql: Sql,
  entry: { id: string; action: string; resourceType: string | null; resourceId: string | null; requestId: string | null; at: Date },
  source: SqlFragment,
) {
  return sql`
    insert into access_log (id, citizen_id, delegation_id, organization_id, member_id, livemode, action, resource_type, resource_id, request_id, occurred_at)
    select ${entry.id}, citizen_id, delegation_id, organization_id, member_id, livemode, ${entry.action}, ${entry.resourceType},
           ${entry.resourceId}, ${entry.requestId}, ${entry.at}
    from ${source}`;
}

export async function insertAccessLog(sql: Sql, e: AccessLogEntry): Promise<void> {
  await sql`${accessLogInsert(
    sql,
    e,
    sql`(select ${e.citizenId}::text as citizen_id, ${e.delegationId}::text as delegation_id, ${e.organizationId}::text as organization_id,
                ${e.memberId}::text as member_id, ${e.livemode}::boolean as livemode) as entry`,
  )}`;
}

export interface AccessLogRow {
  seq: string;
  id: string;
  delegation_id: string | null;
  organization_id: string;
  organization_name: string;
  member_id: string | null;
  member_name: string | null;
  livemode: boolean;
  action: string;
  resource_type: string | null;
  resource_id: string | null;
  request_id: string | null;
  occurred_at: Date;
}

/** Newest first: what the citizen wants to see first. */
export function listAccessLog(
  sql: Sql,
  args: { citizenId: string; delegationId?: string; before?: string; limit: number },
): Promise<AccessLogRow[]> {
  return sql<AccessLogRow[]>`
    select a.seq::text as seq, a.id, a.delegation_id, a.organization_id, o.legal_name as organization_name, a.member_id, m.name as member_name,
      a.livemode, a.action, a.resource_type, a.resource_id, a.request_id, a.occurred_at
    from access_log a
    join organizations o on o.id = a.organization_id
    left join members m on m.id = a.member_id
    where a.citizen_id = ${args.citizenId}
      ${args.delegationId ? sql`and a.delegation_id = ${args.delegationId}` : sql``}
      ${args.before ? sql`and a.seq < ${args.before}::bigint` : sql``}
    order by a.seq desc
    limit ${args.limit + 1}`;
}
