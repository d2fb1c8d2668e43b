import type { Sql } from '../../db/sql';

export interface DelegationVerdict {
  status: string;
  active: boolean;
  covers: boolean;
  citizen_id: string;
  logged: number;
}

/**
 * The per-request consent check and its access-log entry in one statement (one round trip): the
 * log row is written only when the delegation is active now and covers the action.
 */
export async function checkDelegationAndLog(
  sql: Sql,
  args: {
    delegationId: string;
    organizationId: string;
    citizenId: string;
    livemode: boolean;
    capacity: string;
    procedureType: string | null;
    today: string;
    log: { id: string; memberId: string; action: string; resourceType: string | null; resourceId: string | null; requestId: string; at: Date };
  },
): Promise<DelegationVerdict | undefined> {
  const [row] = await sql<DelegationVerdict[]>`
    with verdict as (
      select d.id, d.status, d.citizen_id, d.livemode,
        (d.status = 'active' and d.valid_until >= ${args.today}::date and o.status <> 'suspended'
          and d.livemode = ${args.livemode} and d.citizen_id = ${args.citizenId}) as active,
        (${args.capacity} = any(d.capacities) and (${args.procedureType}::text is null or ${args.procedureType}::text = any(d.procedure_types))) as covers
      from delegations d join organizations o on o.id = d.organization_id
      where d.id = ${args.delegationId} and d.organization_id = ${args.organizationId}
    ), logged as (
      insert into access_log (id, citizen_id, delegation_id, organization_id, member_id, livemode, action, resource_type, resource_id, request_id, occurred_at)
      select ${args.log.id}, citizen_id, id, ${args.organizationId}, ${args.log.memberId}, livemode, ${args.log.action},
             ${args.log.resourceType}, ${args.log.resourceId}, ${args.log.requestId}, ${args.log.at}
      from verdict where active and covers
      returning 1
    )
    select status, active, covers, citizen_id, (select count(*) from logged)::int as logged from verdict`;
  return row;
}
