import { z } from '@hono/zod-openapi';

import { emailField, pathIdField, personalIdField } from '../../http/fields';
import { pageSchema, paginationQuery } from '../../http/pagination';

export const ROLES = ['owner', 'admin', 'agent', 'viewer'] as const;

/** The member the examples show: the owner, who also creates what the other examples show. */
export const EXAMPLE_MEMBER_ID = 'mem_8Fq2LwP0sZ4nR7tY1xB5cV';

export const MemberSchema = z
  .object({
    id: z.string(),
    object: z.literal('member'),
    name: z.string(),
    id_number: z.string(),
    email: z.string().nullable(),
    role: z.enum(ROLES),
    colegio_number: z.string().nullable(),
    status: z.enum(['active', 'removed']),
    created_at: z.string(),
    removed_at: z.string().nullable(),
  })
  .openapi('Member', {
    example: {
      id: EXAMPLE_MEMBER_ID,
      object: 'member',
      name: 'Lucía Martínez Pardo',
      id_number: '12345678Z',
      email: 'lucia@gestoriamartinez.es',
      role: 'owner',
      colegio_number: '2841',
      status: 'active',
      created_at: '2026-03-02T09:00:00.000Z',
      removed_at: null,
    },
  });
export type Member = z.infer<typeof MemberSchema>;

export const CreateMemberBody = z
  .object({
    name: z.string().min(2).max(200),
    id_number: personalIdField(),
    email: emailField().optional(),
    role: z
      .enum(['admin', 'agent', 'viewer'])
      .openapi({ description: 'There is one owner per organisation, set at registration.' }),
    colegio_number: z.string().min(1).max(40).optional(),
  })
  .strict()
  .openapi('CreateMemberRequest', {
    example: {
      name: 'Javier Ortega Ruiz',
      id_number: '11111111H',
      email: 'javier@gestoriamartinez.es',
      role: 'agent',
      colegio_number: '3107',
    },
  });

export const MemberParams = z.object({
  id: pathIdField('id', EXAMPLE_MEMBER_ID),
});

export const ListMembersQuery = z
  .object({ ...paginationQuery, status: z.enum(['active', 'removed']).optional() })
  .strict();
export const MemberPageSchema = pageSchema(MemberSchema, 'MemberList');
