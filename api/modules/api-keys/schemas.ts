import { z } from '@hono/zod-openapi';

import { pathIdField } from '../../http/fields';
import { pageSchema, paginationQuery } from '../../http/pagination';

const API_KEY_EXAMPLE = {
  id: 'key_2bN6vX9qLm3Tp0sR8wZ1yK',
  object: 'api_key' as const,
  name: 'Case-management sync',
  livemode: false,
  display_prefix: 'sk_test_Ab3d…9xQz',
  member_id: 'mem_8Fq2LwP0sZ4nR7tY1xB5cV',
  created_by: 'mem_8Fq2LwP0sZ4nR7tY1xB5cV',
  created_at: '2026-03-02T09:00:00.000Z',
  last_used_at: '2026-03-02T09:05:12.000Z',
  revoked_at: null,
  issued_by_platform: null,
};

export const ApiKeySchema = z
  .object({
    id: z.string(),
    object: z.literal('api_key'),
    name: z.string(),
    livemode: z.boolean(),
    display_prefix: z
      .string()
      .openapi({ description: 'Enough to recognise the key; the secret is shown only once, at creation.' }),
    member_id: z.string().openapi({ description: 'The member the key acts as; every write records it.' }),
    created_by: z.string().nullable().openapi({ description: 'Member who created the key.' }),
    created_at: z.string(),
    last_used_at: z.string().nullable(),
    revoked_at: z.string().nullable(),
    issued_by_platform: z
      .object({
        verified_by: z.string().openapi({ description: "Who at the platform checked the owner's identity." }),
        note: z.string().openapi({ description: 'What was checked.' }),
      })
      .nullable()
      .openapi({
        description:
          'Set on a key the platform administrator issued for the owner, who had lost every key (`POST /v1/admin/organizations/{id}/owner-keys`); null on keys the organisation made.',
      }),
  })
  .openapi('ApiKey', { example: API_KEY_EXAMPLE });
export type ApiKey = z.infer<typeof ApiKeySchema>;

export const ApiKeyWithSecretSchema = ApiKeySchema.extend({
  secret: z.string().openapi({
    description: 'The key itself. Shown once: store it now.',
    example: 'sk_test_Ab3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7d9xQz',
  }),
}).openapi('ApiKeyWithSecret', {
  example: { ...API_KEY_EXAMPLE, last_used_at: null, secret: 'sk_test_Ab3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7d9xQz' },
});

export const CreateApiKeyBody = z
  .object({
    name: z.string().min(1).max(100).openapi({ example: 'Case-management sync' }),
    livemode: z
      .boolean()
      .optional()
      .openapi({ description: 'Default false. Live keys can be created once the organisation is verified.' }),
    member_id: z
      .string()
      .max(64)
      .optional()
      .openapi({ description: "Member the key acts as; defaults to the caller's member." }),
  })
  .strict()
  .openapi('CreateApiKeyRequest', { example: { name: 'Case-management sync', livemode: false } });

export const ApiKeyParams = z.object({
  id: pathIdField('id', 'key_2bN6vX9qLm3Tp0sR8wZ1yK'),
});

export const ListApiKeysQuery = z.object({ ...paginationQuery }).strict();
export const ApiKeyPageSchema = pageSchema(ApiKeySchema, 'ApiKeyList');
