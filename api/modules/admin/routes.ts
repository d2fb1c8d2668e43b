import { z } from '@hono/zod-openapi';

import type { App } from '../../http/context';
import { created, del, get, ok, post, routesOf } from '../../http/openapi';
import { createdPage } from '../../http/pagination';
import { ProblemError } from '../../http/problem';
import { toApiKey } from '../api-keys/mappers';
import { ApiKeyWithSecretSchema } from '../api-keys/schemas';
import { registerCalendarAdmin } from '../calendar/admin.routes';
import { toOrganization } from '../organizations/mappers';
import { listOrganizations } from '../organizations/queries';
import { OrganizationSchema } from '../organizations/schemas';
import { toAgencyKey } from './mappers';
import { listAgencyKeys, revokeAgencyKey } from './queries';
import {
  AgencyKeyPageSchema,
  AgencyKeyParams,
  AgencyKeySchema,
  AgencyKeyWithSecretSchema,
  CreateAgencyKeyBody,
  IssueOwnerKeyBody,
  ListAgencyKeysQuery,
  ListOrganizationsQuery,
  OrganizationPageSchema,
  OrganizationParams,
  SuspendOrganizationBody,
  VerifyOrganizationBody,
} from './schemas';
import {
  issueAgencyKey,
  issueOwnerRecoveryKey,
  reinstateOrganization,
  suspendOrganization,
  verifyOrganization,
} from './service';

const RotationSchema = z
  .object({
    object: z.literal('signing_key_rotation'),
    purpose: z.enum(['consent']),
    kid: z.string(),
    previous_kid_still_published: z.boolean(),
  })
  .openapi('SigningKeyRotation', {
    example: {
      object: 'signing_key_rotation',
      purpose: 'consent',
      kid: 'ck_20260302_aBcDeFgH',
      previous_kid_still_published: true,
    },
  });

const routes = routesOf('Admin', {
  listOrganizations: get('/v1/admin/organizations', {
    operationId: 'adminListOrganizations',
    summary: 'List organisations (platform administration)',
    description:
      'Platform administration: every registered organisation with its verification and suspension state, cursor-paginated.',
    auth: 'admin',
    query: ListOrganizationsQuery,
    responses: ok('A page of organisations, oldest first.', OrganizationPageSchema),
  }),
  verify: post('/v1/admin/organizations/{id}/verify', {
    operationId: 'adminVerifyOrganization',
    summary: 'Verify an organisation',
    description:
      'Records who checked which evidence, and when. Live keys become available. An organisation registered as non-practising (`professional_standing.practising: false`) cannot be verified: 422 `unprocessable` pointing at that field.',
    auth: 'admin',
    params: OrganizationParams,
    body: VerifyOrganizationBody,
    problems: ['invalid_state_transition', 'unprocessable'],
    responses: ok('The organisation.', OrganizationSchema),
  }),
  suspend: post('/v1/admin/organizations/{id}/suspend', {
    operationId: 'adminSuspendOrganization',
    summary: 'Suspend an organisation',
    description:
      'Every key of the organisation answers 403 `organization_suspended` from the next request on, and its delegations are suspended. ' +
      'Its pending delegation requests are cancelled with it (`ended_by: system`), each announced as `delegation_request.cancelled`, so no citizen is left asked to grant it a delegation.',
    auth: 'admin',
    params: OrganizationParams,
    body: SuspendOrganizationBody,
    problems: ['invalid_state_transition'],
    responses: ok('The organisation.', OrganizationSchema),
  }),
  reinstate: post('/v1/admin/organizations/{id}/reinstate', {
    operationId: 'adminReinstateOrganization',
    summary: 'Reinstate a suspended organisation',
    description: 'Keys work again. Suspended delegations stay suspended: citizens must grant them again.',
    auth: 'admin',
    params: OrganizationParams,
    problems: ['invalid_state_transition'],
    responses: ok('The organisation.', OrganizationSchema),
  }),
  ownerKey: post('/v1/admin/organizations/{id}/owner-keys', {
    operationId: 'adminIssueOwnerKey',
    summary: "Issue a key for an organisation's owner who lost every key",
    description:
      "Platform administration: keys are otherwise issued only with a key, so an owner who revoked or lost all of theirs cannot get back in. After checking the owner's identity, the administrator issues a key acting as the owner; `verified_by` and `note` are kept on the key, which the organisation sees in its list (`issued_by_platform`). The secret is shown once in the response. A live key needs a verified organisation.",
    auth: 'admin',
    params: OrganizationParams,
    body: IssueOwnerKeyBody,
    problems: ['live_mode_unavailable'],
    responses: created('The key, with its secret (shown once).', ApiKeyWithSecretSchema),
  }),
  agencyKey: post('/v1/admin/agency-keys', {
    operationId: 'adminCreateAgencyKey',
    summary: 'Issue an agency back-office key',
    description:
      "Platform administration: issues a back-office key for a managing body (`ak_live_…`). The key sees and acts on the procedures that body decides (`managing_body` on the procedure), in `region` when it is given; a regional body's (`CCAA`) key must name its community. The secret is shown once in the response.",
    auth: 'admin',
    body: CreateAgencyKeyBody,
    responses: created('The key, with its secret (shown once).', AgencyKeyWithSecretSchema),
  }),
  listAgencyKeys: get('/v1/admin/agency-keys', {
    operationId: 'adminListAgencyKeys',
    summary: 'List agency back-office keys',
    description:
      'Platform administration: every back-office key, revoked ones included, oldest first, cursor-paginated.',
    auth: 'admin',
    query: ListAgencyKeysQuery,
    responses: ok('A page of keys, oldest first.', AgencyKeyPageSchema),
  }),
  revokeAgencyKey: del('/v1/admin/agency-keys/{id}', {
    operationId: 'adminRevokeAgencyKey',
    summary: 'Revoke an agency back-office key',
    description:
      "Takes effect on the very next request, on every instance: the key answers 401 from then on. Revoking twice is harmless. The acts the key made keep naming it in the procedures' timelines.",
    auth: 'admin',
    params: AgencyKeyParams,
    responses: ok('The revoked key.', AgencyKeySchema),
  }),
  rotateKeys: post('/v1/admin/signing-keys/rotate', {
    operationId: 'adminRotateSigningKey',
    summary: 'Rotate the consent-token signing key',
    description:
      'New tokens are signed with a new Ed25519 key at once (other instances within a minute). The previous key stays published in the JWKS, so tokens already issued still verify.',
    auth: 'admin',
    responses: ok('The new key id.', RotationSchema),
  }),
});

/** Platform administration exists only when PUENTE_ADMIN_TOKEN is configured. */
export function registerAdmin(app: App): void {
  registerCalendarAdmin(app);
  app.openapi(routes.listOrganizations, async (c) => {
    const { status, ...query } = c.req.valid('query');
    const page = await createdPage(
      'admin_organizations',
      query,
      (p) => listOrganizations(c.get('sql'), { status, ...p }),
      toOrganization,
    );
    return c.json(page, 200);
  });

  app.openapi(routes.verify, async (c) => {
    const { verified_by, note } = c.req.valid('json');
    const row = await verifyOrganization(
      c.get('sql'),
      c.req.valid('param').id,
      verified_by,
      note,
      c.get('deps').clock.now(),
    );
    return c.json(toOrganization(row), 200);
  });

  app.openapi(routes.suspend, async (c) => {
    const row = await suspendOrganization(
      c.get('sql'),
      c.req.valid('param').id,
      c.req.valid('json').reason,
      c.get('deps').clock.now(),
    );
    return c.json(toOrganization(row), 200);
  });

  app.openapi(routes.reinstate, async (c) => {
    const row = await reinstateOrganization(c.get('sql'), c.req.valid('param').id, c.get('deps').clock.now());
    return c.json(toOrganization(row), 200);
  });

  app.openapi(routes.rotateKeys, async (c) => {
    const { signingKeys, clock } = c.get('deps');
    const kid = await signingKeys.rotate(c.get('sql'), 'consent', clock.now());
    return c.json(
      { object: 'signing_key_rotation' as const, purpose: 'consent' as const, kid, previous_kid_still_published: true },
      200,
    );
  });

  app.openapi(routes.ownerKey, async (c) => {
    const { livemode, verified_by, note } = c.req.valid('json');
    const { row, secret } = await issueOwnerRecoveryKey(c.get('sql'), {
      organizationId: c.req.valid('param').id,
      livemode: livemode ?? false,
      verifiedBy: verified_by,
      note,
      now: c.get('deps').clock.now(),
    });
    return c.json({ ...toApiKey(row), secret }, 201);
  });

  app.openapi(routes.agencyKey, async (c) => {
    const { managing_body, office, region } = c.req.valid('json');
    const { row, secret } = await issueAgencyKey(
      c.get('sql'),
      { managingBody: managing_body, office, region: region ?? null },
      c.get('deps').clock.now(),
    );
    return c.json({ ...toAgencyKey(row), secret }, 201);
  });

  app.openapi(routes.listAgencyKeys, async (c) => {
    const { managing_body, ...query } = c.req.valid('query');
    const page = await createdPage(
      'admin_agency_keys',
      query,
      (p) => listAgencyKeys(c.get('sql'), { managingBody: managing_body, ...p }),
      toAgencyKey,
    );
    return c.json(page, 200);
  });

  app.openapi(routes.revokeAgencyKey, async (c) => {
    const row = await revokeAgencyKey(c.get('sql'), c.req.valid('param').id, c.get('deps').clock.now());
    if (!row) throw new ProblemError('not_found', 'No such agency key.');
    return c.json(toAgencyKey(row), 200);
  });
}
