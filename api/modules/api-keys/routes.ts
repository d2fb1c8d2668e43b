import { organizationPrincipal } from '../../http/auth';
import type { App } from '../../http/context';
import { created, del, get, ok, post, routesOf } from '../../http/openapi';
import { createdPage } from '../../http/pagination';
import { ProblemError } from '../../http/problem';
import { findMember } from '../members/queries';
import { findOrganization } from '../organizations/queries';
import { toApiKey } from './mappers';
import { findApiKey, listApiKeys, revokeApiKey } from './queries';
import {
  ApiKeyPageSchema,
  ApiKeyParams,
  ApiKeySchema,
  ApiKeyWithSecretSchema,
  CreateApiKeyBody,
  ListApiKeysQuery,
} from './schemas';
import { checkKeyHolder, checkLiveKeyAllowed, issueApiKey } from './service';

const routes = routesOf('API keys', {
  createKey: post('/v1/api-keys', {
    operationId: 'createApiKey',
    summary: 'Create an API key',
    description:
      'Answers the secret once; only its hash is kept. A live key (`livemode: true`) needs a verified organisation. Needs the admin or owner role; ' +
      'a key for another member (`member_id`) needs a role above theirs.',
    auth: 'orgWrite',
    role: 'admin',
    body: CreateApiKeyBody,
    responses: created('The key, with its secret.', ApiKeyWithSecretSchema),
  }),
  listKeys: get('/v1/api-keys', {
    operationId: 'listApiKeys',
    summary: 'List API keys',
    description: 'Keys of both modes, without their secrets.',
    auth: 'orgRead',
    role: 'admin',
    query: ListApiKeysQuery,
    responses: ok('A page of keys, oldest first.', ApiKeyPageSchema),
  }),
  revokeKey: del('/v1/api-keys/{id}', {
    operationId: 'revokeApiKey',
    summary: 'Revoke an API key',
    description:
      "Takes effect on the very next request, on every instance. Revoking twice is harmless. Another member's key needs a role above theirs.",
    auth: 'orgWrite',
    role: 'admin',
    params: ApiKeyParams,
    responses: ok('The revoked key.', ApiKeySchema),
  }),
});

export function registerApiKeys(app: App): void {
  app.openapi(routes.createKey, async (c) => {
    const principal = organizationPrincipal(c);
    const body = c.req.valid('json');
    const sql = c.get('sql');
    if (body.livemode) checkLiveKeyAllowed((await findOrganization(sql, principal.organizationId))?.status);
    const memberId = body.member_id ?? principal.memberId;
    const member = await findMember(sql, principal.organizationId, memberId);
    if (!member || member.status !== 'active') {
      throw new ProblemError('validation_failed', 'No active member with that id.', {
        errors: [{ pointer: '/member_id', in: 'body', detail: 'Must be an active member of this organisation.' }],
      });
    }
    checkKeyHolder(principal, member, '/member_id');
    const { row, secret } = await issueApiKey(sql, {
      organizationId: principal.organizationId,
      memberId,
      livemode: body.livemode ?? false,
      name: body.name,
      createdBy: principal.memberId,
      now: c.get('deps').clock.now(),
    });
    return c.json({ ...toApiKey(row), secret }, 201);
  });

  app.openapi(routes.listKeys, async (c) => {
    const principal = organizationPrincipal(c);
    const page = await createdPage(
      'api_keys',
      c.req.valid('query'),
      (p) => listApiKeys(c.get('sql'), { organizationId: principal.organizationId, ...p }),
      toApiKey,
    );
    return c.json(page, 200);
  });

  app.openapi(routes.revokeKey, async (c) => {
    const principal = organizationPrincipal(c);
    const sql = c.get('sql');
    const key = await findApiKey(sql, principal.organizationId, c.req.valid('param').id);
    if (!key) throw new ProblemError('not_found', 'No such API key.');
    const holder = await findMember(sql, principal.organizationId, key.member_id);
    if (holder) checkKeyHolder(principal, holder);
    const row = await revokeApiKey(sql, {
      organizationId: principal.organizationId,
      id: c.req.valid('param').id,
      by: principal.memberId,
      at: c.get('deps').clock.now(),
    });
    if (!row) throw new ProblemError('not_found', 'No such API key.');
    return c.json(toApiKey(row), 200);
  });
}
