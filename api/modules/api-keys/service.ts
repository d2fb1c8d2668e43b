import type { Sql } from '../../db/sql';
import { type MemberRole, outranks } from '../../http/auth';
import { ProblemError } from '../../http/problem';
import { newId } from '../../lib/ids';
import { displayPrefix, hashSecret, newSecret } from '../../lib/secrets';
import { type ApiKeyRow, insertApiKey } from './queries';

/** Creates a key and answers its secret, which exists only in this return value from now on. */
export async function issueApiKey(
  sql: Sql,
  args: {
    organizationId: string;
    memberId: string;
    livemode: boolean;
    name: string;
    createdBy: string | null;
    /** Who at the platform issued it, and on what evidence (a recovery key for the owner). */
    platformIssue?: { by: string; note: string };
    now: Date;
  },
): Promise<{ row: ApiKeyRow; secret: string }> {
  const secret = newSecret(args.livemode ? 'sk_live' : 'sk_test');
  const row = await insertApiKey(sql, {
    id: newId('key'),
    organization_id: args.organizationId,
    member_id: args.memberId,
    livemode: args.livemode,
    name: args.name,
    secret_hash: await hashSecret(secret),
    display_prefix: displayPrefix(secret),
    created_at: args.now,
    created_by_member_id: args.createdBy,
    platform_issued_by: args.platformIssue?.by ?? null,
    platform_issue_note: args.platformIssue?.note ?? null,
  });
  return { row, secret };
}

/** A live key exists once its organisation has been verified (`status`, the organisation's). */
export function checkLiveKeyAllowed(status: string | undefined): void {
  if (status === 'verified') return;
  throw new ProblemError('live_mode_unavailable', 'Live keys can be created once the organisation has been verified.', {
    errors: [{ pointer: '/livemode', in: 'body', detail: 'The organisation is not verified yet.' }],
  });
}

/**
 * A key acts as its member, and every write records that member: a member issues and revokes keys
 * of their own and of members of a lower role, never of an equal or a superior (to act as them, or
 * to lock them out). `field` names the body field that chose the member, when one did.
 */
export function checkKeyHolder(
  actor: { memberId: string; role: MemberRole },
  holder: { id: string; role: string; status: string },
  field?: string,
): void {
  if (holder.id === actor.memberId || holder.status !== 'active') return;
  if (outranks(actor.role, holder.role as MemberRole)) return;
  throw new ProblemError(
    'forbidden',
    `Keys of another member need a role above theirs; the member is ${holder.role} and the caller ${actor.role}.`,
    field
      ? { errors: [{ pointer: field, in: 'body', detail: 'Issue keys for yourself or for members of a lower role.' }] }
      : {},
  );
}
