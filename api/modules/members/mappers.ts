import type { MemberRow } from './queries';
import type { Member } from './schemas';

export function toMember(row: MemberRow): Member {
  return {
    id: row.id,
    object: 'member',
    name: row.name,
    id_number: row.id_number,
    email: row.email,
    role: row.role as Member['role'],
    colegio_number: row.colegio_number,
    status: row.status as Member['status'],
    created_at: row.created_at.toISOString(),
    removed_at: row.removed_at?.toISOString() ?? null,
  };
}
