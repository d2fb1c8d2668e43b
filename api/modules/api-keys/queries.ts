import { pageAfter, type PageArgs } from '../../db/fragments';
import type { Sql } from '../../db/sql';

export interface ApiKeyRow {
  id: string;
  organization_id: string;
  member_id: string;
  livemode: boolean;
  name: string;
  display_prefix: string;
  created_at: Date;
  created_by_member_id: string | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
  /** Set when the platform administrator issued the key for the owner (see `issueOwnerRecoveryKey`). */
  platform_issued_by: string | null;
  platform_issue_note: string | null;
}

const COLUMNS =
  'id, organization_id, member_id, livemode, name, display_prefix, created_at, created_by_member_id, last_used_at, revoked_at, platform_issued_by, platform_issue_note';

export async function insertApiKey(
  sql: Sql,
  k: Omit<ApiKeyRow, 'last_used_at' | 'revoked_at'> & { secret_hash: string },
): Promise<ApiKeyRow> {
  const [row] = await sql<ApiKeyRow[]>`
    insert into api_keys (id, organization_id, member_id, livemode, name, secret_hash, display_prefix, created_at, created_by_member_id,
      platform_issued_by, platform_issue_note)
    values (${k.id}, ${k.organization_id}, ${k.member_id}, ${k.livemode}, ${k.name}, ${k.secret_hash}, ${k.display_prefix}, ${k.created_at}, ${k.created_by_member_id},
      ${k.platform_issued_by}, ${k.platform_issue_note})
    returning ${sql.unsafe(COLUMNS)}`;
  return row!;
}

export async function listApiKeys(sql: Sql, args: { organizationId: string } & PageArgs): Promise<ApiKeyRow[]> {
  return sql<ApiKeyRow[]>`
    select ${sql.unsafe(COLUMNS)} from api_keys
    where organization_id = ${args.organizationId}
      ${pageAfter(sql, { at: 'created_at', id: 'id' }, args)}`;
}

export async function findApiKey(sql: Sql, organizationId: string, id: string): Promise<ApiKeyRow | undefined> {
  const [row] = await sql<
    ApiKeyRow[]
  >`select ${sql.unsafe(COLUMNS)} from api_keys where organization_id = ${organizationId} and id = ${id}`;
  return row;
}

export async function revokeApiKey(
  sql: Sql,
  revocation: { organizationId: string; id: string; by: string; at: Date },
): Promise<ApiKeyRow | undefined> {
  const [row] = await sql<ApiKeyRow[]>`
    update api_keys set revoked_at = coalesce(revoked_at, ${revocation.at}), revoked_by_member_id = coalesce(revoked_by_member_id, ${revocation.by})
    where organization_id = ${revocation.organizationId} and id = ${revocation.id}
    returning ${sql.unsafe(COLUMNS)}`;
  return row;
}
