import { z } from '@hono/zod-openapi';

import { organizationPrincipal } from '../../http/auth';
import type { App } from '../../http/context';
import { created, get, ok, post, routesOf } from '../../http/openapi';
import { ProblemError } from '../../http/problem';
import { toApiKey } from '../api-keys/mappers';
import { ApiKeyWithSecretSchema } from '../api-keys/schemas';
import { toMember } from '../members/mappers';
import { MemberSchema } from '../members/schemas';
import { toOrganization } from './mappers';
import { findOrganization } from './queries';
import { OrganizationSchema, RegisterOrganizationBody } from './schemas';
import { registerOrganization } from './service';

const RegistrationSchema = z
  .object({
    organization: OrganizationSchema,
    owner: MemberSchema,
    test_key: ApiKeyWithSecretSchema,
  })
  .openapi('OrganizationRegistration');

const routes = routesOf('Organization', {
  register: post('/v1/organizations', {
    operationId: 'registerOrganization',
    summary: 'Register a representative organisation',
    description:
      'Public sign-up. The organisation starts `pending_verification` and gets, once, a test-mode key to build its integration; live keys exist only after a platform administrator verifies it. Rate-limited per client address.',
    auth: 'publicWrite',
    body: RegisterOrganizationBody,
    problems: ['duplicate'],
    responses: created('Registered. Store `test_key.secret` now: it is never shown again.', RegistrationSchema),
  }),
  retrieve: get('/v1/organization', {
    operationId: 'retrieveOrganization',
    summary: "Retrieve the caller's organisation",
    description:
      'The representative organisation the API key belongs to: its NIF, verification state, and whether live mode is available.',
    auth: 'orgRead',
    responses: ok('The organisation of the API key.', OrganizationSchema),
  }),
});

export function registerOrganizations(app: App): void {
  app.openapi(routes.register, async (c) => {
    const input = c.req.valid('json');
    const { organization, owner, testKey } = await registerOrganization(c.get('sql'), input, c.get('deps').clock.now());
    return c.json(
      {
        organization: toOrganization(organization),
        owner: toMember(owner),
        test_key: { ...toApiKey(testKey.row), secret: testKey.secret },
      },
      201,
    );
  });

  app.openapi(routes.retrieve, async (c) => {
    const principal = organizationPrincipal(c);
    const row = await findOrganization(c.get('sql'), principal.organizationId);
    if (!row) throw new ProblemError('not_found');
    return c.json(toOrganization(row), 200);
  });
}
