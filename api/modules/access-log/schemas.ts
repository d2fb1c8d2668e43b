import { z } from '@hono/zod-openapi';

import { pageSchema, paginationQuery } from '../../http/pagination';
import { IsoDateSchema } from '../calendar/schemas';
import { ManagingBodySchema } from '../catalog/schemas';

export const AccessLogEntrySchema = z
  .object({
    id: z.string(),
    object: z.literal('access_log_entry'),
    occurred_at: z.string(),
    actor: z.enum(['organization', 'citizen', 'agency']).openapi({
      description:
        '`citizen` when the citizen themself downloaded a document or receipt of their own procedure; `agency` when a caseworker of the body that decides the procedure read it (`agency` says which); in both cases `organization` is the one holding the procedure.',
    }),
    organization: z.object({ id: z.string(), legal_name: z.string() }),
    agency: z
      .object({ managing_body: ManagingBodySchema, office: z.string() })
      .nullable()
      .openapi({ description: 'The body and office whose caseworker read (agency entries only).' }),
    member: z
      .object({ id: z.string(), name: z.string() })
      .nullable()
      .openapi({ description: 'The professional who acted.' }),
    delegation_id: z.string().nullable(),
    livemode: z.boolean(),
    action: z
      .string()
      .openapi({ description: 'What was done, e.g. `consent_token.minted`, `procedure.read`, `procedure.submitted`.' }),
    resource: z.object({ type: z.string(), id: z.string() }).nullable(),
    request_id: z.string().nullable(),
  })
  .openapi('AccessLogEntry', {
    example: {
      id: 'acl_2Ws4Ed6Rf8Tg0Yh2Uj4Ik6',
      object: 'access_log_entry',
      occurred_at: '2026-03-02T10:15:03.000Z',
      actor: 'organization',
      organization: { id: 'org_4mT9sQ2xPz8LkV1bN7cW3d', legal_name: 'Gestoría Martínez y Asociados S.L.' },
      agency: null,
      member: { id: 'mem_8Fq2LwP0sZ4nR7tY1xB5cV', name: 'Lucía Martínez Pardo' },
      delegation_id: 'dlg_3Gh5Jk7Lm9Np1Qr3St5Uv7',
      livemode: true,
      action: 'consent_token.minted',
      resource: { type: 'delegation', id: 'dlg_3Gh5Jk7Lm9Np1Qr3St5Uv7' },
      request_id: 'rid_3kTMd9Qx1uWv8ZbNcE4fGh',
    },
  });
export type AccessLogEntryResponse = z.infer<typeof AccessLogEntrySchema>;

export const ListAccessLogQuery = z
  .object({
    ...paginationQuery,
    delegation_id: z.string().max(64).optional(),
    from: IsoDateSchema.optional().openapi({
      description: 'First day (Europe/Madrid) of the period, included.',
      example: '2026-03-01',
    }),
    to: IsoDateSchema.optional().openapi({
      description: 'Last day (Europe/Madrid) of the period, included.',
      example: '2026-03-31',
    }),
  })
  .strict();
export const AccessLogPageSchema = pageSchema(AccessLogEntrySchema, 'AccessLogList');
