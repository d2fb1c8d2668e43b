import { textArray, type Sql } from '../../db/sql';
import type { ApiKeyPrincipalRow, knownCaller } from '../../http/auth.queries';

export interface ProcedureRow {
  id: string;
  organization_id: string;
  livemode: boolean;
  citizen_id: string;
  citizen_id_number: string;
  delegation_id: string;
  type: string;
  status: string;
  form: Record<string, unknown>;
  region: string | null;
  original_procedure_id: string | null;
  registry_entry_number: string | null;
  submitted_at: Date | null;
  registered_on: string | null;
  max_resolution_base: string | null;
  filing_consent_jti: string | null;
  created_by_member_id: string;
  submitted_by_member_id: string | null;
  resolved_at: Date | null;
  resolution_text: string | null;
  resolution_amount: string | null;
  withdrawn_at: Date | null;
  created_at: Date;
  updated_at: Date;
  version: number;
  max_term_value: number;
  max_term_unit: 'business_days' | 'months';
  required_documents: string[][];
  document_kinds: string[];
  requirements: RequirementJson[];
  notifications: NotificationJson[];
}

/** Electronic notifications as read with their procedure (dates as text), oldest first. */
export interface NotificationJson {
  id: string;
  kind: 'requirement' | 'resolution' | 'withdrawal_declaration' | 'lapse_warning' | 'lapse_declaration';
  requirement_id: string | null;
  content: Record<string, unknown>;
  made_available_at: string;
  made_available_on: string;
  accessed_at: string | null;
  accessed_on: string | null;
  accessed_by_member_id: string | null;
  deemed_rejected_at: string | null;
}

/** Requirements as read with their procedure (dates as text). */
export interface RequirementJson {
  id: string;
  kinds: string[];
  message: string;
  notified_at: string;
  notified_on: string;
  /** As stored when issued, before notifications existed; the deadline is computed from the notification. */
  deadline: string | null;
  extended: boolean;
  status: 'open' | 'answered' | 'expired';
  answered_at: string | null;
  answered_on: string | null;
  response_message: string | null;
}

const SELECT = (sql: Sql) => sql`
  select p.id, p.organization_id, p.livemode, p.citizen_id, c.id_number as citizen_id_number, p.delegation_id, p.type, p.status, p.form,
    p.region, p.original_procedure_id, p.registry_entry_number, p.submitted_at, to_char(p.registered_on, 'YYYY-MM-DD') as registered_on,
    to_char(p.max_resolution_base, 'YYYY-MM-DD') as max_resolution_base, p.filing_consent_jti, p.created_by_member_id,
    p.submitted_by_member_id, p.resolved_at, p.resolution_text, p.resolution_amount::text as resolution_amount, p.withdrawn_at,
    p.created_at, p.updated_at, p.version, pt.max_term_value, pt.max_term_unit, pt.required_documents,
    array(select distinct d.kind from documents d where d.procedure_id = p.id) as document_kinds,
    coalesce((
      select json_agg(json_build_object(
        'id', r.id, 'kinds', r.kinds, 'message', r.message, 'notified_at', r.notified_at, 'notified_on', r.notified_on,
        'deadline', r.deadline, 'extended', r.extended, 'status', r.status, 'answered_at', r.answered_at,
        'answered_on', r.answered_on, 'response_message', r.response_message) order by r.created_at, r.id)
      from requirements r where r.procedure_id = p.id), '[]') as requirements,
    coalesce((
      select json_agg(json_build_object(
        'id', n.id, 'kind', n.kind, 'requirement_id', n.requirement_id, 'content', n.content, 'made_available_at', n.made_available_at,
        'made_available_on', to_char(n.made_available_on, 'YYYY-MM-DD'), 'accessed_at', n.accessed_at,
        'accessed_on', to_char(n.accessed_on, 'YYYY-MM-DD'), 'accessed_by_member_id', n.accessed_by_member_id,
        'deemed_rejected_at', n.deemed_rejected_at) order by n.made_available_at, n.id)
      from notifications n where n.procedure_id = p.id), '[]') as notifications
  from procedures p join citizens c on c.id = p.citizen_id join procedure_types pt on pt.code = p.type`;

export async function insertProcedure(
  sql: Sql,
  p: {
    id: string; organization_id: string; livemode: boolean; citizen_id: string; delegation_id: string; type: string; form: unknown;
    region: string | null; original_procedure_id: string | null; created_by_member_id: string; at: Date;
  },
): Promise<void> {
  await sql`
    insert into procedures (id, organization_id, livemode, citizen_id, delegation_id, type, form, region, original_procedure_id,
      created_by_member_id, created_at, updated_at)
    values (${p.id}, ${p.organization_id}, ${p.livemode}, ${p.citizen_id}, ${p.delegation_id}, ${p.type}, ${sql.json(p.form as never)},
      ${p.region}, ${p.original_procedure_id}, ${p.created_by_member_id}, ${p.at}, ${p.at})`;
}

export async function findProcedure(
  sql: Sql,
  where: { id: string; organizationId?: string; livemode?: boolean; citizenId?: string },
  options: { forUpdate?: boolean } = {},
): Promise<ProcedureRow | undefined> {
  const [row] = await sql<ProcedureRow[]>`
    ${SELECT(sql)}
    where p.id = ${where.id}
      ${where.organizationId !== undefined ? sql`and p.organization_id = ${where.organizationId}` : sql``}
      ${where.livemode !== undefined ? sql`and p.livemode = ${where.livemode}` : sql``}
      ${where.citizenId !== undefined ? sql`and p.citizen_id = ${where.citizenId}` : sql``}
    ${options.forUpdate ? sql`for update of p` : sql``}`;
  return row;
}

export async function updateDraft(sql: Sql, id: string, form: unknown, region: string | null, expectedVersion: number, at: Date): Promise<boolean> {
  const rows = await sql`
    update procedures set form = ${sql.json(form as never)}, region = ${region}, updated_at = ${at}, version = version + 1
    where id = ${id} and version = ${expectedVersion} and status = 'draft'
    returning id`;
  return rows.length > 0;
}

export async function markSubmitted(
  sql: Sql,
  args: { id: string; memberId: string; at: Date; registeredOn: string; maxBase: string; token: string; jti: string },
): Promise<string> {
  const [row] = await sql<{ registry_entry_number: string }[]>`
    update procedures set status = 'submitted', submitted_at = ${args.at}, submitted_by_member_id = ${args.memberId},
      registered_on = ${args.registeredOn}, max_resolution_base = ${args.maxBase}, filing_consent_token = ${args.token},
      filing_consent_jti = ${args.jti},
      registry_entry_number = 'REG-' || to_char(${args.at}::timestamptz at time zone 'Europe/Madrid', 'YYYY') || '-' || lpad(nextval('registry_entry_seq')::text, 8, '0'),
      updated_at = ${args.at}, version = version + 1
    where id = ${args.id} and status = 'draft'
    returning registry_entry_number`;
  return row!.registry_entry_number;
}

export async function setStatus(
  sql: Sql,
  args: { id: string; from: readonly string[]; to: string; at: Date; resolution?: { text: string; amount: number | null } },
): Promise<boolean> {
  const rows = await sql`
    update procedures set status = ${args.to}, updated_at = ${args.at}, version = version + 1
      ${args.resolution ? sql`, resolved_at = ${args.at}, resolution_text = ${args.resolution.text}, resolution_amount = ${args.resolution.amount}` : sql``}
      ${args.to === 'withdrawn' ? sql`, withdrawn_at = ${args.at}` : sql``}
    where id = ${args.id} and status = any(${textArray(args.from)}::text[])
    returning id`;
  return rows.length > 0;
}

export async function touchProcedure(sql: Sql, id: string, at: Date): Promise<void> {
  await sql`update procedures set updated_at = ${at}, version = version + 1 where id = ${id}`;
}

/**
 * The organisation's procedures whose citizen it still represents: an active delegation that
 * covers consulting the type. A revoked client's files drop out of the list at once.
 */
export async function listProcedures(
  sql: Sql,
  args: {
    organizationId: string; livemode: boolean; today: string; status?: string; type?: string; updatedSince?: Date;
    after?: [string, string]; limit: number;
  },
): Promise<ProcedureRow[]> {
  return sql<ProcedureRow[]>`
    ${SELECT(sql)}
    where p.organization_id = ${args.organizationId} and p.livemode = ${args.livemode}
      -- A scalar subquery, not EXISTS: the planner then walks the index in order and stops at
      -- the page size, instead of joining every procedure of the organisation first.
      and coalesce((
        select true from delegations d
        where d.organization_id = p.organization_id and d.citizen_id = p.citizen_id and d.livemode = p.livemode
          and d.status = 'active' and d.valid_until >= ${args.today}::date
          and 'consult' = any(d.capacities) and p.type = any(d.procedure_types)
        limit 1), false)
      ${args.status ? sql`and p.status = ${args.status}` : sql``}
      ${args.type ? sql`and p.type = ${args.type}` : sql``}
      ${args.updatedSince ? sql`and p.updated_at >= ${args.updatedSince}` : sql``}
      ${args.after ? sql`and (p.updated_at, p.id) < (${args.after[0]}::timestamptz, ${args.after[1]})` : sql``}
    order by p.updated_at desc, p.id desc
    limit ${args.limit + 1}`;
}

export async function listCitizenProcedures(sql: Sql, args: { citizenId: string; livemode?: boolean; after?: [string, string]; limit: number }): Promise<ProcedureRow[]> {
  return sql<ProcedureRow[]>`
    ${SELECT(sql)}
    where p.citizen_id = ${args.citizenId}
      ${args.livemode !== undefined ? sql`and p.livemode = ${args.livemode}` : sql``}
      ${args.after ? sql`and (p.created_at, p.id) > (${args.after[0]}::timestamptz, ${args.after[1]})` : sql``}
    order by p.created_at, p.id
    limit ${args.limit + 1}`;
}

/** The agency's queue: live procedures of the bodies it manages, oldest first. */
export async function listAgencyQueue(
  sql: Sql,
  args: { managingBody: string; status?: string; after?: [string, string]; limit: number },
): Promise<ProcedureRow[]> {
  return sql<ProcedureRow[]>`
    ${SELECT(sql)}
    where p.livemode and p.status <> 'draft' and ${args.managingBody} = any(pt.managing_bodies)
      ${args.status ? sql`and p.status = ${args.status}` : sql``}
      ${args.after ? sql`and (p.submitted_at, p.id) > (${args.after[0]}::timestamptz, ${args.after[1]})` : sql``}
    order by p.submitted_at, p.id
    limit ${args.limit + 1}`;
}

export async function findAgencyProcedure(sql: Sql, id: string, managingBody: string): Promise<ProcedureRow | undefined> {
  const [row] = await sql<ProcedureRow[]>`
    ${SELECT(sql)}
    where p.id = ${id} and p.livemode and p.status <> 'draft' and ${managingBody} = any(pt.managing_bodies)`;
  return row;
}

export async function filingConsentToken(sql: Sql, id: string): Promise<string | null> {
  const [row] = await sql<{ filing_consent_token: string | null }[]>`select filing_consent_token from procedures where id = ${id}`;
  return row?.filing_consent_token ?? null;
}

export interface ConsentedProcedureRow extends ProcedureRow {
  delegation_status: string | null;
  delegation_active: boolean;
  delegation_covers: boolean;
}

export interface ConsentedRead {
  /** The caller's key, when the statement authenticated it (see `apiKeyCaller`). */
  principal: ApiKeyPrincipalRow | null;
  procedure: ConsentedProcedureRow | undefined;
}

/**
 * The hot path of every consented operation on a procedure, in one statement (one round trip):
 * the caller (authenticated here too, for deferred keys), the procedure, the delegation check on
 * this very request, and the access-log entry, written only when the caller may proceed, the
 * delegation is active and covers the capacity and the procedure's type, and the procedure
 * belongs to the token's citizen.
 */
export async function findProcedureUnderConsent(
  sql: Sql,
  args: {
    caller: ReturnType<typeof knownCaller>;
    id: string; delegationId: string; citizenId: string; capacity: string; tokenTypes: readonly string[]; today: string;
    log: { id: string; action: string; requestId: string; at: Date };
  },
): Promise<ConsentedRead | undefined> {
  const [row] = await sql<(ConsentedProcedureRow & { principal: ApiKeyPrincipalRow | null })[]>`
    with ${args.caller}, target as (
      select p.id, p.citizen_id, p.type from procedures p join caller on p.organization_id = caller.organization_id and p.livemode = caller.livemode
      where p.id = ${args.id} and caller.allowed
    ), verdict as (
      select d.status,
        (d.status = 'active' and d.valid_until >= ${args.today}::date and o.status <> 'suspended' and d.livemode = caller.livemode) as active,
        (${args.capacity} = any(d.capacities) and t.type = any(d.procedure_types) and t.type = any(${textArray(args.tokenTypes)}::text[])) as covers
      from delegations d join organizations o on o.id = d.organization_id
      join caller on caller.organization_id = d.organization_id
      join target t on t.citizen_id = d.citizen_id
      where d.id = ${args.delegationId} and d.citizen_id = ${args.citizenId}
    ), logged as (
      insert into access_log (id, citizen_id, delegation_id, organization_id, member_id, livemode, action, resource_type, resource_id, request_id, occurred_at)
      select ${args.log.id}, ${args.citizenId}, ${args.delegationId}, caller.organization_id, caller.member_id, caller.livemode,
             ${args.log.action}, 'procedure', ${args.id}, ${args.log.requestId}, ${args.log.at}
      from verdict, caller where verdict.active and verdict.covers
      returning 1
    )
    select caller.principal, q.*, v.status as delegation_status, coalesce(v.active, false) as delegation_active,
      coalesce(v.covers, false) as delegation_covers, (select count(*) from logged) as logged
    from caller
    left join (${SELECT(sql)} where p.id = ${args.id}) q on q.organization_id = caller.organization_id and q.livemode = caller.livemode and caller.allowed
    left join verdict v on true`;
  if (!row) return undefined;
  const { principal, ...procedure } = row;
  return { principal, procedure: procedure.id === null ? undefined : procedure };
}
