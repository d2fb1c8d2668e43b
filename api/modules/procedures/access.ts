import type { Context } from 'hono';
import type { AppEnv } from '../../http/context';
import { authenticateDeferred, authenticateInline, organizationPrincipal, type OrganizationPrincipal } from '../../http/auth';
import { apiKeyCaller, knownCaller } from '../../http/auth.queries';
import { ProblemError } from '../../http/problem';
import { newId } from '../../lib/ids';
import { legalDay } from '../../lib/legal-day';
import { assertConsentFor, assertVerdict, readConsentHeader, type ConsentContext } from '../consent/authorize';
import type { ConsentClaims } from '../consent/tokens';
import type { Capacity } from '../delegations/scope';
import { findProcedureUnderConsent, type ConsentedProcedureRow } from './queries';

/**
 * Loads one of the organisation's procedures (its mode only) under the consent check for the
 * action: the token first (no database), then one statement that reads the procedure, checks the
 * delegation and writes the access log. On routes with a deferred API key (`deferApiKey()`) the
 * same statement also authenticates the key and counts its rate limit, so the whole request is
 * one round trip; the refusals and their order are those of the middleware stack.
 */
export async function procedureUnderConsent(
  c: Context<AppEnv>,
  id: string,
  capacity: Capacity,
  action: string,
): Promise<{ row: ConsentedProcedureRow; consent: ConsentContext }> {
  const deferred = c.get('principal') ? undefined : c.get('apiKeyLookup');
  let verified: { token: string; claims: ConsentClaims };
  try {
    verified = await readConsentHeader(c);
  } catch (error) {
    // A bad credential answers 401 before any consent problem, as on every other route.
    if (deferred) await authenticateDeferred(c, 'viewer');
    throw error;
  }
  const { claims } = verified;
  if (!deferred) assertConsentFor(organizationPrincipal(c), claims, capacity);
  const { config, clock } = c.get('deps');
  const sql = c.get('sql');
  const now = clock.now();
  const result = await findProcedureUnderConsent(sql, {
    caller: deferred ? apiKeyCaller(sql, deferred, config.rateLimit.limit) : knownCaller(sql, organizationPrincipal(c)),
    id,
    delegationId: claims.dlg,
    citizenId: claims.sub,
    capacity,
    tokenTypes: claims.authorization_details[0]!.procedure_types,
    today: legalDay(now),
    log: { id: newId('acl'), action, requestId: c.get('requestId'), at: now },
  });
  if (deferred) {
    const principal: OrganizationPrincipal = authenticateInline(c, result?.principal ?? undefined, 'viewer');
    assertConsentFor(principal, claims, capacity);
  }
  const row = result?.procedure;
  // Another citizen's procedure is as unknown as a missing one.
  if (!row || row.citizen_id !== claims.sub) throw new ProblemError('not_found', 'No such procedure.');
  assertVerdict({ status: row.delegation_status ?? 'unknown', active: row.delegation_active, covers: row.delegation_covers }, claims, { capacity, procedureType: row.type });
  return { row, consent: { token: verified.token, claims, delegationId: claims.dlg, citizenId: claims.sub } };
}
