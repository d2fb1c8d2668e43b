import type { Context } from 'hono';
import type { AppEnv } from '../../http/context';
import { organizationPrincipal } from '../../http/auth';
import { ProblemError } from '../../http/problem';
import { authorizeConsent, type ConsentContext } from '../consent/authorize';
import type { Capacity } from '../delegations/scope';
import { findProcedure, type ProcedureRow } from './queries';

/**
 * Loads one of the organisation's procedures (its mode only) and runs the consent check for the
 * action on it: the token must be for this procedure's citizen, active, and cover the type.
 */
export async function procedureUnderConsent(
  c: Context<AppEnv>,
  id: string,
  capacity: Capacity,
  action: string,
): Promise<{ row: ProcedureRow; consent: ConsentContext }> {
  const principal = organizationPrincipal(c);
  const row = await findProcedure(c.get('sql'), { id, organizationId: principal.organizationId, livemode: principal.livemode });
  if (!row) throw new ProblemError('not_found', 'No such procedure.');
  const consent = await authorizeConsent(c, {
    capacity,
    procedureType: row.type,
    action,
    resourceType: 'procedure',
    resourceId: row.id,
    citizenId: row.citizen_id,
  });
  return { row, consent };
}
