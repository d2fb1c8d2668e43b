import type { ManagingBody } from '../catalog/schemas';
import type { AccessLogRow } from './queries';
import type { AccessLogEntryResponse } from './schemas';

export function toAccessLogEntry(row: AccessLogRow): AccessLogEntryResponse {
  return {
    id: row.id,
    object: 'access_log_entry',
    occurred_at: row.occurred_at.toISOString(),
    actor: row.actor_type,
    organization: { id: row.organization_id, legal_name: row.organization_name },
    agency:
      row.agency_managing_body && row.agency_office
        ? { managing_body: row.agency_managing_body as ManagingBody, office: row.agency_office }
        : null,
    member: row.member_id ? { id: row.member_id, name: row.member_name ?? '' } : null,
    delegation_id: row.delegation_id,
    livemode: row.livemode,
    action: row.action,
    resource: row.resource_type && row.resource_id ? { type: row.resource_type, id: row.resource_id } : null,
    request_id: row.request_id,
  };
}
