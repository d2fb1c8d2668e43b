import type { DelegationRequestRow } from './queries';
import type { DelegationRequest } from './schemas';

export function approvalUrl(baseUrl: string, id: string): string {
  return `${baseUrl}/ciudadania/solicitudes/${id}`;
}

export function toDelegationRequest(row: DelegationRequestRow, baseUrl: string): DelegationRequest {
  return {
    id: row.id,
    object: 'delegation_request',
    livemode: row.livemode,
    organization: {
      id: row.organization_id,
      legal_name: row.org_legal_name,
      nif: row.org_nif,
      kind: row.org_kind as DelegationRequest['organization']['kind'],
      verified: row.org_status === 'verified',
      professional_standing: {
        colegio: row.org_colegio,
        registry: row.org_registry,
        registration_number: row.org_registration_number,
      },
    },
    citizen: { id_number: row.citizen_id_number, name: row.citizen_name, contact: row.citizen_contact },
    scope: row.scope,
    scope_version: row.scope_version,
    valid_until: row.valid_until,
    message: row.message,
    code: row.code,
    approval_url: approvalUrl(baseUrl, row.id),
    status: row.status as DelegationRequest['status'],
    created_by: row.created_by_member_id,
    created_at: row.created_at.toISOString(),
    expires_at: row.expires_at.toISOString(),
    ended_at: row.ended_at?.toISOString() ?? null,
    ended_by: row.ended_by as DelegationRequest['ended_by'],
    delegation_id: row.delegation_id,
  };
}
