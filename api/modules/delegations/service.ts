import type { Sql } from '../../db/sql';
import { transaction } from '../../db/sql';
import { ProblemError } from '../../http/problem';
import { legalDay } from '../../lib/legal-day';
import { emit } from '../events/emit';
import { type DelegationRow, endDelegation, findDelegation, suspendDelegationsOfOrganization } from './queries';

type Owner = { citizenId: string; livemode?: boolean } | { organizationId: string; livemode: boolean };

async function end(
  sql: Sql,
  id: string,
  owner: Owner,
  change: {
    status: 'revoked' | 'renounced';
    by: 'citizen' | 'organization';
    memberId: string | null;
    reason: string | null;
  },
  now: Date,
): Promise<DelegationRow> {
  return transaction(sql, async (tx) => {
    // Locked: an end racing this one (a revocation and a renunciation at once) has either
    // committed, and its status is read here, or waits for this one.
    const current = await findDelegation(tx, { id, ...owner }, legalDay(now), { forUpdate: true });
    if (!current) throw new ProblemError('not_found', 'No such delegation.');
    const ended = current.status === 'active' ? await endDelegation(tx, { id, ...change, at: now }) : undefined;
    if (!ended) {
      throw new ProblemError('invalid_state_transition', `The delegation is already ${current.status}.`, {
        extensions: { current_state: current.status, allowed_from: ['active'] },
      });
    }
    await emit(tx, {
      organizationId: current.organization_id,
      livemode: current.livemode,
      type: change.status === 'revoked' ? 'delegation.revoked' : 'delegation.renounced',
      data: { delegation_id: id, status: change.status, ended_by: change.by },
      at: now,
    });
    return { ...current, ...ended, usable: false };
  });
}

/** The citizen withdraws the power; it takes effect on the organisation's very next request. */
/**
 * The citizen revokes one of their delegations: `livemode` as their views are filtered (only live
 * ones in production, where test-mode delegations are a firm's sandbox and none of theirs).
 */
export function revokeDelegation(
  sql: Sql,
  citizen: { citizenId: string; livemode: boolean | undefined },
  id: string,
  now: Date,
): Promise<DelegationRow> {
  return end(sql, id, citizen, { status: 'revoked', by: 'citizen', memberId: null, reason: null }, now);
}

/** The representative gives up the power (renuncia). */
export function renounceDelegation(
  sql: Sql,
  actor: { organizationId: string; livemode: boolean; memberId: string },
  id: string,
  reason: string | null,
  now: Date,
): Promise<DelegationRow> {
  return end(
    sql,
    id,
    { organizationId: actor.organizationId, livemode: actor.livemode },
    { status: 'renounced', by: 'organization', memberId: actor.memberId, reason },
    now,
  );
}

export async function suspendDelegationsFor(
  sql: Sql,
  organizationId: string,
  reason: string,
  now: Date,
): Promise<string[]> {
  const suspended = await suspendDelegationsOfOrganization(
    sql,
    organizationId,
    `Organisation suspended: ${reason}`,
    now,
  );
  for (const d of suspended) {
    await emit(sql, {
      organizationId,
      livemode: d.livemode,
      type: 'delegation.suspended',
      data: { delegation_id: d.id, status: 'suspended', ended_by: 'platform' },
      at: now,
    });
  }
  return suspended.map((d) => d.id);
}
