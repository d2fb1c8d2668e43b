import type { Context } from 'hono';
import type { App, AppEnv } from '../../http/context';
import { defineRoute } from '../../http/openapi';
import { decodeCursor, toPage } from '../../http/pagination';
import { ProblemError } from '../../http/problem';
import { legalDay } from '../../lib/legal-day';
import { DelegationRequestPageSchema, DelegationRequestParams, DelegationRequestSchema, ListDelegationRequestsQuery } from '../delegation-requests/schemas';
import { findDelegationRequest, listDelegationRequests } from '../delegation-requests/queries';
import { acceptDelegationRequest, rejectDelegationRequest } from '../delegation-requests/service';
import { toDelegationRequest } from '../delegation-requests/mappers';
import { DelegationPageSchema, DelegationParams, DelegationSchema, ListDelegationsQuery } from '../delegations/schemas';
import { findDelegation, listDelegations } from '../delegations/queries';
import { revokeDelegation } from '../delegations/service';
import { toDelegation } from '../delegations/mappers';
import { AccessLogPageSchema, ListAccessLogQuery } from '../access-log/schemas';
import { listAccessLog } from '../access-log/queries';
import { toAccessLogEntry } from '../access-log/mappers';
import { citizenPrincipal } from '../../http/auth';
import { ProcedureParams, ProcedurePageSchema, TimelineSchema } from '../procedures/schemas';
import { findProcedure, listCitizenProcedures } from '../procedures/queries';
import { toProcedure, toTimeline } from '../procedures/mappers';
import { listTimeline } from '../procedures/timeline.queries';
import { paginationQuery } from '../../http/pagination';
import { z } from '@hono/zod-openapi';

const TAG = 'Citizen';
const PROBLEMS = ['citizen_token_invalid'] as const;

/** Citizens see live requests; outside production also test-mode ones, so the sandbox flow can be tried by hand. */
export function citizenLivemodeFilter(c: Context<AppEnv>): boolean | undefined {
  return c.get('deps').config.env === 'production' ? true : undefined;
}

const listMyRequests = defineRoute({
  method: 'get',
  path: '/v1/me/delegation-requests',
  operationId: 'listMyDelegationRequests',
  tags: [TAG],
  summary: 'Requests addressed to me',
  description: 'For the signed-in citizen: the delegation requests organisations have addressed to them, newest first, so they can accept or reject them.',
  auth: 'citizenRead',
  request: { query: ListDelegationRequestsQuery },
  problems: [...PROBLEMS, 'invalid_cursor'],
  responses: { 200: { description: 'A page of requests for the signed-in citizen.', content: { 'application/json': { schema: DelegationRequestPageSchema } } } },
});

const acceptMyRequest = defineRoute({
  method: 'post',
  path: '/v1/me/delegation-requests/{id}/accept',
  operationId: 'acceptMyDelegationRequest',
  tags: [TAG],
  summary: 'Accept a request: grant the delegation',
  description: 'For the signed-in citizen: accepts a pending request and grants the delegation with the scope asked for. Emits `delegation_request.accepted` to the organisation.',
  auth: 'citizenWrite',
  request: { params: DelegationRequestParams },
  problems: [...PROBLEMS, 'not_found', 'invalid_state_transition', 'delegation_request_expired', 'conflict'],
  responses: { 200: { description: 'The accepted request; `delegation_id` names the new delegation.', content: { 'application/json': { schema: DelegationRequestSchema } } } },
});

const rejectMyRequest = defineRoute({
  method: 'post',
  path: '/v1/me/delegation-requests/{id}/reject',
  operationId: 'rejectMyDelegationRequest',
  tags: [TAG],
  summary: 'Reject a request',
  description: 'For the signed-in citizen: turns down a pending request; no delegation is created. Emits `delegation_request.rejected` to the organisation.',
  auth: 'citizenWrite',
  request: { params: DelegationRequestParams },
  problems: [...PROBLEMS, 'not_found', 'invalid_state_transition', 'delegation_request_expired'],
  responses: { 200: { description: 'The rejected request.', content: { 'application/json': { schema: DelegationRequestSchema } } } },
});

const listMyDelegations = defineRoute({
  method: 'get',
  path: '/v1/me/delegations',
  operationId: 'listMyDelegations',
  tags: [TAG],
  summary: 'Delegations I have granted',
  description: 'For the signed-in citizen: every delegation they have granted, active or ended, with the organisation and scope, so they can review or revoke it.',
  auth: 'citizenRead',
  request: { query: ListDelegationsQuery },
  problems: [...PROBLEMS, 'invalid_cursor'],
  responses: { 200: { description: 'A page of delegations.', content: { 'application/json': { schema: DelegationPageSchema } } } },
});

const revokeMyDelegation = defineRoute({
  method: 'post',
  path: '/v1/me/delegations/{id}/revoke',
  operationId: 'revokeMyDelegation',
  tags: [TAG],
  summary: 'Revoke a delegation',
  description: 'Takes effect on the organisation\'s very next request: consent tokens minted before stop working at once.',
  auth: 'citizenWrite',
  request: { params: DelegationParams },
  problems: [...PROBLEMS, 'not_found', 'invalid_state_transition'],
  responses: { 200: { description: 'The revoked delegation.', content: { 'application/json': { schema: DelegationSchema } } } },
});

const myAccessLog = defineRoute({
  method: 'get',
  path: '/v1/me/access-log',
  operationId: 'listMyAccessLog',
  tags: [TAG],
  summary: 'Every access made on my behalf',
  description: 'Append-only: who (organisation and member) did what, when, under which delegation. Newest first.',
  auth: 'citizenRead',
  request: { query: ListAccessLogQuery },
  problems: [...PROBLEMS, 'invalid_cursor'],
  responses: { 200: { description: 'A page of access-log entries.', content: { 'application/json': { schema: AccessLogPageSchema } } } },
});

const listMyProcedures = defineRoute({
  method: 'get',
  path: '/v1/me/procedures',
  operationId: 'listMyProcedures',
  tags: [TAG],
  summary: 'Procedures filed on my behalf',
  description: 'For the signed-in citizen: the procedures organisations have filed on their behalf, with their status and deadlines.',
  auth: 'citizenRead',
  request: { query: z.object({ ...paginationQuery }).strict() },
  problems: [...PROBLEMS, 'invalid_cursor'],
  responses: { 200: { description: 'A page of procedures, oldest first.', content: { 'application/json': { schema: ProcedurePageSchema } } } },
});

const myProcedureTimeline = defineRoute({
  method: 'get',
  path: '/v1/me/procedures/{id}/timeline',
  operationId: 'listMyProcedureTimeline',
  tags: [TAG],
  summary: 'The timeline of one of my procedures',
  description: 'For the signed-in citizen: the full history of one of their procedures, as the organisation sees it.',
  auth: 'citizenRead',
  request: { params: ProcedureParams },
  problems: [...PROBLEMS, 'not_found'],
  responses: { 200: { description: 'Every change, oldest first.', content: { 'application/json': { schema: TimelineSchema } } } },
});

export async function myRequest(c: Context<AppEnv>, id: string) {
  const principal = citizenPrincipal(c);
  const row = await findDelegationRequest(c.get('sql'), { id, citizenId: principal.citizenId, livemode: citizenLivemodeFilter(c) }, c.get('deps').clock.now());
  if (!row) throw new ProblemError('not_found', 'No such delegation request.');
  return row;
}

export function registerCitizen(app: App): void {
  app.openapi(listMyRequests, async (c) => {
    const principal = citizenPrincipal(c);
    const { limit, cursor, status } = c.req.valid('query');
    const after = cursor ? (decodeCursor('my_delegation_requests', cursor, 2) as [string, string]) : undefined;
    const rows = await listDelegationRequests(c.get('sql'), {
      citizenId: principal.citizenId,
      livemode: citizenLivemodeFilter(c),
      status,
      after,
      limit,
      now: c.get('deps').clock.now(),
    });
    const baseUrl = c.get('deps').config.baseUrl;
    return c.json(toPage(rows, limit, 'my_delegation_requests', (r) => [r.created_at.toISOString(), r.id], (r) => toDelegationRequest(r, baseUrl)), 200);
  });

  app.openapi(acceptMyRequest, async (c) => {
    const row = await myRequest(c, c.req.valid('param').id);
    const now = c.get('deps').clock.now();
    await acceptDelegationRequest(c.get('sql'), row, now);
    return c.json(toDelegationRequest((await findDelegationRequest(c.get('sql'), { id: row.id }, now))!, c.get('deps').config.baseUrl), 200);
  });

  app.openapi(rejectMyRequest, async (c) => {
    const row = await myRequest(c, c.req.valid('param').id);
    const now = c.get('deps').clock.now();
    await rejectDelegationRequest(c.get('sql'), row.id, now);
    return c.json(toDelegationRequest((await findDelegationRequest(c.get('sql'), { id: row.id }, now))!, c.get('deps').config.baseUrl), 200);
  });

  app.openapi(listMyDelegations, async (c) => {
    const principal = citizenPrincipal(c);
    const { limit, cursor, status } = c.req.valid('query');
    const after = cursor ? (decodeCursor('my_delegations', cursor, 2) as [string, string]) : undefined;
    const rows = await listDelegations(c.get('sql'), {
      citizenId: principal.citizenId,
      livemode: citizenLivemodeFilter(c),
      status,
      after,
      limit,
      today: legalDay(c.get('deps').clock.now()),
    });
    return c.json(toPage(rows, limit, 'my_delegations', (r) => [r.created_at.toISOString(), r.id], toDelegation), 200);
  });

  app.openapi(revokeMyDelegation, async (c) => {
    const principal = citizenPrincipal(c);
    const id = c.req.valid('param').id;
    const now = c.get('deps').clock.now();
    await revokeDelegation(c.get('sql'), principal.citizenId, id, now);
    return c.json(toDelegation((await findDelegation(c.get('sql'), { id, citizenId: principal.citizenId }, legalDay(now)))!), 200);
  });

  app.openapi(listMyProcedures, async (c) => {
    const principal = citizenPrincipal(c);
    const { limit, cursor } = c.req.valid('query');
    const after = cursor ? (decodeCursor('my_procedures', cursor, 2) as [string, string]) : undefined;
    const rows = await listCitizenProcedures(c.get('sql'), { citizenId: principal.citizenId, livemode: citizenLivemodeFilter(c), after, limit });
    const today = legalDay(c.get('deps').clock.now());
    const cal = await c.get('deps').calendar.ensure(c.get('sql'));
    return c.json(toPage(rows, limit, 'my_procedures', (r) => [r.created_at.toISOString(), r.id], (r) => toProcedure(r, today, cal)), 200);
  });

  app.openapi(myProcedureTimeline, async (c) => {
    const principal = citizenPrincipal(c);
    const row = await findProcedure(c.get('sql'), { id: c.req.valid('param').id, citizenId: principal.citizenId, livemode: citizenLivemodeFilter(c) });
    if (!row) throw new ProblemError('not_found', 'No such procedure.');
    return c.json(toTimeline(await listTimeline(c.get('sql'), row.id)), 200);
  });

  app.openapi(myAccessLog, async (c) => {
    const principal = citizenPrincipal(c);
    const { limit, cursor, delegation_id } = c.req.valid('query');
    const before = cursor ? decodeCursor('my_access_log', cursor, 1)[0] : undefined;
    const rows = await listAccessLog(c.get('sql'), { citizenId: principal.citizenId, delegationId: delegation_id, before, limit });
    return c.json(toPage(rows, limit, 'my_access_log', (r) => [r.seq], toAccessLogEntry), 200);
  });
}
