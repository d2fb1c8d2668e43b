import type { Sql } from '../../db/sql';
import { transaction } from '../../db/sql';
import { type MemberRole, outranks } from '../../http/auth';
import { ProblemError } from '../../http/problem';
import { newId } from '../../lib/ids';
import {
  findActiveMemberByIdNumber,
  findMember,
  insertMember,
  markMemberRemoved,
  type MemberRow,
  revokeKeysOfMember,
} from './queries';

export async function addMember(
  sql: Sql,
  args: {
    organizationId: string;
    actorMemberId: string;
    name: string;
    idNumber: string;
    email?: string;
    role: string;
    colegioNumber?: string;
    now: Date;
  },
): Promise<MemberRow> {
  const row = await insertMember(sql, {
    id: newId('mem'),
    organization_id: args.organizationId,
    name: args.name,
    id_number: args.idNumber,
    email: args.email ?? null,
    role: args.role,
    colegio_number: args.colegioNumber ?? null,
    created_at: args.now,
    created_by_member_id: args.actorMemberId,
  });
  if (!row) {
    const existing = await findActiveMemberByIdNumber(sql, args.organizationId, args.idNumber);
    throw new ProblemError('duplicate', 'A member with this id number already belongs to the organisation.', {
      errors: [{ pointer: '/id_number', in: 'body', detail: 'Already a member.' }],
      extensions: { existing_id: existing ?? null },
    });
  }
  return row;
}

/**
 * Removing a member revokes their keys in the same transaction; the owner cannot be removed, and
 * only from a role above the member's (as for revoking their keys, `checkKeyHolder`): an admin
 * cannot lock another admin out.
 */
export async function removeMember(
  sql: Sql,
  args: { organizationId: string; actorMemberId: string; actorRole: MemberRole; memberId: string; now: Date },
): Promise<MemberRow> {
  return transaction(sql, async (tx) => {
    const member = await findMember(tx, args.organizationId, args.memberId);
    if (!member) throw new ProblemError('not_found', 'No such member.');
    if (member.status === 'removed') return member;
    if (member.role === 'owner') throw new ProblemError('conflict', 'The owner cannot be removed.');
    if (member.id === args.actorMemberId)
      throw new ProblemError('conflict', 'A member cannot remove themselves; ask another admin.');
    if (!outranks(args.actorRole, member.role as MemberRole))
      throw new ProblemError(
        'forbidden',
        `Removing a member needs a role above theirs; the member is ${member.role} and the caller ${args.actorRole}.`,
      );
    const removed = (await markMemberRemoved(tx, args))!;
    await revokeKeysOfMember(tx, args.memberId, args.actorMemberId, args.now);
    return removed;
  });
}
