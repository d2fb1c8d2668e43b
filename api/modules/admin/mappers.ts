import type { z } from '@hono/zod-openapi';

import type { AgencyKeyRow } from './queries';
import type { AgencyKeySchema } from './schemas';

type AgencyKey = z.infer<typeof AgencyKeySchema>;

export function toAgencyKey(row: AgencyKeyRow): AgencyKey {
  return {
    id: row.id,
    object: 'agency_key',
    managing_body: row.managing_body as AgencyKey['managing_body'],
    office: row.office,
    region: row.region as AgencyKey['region'],
    display_prefix: row.display_prefix,
    created_at: row.created_at.toISOString(),
    last_used_at: row.last_used_at?.toISOString() ?? null,
    revoked_at: row.revoked_at?.toISOString() ?? null,
  };
}
