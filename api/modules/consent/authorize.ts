import type { Context } from 'hono';
import type { AppEnv } from '../../http/context';
import { organizationPrincipal, type OrganizationPrincipal } from '../../http/auth';
import { ProblemError } from '../../http/problem';
import { newId } from '../../lib/ids';
import { legalDay } from '../../lib/legal-day';
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

/** The token itself (no database): the `Puente-Consent` header, its signature and its claims. */
export async function readConsentHeader(c: Context<AppEnv>): Promise<{ token: string; claims: ConsentClaims }> {
  const token = c.req.header(CONSENT_HEADER);
  if (!token) throw new ProblemError('consent_required', 'Send a consent token minted from the client\'s delegation in the `Puente-Consent` header.');
  const deps = c.get('deps');
  return { token, claims: await verifyConsentToken(deps.signingKeys, c.get('sql'), deps.config, token, deps.clock.now()) };
}

/** The token against its caller: minted for this organisation and mode, and scoped for the capacity (and type, when known). */
export function assertConsentFor(principal: OrganizationPrincipal, claims: ConsentClaims, capacity: Capacity, procedureType?: string): void {
  if (claims.act.sub !== principal.organizationId) {
    throw new ProblemError('consent_actor_mismatch', 'The consent token was minted for another organisation.');
  }
  if (claims.livemode !== principal.livemode) {
    throw new ProblemError('consent_mode_mismatch', `This is a ${claims.livemode ? 'live' : 'test'} token; use it with a ${claims.livemode ? 'live' : 'test'} key.`);
  }
  const detail = claims.authorization_details[0]!;
  if (!detail.capacities.includes(capacity) || (procedureType && !detail.procedure_types.includes(procedureType as never))) {
    throw scopeProblem({ capacity, procedureType });
  }
}

/** The token half of the check (no database) for an authenticated caller. */
export async function verifyConsentHeader(c: Context<AppEnv>, capacity: Capacity, procedureType?: string): Promise<{ token: string; claims: ConsentClaims }> {
  const principal = organizationPrincipal(c);
  const verified = await readConsentHeader(c);
  assertConsentFor(principal, verified.claims, capacity, procedureType);
  return verified;
}

/** Turns the database verdict into the right refusal, or nothing when allowed. */
export function assertVerdict(verdict: { status: string; active: boolean; covers: boolean } | undefined, claims: ConsentClaims, requirement: Pick<ConsentRequirement, 'capacity' | 'procedureType'>): void {
  if (!verdict || !verdict.active) {
    throw new ProblemError('delegation_inactive', `The delegation is ${verdict && verdict.status !== 'active' ? verdict.status : 'no longer active'}; the client's data cannot be accessed.`, {
      extensions: { delegation_id: claims.dlg },
    });
  }
  if (!verdict.covers) throw scopeProblem(requirement);
}

/**
 * The check every operation on a client's data runs: a valid consent token for the calling
 * organisation and mode whose scope covers the action, and, read from the database on this very
 * request, a delegation that is still active and covers it. Writes the access-log entry.
 */
export async function authorizeConsent(c: Context<AppEnv>, requirement: ConsentRequirement): Promise<ConsentContext> {
  const principal = organizationPrincipal(c);
  const { token, claims } = await verifyConsentHeader(c, requirement.capacity, requirement.procedureType);
  if (requirement.citizenId !== undefined && requirement.citizenId !== claims.sub) {
    throw new ProblemError('not_found', `No such ${requirement.resourceType ?? 'resource'}.`);
  }
  const now = c.get('deps').clock.now();
  const verdict = await checkDelegationAndLog(c.get('sql'), {
    delegationId: claims.dlg,
    organizationId: principal.organizationId,
    citizenId: claims.sub,
    livemode: principal.livemode,
    capacity: requirement.capacity,
    procedureType: requirement.procedureType ?? null,
    today: legalDay(now),
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
  assertVerdict(verdict, claims, requirement);
  return { token, claims, delegationId: claims.dlg, citizenId: claims.sub };
}

function scopeProblem(requirement: Pick<ConsentRequirement, 'capacity' | 'procedureType'>): ProblemError {
  return new ProblemError(
    'scope_insufficient',
    `The delegation does not cover ${requirement.capacity}${requirement.procedureType ? ` for ${requirement.procedureType}` : ''}.`,
    { extensions: { required_capacity: requirement.capacity, procedure_type: requirement.procedureType ?? null } },
  );
}
