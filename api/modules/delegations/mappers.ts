import type { DelegationRow } from './queries';
import type { Delegation } from './schemas';

export function toDelegation(row: DelegationRow): Delegation {
  return {
    id: row.id,
    object: 'delegation',
    livemode: row.livemode,
    organization: { id: row.organization_id, legal_name: row.organization_name },
    citizen: { id: row.citizen_id, id_number: row.citizen_id_number },
    request_id: row.request_id,
    scope: row.scope,
    scope_version: row.scope_version,
    covered_procedure_types: row.procedure_types as Delegation['covered_procedure_types'],
    valid_from: row.valid_from,
    valid_until: row.valid_until,
    status: row.status as Delegation['status'],
    created_at: row.created_at.toISOString(),
    ended_at: row.ended_at ? new Date(row.ended_at).toISOString() : null,
    ended_by: row.ended_by as Delegation['ended_by'],
    ended_reason: row.ended_reason,
  };
}
