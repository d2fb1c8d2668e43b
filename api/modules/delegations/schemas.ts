import { z } from '@hono/zod-openapi';

import { pathIdField } from '../../http/fields';
import { pageSchema, paginationQuery } from '../../http/pagination';
import { ProcedureTypeCodeSchema } from '../catalog/schemas';
import { CapacitySchema, ScopeSchema } from './scope';

export const DELEGATION_STATUSES = ['active', 'revoked', 'renounced', 'expired', 'suspended'] as const;

export const DelegationSchema = z
  .object({
    id: z.string(),
    object: z.literal('delegation'),
    livemode: z.boolean(),
    organization: z.object({ id: z.string(), legal_name: z.string() }),
    citizen: z.object({
      id: z.string().openapi({ description: 'Pseudonymous citizen id, the `sub` of consent tokens.' }),
      id_number: z.string(),
    }),
    request_id: z.string(),
    scope: ScopeSchema,
    scope_version: z.number().int(),
    covered_procedure_types: z
      .array(ProcedureTypeCodeSchema)
      .openapi({ description: 'Every procedure type the scope covers, subjects expanded.' }),
    valid_from: z.string().openapi({ format: 'date' }),
    valid_until: z.string().openapi({ format: 'date' }),
    status: z.enum(DELEGATION_STATUSES),
    created_at: z.string(),
    ended_at: z.string().nullable().openapi({
      description:
        'When it ended. Past `valid_until` (`ended_by: expiry`): midnight in Madrid at the end of that day, e.g. `2026-03-04T23:00:00.000Z` for `2026-03-04`.',
    }),
    ended_by: z.enum(['citizen', 'organization', 'platform', 'expiry']).nullable(),
    ended_reason: z.string().nullable(),
  })
  .openapi('Delegation', {
    example: {
      id: 'dlg_3Gh5Jk7Lm9Np1Qr3St5Uv7',
      object: 'delegation',
      livemode: false,
      organization: { id: 'org_4mT9sQ2xPz8LkV1bN7cW3d', legal_name: 'Gestoría Martínez y Asociados S.L.' },
      citizen: { id: 'cit_9Zx8Yw7Vu6Ts5Rq4Po3Nm2', id_number: '12345678Z' },
      request_id: 'dlr_7Hk2Lm9Np4Qr6St8Uv0Wx1',
      scope: { procedure_types: ['JUB'], subjects: [], capacities: ['consult', 'file', 'respond'] },
      scope_version: 1,
      covered_procedure_types: ['JUB'],
      valid_from: '2026-03-02',
      valid_until: '2027-12-31',
      status: 'active',
      created_at: '2026-03-02T10:12:00.000Z',
      ended_at: null,
      ended_by: null,
      ended_reason: null,
    },
  });
export type Delegation = z.infer<typeof DelegationSchema>;

export const DelegationParams = z.object({
  id: pathIdField('id', 'dlg_3Gh5Jk7Lm9Np1Qr3St5Uv7'),
});

export const ListDelegationsQuery = z
  .object({ ...paginationQuery, status: z.enum(DELEGATION_STATUSES).optional() })
  .strict();
export const DelegationPageSchema = pageSchema(DelegationSchema, 'DelegationList');

export const RenounceDelegationBody = z
  .object({ reason: z.string().min(3).max(1000).optional() })
  .strict()
  .openapi('RenounceDelegationRequest', { example: { reason: 'El cliente ha cambiado de gestoría.' } });

export const MintConsentTokenBody = z
  .object({
    lifetime_seconds: z
      .number()
      .int()
      .min(60)
      .max(3600)
      .optional()
      .openapi({ description: 'Default 600 (10 minutes).' }),
    procedure_types: z
      .array(ProcedureTypeCodeSchema)
      .min(1)
      .optional()
      .openapi({ description: 'Narrow the token to these types (within the delegation).' }),
    capacities: z
      .array(CapacitySchema)
      .min(1)
      .optional()
      .openapi({ description: 'Narrow the token to these capacities (within the delegation).' }),
  })
  .strict()
  .openapi('MintConsentTokenRequest', { example: { lifetime_seconds: 600, capacities: ['consult', 'file'] } });

export const ConsentTokenSchema = z
  .object({
    object: z.literal('consent_token'),
    token: z.string().openapi({ description: "Send it as `Puente-Consent` on every operation on this client's data." }),
    token_id: z.string().openapi({ description: "The token's `jti`." }),
    delegation_id: z.string(),
    expires_at: z.string(),
    authorization_details: z.array(
      z.object({
        type: z.literal('puente_delegation'),
        procedure_types: z.array(ProcedureTypeCodeSchema),
        capacities: z.array(CapacitySchema),
      }),
    ),
  })
  .openapi('ConsentToken', {
    example: {
      object: 'consent_token',
      token:
        'eyJhbGciOiJFZERTQSIsImtpZCI6ImNrXzIwMjYwMzAyX2FCY0RlRmdIIiwidHlwIjoicHVlbnRlLWNvbnNlbnQrand0In0.eyJzdWIiOiJjaXRfOVp4OFl3N1Z1NlRzNVJxNFBvM05tMiJ9.c2lnbmF0dXJl',
      token_id: 'ctk_5Rt7Yu9Io1Pa3Sd5Fg7Hj9',
      delegation_id: 'dlg_3Gh5Jk7Lm9Np1Qr3St5Uv7',
      expires_at: '2026-03-02T10:22:00.000Z',
      authorization_details: [{ type: 'puente_delegation', procedure_types: ['JUB'], capacities: ['consult', 'file'] }],
    },
  });

export const IntrospectBody = z
  .object({ token: z.string().min(10).max(8192) })
  .strict()
  .openapi('IntrospectConsentTokenRequest', {
    example: {
      token: 'eyJhbGciOiJFZERTQSIsImtpZCI6ImNrXzIwMjYwMzAyX2FCY0RlRmdIIiwidHlwIjoicHVlbnRlLWNvbnNlbnQrand0In0.e30.c2ln',
    },
  });

export const IntrospectionSchema = z
  .object({
    active: z.boolean(),
    reason: z.string().nullable().openapi({ description: 'Why the token is not active (a problem code), or null.' }),
    sub: z.string().nullable(),
    dlg: z.string().nullable(),
    act: z.object({ sub: z.string(), member: z.string() }).nullable(),
    livemode: z.boolean().nullable(),
    authorization_details: z
      .array(
        z.object({
          type: z.literal('puente_delegation'),
          procedure_types: z.array(ProcedureTypeCodeSchema),
          capacities: z.array(CapacitySchema),
        }),
      )
      .nullable(),
    iat: z.number().int().nullable(),
    exp: z.number().int().nullable(),
    jti: z.string().nullable(),
    delegation_status: z.enum(DELEGATION_STATUSES).nullable(),
  })
  .openapi('ConsentTokenIntrospection', {
    example: {
      active: true,
      reason: null,
      sub: 'cit_9Zx8Yw7Vu6Ts5Rq4Po3Nm2',
      dlg: 'dlg_3Gh5Jk7Lm9Np1Qr3St5Uv7',
      act: { sub: 'org_4mT9sQ2xPz8LkV1bN7cW3d', member: 'mem_8Fq2LwP0sZ4nR7tY1xB5cV' },
      livemode: false,
      authorization_details: [{ type: 'puente_delegation', procedure_types: ['JUB'], capacities: ['consult', 'file'] }],
      iat: 1772445720,
      exp: 1772446320,
      jti: 'ctk_5Rt7Yu9Io1Pa3Sd5Fg7Hj9',
      delegation_status: 'active',
    },
  });
