import { organizationPrincipal } from '../../http/auth';
import type { App } from '../../http/context';
import { defineRoute, jsonResponse } from '../../http/openapi';
import { decodeCursor, toPage } from '../../http/pagination';
import { ProblemError } from '../../http/problem';
import { legalDay } from '../../lib/legal-day';
import { mintForDelegation } from '../consent/service';
import { toDelegation } from './mappers';
import { findDelegation, listDelegations } from './queries';
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

const TAG = 'Delegations';
const ONE = { 200: jsonResponse('The delegation.', DelegationSchema) };

const listDelegationsRoute = defineRoute({
  method: 'get',
  path: '/v1/delegations',
  operationId: 'listDelegations',
  tags: [TAG],
  summary: 'List delegations granted to the organisation',
  description:
    'Powers citizens have granted to the organisation, newest first, cursor-paginated; filter by `status` to find those still active.',
  auth: 'orgRead',
  request: { query: ListDelegationsQuery },
  responses: {
    200: jsonResponse('A page of delegations, oldest first.', DelegationPageSchema),
  },
});

const retrieveDelegationRoute = defineRoute({
  method: 'get',
  path: '/v1/delegations/{id}',
  operationId: 'retrieveDelegation',
  tags: [TAG],
  summary: 'Retrieve a delegation',
  description:
    'One delegation: the citizen, the scope (procedure types, subjects, capacities), its validity and, once ended, who ended it and when.',
  auth: 'orgRead',
  request: { params: DelegationParams },
  responses: ONE,
});

const renounceRoute = defineRoute({
  method: 'post',
  path: '/v1/delegations/{id}/renounce',
  operationId: 'renounceDelegation',
  tags: [TAG],
  summary: 'Renounce a delegation',
  description: 'The representative gives up the power; it ends at once.',
  auth: 'orgWrite',
  role: 'admin',
  request: {
    params: DelegationParams,
    body: { content: { 'application/json': { schema: RenounceDelegationBody } }, required: false },
  },
  problems: ['invalid_state_transition'],
  responses: ONE,
});

const mintRoute = defineRoute({
  method: 'post',
  path: '/v1/delegations/{id}/consent-tokens',
  operationId: 'createConsentToken',
  tags: [TAG],
  summary: 'Mint a consent token',
  description:
    "A short-lived JWS (EdDSA, 10 minutes by default) proving the citizen's consent, to send as `Puente-Consent`. " +
    "Every use is re-checked against the delegation in the database, so revocation takes effect on the very next request. Recorded in the citizen's access log.",
  auth: 'orgWrite',
  role: 'viewer',
  request: {
    params: DelegationParams,
    body: { content: { 'application/json': { schema: MintConsentTokenBody } }, required: false },
  },
  problems: ['delegation_inactive', 'scope_insufficient'],
  responses: { 201: jsonResponse('The token.', ConsentTokenSchema) },
});

export function registerDelegations(app: App): void {
  app.openapi(listDelegationsRoute, async (c) => {
    const principal = organizationPrincipal(c);
    const { limit, cursor, status } = c.req.valid('query');
    const after = cursor ? (decodeCursor('delegations', cursor, 2) as [string, string]) : undefined;
    const rows = await listDelegations(c.get('sql'), {
      organizationId: principal.organizationId,
      livemode: principal.livemode,
      status,
      after,
      limit,
      today: legalDay(c.get('deps').clock.now()),
    });
    return c.json(
      toPage(rows, limit, 'delegations', (r) => [r.created_at.toISOString(), r.id], toDelegation),
      200,
    );
  });

  app.openapi(retrieveDelegationRoute, async (c) => {
    const principal = organizationPrincipal(c);
    const row = await findDelegation(
      c.get('sql'),
      { id: c.req.valid('param').id, organizationId: principal.organizationId, livemode: principal.livemode },
      legalDay(c.get('deps').clock.now()),
    );
    if (!row) throw new ProblemError('not_found', 'No such delegation.');
    return c.json(toDelegation(row), 200);
  });

  app.openapi(renounceRoute, async (c) => {
    const principal = organizationPrincipal(c);
    const id = c.req.valid('param').id;
    // The body is optional: without a JSON content type the validator leaves it unset.
    const reason = (c.req.valid('json') as { reason?: string } | undefined)?.reason ?? null;
    const now = c.get('deps').clock.now();
    return c.json(toDelegation(await renounceDelegation(c.get('sql'), principal, id, reason, now)), 200);
  });

  app.openapi(mintRoute, async (c) => {
    const principal = organizationPrincipal(c);
    const { config, signingKeys, clock } = c.get('deps');
    const body = (c.req.valid('json') as Record<string, never> | undefined) ?? {};
    const { token, claims } = await mintForDelegation(
      { sql: c.get('sql'), config, keys: signingKeys, requestId: c.get('requestId') },
      principal,
      c.req.valid('param').id,
      body,
      clock.now(),
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
