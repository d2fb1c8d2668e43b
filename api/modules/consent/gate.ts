import type { Context } from 'hono';

import { inTransaction, type Sql, type SqlFragment, transaction } from '../../db/sql';
import type { AccessLogBatch } from '../../deps';
import {
  type Caller,
  keyCallerRefusal,
  keyRefusal,
  type MemberRole,
  type OrganizationPrincipal,
  principalOfKey,
  rememberKey,
} from '../../http/auth';
import type { AppEnv } from '../../http/context';
import type { ReplayCheck } from '../../http/idempotency';
import { ProblemError } from '../../http/problem';
import { newId } from '../../lib/ids';
import { legalDay } from '../../lib/legal-day';
import { type AccessAction, type LoggedAction, REPLAYED } from '../access-log/actions';
import { logCommitted } from '../access-log/batcher';
import type { Capacity } from '../delegations/scope';
import { notPractising } from '../organizations/service';
import { type GateArgs, type GateFacts, readThroughGate } from './queries';
import { type ConsentClaims, verifyConsentToken } from './tokens';

export const CONSENT_HEADER = 'puente-consent';

/** What an operation on a client's data needs, and what the citizen's access log will say of it. */
export interface ConsentNeed {
  capacity: Capacity;
  /**
   * A capacity that follows the procedure's state: while the procedure acted on is in `status`,
   * the operation needs `capacity` instead. Judged on the status the gate reads, in its statement.
   */
  capacityWhile?: { status: string; capacity: Capacity };
  /** The access-log action, e.g. `procedure.read`. */
  action: LoggedAction;
  /** The procedure acted on: it must exist for the caller and belong to the token's citizen, and its type must be covered. */
  procedureId?: string;
  /** The procedure type acted on when there is no procedure yet (a draft being created, a consent check for a type). */
  procedureType?: string;
  /** What the log names; defaults to the procedure, or else the delegation. */
  resource?: { type: string; id: string | null };
  /** A boolean SQL expression: that resource exists inside the procedure (checked with the gate, so a miss logs nothing). */
  resourceExists?: SqlFragment;
  /** The refusal when it does not (default: 404 naming the resource type). */
  resourceMissing?: (facts: GateFacts) => ProblemError;
}

/**
 * What the gate allowed a request: the capacity it judged (one that follows the procedure's state
 * resolved on the status it read), the procedure or type acted on, and the access-log action and
 * resource. A consented write keeps it with its Idempotency-Key (see `consentedReplay`).
 */
export interface ConsentGrant {
  capacity: Capacity;
  action: LoggedAction;
  procedureId: string | null;
  procedureType: string | null;
  resource: { type: string; id: string | null };
}

export interface Consent {
  token: string;
  claims: ConsentClaims;
  delegationId: string;
  citizenId: string;
  principal: OrganizationPrincipal;
}

type TokenResult = { token: string; claims: ConsentClaims } | { error: ProblemError };

/** The token itself (no database but the cached keys): the `Puente-Consent` header, its signature and its claims. */
async function readConsentToken(c: Context<AppEnv>, sql: Sql): Promise<TokenResult> {
  const token = c.req.header(CONSENT_HEADER);
  if (!token) {
    return {
      error: new ProblemError(
        'consent_required',
        "Send a consent token minted from the client's delegation in the `Puente-Consent` header.",
      ),
    };
  }
  const deps = c.get('deps');
  try {
    return { token, claims: await verifyConsentToken(deps.signingKeys, sql, deps.config, token, deps.clock.now()) };
  } catch (error) {
    if (error instanceof ProblemError) return { error };
    throw error;
  }
}

/** The capacity `need` requires of a procedure in `status` (the gate states it as `facts.capacity`). */
export function capacityAt(need: Pick<ConsentNeed, 'capacity' | 'capacityWhile'>, status: string | null): Capacity {
  return need.capacityWhile && status === need.capacityWhile.status ? need.capacityWhile.capacity : need.capacity;
}

function scopeProblem(capacity: Capacity, procedureType: string | null): ProblemError {
  return new ProblemError(
    'scope_insufficient',
    `The delegation does not cover ${capacity}${procedureType ? ` for ${procedureType}` : ''}.`,
    {
      extensions: { required_capacity: capacity, procedure_type: procedureType },
    },
  );
}

/**
 * Turns the facts into the refusal, in the documented order: the key (unknown or revoked,
 * suspended organisation, live mode), the rate limit, the member's role; then the consent token
 * (missing or invalid, another organisation, the other mode, a scope without the action); then
 * the procedure (unknown, or another citizen's: both 404); then the standing of the organisation
 * holding the delegation (non-practising); last the delegation (not in force, not covering the
 * action). Answers undefined when every gate holds.
 */
export function refusalOf(
  c: Context<AppEnv>,
  facts: GateFacts | undefined,
  token: TokenResult,
  need: ConsentNeed,
  caller: Caller,
  type: string | null,
): ProblemError | undefined {
  const key = {
    known: facts !== undefined,
    key_ok: facts?.key_ok ?? false,
    org_ok: facts?.org_ok ?? false,
    live_ok: facts?.live_ok ?? false,
  };
  const refusal =
    'lookup' in caller
      ? keyCallerRefusal(c, key, facts?.hits ?? 0, facts?.principal?.member_role as MemberRole, caller.minimumRole)
      : keyRefusal(key);
  if (refusal || !facts) return refusal;
  if ('error' in token) return token.error;
  if (!facts.actor_ok)
    return new ProblemError('consent_actor_mismatch', 'The consent token was minted for another organisation.');
  if (!facts.mode_ok) {
    const live = token.claims.livemode;
    return new ProblemError(
      'consent_mode_mismatch',
      `This is a ${live ? 'live' : 'test'} token; use it with a ${live ? 'live' : 'test'} key.`,
    );
  }
  if (!facts.target_ok) {
    // An unknown procedure and another citizen's answer alike: the scope is judged on what the
    // request names, never on that procedure's type or status (which would tell them apart).
    const scope = token.claims.authorization_details[0];
    if (!scope?.capacities.includes(need.capacity) || (need.procedureType !== undefined && !facts.type_ok))
      return scopeProblem(need.capacity, need.procedureType ?? null);
    return new ProblemError('not_found', 'No such procedure.');
  }
  if (!facts.capacity_ok || (need.procedureType !== undefined && !facts.type_ok))
    return scopeProblem(facts.capacity as Capacity, need.procedureType ?? null);
  if (!facts.org_practising) return notPractising();
  if (!facts.delegation_active) {
    const status =
      facts.delegation_status && facts.delegation_status !== 'active' ? facts.delegation_status : 'no longer active';
    return new ProblemError(
      'delegation_inactive',
      `The delegation is ${status}; the client's data cannot be accessed.`,
      {
        extensions: { delegation_id: token.claims.dlg },
      },
    );
  }
  if (!facts.covers || !facts.type_ok) return scopeProblem(facts.capacity as Capacity, type);
  if (!facts.resource_ok)
    return (
      need.resourceMissing?.(facts) ?? new ProblemError('not_found', `No such ${need.resource?.type ?? 'resource'}.`)
    );
  return undefined;
}

/**
 * The one consent gate of every operation on a client's data. It states every gate as a fact in
 * one statement (with the read's data, when `payload` is given), writes the access-log row only
 * when all of them hold, and throws the refusal otherwise. Reads call it with the request's
 * handle (one round trip); writes call it with their transaction, before they change anything,
 * and hold the delegation (`for share`) until they commit, so a revocation waits for them.
 */
export function throughGate<T = never>(
  c: Context<AppEnv>,
  sql: Sql,
  need: ConsentNeed,
  payload?: SqlFragment,
): Promise<{ consent: Consent; row: T | undefined }> {
  return gate<T>(c, sql, need, payload, undefined);
}

/**
 * A consented read on the request's handle. Where the runtime group-commits the access log
 * (`deps.accessLog`: Node on PostgreSQL), the one statement states the facts and reads the data
 * without writing the entry; once every fact holds, the entry joins a batch committed for many
 * reads at once, and the read answers only after that commit. If the batch fails the read fails
 * with 503 `service_unavailable` and serves nothing, so no data leaves without its entry. Where
 * it does not (the embedded database, Workers), the statement writes the entry itself.
 */
export function consentedRead<T = never>(
  c: Context<AppEnv>,
  need: ConsentNeed,
  payload?: SqlFragment,
): Promise<{ consent: Consent; row: T | undefined }> {
  return gate<T>(c, c.get('sql'), need, payload, c.get('deps').accessLog);
}

async function gate<T>(
  c: Context<AppEnv>,
  sql: Sql,
  need: ConsentNeed,
  payload: SqlFragment | undefined,
  batcher: AccessLogBatch | undefined,
): Promise<{ consent: Consent; row: T | undefined }> {
  const caller = c.get('caller');
  if (!caller) throw new Error('route does not declare a consented auth');
  const token = await readConsentToken(c, sql);
  const { config, clock } = c.get('deps');
  const now = clock.now();
  const claims = 'claims' in token ? token.claims : null;
  const detail = claims?.authorization_details[0];
  const args: GateArgs = {
    caller,
    rateLimit: config.rateLimit.limit,
    minimumRole: 'lookup' in caller ? caller.minimumRole : ('viewer' as MemberRole),
    token:
      claims && detail
        ? {
            actor: claims.act.sub,
            livemode: claims.livemode,
            capacities: detail.capacities,
            procedureTypes: detail.procedure_types,
            delegationId: claims.dlg,
            citizenId: claims.sub,
          }
        : null,
    capacity: need.capacity,
    capacityWhile: need.capacityWhile ?? null,
    procedureType: need.procedureType ?? null,
    procedureId: need.procedureId ?? null,
    resourceExists: need.resourceExists ?? null,
    today: legalDay(now),
    log: {
      id: newId('acl'),
      action: need.action,
      resourceType: need.resource?.type ?? (need.procedureId ? 'procedure' : 'delegation'),
      resourceId: need.resource ? need.resource.id : need.procedureId ? null : (claims?.dlg ?? null),
      requestId: c.get('requestId'),
      at: now,
    },
    logLater: batcher !== undefined,
    lockDelegation: inTransaction(sql),
  };
  const result = await readThroughGate<T>(sql, args, payload);
  if (result?.gate.principal && 'lookup' in caller) rememberKey(c, caller.lookup, result.gate.principal);
  const type = need.procedureType ?? result?.gate.procedure_type ?? null;
  const refusal = refusalOf(c, result?.gate, token, need, caller, type);
  if (refusal) throw refusal;
  const facts = result!.gate;
  c.set('consentGrant', {
    capacity: facts.capacity as Capacity,
    action: need.action,
    // A procedure the request created is the one its answer shows: a replay is judged on it (its
    // citizen must be the new token's), as every other write on a procedure is.
    procedureId: need.procedureId ?? (args.log.resourceType === 'procedure' ? args.log.resourceId : null),
    procedureType: need.procedureType ?? null,
    resource: { type: args.log.resourceType, id: args.log.resourceId },
  });
  const verified = token as { token: string; claims: ConsentClaims };
  let principal: OrganizationPrincipal;
  if ('lookup' in caller) {
    principal = principalOfKey(facts.principal!);
    c.set('principal', principal);
  } else {
    principal = caller.principal;
  }
  if (batcher) await logThroughBatch(c, batcher, args, facts);
  return {
    consent: {
      token: verified.token,
      claims: verified.claims,
      delegationId: verified.claims.dlg,
      citizenId: verified.claims.sub,
      principal,
    },
    row: result!.row,
  };
}

/** Adds the read's entry to the group-committed access log and waits for its commit (see `logCommitted`). */
function logThroughBatch(c: Context<AppEnv>, batcher: AccessLogBatch, args: GateArgs, facts: GateFacts): Promise<void> {
  return logCommitted(batcher, c.get('deps').logger, {
    id: args.log.id,
    citizenId: facts.citizen_id!,
    delegationId: facts.delegation_id,
    organizationId: facts.organization_id,
    memberId: facts.member_id,
    livemode: facts.livemode,
    action: args.log.action,
    resourceType: args.log.resourceType,
    resourceId: args.log.resourceId ?? args.procedureId,
    requestId: args.log.requestId,
    at: args.log.at,
  });
}

/**
 * A consented write: the gate (with the resource it changes, read by `payload`) and the change in
 * one transaction, so the access-log row commits with the change or not at all. A capacity that
 * follows the procedure's state (`need.capacityWhile`) is judged in the gate's own statement.
 */
export function consentedWrite<T, R>(
  c: Context<AppEnv>,
  need: ConsentNeed,
  payload: (tx: Sql) => SqlFragment,
  work: (tx: Sql, row: T, consent: Consent) => Promise<R>,
): Promise<R> {
  return transaction(c.get('sql'), async (tx) => {
    const { row, consent } = await throughGate<T>(c, tx, need, payload(tx));
    return work(tx, row!, consent);
  });
}

/**
 * The replay of a consented write's stored response (`Idempotency-Key`, on every route of kind
 * `orgConsentedWrite`): it discloses what the write answered, so it passes the gate as a fresh
 * request would, with its own consent token, for what the write was allowed (same capacity,
 * procedure or type, and resource). Allowed, the citizen's access log records it once, as the
 * write's action with `.replayed` (the write happened once; this is its answer served again), in
 * the transaction that commits before the replay is answered. Refused, it answers the gate's
 * refusal and logs nothing.
 */
export const consentedReplay: ReplayCheck = {
  granted: (c) => c.get('consentGrant'),
  async recheck(c, tx, granted) {
    if (!granted) {
      // Stored before grants were kept: what it was allowed is unknown, so it is not served again.
      throw new ProblemError(
        'idempotency_conflict',
        'This Idempotency-Key was stored before its replay could be checked against your consent; it cannot be replayed.',
      );
    }
    const grant = granted as ConsentGrant;
    await throughGate(c, tx, {
      capacity: grant.capacity,
      action: `${grant.action as AccessAction}${REPLAYED}`,
      procedureId: grant.procedureId ?? undefined,
      procedureType: grant.procedureType ?? undefined,
      resource: grant.resource,
    });
  },
};
