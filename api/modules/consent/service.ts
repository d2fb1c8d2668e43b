import type { Config } from '../../config';
import type { Sql } from '../../db/sql';
import type { AccessLogBatch, SigningKeys } from '../../deps';
import type { OrganizationPrincipal } from '../../http/auth';
import type { Logger } from '../../http/logger';
import { ProblemError } from '../../http/problem';
import { newId } from '../../lib/ids';
import { legalDay } from '../../lib/legal-day';
import { logAccessDurably } from '../access-log/batcher';
import type { ProcedureTypeCode } from '../catalog/schemas';
import { type DelegationScopeRow, findDelegation } from '../delegations/queries';
import type { Capacity } from '../delegations/scope';
import { notPractising } from '../organizations/service';
import { type ConsentClaims, mintConsentToken, verifyConsentToken } from './tokens';

export interface MintRequest {
  lifetime_seconds?: number;
  procedure_types?: ProcedureTypeCode[];
  capacities?: Capacity[];
}

/**
 * Mints a consent token from an active delegation (as the principal's organisation and mode read
 * it: undefined when there is none), narrowed if asked, and logs it for the citizen.
 */
export async function mintForDelegation(
  deps: {
    sql: Sql;
    config: Config;
    keys: SigningKeys;
    requestId: string;
    accessLog: AccessLogBatch | undefined;
    logger: Logger;
  },
  principal: OrganizationPrincipal,
  delegation: DelegationScopeRow | undefined,
  request: MintRequest,
  now: Date,
): Promise<{ token: string; claims: ConsentClaims }> {
  const { sql, config } = deps;
  if (!delegation) throw new ProblemError('not_found', 'No such delegation.');
  if (!delegation.organization_practising) throw notPractising();
  if (!delegation.usable) {
    throw new ProblemError(
      'delegation_inactive',
      `The delegation is ${delegation.status}; no consent token can be minted from it.`,
      {
        extensions: { delegation_id: delegation.id },
      },
    );
  }
  const capacities = (request.capacities ?? delegation.capacities) as Capacity[];
  const procedureTypes = (request.procedure_types ?? delegation.procedure_types) as ProcedureTypeCode[];
  const extraCapacity = capacities.find((cap) => !delegation.capacities.includes(cap));
  const extraType = procedureTypes.find((t) => !delegation.procedure_types.includes(t));
  if (extraCapacity || extraType) {
    throw new ProblemError('scope_insufficient', `The delegation does not cover ${extraCapacity ?? extraType}.`, {
      errors: [
        {
          pointer: extraCapacity ? '/capacities' : '/procedure_types',
          in: 'body',
          detail: "Must be within the delegation's scope.",
        },
      ],
    });
  }
  if (principal.role === 'viewer' && capacities.some((cap) => cap !== 'consult')) {
    throw new ProblemError('forbidden', 'Viewers may only mint tokens limited to the consult capacity.', {
      errors: [{ pointer: '/capacities', in: 'body', detail: 'Pass ["consult"].' }],
    });
  }
  const minted = await mintConsentToken(deps.keys, sql, config, {
    citizenId: delegation.citizen_id,
    organizationId: principal.organizationId,
    memberId: principal.memberId,
    delegationId: delegation.id,
    livemode: principal.livemode,
    detail: {
      type: 'puente_delegation',
      procedure_types: [...new Set(procedureTypes)],
      capacities: [...new Set(capacities)],
    },
    lifetimeSeconds: request.lifetime_seconds ?? config.consent.defaultLifetimeSeconds,
    now,
  });
  const entry = {
    id: newId('acl'),
    citizenId: delegation.citizen_id,
    delegationId: delegation.id,
    organizationId: principal.organizationId,
    memberId: principal.memberId,
    livemode: principal.livemode,
    action: 'consent_token.minted',
    resourceType: 'delegation',
    resourceId: delegation.id,
    requestId: deps.requestId,
    at: now,
  };
  // The token is answered only once its entry is durable (see `logAccessDurably`).
  await logAccessDurably(sql, deps.accessLog, deps.logger, entry);
  return minted;
}

export interface Introspection {
  active: boolean;
  reason: string | null;
  claims: ConsentClaims | null;
  delegationStatus: string | null;
}

/**
 * Answers whether a token is usable now: signature and claims, and the delegation in the
 * database. An organisation may only introspect its own tokens, of its key's mode; others see
 * `active: false`.
 */
export async function introspect(
  deps: { sql: Sql; config: Config; keys: SigningKeys },
  token: string,
  caller: { organizationId?: string; livemode?: boolean },
  now: Date,
): Promise<Introspection> {
  let claims: ConsentClaims;
  try {
    claims = await verifyConsentToken(deps.keys, deps.sql, deps.config, token, now);
  } catch (error) {
    if (error instanceof ProblemError)
      return { active: false, reason: error.code, claims: null, delegationStatus: null };
    throw error;
  }
  if (caller.organizationId && claims.act.sub !== caller.organizationId) {
    return { active: false, reason: 'consent_actor_mismatch', claims: null, delegationStatus: null };
  }
  // A test key learns nothing of live tokens, nor a live key of test ones: the modes never meet.
  if (caller.livemode !== undefined && claims.livemode !== caller.livemode) {
    return { active: false, reason: 'consent_mode_mismatch', claims: null, delegationStatus: null };
  }
  const delegation = await findDelegation(deps.sql, { id: claims.dlg, organizationId: claims.act.sub }, legalDay(now));
  const active = delegation?.usable === true && delegation.citizen_id === claims.sub;
  return {
    active,
    reason: active ? null : 'delegation_inactive',
    claims,
    delegationStatus: delegation?.status ?? null,
  };
}
