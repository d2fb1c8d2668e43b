import type { OrganizationRow } from './queries';
import type { Organization } from './schemas';

export function toOrganization(row: OrganizationRow): Organization {
  return {
    id: row.id,
    object: 'organization',
    legal_name: row.legal_name,
    nif: row.nif,
    kind: row.kind as Organization['kind'],
    status: row.status as Organization['status'],
    professional_standing: {
      colegio: row.colegio,
      registry: row.registry,
      registration_number: row.registration_number,
      practising: row.practising,
      statutes_allow_representation: row.statutes_allow_representation,
    },
    contact_email: row.contact_email,
    verification:
      row.verified_at && row.verified_by
        ? {
            verified_at: row.verified_at.toISOString(),
            verified_by: row.verified_by,
            note: row.verification_note ?? '',
          }
        : null,
    suspension: row.suspended_at
      ? { suspended_at: row.suspended_at.toISOString(), reason: row.suspension_reason ?? '' }
      : null,
    created_at: row.created_at.toISOString(),
  };
}
