import { ownedBy, ownedLapsingPage, type Owner, type PageArgs } from '../../db/fragments';
import { type Sql, type SqlFragment, textArray } from '../../db/sql';
import type { Caller } from '../../http/auth';
import { type ApiKeyPrincipalRow, readSettlingKey } from '../../http/queries';
import type { Scope } from './scope';

export interface DelegationRow {
  id: string;
  organization_id: string;
  organization_name: string;
  livemode: boolean;
  citizen_id: string;
  citizen_id_number: string;
  request_id: string;
  scope: Scope;
  scope_version: number;
  procedure_types: string[];
  capacities: string[];
  valid_from: string;
  valid_until: string;
  status: string;
  created_at: Date;
  ended_at: Date | null;
  ended_by: string | null;
  ended_reason: string | null;
  version: number;
  /** In force on the day asked, its organisation not suspended and practising: consent tokens can be minted and used. */
  usable: boolean;
}

/**
 * A delegation in force on `today`: active, and not past its last day. The one statement of the
 * rule; `alias` names the delegations row in the query it joins.
 */
export function delegationInForce(sql: Sql, alias: string, today: string) {
  return sql`(${sql(alias)}.status = 'active' and ${sql(alias)}.valid_until >= ${today}::date)`;
}

/** The status a delegation has on `today`: an active one past its last day reads `expired`. */
export function delegationStatusOn(sql: Sql, alias: string, today: string) {
  return sql`case when ${sql(alias)}.status = 'active' and not ${delegationInForce(sql, alias, today)} then 'expired' else ${sql(alias)}.status end`;
}

/**
 * The organisation (`orgAlias`, an organizations row) practises: a professional registered as
 * non-practising (no ejerciente) may not represent anyone. Third-sector bodies have no such
 * standing (null) and are judged by their statutes at sign-up.
 */
export function organizationPractising(sql: Sql, orgAlias: string) {
  return sql`(${sql(orgAlias)}.practising is not false)`;
}

/**
 * A delegation that can be acted under on `today`: in force, and its organisation (`orgAlias`,
 * the organizations row it joins) not suspended and practising.
 */
export function delegationUsable(sql: Sql, alias: string, orgAlias: string, today: string) {
  return sql`(${delegationInForce(sql, alias, today)} and ${sql(orgAlias)}.status <> 'suspended' and ${organizationPractising(sql, orgAlias)})`;
}

/**
 * The organisation that holds procedure `procAlias` (a procedures row) may follow it on `today`:
 * it holds a delegation in force (`delegationInForce`) for the procedure's citizen, in the
 * procedure's mode, that lets it consult the procedure's type, and it practises
 * (`organizationPractising`): a consented read of a non-practising organisation is refused, so it
 * is not told of its clients' procedures any other way. The one statement of which of its
 * clients' procedures an organisation is told about: its procedure list, its event feed and its
 * webhooks. Suspension is judged by each of them beside it (a suspended organisation's keys are
 * refused, and its deliveries withheld, `deliveryWithheld`), so this costs one index probe per
 * procedure and no join. A scalar subquery, not EXISTS: a list walking an index in order then
 * stops at its page size, instead of joining every procedure of the organisation first. A
 * statement about one organisation whose standing the request has just read (`practising`, from
 * its key's statement) does not read it again: practising, its statement is the delegation's
 * probe alone, as it was before the standing counted; not practising, it follows nothing.
 */
export function procedureFollowed(sql: Sql, procAlias: string, today: string, standing?: { practising: boolean }) {
  const p = sql(procAlias);
  const followed = sql`coalesce((
    select true from delegations follow_d
    where follow_d.organization_id = ${p}.organization_id and follow_d.citizen_id = ${p}.citizen_id
      and follow_d.livemode = ${p}.livemode
      and ${delegationInForce(sql, 'follow_d', today)}
      and 'consult' = any(follow_d.capacities) and ${p}.type = any(follow_d.procedure_types)
    limit 1), false)`;
  if (standing === undefined)
    return sql`(${followed} and exists (select 1 from organizations follow_o
      where follow_o.id = ${p}.organization_id and ${organizationPractising(sql, 'follow_o')}))`;
  return standing.practising ? followed : sql`false`;
}

/**
 * When a delegation past its last day ended: the midnight in Madrid that closes its `valid_until`
 * (legal days are Madrid's, see `legalDay`), the same instant before and after the scheduler
 * records the expiry.
 */
function expiryInstant(sql: Sql, alias: string) {
  return sql`((${sql(alias)}.valid_until + 1)::timestamp at time zone 'Europe/Madrid')`;
}

/** `expired` is derived from the date, so a delegation past its end is never treated as active. */
function selectDelegations(sql: Sql, today: string) {
  const inForce = delegationInForce(sql, 'd', today);
  return sql`
    select d.id, d.organization_id, o.legal_name as organization_name, d.livemode, d.citizen_id, c.id_number as citizen_id_number,
      d.request_id, d.scope, d.scope_version, d.procedure_types, d.capacities,
      to_char(d.valid_from, 'YYYY-MM-DD') as valid_from, to_char(d.valid_until, 'YYYY-MM-DD') as valid_until,
      ${delegationStatusOn(sql, 'd', today)} as status,
      d.created_at,
      case when d.status = 'active' and not ${inForce} then ${expiryInstant(sql, 'd')} else d.ended_at end as ended_at,
      case when d.status = 'active' and not ${inForce} then 'expiry' else d.ended_by end as ended_by,
      d.ended_reason, d.version, ${delegationUsable(sql, 'd', 'o', today)} as usable
    from delegations d join citizens c on c.id = d.citizen_id join organizations o on o.id = d.organization_id`;
}

export async function insertDelegation(
  sql: Sql,
  d: Pick<
    DelegationRow,
    | 'id'
    | 'organization_id'
    | 'livemode'
    | 'citizen_id'
    | 'request_id'
    | 'scope'
    | 'scope_version'
    | 'procedure_types'
    | 'capacities'
    | 'valid_from'
    | 'valid_until'
    | 'created_at'
  >,
): Promise<void> {
  await sql`
    insert into delegations (id, organization_id, livemode, citizen_id, request_id, scope, scope_version, procedure_types, capacities,
      valid_from, valid_until, created_at)
    values (${d.id}, ${d.organization_id}, ${d.livemode}, ${d.citizen_id}, ${d.request_id}, ${sql.json(d.scope as never)}, ${d.scope_version},
      ${textArray(d.procedure_types)}::text[], ${textArray(d.capacities)}::text[], ${d.valid_from}, ${d.valid_until}, ${d.created_at})`;
}

export async function findDelegation(
  sql: Sql,
  where: { id: string; organizationId?: string; livemode?: boolean; citizenId?: string },
  today: string,
  options: { forUpdate?: boolean } = {},
): Promise<DelegationRow | undefined> {
  const [row] = await sql<DelegationRow[]>`
    ${selectDelegations(sql, today)}
    where d.id = ${where.id}
      ${ownedBy(sql, 'd', where)}
    ${options.forUpdate ? sql`for update of d` : sql``}`;
  return row;
}

/** What minting a consent token reads of a delegation: its scope, and whether it can be acted under today. */
export type DelegationScopeRow = Pick<
  DelegationRow,
  'id' | 'citizen_id' | 'status' | 'capacities' | 'procedure_types' | 'usable'
> & { organization_practising: boolean };

function selectDelegationScope(sql: Sql, today: string, where: SqlFragment) {
  return sql`
    select d.id, d.citizen_id, ${delegationStatusOn(sql, 'd', today)} as status, d.capacities, d.procedure_types,
           ${delegationUsable(sql, 'd', 'o', today)} as usable, ${organizationPractising(sql, 'o')} as organization_practising
    from delegations d join organizations o on o.id = d.organization_id
    where ${where}`;
}

/**
 * A delegation's scope, as the caller's organisation and mode see it. A caller whose key is still
 * to be settled (`lookup`) has it settled in the same statement (see `readSettlingKey`), its row
 * answered as `principal` (none: no such key).
 */
export async function findDelegationScope(
  sql: Sql,
  caller: Caller,
  id: string,
  today: string,
): Promise<{ principal?: ApiKeyPrincipalRow; delegation?: DelegationScopeRow }> {
  if ('principal' in caller) {
    const { organizationId, livemode } = caller.principal;
    const [row] = await sql<DelegationScopeRow[]>`
      ${selectDelegationScope(sql, today, sql`d.id = ${id} ${ownedBy(sql, 'd', { organizationId, livemode })}`)}`;
    return { delegation: row };
  }
  const { principal, rows } = await readSettlingKey<DelegationScopeRow>(
    sql,
    caller.lookup,
    selectDelegationScope(
      sql,
      today,
      sql`d.id = ${id} and d.organization_id = principal.organization_id and d.livemode = principal.livemode`,
    ),
  );
  return { principal, delegation: rows[0] };
}

export async function listDelegations(
  sql: Sql,
  args: Owner & PageArgs & { status?: string; today: string },
): Promise<DelegationRow[]> {
  const lapse = { open: 'active', current: delegationInForce(sql, 'd', args.today) };
  return sql<DelegationRow[]>`${selectDelegations(sql, args.today)} ${ownedLapsingPage(sql, 'd', args, lapse)}`;
}

/** Ends an active delegation and answers what changed; undefined when it was not active (any more). */
export async function endDelegation(
  sql: Sql,
  args: {
    id: string;
    status: 'revoked' | 'renounced' | 'suspended';
    by: 'citizen' | 'organization' | 'platform';
    memberId: string | null;
    reason: string | null;
    at: Date;
  },
): Promise<Pick<DelegationRow, 'status' | 'ended_at' | 'ended_by' | 'ended_reason' | 'version'> | undefined> {
  const [row] = await sql<Pick<DelegationRow, 'status' | 'ended_at' | 'ended_by' | 'ended_reason' | 'version'>[]>`
    update delegations set status = ${args.status}, ended_at = ${args.at}, ended_by = ${args.by}, ended_by_member_id = ${args.memberId},
      ended_reason = ${args.reason}, version = version + 1
    where id = ${args.id} and status = 'active'
    returning status, ended_at, ended_by, ended_reason, version`;
  return row;
}

export function suspendDelegationsOfOrganization(
  sql: Sql,
  organizationId: string,
  reason: string,
  at: Date,
): Promise<Array<{ id: string; livemode: boolean }>> {
  return sql<Array<{ id: string; livemode: boolean }>>`
    update delegations set status = 'suspended', ended_at = ${at}, ended_by = 'platform', ended_reason = ${reason}, version = version + 1
    where organization_id = ${organizationId} and status = 'active'
    returning id, livemode`;
}

/**
 * Active delegations past their last day, closed for good (ended when their last day did, not
 * when this runs) and answered for their events.
 */
export function expireDueDelegations(
  sql: Sql,
  today: string,
): Promise<Array<{ id: string; organization_id: string; livemode: boolean }>> {
  return sql<Array<{ id: string; organization_id: string; livemode: boolean }>>`
    update delegations set status = 'expired', ended_at = ${expiryInstant(sql, 'delegations')}, ended_by = 'expiry', version = version + 1
    where status = 'active' and not ${delegationInForce(sql, 'delegations', today)}
    returning id, organization_id, livemode`;
}
