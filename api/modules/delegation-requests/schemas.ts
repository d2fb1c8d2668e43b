import { z } from '@hono/zod-openapi';

import { pathIdField, personalIdField } from '../../http/fields';
import { pageSchema, paginationQuery } from '../../http/pagination';
import { IsoDateSchema } from '../calendar/schemas';
import { ScopeSchema } from '../delegations/scope';

export const REQUEST_STATUSES = ['pending', 'accepted', 'rejected', 'cancelled', 'expired'] as const;

export const CreateDelegationRequestBody = z
  .object({
    citizen: z
      .object({
        id_number: personalIdField(),
        name: z.string().min(2).max(200).optional(),
        contact: z
          .string()
          .min(3)
          .max(200)
          .optional()
          .openapi({ description: 'Email or phone where the citizen expects the approval link.' }),
      })
      .strict(),
    scope: ScopeSchema,
    valid_until: IsoDateSchema.openapi({ description: 'Last day of the power; at most 5 years from today.' }),
    message: z.string().max(1000).optional().openapi({ description: 'Shown to the citizen on the approval page.' }),
  })
  .strict()
  .openapi('CreateDelegationRequest', {
    example: {
      citizen: { id_number: '12345678Z', name: 'Carmen López García', contact: 'carmen.lopez@example.es' },
      scope: { procedure_types: ['JUB'], subjects: [], capacities: ['consult', 'file', 'respond'] },
      valid_until: '2027-12-31',
      message: 'Para tramitar su pensión de jubilación, como acordamos en la reunión del lunes.',
    },
  });

export const OrganizationSummarySchema = z
  .object({
    id: z.string(),
    legal_name: z.string(),
    nif: z.string(),
    kind: z.enum(['gestoria', 'law_firm', 'graduado_social', 'third_sector']),
    verified: z.boolean(),
    professional_standing: z.object({
      colegio: z.string().nullable(),
      registry: z.string().nullable(),
      registration_number: z.string(),
    }),
  })
  .openapi('OrganizationSummary');

export const DelegationRequestSchema = z
  .object({
    id: z.string(),
    object: z.literal('delegation_request'),
    livemode: z.boolean(),
    organization: OrganizationSummarySchema,
    citizen: z.object({ id_number: z.string(), name: z.string().nullable(), contact: z.string().nullable() }),
    scope: ScopeSchema,
    scope_version: z.number().int(),
    valid_until: z.string().openapi({ format: 'date' }),
    message: z.string().nullable(),
    code: z.string().openapi({ description: 'Short code the citizen can type or read over the phone.' }),
    approval_url: z.string().openapi({ description: 'Where the citizen signs in to accept or reject.' }),
    status: z.enum(REQUEST_STATUSES),
    created_by: z.string().openapi({ description: 'Member who made the request.' }),
    created_at: z.string(),
    expires_at: z.string(),
    ended_at: z.string().nullable(),
    ended_by: z.enum(['citizen', 'organization', 'system']).nullable(),
    delegation_id: z.string().nullable(),
  })
  .openapi('DelegationRequest', {
    example: {
      id: 'dlr_7Hk2Lm9Np4Qr6St8Uv0Wx1',
      object: 'delegation_request',
      livemode: false,
      organization: {
        id: 'org_4mT9sQ2xPz8LkV1bN7cW3d',
        legal_name: 'Gestoría Martínez y Asociados S.L.',
        nif: 'B00000000',
        kind: 'gestoria',
        verified: true,
        professional_standing: {
          colegio: 'Colegio Oficial de Gestores Administrativos de Madrid',
          registry: null,
          registration_number: '2841',
        },
      },
      citizen: { id_number: '12345678Z', name: 'Carmen López García', contact: 'carmen.lopez@example.es' },
      scope: { procedure_types: ['JUB'], subjects: [], capacities: ['consult', 'file', 'respond'] },
      scope_version: 1,
      valid_until: '2027-12-31',
      message: 'Para tramitar su pensión de jubilación.',
      code: 'K7MQ-4XPR',
      approval_url: 'https://puente.example.es/ciudadania/solicitudes/dlr_7Hk2Lm9Np4Qr6St8Uv0Wx1',
      status: 'pending',
      created_by: 'mem_8Fq2LwP0sZ4nR7tY1xB5cV',
      created_at: '2026-03-02T09:00:00.000Z',
      expires_at: '2026-03-23T09:00:00.000Z',
      ended_at: null,
      ended_by: null,
      delegation_id: null,
    },
  });
export type DelegationRequest = z.infer<typeof DelegationRequestSchema>;

export const DelegationRequestParams = z.object({
  id: pathIdField('id', 'dlr_7Hk2Lm9Np4Qr6St8Uv0Wx1'),
});

export const ListDelegationRequestsQuery = z
  .object({ ...paginationQuery, status: z.enum(REQUEST_STATUSES).optional() })
  .strict();
export const DelegationRequestPageSchema = pageSchema(DelegationRequestSchema, 'DelegationRequestList');
