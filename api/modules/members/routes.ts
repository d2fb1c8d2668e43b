import { organizationPrincipal } from '../../http/auth';
import type { App } from '../../http/context';
import { defineRoute, jsonBody, jsonResponse } from '../../http/openapi';
import { decodeCursor, toPage } from '../../http/pagination';
import { ProblemError } from '../../http/problem';
import { toMember } from './mappers';
import { findMember, listMembers } from './queries';
import { CreateMemberBody, ListMembersQuery, MemberPageSchema, MemberParams, MemberSchema } from './schemas';
import { addMember, removeMember } from './service';

const createMemberRoute = defineRoute({
  method: 'post',
  path: '/v1/members',
  operationId: 'createMember',
  tags: ['Members'],
  summary: 'Add a member',
  description: 'Adds a professional of the organisation. Needs the admin or owner role.',
  auth: 'orgWrite',
  role: 'admin',
  request: { body: jsonBody(CreateMemberBody) },
  problems: ['duplicate', 'idempotency_conflict', 'idempotency_in_flight'],
  responses: { 201: jsonResponse('The new member.', MemberSchema) },
});

const listRoute = defineRoute({
  method: 'get',
  path: '/v1/members',
  operationId: 'listMembers',
  tags: ['Members'],
  summary: 'List members',
  description:
    'The professionals registered in the organisation, newest first, cursor-paginated. Filter by `status` to see active or removed members.',
  auth: 'orgRead',
  request: { query: ListMembersQuery },
  responses: {
    200: jsonResponse('A page of members, oldest first.', MemberPageSchema),
  },
});

const retrieveRoute = defineRoute({
  method: 'get',
  path: '/v1/members/{id}',
  operationId: 'retrieveMember',
  tags: ['Members'],
  summary: 'Retrieve a member',
  description: 'One member of the organisation by id. Members of other organisations are answered as `not_found`.',
  auth: 'orgRead',
  request: { params: MemberParams },
  responses: { 200: jsonResponse('The member.', MemberSchema) },
});

const deleteRoute = defineRoute({
  method: 'delete',
  path: '/v1/members/{id}',
  operationId: 'deleteMember',
  tags: ['Members'],
  summary: 'Remove a member',
  description:
    'The member can no longer act; every key bound to them is revoked at once. The record stays, for the audit trail.',
  auth: 'orgWrite',
  role: 'admin',
  request: { params: MemberParams },
  problems: ['conflict'],
  responses: { 200: jsonResponse('The removed member.', MemberSchema) },
});

export function registerMembers(app: App): void {
  app.openapi(createMemberRoute, async (c) => {
    const principal = organizationPrincipal(c);
    const body = c.req.valid('json');
    const row = await addMember(c.get('sql'), {
      organizationId: principal.organizationId,
      actorMemberId: principal.memberId,
      name: body.name,
      idNumber: body.id_number,
      email: body.email,
      role: body.role,
      colegioNumber: body.colegio_number,
      now: c.get('deps').clock.now(),
    });
    return c.json(toMember(row), 201);
  });

  app.openapi(listRoute, async (c) => {
    const principal = organizationPrincipal(c);
    const { limit, cursor, status } = c.req.valid('query');
    const after = cursor ? (decodeCursor('members', cursor, 2) as [string, string]) : undefined;
    const rows = await listMembers(c.get('sql'), { organizationId: principal.organizationId, status, after, limit });
    return c.json(
      toPage(rows, limit, 'members', (r) => [r.created_at.toISOString(), r.id], toMember),
      200,
    );
  });

  app.openapi(retrieveRoute, async (c) => {
    const principal = organizationPrincipal(c);
    const row = await findMember(c.get('sql'), principal.organizationId, c.req.valid('param').id);
    if (!row) throw new ProblemError('not_found', 'No such member.');
    return c.json(toMember(row), 200);
  });

  app.openapi(deleteRoute, async (c) => {
    const principal = organizationPrincipal(c);
    const row = await removeMember(c.get('sql'), {
      organizationId: principal.organizationId,
      actorMemberId: principal.memberId,
      memberId: c.req.valid('param').id,
      now: c.get('deps').clock.now(),
    });
    return c.json(toMember(row), 200);
  });
}
