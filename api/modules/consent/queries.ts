import { type Sql, type SqlFragment, textArray } from '../../db/sql';
import { type Caller, MEMBER_ROLES, type MemberRole, roleRank } from '../../http/auth';
import { apiKeyPrincipalCtes, type ApiKeyPrincipalRow, keyFacts } from '../../http/queries';
import { accessLogInsert } from '../access-log/queries';
import { delegationUsable, organizationPractising } from '../delegations/queries';

/**
 * Every gate of an operation on a client's data, as one row of facts. The facts are computed in
 * the statement that reads (or precedes the write of) the data, so they describe this very
 * moment: a revoked key or delegation is refused on the next request, on every instance.
 */
export interface GateFacts {
  organization_id: string;
  livemode: boolean;
  member_id: string;
  /** The token's delegation and citizen, when the delegation is this organisation's (null otherwise). */
  delegation_id: string | null;
  citizen_id: string | null;
  /** The key: live, of an active member; its organisation not suspended; verified for live keys. */
  key_ok: boolean;
  org_ok: boolean;
  live_ok: boolean;
  /** Hits counted in this window, and whether they are within the limit. */
  hits: number;
  rate_ok: boolean;
  role_ok: boolean;
  /** The consent token: present and verified, minted for this organisation and mode, its scope covering the action. */
  token_ok: boolean;
  actor_ok: boolean;
  mode_ok: boolean;
  /** The capacity the operation needs (see `ConsentNeed.capacityWhile`), and whether the token's scope has it. */
  capacity: string;
  capacity_ok: boolean;
  type_ok: boolean;
  /** The procedure acted on exists for this organisation and mode and belongs to the token's citizen (true when none is). */
  target_ok: boolean;
  /** The resource acted on inside the procedure exists (true when there is none). */
  resource_ok: boolean;
  /** The organisation holding the token's delegation practises (true when there is no such delegation). */
  org_practising: boolean;
  /** The delegation: its status, whether it is in force now, and whether it covers the action. */
  delegation_status: string | null;
  delegation_active: boolean;
  covers: boolean;
  /** All of the above: only then is the access logged (and the data answered). */
  allowed: boolean;
  /** The type and status of the procedure acted on, when there is one. */
  procedure_type: string | null;
  procedure_status: string | null;
  /** The key's row, when the statement settled it (consented reads). */
  principal: ApiKeyPrincipalRow | null;
}

export interface GateArgs {
  caller: Caller;
  rateLimit: number;
  minimumRole: MemberRole;
  /** The verified claims that matter here, or null when the token is missing or did not verify. */
  token: {
    actor: string;
    livemode: boolean;
    capacities: readonly string[];
    procedureTypes: readonly string[];
    delegationId: string;
    citizenId: string;
  } | null;
  capacity: string;
  /** The capacity needed instead while the procedure acted on is in `status`. */
  capacityWhile: { status: string; capacity: string } | null;
  procedureType: string | null;
  procedureId: string | null;
  /** A boolean SQL expression: the resource acted on inside the procedure exists (e.g. the document downloaded). */
  resourceExists: SqlFragment | null;
  today: string;
  log: { id: string; action: string; resourceType: string; resourceId: string | null; requestId: string; at: Date };
  /**
   * The entry is not written by this statement: the caller adds it to the group-committed access
   * log once every fact holds (a consented read on PostgreSQL). The statement then writes nothing
   * of the read, only the key's use and rate-limit hits when they are due.
   */
  logLater?: boolean;
  /**
   * The gate runs inside a write's transaction: the delegation row is locked `for share` until the
   * write commits. A revocation (an update of that row) then waits for the writes already past
   * their gate, and a write that reaches the gate while a revocation holds the row waits for it
   * and reads the row as it left it: no write commits after its delegation's end was answered.
   * Share locks do not conflict, so writes under one delegation do not wait for each other.
   */
  lockDelegation?: boolean;
}

function callerCte(sql: Sql, caller: Caller) {
  if ('principal' in caller) {
    const p = caller.principal;
    return sql`caller as (
      select ${p.organizationId}::text as organization_id, ${p.livemode}::boolean as livemode, ${p.memberId}::text as member_id,
             true as key_ok, true as org_ok, true as live_ok, 0 as hits, ${roleRank(p.role)}::int as role_rank, null::json as principal
    )`;
  }
  return sql`${apiKeyPrincipalCtes(sql, caller.lookup)}, caller as (
    select organization_id, livemode, member_id, ${keyFacts(sql)},
           array_position(${textArray(MEMBER_ROLES)}::text[], member_role) - 1 as role_rank,
           row_to_json(principal) as principal
    from principal
  )`;
}

/**
 * The gate as common table expressions ending in `gate` (one row when the key is known) and
 * `logged`, which writes the access-log row only when every fact holds (unless `logLater`). A read selects its data
 * beside `gate`, joined on `gate.allowed`, so refused requests see nothing and log nothing.
 */
export function gateCtes(sql: Sql, args: GateArgs) {
  const t = args.token;
  const type = sql`coalesce(${args.procedureType}::text, target.type)`;
  const w = args.capacityWhile;
  const capacity = w
    ? sql`(case when target.status = ${w.status}::text then ${w.capacity}::text else ${args.capacity}::text end)`
    : sql`${args.capacity}::text`;
  return sql`${callerCte(sql, args.caller)}, target as (
      select p.id, p.citizen_id, p.type, p.status, p.registry_entry_number from procedures p join caller on p.organization_id = caller.organization_id and p.livemode = caller.livemode
      where p.id = ${args.procedureId}::text
    ), delegation as (
      select d.id, d.citizen_id, d.status, d.capacities, d.procedure_types,
             ${delegationUsable(sql, 'd', 'o', args.today)} as in_force, ${organizationPractising(sql, 'o')} as org_practising
      from delegations d join organizations o on o.id = d.organization_id
      join caller on caller.organization_id = d.organization_id and caller.livemode = d.livemode
      where d.id = ${t?.delegationId ?? null}::text and d.citizen_id = ${t?.citizenId ?? null}::text
      ${args.lockDelegation ? sql`for share of d` : sql``}
    ), facts as (
      select caller.organization_id, caller.livemode, caller.member_id, delegation.citizen_id, delegation.id as delegation_id,
             caller.key_ok, caller.org_ok, caller.live_ok, caller.hits, caller.hits <= ${args.rateLimit}::int as rate_ok,
             caller.role_rank >= ${roleRank(args.minimumRole)}::int as role_ok,
             ${t !== null}::boolean as token_ok,
             coalesce(${t?.actor ?? null}::text = caller.organization_id, false) as actor_ok,
             coalesce(${t?.livemode ?? null}::boolean = caller.livemode, false) as mode_ok,
             ${capacity} as capacity, ${capacity} = any(${textArray(t?.capacities ?? [])}::text[]) as capacity_ok,
             (${type} is null or ${type} = any(${textArray(t?.procedureTypes ?? [])}::text[])) as type_ok,
             (${args.procedureId}::text is null or target.citizen_id is not distinct from ${t?.citizenId ?? null}::text) as target_ok,
             coalesce(${args.resourceExists ?? sql`true`}, false) as resource_ok,
             coalesce(delegation.org_practising, true) as org_practising,
             delegation.status as delegation_status, coalesce(delegation.in_force, false) as delegation_active,
             coalesce(${capacity} = any(delegation.capacities) and (${type} is null or ${type} = any(delegation.procedure_types)), false) as covers,
             caller.principal, target.type as procedure_type, target.status as procedure_status
      from caller left join target on true left join delegation on true
    ), gate as (
      select facts.*, (key_ok and org_ok and live_ok and rate_ok and role_ok and token_ok and actor_ok and mode_ok and capacity_ok
                       and type_ok and target_ok and delegation_active and covers and resource_ok) as allowed
      from facts
    )${
      args.logLater
        ? sql``
        : sql`, logged as (
      ${accessLogInsert(sql, { ...args.log, resourceId: args.log.resourceId ?? args.procedureId }, sql`gate where allowed`)}
      returning 1
    )`
    }`;
}

/**
 * The gate and the data in one statement: `payload` (a query that may use the CTEs `caller` and
 * `target`) is joined only when every gate holds. Answers undefined when the key is unknown, and
 * `row` undefined when refused or when the payload has no row.
 */
export async function readThroughGate<T>(
  sql: Sql,
  args: GateArgs,
  payload?: SqlFragment,
): Promise<{ gate: GateFacts; row: T | undefined } | undefined> {
  const [result] = await sql<({ gate: GateFacts; payload_found: boolean | null } & Record<string, unknown>)[]>`
    with ${gateCtes(sql, args)}
    select row_to_json(gate) as gate, payload.*
    from gate left join lateral (select true as payload_found, x.* from (${payload ?? sql`select`}) x) payload on gate.allowed`;
  if (!result) return undefined;
  const { gate, payload_found, ...row } = result;
  return { gate, row: payload_found ? (row as T) : undefined };
}
