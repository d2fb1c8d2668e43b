import { z } from '@hono/zod-openapi';

import { pathIdField } from '../../http/fields';
import { pageSchema, paginationQuery } from '../../http/pagination';
import { EventTypeFilter } from '../events/schemas';

const WEBHOOK_ENDPOINT_EXAMPLE = {
  id: 'whe_2Bn4Mq6Wr8Ty0Ui2Op4As6',
  object: 'webhook_endpoint',
  livemode: true,
  url: 'https://expedientes.gestoriamartinez.es/hooks/puente',
  description: 'Sincronización del gestor de expedientes',
  event_types: ['procedure.*', 'delegation.revoked'],
  enabled: true,
  disabled_reason: null,
  disabled_at: null,
  secret_rotation: null,
  created_at: '2026-03-02T09:00:00.000Z',
  updated_at: '2026-03-02T09:00:00.000Z',
};

export const WebhookEndpointSchema = z
  .object({
    id: z.string(),
    object: z.literal('webhook_endpoint'),
    livemode: z.boolean(),
    url: z.string(),
    description: z.string().nullable(),
    event_types: z
      .array(z.string())
      .openapi({ description: 'Types delivered (`procedure.*` matches a family); empty means every type.' }),
    enabled: z.boolean(),
    disabled_reason: z.string().nullable().openapi({
      description: 'Why Puente disabled it (it answered 410); null while enabled, or when disabled by a change.',
    }),
    disabled_at: z.string().nullable().openapi({
      description:
        'When it was disabled; null while enabled. Nothing is queued for a disabled endpoint, and enabling it again does not send what it missed: read the events created from this time on in the feed (`GET /v1/events`).',
    }),
    secret_rotation: z
      .object({
        previous_secret_valid_until: z
          .string()
          .openapi({ description: 'When the last secret rotated out stops signing.' }),
        previous_secrets: z
          .array(z.object({ valid_until: z.string() }))
          .openapi({ description: 'Every secret rotated out that still signs, newest first, with its end.' }),
      })
      .nullable()
      .openapi({
        description:
          'While secrets rotated out still sign (each adds a signature to `webhook-signature`); null when only the current one does.',
      }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('WebhookEndpoint', { example: WEBHOOK_ENDPOINT_EXAMPLE });

export const WebhookEndpointWithSecretSchema = WebhookEndpointSchema.extend({
  secret: z.string().openapi({ description: 'The signing secret (`whsec_…`). Shown when created or rotated only.' }),
}).openapi('WebhookEndpointWithSecret', {
  example: { ...WEBHOOK_ENDPOINT_EXAMPLE, secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw6bQ0O0ea8Qg=' },
});

export const CreateWebhookEndpointBody = z
  .object({
    url: z.string().max(2000).openapi({ example: 'https://expedientes.gestoriamartinez.es/hooks/puente' }),
    description: z.string().max(500).optional(),
    event_types: z
      .array(EventTypeFilter)
      .max(50)
      .optional()
      .openapi({ description: 'Types to deliver; omit or leave empty for every type.' }),
  })
  .strict()
  .openapi('CreateWebhookEndpointRequest', {
    example: {
      url: 'https://expedientes.gestoriamartinez.es/hooks/puente',
      description: 'Sincronización del gestor de expedientes',
      event_types: ['procedure.*', 'delegation.revoked'],
    },
  });

export const UpdateWebhookEndpointBody = z
  .object({
    url: z.string().max(2000).optional(),
    description: z.string().max(500).nullable().optional(),
    event_types: z.array(EventTypeFilter).max(50).optional(),
    enabled: z.boolean().optional(),
  })
  .strict()
  .openapi('UpdateWebhookEndpointRequest', { example: { enabled: true, event_types: ['procedure.*'] } });

/** The most secrets rotated out that may sign at once (a rotation beyond it is refused). */
export const MAX_PREVIOUS_SECRETS = 4;

export const RotateWebhookSecretBody = z
  .object({
    previous_secret_valid_seconds: z.number().int().min(0).max(86_400).optional().openapi({
      description:
        'How long the secret replaced keeps signing beside the new one (default 86400, 24 hours). `0` stops it, and every secret rotated out before it, at once: use it when a secret has leaked.',
    }),
  })
  .strict()
  .openapi('RotateWebhookSecretRequest', { example: { previous_secret_valid_seconds: 3600 } });

export const WebhookEndpointParams = z.object({
  id: pathIdField('id', 'whe_2Bn4Mq6Wr8Ty0Ui2Op4As6'),
});
export const DeliveryParams = WebhookEndpointParams.extend({
  delivery_id: pathIdField('delivery_id', 'whd_8Kj6Hg4Fd2Sa0Po8Iu6Yt4'),
});

export const WebhookEndpointPageSchema = pageSchema(WebhookEndpointSchema, 'WebhookEndpointList');
export const ListQuery = z.object({ ...paginationQuery }).strict();

export const DeliverySchema = z
  .object({
    id: z.string(),
    object: z.literal('webhook_delivery'),
    endpoint_id: z.string(),
    event_id: z.string(),
    event_type: z.string(),
    status: z.enum(['pending', 'succeeded', 'failed', 'exhausted']),
    attempts: z.array(
      z.object({
        attempted_at: z.string(),
        status_code: z.number().int().nullable(),
        latency_ms: z.number().int(),
        error: z.string().nullable(),
      }),
    ),
    next_attempt_at: z.string().nullable(),
    delivered_at: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi('WebhookDelivery', {
    example: {
      id: 'whd_8Kj6Hg4Fd2Sa0Po8Iu6Yt4',
      object: 'webhook_delivery',
      endpoint_id: 'whe_2Bn4Mq6Wr8Ty0Ui2Op4As6',
      event_id: 'evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5',
      event_type: 'procedure.status_changed',
      status: 'succeeded',
      attempts: [{ attempted_at: '2026-03-02T10:30:01.000Z', status_code: 200, latency_ms: 84, error: null }],
      next_attempt_at: null,
      delivered_at: '2026-03-02T10:30:01.000Z',
      created_at: '2026-03-02T10:30:00.000Z',
    },
  });
export const DeliveryPageSchema = pageSchema(DeliverySchema, 'WebhookDeliveryList');
