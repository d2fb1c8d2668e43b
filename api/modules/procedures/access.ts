import type { Context } from 'hono';
import type { AppEnv } from '../../http/context';
import { organizationPrincipal } from '../../http/auth';
import { ProblemError } from '../../http/problem';
import { newId } from '../../lib/ids';
import { assertVerdict, verifyConsentHeader, type ConsentContext } from '../consent/authorize';
import type { Capacity } from '../delegations/scope';
import { findProcedureUnderConsent, type ProcedureRow } from './queries';

/**
 * Loads one of the organisation's procedures (its mode only) under the consent check for the
 * action: the token (no database), then one statement that reads the procedure, checks the
 * delegation and writes the access log.
 */
export async function procedureUnderConsent(
  c: Context<AppEnv>,
  id: string,
  capacity: Capacity,
  action: string,
): Promise<{ row: ProcedureRow; consent: ConsentContext }> {
  const principal = organizationPrincipal(c);
  const { token, claims } = await verifyConsentHeader(c, capacity);
  const now = c.get('deps').clock.now();
  const row = await findProcedureUnderConsent(c.get('sql'), {
    id,
    organizationId: principal.organizationId,
    livemode: principal.livemode,
    delegationId: claims.dlg,
    citizenId: claims.sub,
    capacity,
    tokenTypes: claims.authorization_details[0]!.procedure_types,
    today: now.toISOString().slice(0, 10),
    log: { id: newId('acl'), memberId: principal.memberId, action, requestId: c.get('requestId'), at: now },
  });
  // Another citizen's procedure is as unknown as a missing one.
  if (!row || row.citizen_id !== claims.sub) throw new ProblemError('not_found', 'No such procedure.');
  assertVerdict({ status: row.delegation_status ?? 'unknown', active: row.delegation_active, covers: row.delegation_covers }, claims, { capacity, procedureType: row.type });
  return { row, consent: { token, claims, delegationId: claims.dlg, citizenId: claims.sub } };
}
