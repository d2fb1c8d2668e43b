import { type Sql, textArray } from '../../db/sql';
import { accessLogInsert } from '../access-log/queries';
import { delegationStatusOn } from '../delegations/queries';
import { receiptPayload, type ReceiptRow } from '../procedures/queries';

export async function findCitizenIdNumber(sql: Sql, citizenId: string): Promise<string | undefined> {
  const [row] = await sql<{ id_number: string }[]>`select id_number from citizens where id = ${citizenId}`;
  return row?.id_number;
}

/** Who handles a procedure: the organisation and the delegation it was filed under (status as of `today`). */
export interface HolderRow {
  delegation_id: string;
  delegation_status: string;
  organization_id: string;
  organization_name: string;
  organization_kind: string;
}

export function listHolders(
  sql: Sql,
  citizenId: string,
  delegationIds: readonly string[],
  today: string,
): Promise<HolderRow[]> {
  if (delegationIds.length === 0) return Promise.resolve([]);
  return sql<HolderRow[]>`
    select d.id as delegation_id,
      ${delegationStatusOn(sql, 'd', today)} as delegation_status,
      o.id as organization_id, o.legal_name as organization_name, o.kind as organization_kind
    from delegations d join organizations o on o.id = d.organization_id
    where d.citizen_id = ${citizenId} and d.id = any(${textArray(delegationIds)}::text[])`;
}

/** The delegations that appear in a citizen's access log, for its filter: every one they granted. */
export interface DelegationChoiceRow {
  id: string;
  organization_name: string;
  status: string;
  valid_from: string;
}

export function listDelegationChoices(
  sql: Sql,
  citizenId: string,
  livemode: boolean | undefined,
  today: string,
): Promise<DelegationChoiceRow[]> {
  return sql<DelegationChoiceRow[]>`
    select d.id, o.legal_name as organization_name, to_char(d.valid_from, 'YYYY-MM-DD') as valid_from,
      ${delegationStatusOn(sql, 'd', today)} as status
    from delegations d join organizations o on o.id = d.organization_id
    where d.citizen_id = ${citizenId}
      ${livemode !== undefined ? sql`and d.livemode = ${livemode}` : sql``}
    order by d.created_at desc, d.id desc
    limit 200`;
}

/**
 * The filing receipt of one of the citizen's own procedures, read as the firm's is
 * (`receiptPayload`), and the citizen's own entry in their access log written in the same
 * statement, only when there is a receipt to give: another citizen's procedure or a draft logs nothing.
 */
export async function readOwnReceipt(
  sql: Sql,
  args: {
    procedureId: string;
    citizenId: string;
    livemode: boolean | undefined;
    log: { id: string; requestId: string; at: Date };
  },
): Promise<ReceiptRow | undefined> {
  const [row] = await sql<ReceiptRow[]>`
    with receipt as (
      select r.* from (${receiptPayload(sql, args.procedureId)}) r
      where r.citizen_id = ${args.citizenId} ${args.livemode !== undefined ? sql`and r.livemode = ${args.livemode}` : sql``}
    ), logged as (
      ${accessLogInsert(
        sql,
        {
          ...args.log,
          action: 'procedure.receipt_read',
          resourceType: 'procedure',
          resourceId: args.procedureId,
          actorType: 'citizen',
        },
        sql`(select citizen_id, delegation_id, organization_id, null::text as member_id, livemode from receipt where registry_entry_number is not null) as entry`,
      )}
      returning 1
    )
    select * from receipt`;
  return row;
}
