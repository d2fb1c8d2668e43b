import type { Sql } from '../../db/sql';
import { transaction } from '../../db/sql';
import { ProblemError } from '../../http/problem';
import { newId } from '../../lib/ids';
import { displayPrefix, hashSecret, newSecret } from '../../lib/secrets';
import type { ApiKeyRow } from '../api-keys/queries';
import { checkLiveKeyAllowed, issueApiKey } from '../api-keys/service';
import { cancelRequestsOfSuspended } from '../delegation-requests/service';
import { suspendDelegationsFor } from '../delegations/service';
import { findOwner } from '../members/queries';
import {
  findOrganization,
  markReinstated,
  markSuspended,
  markVerified,
  type OrganizationRow,
} from '../organizations/queries';
import { insertAgencyKey } from './queries';

async function transition(
  sql: Sql,
  id: string,
  allowedFrom: string[],
  apply: (tx: Sql, current: OrganizationRow) => Promise<OrganizationRow | undefined>,
): Promise<OrganizationRow> {
  return transaction(sql, async (tx) => {
    const current = await findOrganization(tx, id);
    if (!current) throw new ProblemError('not_found', 'No such organisation.');
    if (!allowedFrom.includes(current.status)) {
      throw new ProblemError(
        'invalid_state_transition',
        `The organisation is ${current.status}; this action needs ${allowedFrom.join(' or ')}.`,
        {
          extensions: { current_state: current.status, allowed_from: allowedFrom },
        },
      );
    }
    return (await apply(tx, current))!;
  });
}

/** Only practising professionals may represent (Ley 39/2015, art. 5; their colegio's ejerciente). */
function checkStanding(organization: OrganizationRow): void {
  if (organization.practising === false) {
    const detail =
      'The organisation is registered as non-practising (no ejerciente): only practising professionals may represent citizens.';
    throw new ProblemError('unprocessable', detail, {
      errors: [{ pointer: '/professional_standing/practising', in: 'body', detail }],
    });
  }
}

export function verifyOrganization(sql: Sql, id: string, by: string, note: string, at: Date): Promise<OrganizationRow> {
  return transition(sql, id, ['pending_verification'], (tx, current) => {
    checkStanding(current);
    return markVerified(tx, { id, by, note, at });
  });
}

export function suspendOrganization(sql: Sql, id: string, reason: string, at: Date): Promise<OrganizationRow> {
  return transition(sql, id, ['pending_verification', 'verified'], async (tx) => {
    // The organisation's row first: an acceptance holding it (`for share`) commits before the
    // delegations and requests below are read, so what it made is ended with the rest.
    const row = await markSuspended(tx, { id, reason, at });
    await suspendDelegationsFor(tx, id, reason, at);
    await cancelRequestsOfSuspended(tx, id, at);
    return row;
  });
}

export function reinstateOrganization(sql: Sql, id: string, at: Date): Promise<OrganizationRow> {
  return transition(sql, id, ['suspended'], (tx) => markReinstated(tx, id, at));
}

export async function issueAgencyKey(
  sql: Sql,
  key: { managingBody: string; office: string; region: string | null },
  at: Date,
) {
  const secret = newSecret('ak_live');
  const row = await insertAgencyKey(sql, {
    id: newId('agk'),
    managing_body: key.managingBody,
    office: key.office,
    region: key.region,
    secret_hash: await hashSecret(secret),
    display_prefix: displayPrefix(secret),
    created_at: at,
    created_by: 'admin',
  });
  return { row, secret };
}

/**
 * A key for the organisation's owner, issued by the platform administrator when the owner has
 * lost every key (keys are otherwise issued only with a key). The key records who checked the
 * owner's identity and what, and the organisation sees it in its list of keys.
 */
export async function issueOwnerRecoveryKey(
  sql: Sql,
  args: { organizationId: string; livemode: boolean; verifiedBy: string; note: string; now: Date },
): Promise<{ row: ApiKeyRow; secret: string }> {
  return transaction(sql, async (tx) => {
    const organization = await findOrganization(tx, args.organizationId);
    if (!organization) throw new ProblemError('not_found', 'No such organisation.');
    if (args.livemode) checkLiveKeyAllowed(organization.status);
    const owner = await findOwner(tx, args.organizationId);
    if (!owner) throw new ProblemError('not_found', 'The organisation has no active owner.');
    return issueApiKey(tx, {
      organizationId: args.organizationId,
      memberId: owner.id,
      livemode: args.livemode,
      name: 'Recovery key issued by the platform',
      createdBy: null,
      platformIssue: { by: args.verifiedBy, note: args.note },
      now: args.now,
    });
  });
}
