import { equalsIfGiven, pageAfter, type PageArgs } from '../../db/fragments';
import type { Sql } from '../../db/sql';

export interface MemberRow {
  id: string;
  organization_id: string;
  name: string;
  id_number: string;
  email: string | null;
  role: string;
  colegio_number: string | null;
  status: string;
  created_at: Date;
  removed_at: Date | null;
}

export async function insertMember(
  sql: Sql,
  m: Omit<MemberRow, 'status' | 'removed_at'> & { created_by_member_id: string | null },
): Promise<MemberRow | undefined> {
  const rows = await sql<MemberRow[]>`
    insert into members (id, organization_id, name, id_number, email, role, colegio_number, created_at, created_by_member_id)
    values (${m.id}, ${m.organization_id}, ${m.name}, ${m.id_number}, ${m.email}, ${m.role}, ${m.colegio_number}, ${m.created_at}, ${m.created_by_member_id})
    on conflict (organization_id, id_number) where status = 'active' do nothing
    returning *`;
  return rows[0];
}

export async function findMember(sql: Sql, organizationId: string, id: string): Promise<MemberRow | undefined> {
  const [row] = await sql<MemberRow[]>`select * from members where organization_id = ${organizationId} and id = ${id}`;
  return row;
}

/** The organisation's owner (there is one, and it cannot be removed). */
export async function findOwner(sql: Sql, organizationId: string): Promise<MemberRow | undefined> {
  const [row] = await sql<MemberRow[]>`
    select * from members where organization_id = ${organizationId} and role = 'owner' and status = 'active'`;
  return row;
}

export async function findActiveMemberByIdNumber(
  sql: Sql,
  organizationId: string,
  idNumber: string,
): Promise<string | undefined> {
  const [row] = await sql<{ id: string }[]>`
    select id from members where organization_id = ${organizationId} and id_number = ${idNumber} and status = 'active'`;
  return row?.id;
}

export async function listMembers(
  sql: Sql,
  args: { organizationId: string; status?: string } & PageArgs,
): Promise<MemberRow[]> {
  return sql<MemberRow[]>`
    select * from members
    where organization_id = ${args.organizationId} ${equalsIfGiven(sql, 'status', args.status)}
      ${pageAfter(sql, { at: 'created_at', id: 'id' }, args)}`;
}

export async function markMemberRemoved(
  sql: Sql,
  removal: { organizationId: string; memberId: string; actorMemberId: string; now: Date },
): Promise<MemberRow | undefined> {
  const [row] = await sql<MemberRow[]>`
    update members set status = 'removed', removed_at = ${removal.now}, removed_by_member_id = ${removal.actorMemberId}
    where organization_id = ${removal.organizationId} and id = ${removal.memberId} and status = 'active'
    returning *`;
  return row;
}

export async function revokeKeysOfMember(sql: Sql, memberId: string, by: string, at: Date): Promise<void> {
  await sql`update api_keys set revoked_at = ${at}, revoked_by_member_id = ${by} where member_id = ${memberId} and revoked_at is null`;
}
