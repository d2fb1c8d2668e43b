import type { Sql } from '../../db/sql';
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
  });
  return { row, secret };
}
