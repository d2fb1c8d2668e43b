import type { z } from '@hono/zod-openapi';
import type { Context } from 'hono';

import type { Owner } from '../../db/fragments';
import { organizationPrincipal, settleDeferredKey } from '../../http/auth';
import type { App, AppEnv } from '../../http/context';
import { created, get, ok, optionalJsonBody, post, routesOf } from '../../http/openapi';
import { createdPage } from '../../http/pagination';
import { ProblemError } from '../../http/problem';
import { legalDay } from '../../lib/legal-day';
import { mintForDelegation } from '../consent/service';
import { toDelegation } from './mappers';
import { findDelegation, findDelegationScope, listDelegations } from './queries';
import {
  ConsentTokenSchema,
  DelegationPageSchema,
  DelegationParams,
  DelegationSchema,
  ListDelegationsQuery,
  MintConsentTokenBody,
  RenounceDelegationBody,
} from './schemas';
import { renounceDelegation } from './service';

const routes = routesOf('Delegations', {
  listDelegations: get('/v1/delegations', {
    operationId: 'listDelegations',
    summary: 'List delegations granted to the organisation',
    description:
      'Powers citizens have granted to the organisation, oldest first (the order they were granted), cursor-paginated; filter by `status` to find those still active.',
    auth: 'orgRead',
    query: ListDelegationsQuery,
    responses: ok('A page of delegations, oldest first.', DelegationPageSchema),
  }),
  retrieveDelegation: get('/v1/delegations/{id}', {
    operationId: 'retrieveDelegation',
    summary: 'Retrieve a delegation',
    description:
      'One delegation: the citizen, the scope (procedure types, subjects, capacities), its validity and, once ended, who ended it and when.',
    auth: 'orgRead',
    params: DelegationParams,
    responses: ok('The delegation.', DelegationSchema),
  }),
  renounce: post('/v1/delegations/{id}/renounce', {
    operationId: 'renounceDelegation',
    summary: 'Renounce a delegation',
    description: 'The representative gives up the power; it ends at once.',
    auth: 'orgWrite',
    role: 'admin',
    params: DelegationParams,
    body: optionalJsonBody(RenounceDelegationBody),
    problems: ['invalid_state_transition'],
    responses: ok('The delegation.', DelegationSchema),
  }),
  mint: post('/v1/delegations/{id}/consent-tokens', {
    operationId: 'createConsentToken',
    summary: 'Mint a consent token',
    description:
      "A short-lived JWS (EdDSA, 10 minutes by default) proving the citizen's consent, to send as `Puente-Consent`. " +
      "Every use is re-checked against the delegation in the database, so revocation takes effect on the very next request. Recorded in the citizen's access log.",
    auth: 'orgWriteKeyInHandler',
    role: 'viewer',
    params: DelegationParams,
    body: optionalJsonBody(MintConsentTokenBody),
    problems: ['organization_not_practising', 'delegation_inactive', 'scope_insufficient'],
    responses: created('The token.', ConsentTokenSchema),
  }),
});

/** A page of delegations, the organisation's or a citizen's (`list` names the cursor). */
export function delegationPage(
  c: Context<AppEnv>,
  who: Owner,
  { status, ...query }: z.infer<typeof ListDelegationsQuery>,
  list: 'delegations' | 'my_delegations',
) {
  const today = legalDay(c.get('deps').clock.now());
  return createdPage(list, query, (p) => listDelegations(c.get('sql'), { ...who, status, today, ...p }), toDelegation);
}

export function registerDelegations(app: App): void {
  app.openapi(routes.listDelegations, async (c) => {
    const { organizationId, livemode } = organizationPrincipal(c);
    return c.json(await delegationPage(c, { organizationId, livemode }, c.req.valid('query'), 'delegations'), 200);
  });

  app.openapi(routes.retrieveDelegation, async (c) => {
    const principal = organizationPrincipal(c);
    const row = await findDelegation(
      c.get('sql'),
      { id: c.req.valid('param').id, organizationId: principal.organizationId, livemode: principal.livemode },
      legalDay(c.get('deps').clock.now()),
    );
    if (!row) throw new ProblemError('not_found', 'No such delegation.');
    return c.json(toDelegation(row), 200);
  });

  app.openapi(routes.renounce, async (c) => {
    const principal = organizationPrincipal(c);
    const id = c.req.valid('param').id;
    // The body is optional: without a JSON content type the validator leaves it unset.
    const reason = (c.req.valid('json') as { reason?: string } | undefined)?.reason ?? null;
    const now = c.get('deps').clock.now();
    return c.json(toDelegation(await renounceDelegation(c.get('sql'), principal, id, reason, now)), 200);
  });

  app.openapi(routes.mint, async (c) => {
    const { config, signingKeys, clock, accessLog, logger } = c.get('deps');
    const now = clock.now();
    const caller = c.get('caller')!;
    // Without an Idempotency-Key the key is settled in the statement that reads the delegation.
    const read = await findDelegationScope(c.get('sql'), caller, c.req.valid('param').id, legalDay(now));
    const principal = 'lookup' in caller ? settleDeferredKey(c, caller, read.principal) : caller.principal;
    const body = (c.req.valid('json') as Record<string, never> | undefined) ?? {};
    const { token, claims } = await mintForDelegation(
      { sql: c.get('sql'), config, keys: signingKeys, requestId: c.get('requestId'), accessLog, logger },
      principal,
      read.delegation,
      body,
      now,
    );
    return c.json(
      {
        object: 'consent_token' as const,
        token,
        token_id: claims.jti,
        delegation_id: claims.dlg,
        expires_at: new Date(claims.exp * 1000).toISOString(),
        authorization_details: claims.authorization_details,
      },
      201,
    );
  });
}
