import { organizationPrincipal } from '../../http/auth';
import type { App } from '../../http/context';
import { created, del, get, ok, post, routesOf } from '../../http/openapi';
import { createdPage } from '../../http/pagination';
import { ProblemError } from '../../http/problem';
import { toMember } from './mappers';
import { findMember, listMembers } from './queries';
import { CreateMemberBody, ListMembersQuery, MemberPageSchema, MemberParams, MemberSchema } from './schemas';
import { addMember, removeMember } from './service';

const routes = routesOf('Members', {
  createMember: post('/v1/members', {
    operationId: 'createMember',
    summary: 'Add a member',
    description: 'Adds a professional of the organisation. Needs the admin or owner role.',
    auth: 'orgWrite',
    role: 'admin',
    body: CreateMemberBody,
    problems: ['duplicate'],
    responses: created('The new member.', MemberSchema),
  }),
  list: get('/v1/members', {
    operationId: 'listMembers',
    summary: 'List members',
    description:
      'The professionals registered in the organisation, oldest first (the order they were added), cursor-paginated. Filter by `status` to see active or removed members.',
    auth: 'orgRead',
    query: ListMembersQuery,
    responses: ok('A page of members, oldest first.', MemberPageSchema),
  }),
  retrieve: get('/v1/members/{id}', {
    operationId: 'retrieveMember',
    summary: 'Retrieve a member',
    description: 'One member of the organisation by id. Members of other organisations are answered as `not_found`.',
    auth: 'orgRead',
    params: MemberParams,
    responses: ok('The member.', MemberSchema),
  }),
  delete: del('/v1/members/{id}', {
    operationId: 'deleteMember',
    summary: 'Remove a member',
    description:
      "The member can no longer act; every key bound to them is revoked at once. The record stays, for the audit trail. Needs a role above the member's: the owner removes admins, an admin removes agents and viewers.",
    auth: 'orgWrite',
    role: 'admin',
    params: MemberParams,
    problems: ['conflict'],
    responses: ok('The removed member.', MemberSchema),
  }),
});

export function registerMembers(app: App): void {
  app.openapi(routes.createMember, async (c) => {
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

  app.openapi(routes.list, async (c) => {
    const principal = organizationPrincipal(c);
    const { status, ...query } = c.req.valid('query');
    const page = await createdPage(
      'members',
      query,
      (p) => listMembers(c.get('sql'), { organizationId: principal.organizationId, status, ...p }),
      toMember,
    );
    return c.json(page, 200);
  });

  app.openapi(routes.retrieve, async (c) => {
    const principal = organizationPrincipal(c);
    const row = await findMember(c.get('sql'), principal.organizationId, c.req.valid('param').id);
    if (!row) throw new ProblemError('not_found', 'No such member.');
    return c.json(toMember(row), 200);
  });

  app.openapi(routes.delete, async (c) => {
    const principal = organizationPrincipal(c);
    const row = await removeMember(c.get('sql'), {
      organizationId: principal.organizationId,
      actorMemberId: principal.memberId,
      actorRole: principal.role,
      memberId: c.req.valid('param').id,
      now: c.get('deps').clock.now(),
    });
    return c.json(toMember(row), 200);
  });
}
