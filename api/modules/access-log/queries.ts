import { equalsIfGiven, limitRows } from '../../db/fragments';
import type { Sql, SqlFragment } from '../../db/sql';
import type { AccessLogRecord } from '../../deps';

/** One access-log entry (the shape is declared with the `AccessLogBatch` that Deps carries). */
export type AccessLogEntry = AccessLogRecord;

type Who = 'citizenId' | 'delegationId' | 'organizationId' | 'memberId' | 'livemode';

/**
 * An entry as its `access_log` row: the one list of columns, in order, and what fills each. Who
 * acted for whom are values, or (in `accessLogInsert`) the columns of a source row set.
 */
function accessLogRow<W = never>(e: Omit<AccessLogEntry, Who> & { [K in Who]: AccessLogEntry[K] | W }) {
  return {
    id: e.id,
    citizen_id: e.citizenId,
    delegation_id: e.delegationId,
    organization_id: e.organizationId,
    member_id: e.memberId,
    livemode: e.livemode,
    action: e.action,
    resource_type: e.resourceType,
    resource_id: e.resourceId,
    request_id: e.requestId,
    occurred_at: e.at,
    actor_type: e.actorType ?? 'organization',
    agency_key_id: e.agencyKeyId ?? null,
  };
}

/** The columns of `accessLogRow`, in its order (constant text: names from this module, never from input). */
const COLUMN_LIST = Object.keys(accessLogRow({} as AccessLogEntry)).join(', ');

/**
 * The one way an access-log row is written inside another statement: from `source`, a row set
 * with the columns `citizen_id`, `delegation_id`, `organization_id`, `member_id` and `livemode`.
 * The actor is the organisation unless the entry says the citizen acted on their own procedure.
 */
export function accessLogInsert(
  sql: Sql,
  entry: Pick<
    AccessLogEntry,
    'id' | 'action' | 'resourceType' | 'resourceId' | 'requestId' | 'at' | 'actorType' | 'agencyKeyId'
  >,
  source: SqlFragment,
) {
  const row = accessLogRow<SqlFragment>({
    ...entry,
    citizenId: sql`citizen_id`,
    delegationId: sql`delegation_id`,
    organizationId: sql`organization_id`,
    memberId: sql`member_id`,
    livemode: sql`livemode`,
  });
  // Written without postgres.js's helpers (sql(keys), sql(row)), whose text the driver rebuilds
  // from their values on every execution: the consent gate carries this insert, and a statement
  // made only of templates, fragments and constant text is found prepared by its shape.
  const values = Object.values(row) as unknown[];
  const list = values
    .slice(1)
    .reduce<SqlFragment>((head, value) => sql`${head}, ${value as never}`, sql`${values[0] as never}`);
  return sql`insert into access_log (${sql.unsafe(COLUMN_LIST)}) select ${list} from ${source}`;
}

export function insertAccessLog(sql: Sql, e: AccessLogEntry): Promise<void> {
  return insertAccessLogBatch(sql, [e]);
}

/**
 * Many entries in one multi-row insert: a batch of the group-committed access log (see
 * `accessLogBatcher`). Thirteen parameters a row, so a batch of 256 stays far under PostgreSQL's
 * 65,535.
 */
export async function insertAccessLogBatch(sql: Sql, entries: readonly AccessLogEntry[]): Promise<void> {
  await sql`insert into access_log ${sql(entries.map(accessLogRow))}`;
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
  actor_type: 'organization' | 'citizen' | 'agency';
  /** The body and office of the agency key that read (agency entries only). */
  agency_managing_body: string | null;
  agency_office: string | null;
  /** The procedure the entry concerns (itself, or its document, notification or requirement), named for the citizen. */
  procedure_name_es: string | null;
  procedure_name_en: string | null;
  procedure_registry_number: string | null;
}

/** Which entries: one citizen's, optionally one delegation's, optionally a period of Madrid days (both ends included). */
export interface AccessLogFilter {
  citizenId: string;
  /** Only entries of this mode (production shows citizens their live data only); undefined: both. */
  livemode?: boolean;
  delegationId?: string;
  fromDay?: string;
  toDay?: string;
}

/** Newest first: what the citizen wants to see first. Pages go by `before` (a `seq`). */
export function listAccessLog(
  sql: Sql,
  args: AccessLogFilter & { before?: string; limit: number },
): Promise<AccessLogRow[]> {
  return sql<AccessLogRow[]>`
    select a.seq::text as seq, a.id, a.delegation_id, a.organization_id, o.legal_name as organization_name, a.member_id, m.name as member_name,
      a.livemode, a.action, a.resource_type, a.resource_id, a.request_id, a.occurred_at, a.actor_type,
      ak.managing_body as agency_managing_body, ak.office as agency_office,
      pt.name_es as procedure_name_es, pt.name_en as procedure_name_en, p.registry_entry_number as procedure_registry_number
    from access_log a
    join organizations o on o.id = a.organization_id
    left join members m on m.id = a.member_id
    left join agency_keys ak on ak.id = a.agency_key_id
    left join procedures p on p.citizen_id = a.citizen_id and p.id = case a.resource_type
      when 'procedure' then a.resource_id
      when 'document' then (select d.procedure_id from documents d where d.id = a.resource_id)
      when 'notification' then (select n.procedure_id from notifications n where n.id = a.resource_id)
      when 'requirement' then (select r.procedure_id from requirements r where r.id = a.resource_id)
    end
    left join procedure_types pt on pt.code = p.type
    where a.citizen_id = ${args.citizenId}
      ${equalsIfGiven(sql, 'a.livemode', args.livemode)}
      ${args.delegationId ? sql`and a.delegation_id = ${args.delegationId}` : sql``}
      ${args.fromDay ? sql`and a.occurred_at >= (${args.fromDay}::date::timestamp at time zone 'Europe/Madrid')` : sql``}
      ${args.toDay ? sql`and a.occurred_at < ((${args.toDay}::date + 1)::timestamp at time zone 'Europe/Madrid')` : sql``}
      ${args.before ? sql`and a.seq < ${args.before}::bigint` : sql``}
    order by a.seq desc
    ${limitRows(sql, args.limit + 1)}`;
}
