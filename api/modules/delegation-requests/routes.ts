import type { Context } from 'hono';

import { organizationPrincipal } from '../../http/auth';
import type { App, AppEnv } from '../../http/context';
import { created, get, ok, post, routesOf } from '../../http/openapi';
import { CREATED_KEY, decodeCursor, toPage } from '../../http/pagination';
import { ProblemError } from '../../http/problem';
import { toDelegationRequest } from './mappers';
import { type DelegationRequestRow, findDelegationRequest, listDelegationRequests } from './queries';
import {
  CreateDelegationRequestBody,
  DelegationRequestPageSchema,
  DelegationRequestParams,
  DelegationRequestSchema,
  ListDelegationRequestsQuery,
  REQUEST_STATUSES,
} from './schemas';
import { answerDelegationRequest, cancelDelegationRequest, createDelegationRequest } from './service';

const routes = routesOf('Delegation requests', {
  createRequest: post('/v1/delegation-requests', {
    operationId: 'createDelegationRequest',
    summary: 'Ask a citizen for a delegation',
    description:
      'The citizen gets an approval link and a short code; they sign in, see who asks and for what, and accept or reject. ' +
      'Expires if not answered (21 days by default), and at the latest when its `valid_until` day ends (Europe/Madrid): a request is never accepted into a delegation that has already ended. A pending request for the same citizen and scope answers 409 with its id. An organisation registered as a non-practising professional may not represent anyone, so its requests are refused with 403 `organization_not_practising`.',
    auth: 'orgWrite',
    body: CreateDelegationRequestBody,
    problems: ['duplicate', 'organization_not_practising'],
    responses: created('The pending request.', DelegationRequestSchema),
  }),
  listRequests: get('/v1/delegation-requests', {
    operationId: 'listDelegationRequests',
    summary: 'List delegation requests',
    description:
      'Requests the organisation has sent to citizens, oldest first (the order they were made), cursor-paginated; filter by `status` (pending, accepted, rejected, expired, cancelled).',
    auth: 'orgRead',
    query: ListDelegationRequestsQuery,
    responses: ok('A page of requests, oldest first.', DelegationRequestPageSchema),
  }),
  retrieveRequest: get('/v1/delegation-requests/{id}', {
    operationId: 'retrieveDelegationRequest',
    summary: 'Retrieve a delegation request',
    description:
      'One delegation request with its status, the scope asked for, and the delegation it became once accepted.',
    auth: 'orgRead',
    params: DelegationRequestParams,
    responses: ok('The delegation request.', DelegationRequestSchema),
  }),
  cancelRequest: post('/v1/delegation-requests/{id}/cancel', {
    operationId: 'cancelDelegationRequest',
    summary: 'Cancel a pending delegation request',
    description:
      'Withdraws a request the citizen has not answered yet. Only `pending` requests can be cancelled; otherwise 409 names the current state. Emits `delegation_request.cancelled`.',
    auth: 'orgWrite',
    params: DelegationRequestParams,
    problems: ['invalid_state_transition', 'delegation_request_expired'],
    responses: ok('The delegation request.', DelegationRequestSchema),
  }),
});

/** The citizen's answer to a request (by the citizen, or the sandbox playing them), as the API returns it. */
export async function answeredRequest(
  c: Context<AppEnv>,
  request: DelegationRequestRow,
  answer: Parameters<typeof answerDelegationRequest>[2],
) {
  const answered = await answerDelegationRequest(c.get('sql'), request, answer, c.get('deps').clock.now());
  return toDelegationRequest(answered, c.get('deps').config.baseUrl);
}

/** A page of delegation requests, the organisation's or a citizen's (`object` names the cursor). */
export async function requestPage(
  c: Context<AppEnv>,
  who: { organizationId?: string; livemode?: boolean; citizenId?: string },
  query: { limit: number; cursor?: string; status?: (typeof REQUEST_STATUSES)[number] },
  object: 'delegation_requests' | 'my_delegation_requests',
) {
  const after = query.cursor ? decodeCursor(object, query.cursor, CREATED_KEY) : undefined;
  const rows = await listDelegationRequests(c.get('sql'), {
    ...who,
    status: query.status,
    after,
    limit: query.limit,
    now: c.get('deps').clock.now(),
  });
  const baseUrl = c.get('deps').config.baseUrl;
  return toPage(
    rows,
    query.limit,
    object,
    (r) => [r.created_at.toISOString(), r.id],
    (r) => toDelegationRequest(r, baseUrl),
  );
}

export function registerDelegationRequests(app: App): void {
  app.openapi(routes.createRequest, async (c) => {
    const principal = organizationPrincipal(c);
    const { config, clock } = c.get('deps');
    const now = clock.now();
    const sql = c.get('sql');
    const row = await createDelegationRequest(sql, config, principal, c.req.valid('json'), now);
    return c.json(toDelegationRequest(row, config.baseUrl), 201);
  });

  app.openapi(routes.listRequests, async (c) => {
    const principal = organizationPrincipal(c);
    const who = { organizationId: principal.organizationId, livemode: principal.livemode };
    return c.json(await requestPage(c, who, c.req.valid('query'), 'delegation_requests'), 200);
  });

  app.openapi(routes.retrieveRequest, async (c) => {
    const principal = organizationPrincipal(c);
    const row = await findDelegationRequest(
      c.get('sql'),
      { id: c.req.valid('param').id, organizationId: principal.organizationId, livemode: principal.livemode },
      c.get('deps').clock.now(),
    );
    if (!row) throw new ProblemError('not_found', 'No such delegation request.');
    return c.json(toDelegationRequest(row, c.get('deps').config.baseUrl), 200);
  });

  app.openapi(routes.cancelRequest, async (c) => {
    const principal = organizationPrincipal(c);
    const sql = c.get('sql');
    const now = c.get('deps').clock.now();
    const where = {
      id: c.req.valid('param').id,
      organizationId: principal.organizationId,
      livemode: principal.livemode,
    };
    if (!(await findDelegationRequest(sql, where, now)))
      throw new ProblemError('not_found', 'No such delegation request.');
    const row = await cancelDelegationRequest(sql, where.id, principal.memberId, now);
    return c.json(toDelegationRequest(row, c.get('deps').config.baseUrl), 200);
  });
}
