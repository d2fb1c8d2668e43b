import type { Config } from '../../config';
import type { Sql } from '../../db/sql';
import { transaction } from '../../db/sql';
import { organizationSuspended } from '../../http/auth';
import { fieldProblem, ProblemError } from '../../http/problem';
import { ensureCitizen } from '../../http/queries';
import { addDays, addMonths } from '../../lib/dates';
import { newId } from '../../lib/ids';
import { legalDay, legalDayStart } from '../../lib/legal-day';
import { queueRequestAviso } from '../avisos/service';
import { insertDelegation } from '../delegations/queries';
import { coveredTypes, normalizeScope, type Scope, SCOPE_VERSION, scopeKey } from '../delegations/scope';
import { emit } from '../events/emit';
import { findOrganizationForShare, type OrganizationRow } from '../organizations/queries';
import { notPractising } from '../organizations/service';
import {
  cancelPendingRequestsOfOrganization,
  type DelegationRequestRow,
  endDelegationRequest,
  expireRequest,
  findPendingDuplicate,
  insertDelegationRequest,
  lockDelegationRequest,
  writtenDelegationRequest,
} from './queries';

const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTVWXYZ23456789';

/** Eight characters without look-alikes (0/O, 1/I/L), grouped for reading aloud. */
export function humanCode(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  const chars = [...bytes].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4)}`;
}

export interface NewRequestInput {
  citizen: { id_number: string; name?: string; contact?: string };
  scope: Scope;
  valid_until: string;
  message?: string;
}

/** A power lasts at most 5 years (Ley 39/2015, art. 6). */
export function checkValidity(validUntil: string, today: string): void {
  if (validUntil <= today) throw fieldProblem('/valid_until', 'Must be a date after today.');
  const limit = addMonths(today, 60);
  if (validUntil > limit)
    throw fieldProblem('/valid_until', `A delegation lasts at most 5 years: the latest possible end is ${limit}.`);
}

/**
 * When a request stops waiting for the citizen: after the configured time, and no later than the
 * end of its `valid_until` (a Madrid day), so a request is never accepted into a delegation that
 * has already ended.
 */
function requestExpiry(config: Config, validUntil: string, now: Date): Date {
  const waited = now.getTime() + config.delegationRequestTtlDays * 86_400_000;
  return new Date(Math.min(waited, legalDayStart(addDays(validUntil, 1)).getTime()));
}

/**
 * An organisation may ask citizens for delegations while it is not suspended and practises: a
 * request it could not turn into a delegation is not sent. Asked of a single request and of a batch
 * as it is received, before any of its rows is kept.
 */
export function checkMayRequest(organization: Pick<OrganizationRow, 'status' | 'practising'> | undefined): void {
  if (organization?.status === 'suspended') throw organizationSuspended();
  if (organization?.practising === false) throw notPractising();
}

export async function createDelegationRequest(
  sql: Sql,
  config: Config,
  actor: { organizationId: string; memberId: string; livemode: boolean },
  input: NewRequestInput,
  now: Date,
): Promise<DelegationRequestRow> {
  checkValidity(input.valid_until, legalDay(now));
  const scope = normalizeScope(input.scope);
  const key = scopeKey(scope);
  return transaction(sql, async (tx) => {
    // The organisation share-locked, as an acceptance takes it: a suspension updates its row before
    // it cancels the organisation's pending requests, so it either committed before (and refuses
    // this one here) or waits for this request to commit and then cancels it too. A request that
    // could never be accepted is not sent to the citizen.
    checkMayRequest(await findOrganizationForShare(tx, actor.organizationId));
    // The name the firm gives stays on the request; the citizen's own is the identity provider's.
    const citizenId = await ensureCitizen(tx, input.citizen.id_number, null, now);
    const row = {
      id: newId('dlr'),
      organization_id: actor.organizationId,
      livemode: actor.livemode,
      citizen_id: citizenId,
      citizen_name: input.citizen.name ?? null,
      citizen_contact: input.citizen.contact ?? null,
      scope,
      scope_key: key,
      scope_version: SCOPE_VERSION,
      valid_until: input.valid_until,
      message: input.message ?? null,
      code: humanCode(),
      created_at: now,
      created_by_member_id: actor.memberId,
      expires_at: requestExpiry(config, input.valid_until, now),
    };
    if (await insertDelegationRequest(tx, row)) {
      await queueRequestAviso(tx, row.id, now);
      return writtenDelegationRequest(tx, row.id, now);
    }
    const duplicate = await findPendingDuplicate(tx, {
      organizationId: actor.organizationId,
      livemode: actor.livemode,
      citizenId,
      scopeKey: key,
      now,
    });
    if (duplicate?.expired) {
      await expireWithEvent(tx, duplicate.id);
      if (await insertDelegationRequest(tx, row)) {
        await queueRequestAviso(tx, row.id, now);
        return writtenDelegationRequest(tx, row.id, now);
      }
    }
    throw new ProblemError(
      'duplicate',
      `A pending request for this citizen and scope already exists: ${duplicate?.id}.`,
      {
        extensions: { existing_id: duplicate?.id ?? null },
      },
    );
  });
}

/** Closes a request whose time ran out and records `delegation_request.expired` (once, whoever notices first). */
export async function expireWithEvent(tx: Sql, id: string): Promise<void> {
  const expired = await expireRequest(tx, id);
  if (expired) {
    await emit(tx, {
      organizationId: expired.organization_id,
      livemode: expired.livemode,
      type: 'delegation_request.expired',
      data: { delegation_request_id: id, status: 'expired' },
      at: expired.expires_at,
      dedupeKey: `delegation_request.expired:${id}`,
    });
  }
}

function requestExpired(): ProblemError {
  return new ProblemError(
    'delegation_request_expired',
    'The request expired before it was answered; ask for a new one.',
  );
}

async function lockPending(tx: Sql, id: string, now: Date): Promise<{ organization_id: string; livemode: boolean }> {
  const current = await lockDelegationRequest(tx, id);
  if (!current) throw new ProblemError('not_found', 'No such delegation request.');
  if (current.status === 'pending' && current.expires_at <= now) {
    await expireWithEvent(tx, id);
    throw requestExpired();
  }
  if (current.status !== 'pending') {
    throw new ProblemError('invalid_state_transition', `The request is already ${current.status}.`, {
      extensions: { current_state: current.status, allowed_from: ['pending'] },
    });
  }
  return current;
}

/** Where a refused acceptance points when the `withdraw` capacity was not confirmed. */
export const CONFIRM_WITHDRAW_POINTER = '/confirm_withdraw';

/**
 * Desisting from an application or renouncing a right (`withdraw`) needs the citizen's express
 * consent (Ley 39/2015, art. 5.3): a request that asks for it is accepted only with that capacity
 * confirmed on its own, apart from the rest of the scope.
 */
export function needsWithdrawConfirmation(scope: Pick<Scope, 'capacities'>): boolean {
  return scope.capacities.includes('withdraw');
}

function checkWithdrawConfirmed(scope: Scope, confirmed: boolean): void {
  if (needsWithdrawConfirmation(scope) && !confirmed) {
    const detail =
      "The request includes the withdraw capacity (desisting from or renouncing applications on the citizen's behalf), which needs its own express consent: send `confirm_withdraw: true`.";
    throw new ProblemError('unprocessable', detail, {
      errors: [{ pointer: CONFIRM_WITHDRAW_POINTER, in: 'body', detail }],
    });
  }
}

/**
 * The citizen (or, in test mode, the sandbox playing them) accepts: the request becomes a
 * delegation. `confirmWithdraw` is the citizen's separate, express consent to the `withdraw`
 * capacity, needed when the request asks for it.
 */
export async function acceptDelegationRequest(
  sql: Sql,
  request: Pick<DelegationRequestRow, 'id' | 'organization_id' | 'citizen_id' | 'livemode' | 'scope' | 'valid_until'>,
  now: Date,
  confirmWithdraw: boolean,
): Promise<DelegationRequestRow> {
  const args = {
    requestId: request.id,
    organizationId: request.organization_id,
    citizenId: request.citizen_id,
    livemode: request.livemode,
    scope: request.scope,
    validUntil: request.valid_until,
    now,
  };
  return transaction(sql, async (tx) => {
    // The organisation first, share-locked: a suspension updates its row before it ends the
    // organisation's delegations and requests, so it either committed before (and is seen here)
    // or waits for this acceptance to commit and then ends the delegation made here. Taken before
    // the request's lock, in the order a suspension takes them.
    const organization = await findOrganizationForShare(tx, args.organizationId);
    await lockPending(tx, args.requestId, args.now);
    // A delegation is never born ended: past its last day the request can no longer be accepted
    // (it expires with that day; this also holds for requests made before it did).
    const validFrom = legalDay(args.now);
    if (args.validUntil < validFrom) throw requestExpired();
    if (organization?.status === 'suspended') {
      throw new ProblemError('conflict', 'The organisation is suspended and cannot receive new delegations.');
    }
    if (organization?.practising === false) throw notPractising();
    checkWithdrawConfirmed(args.scope, confirmWithdraw);
    const delegationId = newId('dlg');
    await insertDelegation(tx, {
      id: delegationId,
      organization_id: args.organizationId,
      livemode: args.livemode,
      citizen_id: args.citizenId,
      request_id: args.requestId,
      scope: args.scope,
      scope_version: SCOPE_VERSION,
      procedure_types: coveredTypes(args.scope),
      capacities: args.scope.capacities,
      valid_from: validFrom,
      valid_until: args.validUntil,
      created_at: args.now,
    });
    await endDelegationRequest(tx, {
      id: args.requestId,
      status: 'accepted',
      by: 'citizen',
      memberId: null,
      delegationId,
      at: args.now,
    });
    await emit(tx, {
      organizationId: args.organizationId,
      livemode: args.livemode,
      type: 'delegation_request.accepted',
      data: { delegation_request_id: args.requestId, status: 'accepted', delegation_id: delegationId },
      at: args.now,
    });
    return writtenDelegationRequest(tx, args.requestId, args.now);
  });
}

/** Ends a pending request without a delegation and records why: the citizen said no, or the organisation withdrew it. */
async function endPending(
  sql: Sql,
  requestId: string,
  end: { status: 'rejected' | 'cancelled'; by: 'citizen' | 'organization'; memberId: string | null },
  now: Date,
): Promise<DelegationRequestRow> {
  return transaction(sql, async (tx) => {
    const request = await lockPending(tx, requestId, now);
    await endDelegationRequest(tx, { id: requestId, ...end, delegationId: null, at: now });
    await emit(tx, {
      organizationId: request.organization_id,
      livemode: request.livemode,
      type: `delegation_request.${end.status}`,
      data: { delegation_request_id: requestId, status: end.status },
      at: now,
    });
    return writtenDelegationRequest(tx, requestId, now);
  });
}

/**
 * A suspended organisation's pending requests end with its suspension, in its transaction: each
 * cancelled by the platform (`ended_by: system`) and announced as `delegation_request.cancelled`.
 */
export async function cancelRequestsOfSuspended(tx: Sql, organizationId: string, now: Date): Promise<void> {
  for (const request of await cancelPendingRequestsOfOrganization(tx, organizationId, now)) {
    await emit(tx, {
      organizationId,
      livemode: request.livemode,
      type: 'delegation_request.cancelled',
      data: { delegation_request_id: request.id, status: 'cancelled' },
      at: now,
    });
  }
}

export function rejectDelegationRequest(sql: Sql, requestId: string, now: Date): Promise<DelegationRequestRow> {
  return endPending(sql, requestId, { status: 'rejected', by: 'citizen', memberId: null }, now);
}

/**
 * The citizen's answer to a pending request: from their pages, the API, or the sandbox playing
 * them. An acceptance says whether the `withdraw` capacity was expressly confirmed.
 */
export function answerDelegationRequest(
  sql: Sql,
  request: DelegationRequestRow,
  answer: { accept: true; confirmWithdraw: boolean } | 'reject',
  now: Date,
): Promise<DelegationRequestRow> {
  return answer === 'reject'
    ? rejectDelegationRequest(sql, request.id, now)
    : acceptDelegationRequest(sql, request, now, answer.confirmWithdraw);
}

export function cancelDelegationRequest(
  sql: Sql,
  requestId: string,
  memberId: string,
  now: Date,
): Promise<DelegationRequestRow> {
  return endPending(sql, requestId, { status: 'cancelled', by: 'organization', memberId }, now);
}
