import type { MiddlewareHandler } from 'hono';
import type { App, AppEnv } from '../../http/context';
import { defineRoute, SECURITY } from '../../http/openapi';
import { bearerToken, requireAgencyKey, requireApiKey } from '../../http/auth';
import { credentialRateLimit } from '../../http/rate-limit';
import { z } from '@hono/zod-openapi';
import { IntrospectBody, IntrospectionSchema } from '../delegations/schemas';
import { introspect } from './service';

const JwksSchema = z
  .object({ keys: z.array(z.object({ kty: z.string(), crv: z.string(), x: z.string(), kid: z.string(), alg: z.string(), use: z.string() })) })
  .openapi('JsonWebKeySet', {
    example: { keys: [{ kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo', kid: 'ck_20260302_aBcDeFgH', alg: 'EdDSA', use: 'sig' }] },
  });

const jwksRoute = defineRoute({
  method: 'get',
  path: '/.well-known/jwks.json',
  operationId: 'getJwks',
  tags: ['Consent'],
  summary: 'Public keys that sign consent tokens',
  description: 'The current key and the previous one. Anyone holding them can verify, now or later, that a filing was made under a consent token Puente signed.',
  security: SECURITY.none,
  responses: { 200: { description: 'A JSON Web Key Set.', content: { 'application/json': { schema: JwksSchema } } } },
});

/** Introspection is open to agency keys and to organisation keys (for their own tokens). */
function organizationOrAgencyKey(): MiddlewareHandler<AppEnv> {
  const org = requireApiKey();
  const agency = requireAgencyKey();
  return (c, next) => (bearerToken(c)?.startsWith('ak_') ? agency(c, next) : org(c, next));
}

const introspectRoute = defineRoute({
  method: 'post',
  path: '/v1/consent-tokens/introspect',
  operationId: 'introspectConsentToken',
  tags: ['Consent'],
  summary: 'Is this consent token usable now?',
  description:
    'Checks the signature and claims and, in the database, the delegation behind it. Agency keys may introspect any token; an organisation only its own (others answer `active: false`).',
  security: [{ ApiKey: [] }, { AgencyKey: [] }],
  middleware: [organizationOrAgencyKey(), credentialRateLimit()],
  request: { body: { content: { 'application/json': { schema: IntrospectBody } }, required: true } },
  problems: ['organization_suspended', 'live_mode_unavailable'],
  responses: { 200: { description: 'The verdict and, when the signature verifies, the claims.', content: { 'application/json': { schema: IntrospectionSchema } } } },
});

export function registerConsent(app: App): void {
  app.openapi(jwksRoute, async (c) => {
    const { signingKeys, clock } = c.get('deps');
    const jwks = await signingKeys.jwks(c.get('sql'), 'consent', clock.now());
    c.header('cache-control', 'public, max-age=300');
    return c.json(jwks as z.infer<typeof JwksSchema>, 200);
  });

  app.openapi(introspectRoute, async (c) => {
    const { config, signingKeys, clock } = c.get('deps');
    const principal = c.get('principal');
    const result = await introspect(
      { sql: c.get('sql'), config, keys: signingKeys },
      c.req.valid('json').token,
      { organizationId: principal?.type === 'organization' ? principal.organizationId : undefined },
      clock.now(),
    );
    const claims = result.claims;
    return c.json(
      {
        active: result.active,
        reason: result.reason,
        sub: claims?.sub ?? null,
        dlg: claims?.dlg ?? null,
        act: claims?.act ?? null,
        livemode: claims?.livemode ?? null,
        authorization_details: claims?.authorization_details ?? null,
        iat: claims?.iat ?? null,
        exp: claims?.exp ?? null,
        jti: claims?.jti ?? null,
        delegation_status: result.delegationStatus as z.infer<typeof IntrospectionSchema>['delegation_status'],
      },
      200,
    );
  });
}
