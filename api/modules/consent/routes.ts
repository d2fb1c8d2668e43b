import { z } from '@hono/zod-openapi';

import type { App } from '../../http/context';
import { get, ok, post, routesOf } from '../../http/openapi';
import { PROCEDURE_TYPE_CODES, ProcedureTypeCodeSchema } from '../catalog/schemas';
import { IntrospectBody, IntrospectionSchema } from '../delegations/schemas';
import { CapacitySchema } from '../delegations/scope';
import { consentedRead } from './gate';
import { introspect } from './service';

const CurrentConsentQuery = z
  .object({
    capacity: CapacitySchema.default('consult').openapi({ description: 'The capacity to check (default `consult`).' }),
    procedure_type: ProcedureTypeCodeSchema.optional().openapi({
      description: 'A procedure type the action would concern.',
    }),
  })
  .strict();

const CurrentConsentSchema = z
  .object({
    object: z.literal('consent_check'),
    delegation_id: z.string(),
    citizen_id: z.string(),
    capacity: CapacitySchema,
    procedure_type: z.enum(PROCEDURE_TYPE_CODES).nullable(),
    token_id: z.string(),
    expires_at: z.string(),
  })
  .openapi('ConsentCheck', {
    example: {
      object: 'consent_check',
      delegation_id: 'dlg_3Gh5Jk7Lm9Np1Qr3St5Uv7',
      citizen_id: 'cit_9Zx8Yw7Vu6Ts5Rq4Po3Nm2',
      capacity: 'file',
      procedure_type: 'JUB',
      token_id: 'ctk_5Rt7Yu9Io1Pa3Sd5Fg7Hj9',
      expires_at: '2026-03-02T10:22:00.000Z',
    },
  });

const JwksSchema = z
  .object({
    keys: z.array(
      z.object({ kty: z.string(), crv: z.string(), x: z.string(), kid: z.string(), alg: z.string(), use: z.string() }),
    ),
  })
  .openapi('JsonWebKeySet', {
    example: {
      keys: [
        {
          kty: 'OKP',
          crv: 'Ed25519',
          x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo',
          kid: 'ck_20260302_aBcDeFgH',
          alg: 'EdDSA',
          use: 'sig',
        },
      ],
    },
  });

const routes = routesOf('Consent', {
  current: get('/v1/consent-tokens/current', {
    operationId: 'checkConsentToken',
    summary: 'Check the consent token you are sending',
    description:
      "Runs exactly the check every operation on a client's data runs (token, organisation, mode, scope, and the delegation in the database) for a capacity and, optionally, a procedure type. " +
      "Answers 200 when that action would be allowed. The check is recorded in the citizen's access log.",
    auth: 'orgConsentedRead',
    query: CurrentConsentQuery,
    responses: ok('The action would be allowed.', CurrentConsentSchema),
  }),
  jwks: get('/.well-known/jwks.json', {
    operationId: 'getJwks',
    summary: 'Public keys that sign consent tokens',
    description:
      'The current key and the previous one. Anyone holding them can verify, now or later, that a filing was made under a consent token Puente signed.',
    auth: 'public',
    responses: ok('A JSON Web Key Set.', JwksSchema),
  }),
  introspect: post('/v1/consent-tokens/introspect', {
    operationId: 'introspectConsentToken',
    summary: 'Is this consent token usable now?',
    description:
      "Checks the signature and claims and, in the database, the delegation behind it. Agency keys may introspect any token; an organisation only its own, of its key's mode (others answer `active: false`, with `consent_actor_mismatch` or `consent_mode_mismatch`).",
    auth: 'orgOrAgencyRead',
    body: IntrospectBody,
    responses: ok('The verdict and, when the signature verifies, the claims.', IntrospectionSchema),
  }),
});

export function registerConsent(app: App): void {
  app.openapi(routes.current, async (c) => {
    const { capacity, procedure_type } = c.req.valid('query');
    const { consent } = await consentedRead(c, {
      capacity,
      procedureType: procedure_type,
      action: 'consent.checked',
    });
    return c.json(
      {
        object: 'consent_check' as const,
        delegation_id: consent.delegationId,
        citizen_id: consent.citizenId,
        capacity,
        procedure_type: procedure_type ?? null,
        token_id: consent.claims.jti,
        expires_at: new Date(consent.claims.exp * 1000).toISOString(),
      },
      200,
    );
  });

  app.openapi(routes.jwks, async (c) => {
    const { signingKeys, clock } = c.get('deps');
    const jwks = await signingKeys.jwks(c.get('sql'), 'consent', clock.now());
    c.header('cache-control', 'public, max-age=300');
    return c.json(jwks as z.infer<typeof JwksSchema>, 200);
  });

  app.openapi(routes.introspect, async (c) => {
    const { config, signingKeys, clock } = c.get('deps');
    const principal = c.get('principal');
    const result = await introspect(
      { sql: c.get('sql'), config, keys: signingKeys },
      c.req.valid('json').token,
      principal?.type === 'organization'
        ? { organizationId: principal.organizationId, livemode: principal.livemode }
        : {},
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
