import type { ApiKeyRow } from './queries';
import type { ApiKey } from './schemas';

export function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    object: 'api_key',
    name: row.name,
    livemode: row.livemode,
    display_prefix: row.display_prefix,
    member_id: row.member_id,
    created_by: row.created_by_member_id,
    created_at: row.created_at.toISOString(),
    last_used_at: row.last_used_at?.toISOString() ?? null,
    revoked_at: row.revoked_at?.toISOString() ?? null,
    issued_by_platform: row.platform_issued_by
      ? { verified_by: row.platform_issued_by, note: row.platform_issue_note ?? '' }
      : null,
  };
}
