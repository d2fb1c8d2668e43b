import { ownedBy, ownedLapsingPage, type Owner, type PageArgs } from '../../db/fragments';
import type { Sql } from '../../db/sql';
import type { Scope } from '../delegations/scope';

export interface DelegationRequestRow {
  id: string;
  organization_id: string;
  livemode: boolean;
  citizen_id: string;
  citizen_id_number: string;
  citizen_name: string | null;
  citizen_contact: string | null;
  scope: Scope;
  scope_version: number;
  valid_until: string;
  message: string | null;
  code: string;
  status: string;
  created_at: Date;
  created_by_member_id: string;
  expires_at: Date;
  ended_at: Date | null;
  ended_by: string | null;
  delegation_id: string | null;
  org_legal_name: string;
  org_nif: string;
  org_kind: string;
  org_status: string;
  org_colegio: string | null;
  org_registry: string | null;
  org_registration_number: string;
}

/** Rows come with the citizen's id number, and `expired` once the waiting time has passed. */
function selectRequests(sql: Sql, now: Date) {
  return sql`
    select r.id, r.organization_id, r.livemode, r.citizen_id, c.id_number as citizen_id_number, r.citizen_name, r.citizen_contact,
      r.scope, r.scope_version, to_char(r.valid_until, 'YYYY-MM-DD') as valid_until, r.message, r.code,
      case when r.status = 'pending' and r.expires_at <= ${now} then 'expired' else r.status end as status,
      r.created_at, r.created_by_member_id, r.expires_at,
      case when r.status = 'pending' and r.expires_at <= ${now} then r.expires_at else r.ended_at end as ended_at,
      case when r.status = 'pending' and r.expires_at <= ${now} then 'system' else r.ended_by end as ended_by,
      r.delegation_id, o.legal_name as org_legal_name, o.nif as org_nif, o.kind as org_kind, o.status as org_status,
      o.colegio as org_colegio, o.registry as org_registry, o.registration_number as org_registration_number
    from delegation_requests r join citizens c on c.id = r.citizen_id join organizations o on o.id = r.organization_id`;
}

export async function insertDelegationRequest(
  sql: Sql,
  r: Pick<
    DelegationRequestRow,
    | 'id'
    | 'organization_id'
    | 'livemode'
    | 'citizen_id'
    | 'citizen_name'
    | 'citizen_contact'
    | 'scope'
    | 'scope_version'
    | 'valid_until'
    | 'message'
    | 'code'
    | 'created_at'
    | 'created_by_member_id'
    | 'expires_at'
  > & { scope_key: string },
): Promise<boolean> {
  const rows = await sql`
    insert into delegation_requests (id, organization_id, livemode, citizen_id, citizen_name, citizen_contact, scope, scope_key, scope_version,
      valid_until, message, code, created_at, created_by_member_id, expires_at)
    values (${r.id}, ${r.organization_id}, ${r.livemode}, ${r.citizen_id}, ${r.citizen_name}, ${r.citizen_contact}, ${sql.json(r.scope as never)},
      ${r.scope_key}, ${r.scope_version}, ${r.valid_until}, ${r.message}, ${r.code}, ${r.created_at}, ${r.created_by_member_id}, ${r.expires_at})
    on conflict (organization_id, livemode, citizen_id, scope_key) where status = 'pending' do nothing
    returning id`;
  return rows.length > 0;
}

/** A pending request for the same citizen and scope; one that has run out of time is closed first. */
export async function findPendingDuplicate(
  sql: Sql,
  args: { organizationId: string; livemode: boolean; citizenId: string; scopeKey: string; now: Date },
): Promise<{ id: string; expired: boolean } | undefined> {
  const [row] = await sql<{ id: string; expired: boolean }[]>`
    select id, expires_at <= ${args.now} as expired from delegation_requests
    where organization_id = ${args.organizationId} and livemode = ${args.livemode} and citizen_id = ${args.citizenId}
      and scope_key = ${args.scopeKey} and status = 'pending'`;
  return row;
}

/** Persists expiry of requests whose time ran out (reads already show them as expired). */
export async function expireRequest(
  sql: Sql,
  id: string,
): Promise<{ organization_id: string; livemode: boolean; expires_at: Date } | undefined> {
  const [row] = await sql<{ organization_id: string; livemode: boolean; expires_at: Date }[]>`
    update delegation_requests set status = 'expired', ended_at = expires_at, ended_by = 'system' where id = ${id} and status = 'pending'
    returning organization_id, livemode, expires_at`;
  return row;
}

export async function findDelegationRequest(
  sql: Sql,
  where: { id: string; organizationId?: string; livemode?: boolean; citizenId?: string },
  now: Date,
): Promise<DelegationRequestRow | undefined> {
  const [row] = await sql<DelegationRequestRow[]>`
    ${selectRequests(sql, now)}
    where r.id = ${where.id}
      ${ownedBy(sql, 'r', where)}`;
  return row;
}

/** The request as it stands after a write in the same transaction (it exists: the transaction wrote it). */
export async function writtenDelegationRequest(sql: Sql, id: string, now: Date): Promise<DelegationRequestRow> {
  const row = await findDelegationRequest(sql, { id }, now);
  if (!row) throw new Error(`delegation request ${id} vanished inside its own transaction`);
  return row;
}

/** Locks a request for a state change. */
export async function lockDelegationRequest(
  sql: Sql,
  id: string,
): Promise<{ status: string; expires_at: Date; organization_id: string; livemode: boolean } | undefined> {
  const [row] = await sql<{ status: string; expires_at: Date; organization_id: string; livemode: boolean }[]>`
    select status, expires_at, organization_id, livemode from delegation_requests where id = ${id} for update`;
  return row;
}

/** Pending requests whose waiting time has run out, closed and answered for their events. */
export function expireDueRequests(
  sql: Sql,
  now: Date,
): Promise<Array<{ id: string; organization_id: string; livemode: boolean; expires_at: Date }>> {
  return sql`
    update delegation_requests set status = 'expired', ended_at = expires_at, ended_by = 'system'
    where status = 'pending' and expires_at <= ${now}
    returning id, organization_id, livemode, expires_at`;
}

/**
 * Ends the organisation's pending requests, still waiting, as cancelled by the platform
 * (`system`), and answers them for their events. Those whose waiting time has run out are left to
 * expire as they would have.
 */
export function cancelPendingRequestsOfOrganization(
  sql: Sql,
  organizationId: string,
  at: Date,
): Promise<Array<{ id: string; livemode: boolean }>> {
  return sql<Array<{ id: string; livemode: boolean }>>`
    update delegation_requests set status = 'cancelled', ended_at = ${at}, ended_by = 'system'
    where organization_id = ${organizationId} and status = 'pending' and expires_at > ${at}
    returning id, livemode`;
}

export async function listDelegationRequests(
  sql: Sql,
  args: Owner & PageArgs & { status?: string; now: Date },
): Promise<DelegationRequestRow[]> {
  const lapse = { open: 'pending', current: sql`r.expires_at > ${args.now}` };
  return sql<DelegationRequestRow[]>`${selectRequests(sql, args.now)} ${ownedLapsingPage(sql, 'r', args, lapse)}`;
}

export async function endDelegationRequest(
  sql: Sql,
  args: {
    id: string;
    status: 'accepted' | 'rejected' | 'cancelled';
    by: 'citizen' | 'organization';
    memberId: string | null;
    delegationId: string | null;
    at: Date;
  },
): Promise<void> {
  await sql`
    update delegation_requests set status = ${args.status}, ended_at = ${args.at}, ended_by = ${args.by},
      ended_by_member_id = ${args.memberId}, delegation_id = ${args.delegationId}
    where id = ${args.id} and status = 'pending'`;
}
