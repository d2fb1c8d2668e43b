import type { Context } from 'hono';
import type { AppEnv } from '../../http/context';
import { organizationPrincipal } from '../../http/auth';
import { ProblemError } from '../../http/problem';
import { newId } from '../../lib/ids';
import type { Capacity } from '../delegations/scope';
import { verifyConsentToken, type ConsentClaims } from './tokens';
import { checkDelegationAndLog } from './consent.queries';

export const CONSENT_HEADER = 'puente-consent';

export interface ConsentContext {
  token: string;
  claims: ConsentClaims;
  delegationId: string;
  citizenId: string;
}

export interface ConsentRequirement {
  capacity: Capacity;
  /** The procedure type acted on, when the action concerns one. */
  procedureType?: string;
  /** What the access log records, e.g. `procedure.read`. */
  action: string;
  resourceType?: string;
  resourceId?: string;
  /** When acting on an existing resource: its citizen. A token for anybody else answers 404. */
  citizenId?: string;
}

/**
 * The check every operation on a client's data runs: a valid consent token for the calling
 * organisation and mode whose scope covers the action, and, read from the database on this very
 * request, a delegation that is still active and covers it. Writes the access-log entry.
 */
export async function authorizeConsent(c: Context<AppEnv>, requirement: ConsentRequirement): Promise<ConsentContext> {
  const principal = organizationPrincipal(c);
  const token = c.req.header(CONSENT_HEADER);
  if (!token) throw new ProblemError('consent_required', 'Send a consent token minted from the client\'s delegation in the `Puente-Consent` header.');
  const deps = c.get('deps');
  const now = deps.clock.now();
  const sql = c.get('sql');
  const claims = await verifyConsentToken(deps.signingKeys, sql, deps.config, token, now);
  if (claims.act.sub !== principal.organizationId) {
    throw new ProblemError('consent_actor_mismatch', 'The consent token was minted for another organisation.');
  }
  if (claims.livemode !== principal.livemode) {
    throw new ProblemError('consent_mode_mismatch', `This is a ${claims.livemode ? 'live' : 'test'} token; use it with a ${claims.livemode ? 'live' : 'test'} key.`);
  }
  if (requirement.citizenId !== undefined && requirement.citizenId !== claims.sub) {
    throw new ProblemError('not_found', `No such ${requirement.resourceType ?? 'resource'}.`);
  }
  const detail = claims.authorization_details[0]!;
  if (!detail.capacities.includes(requirement.capacity) || (requirement.procedureType && !detail.procedure_types.includes(requirement.procedureType as never))) {
    throw scopeProblem(requirement);
  }
  const verdict = await checkDelegationAndLog(sql, {
    delegationId: claims.dlg,
    organizationId: principal.organizationId,
    citizenId: claims.sub,
    livemode: principal.livemode,
    capacity: requirement.capacity,
    procedureType: requirement.procedureType ?? null,
    today: now.toISOString().slice(0, 10),
    log: {
      id: newId('acl'),
      memberId: principal.memberId,
      action: requirement.action,
      resourceType: requirement.resourceType ?? null,
      resourceId: requirement.resourceId ?? (requirement.resourceType === 'delegation' ? claims.dlg : null),
      requestId: c.get('requestId'),
      at: now,
    },
  });
  if (!verdict || !verdict.active) {
    throw new ProblemError('delegation_inactive', `The delegation is ${verdict && verdict.status !== 'active' ? verdict.status : 'no longer active'}; the client's data cannot be accessed.`, {
      extensions: { delegation_id: claims.dlg },
    });
  }
  if (!verdict.covers) throw scopeProblem(requirement);
  return { token, claims, delegationId: claims.dlg, citizenId: claims.sub };
}

function scopeProblem(requirement: ConsentRequirement): ProblemError {
  return new ProblemError(
    'scope_insufficient',
    `The delegation does not cover ${requirement.capacity}${requirement.procedureType ? ` for ${requirement.procedureType}` : ''}.`,
    { extensions: { required_capacity: requirement.capacity, procedure_type: requirement.procedureType ?? null } },
  );
}
