import { z } from '@hono/zod-openapi';

import { pageSchema, paginationQuery } from '../../http/pagination';
import { AVISO_KINDS, CHANNELS } from './messages';

export const AvisoKindSchema = z.enum(AVISO_KINDS).openapi('AvisoKind', {
  description:
    'What an aviso is about: a delegation request awaiting the citizen; a delegation granted, revoked, renounced or ending within 30 days; a filing made; a requirement (when made available, and its deadline once known); a resolution; a presumed denial (with the reclamación previa deadline); a notification three days before it counts as rejected.',
});
export const ChannelSchema = z.enum(CHANNELS).openapi('AvisoChannel');

export const ListMyAvisosQuery = z.object({ ...paginationQuery }).strict();

export const AvisoAttemptSchema = z
  .object({
    attempt: z.number().int(),
    at: z.string(),
    outcome: z.enum(['accepted', 'failed', 'cancelled']),
    detail: z.string().nullable().openapi({ description: "The receiving server's answer, or why it failed." }),
  })
  .openapi('AvisoAttempt');

export const AvisoSchema = z
  .object({
    id: z.string(),
    object: z.literal('aviso'),
    livemode: z.boolean(),
    kind: z.enum([...AVISO_KINDS, 'contact_confirmation']),
    channel: ChannelSchema,
    recipient: z.string().openapi({ description: 'The address or number it went to.' }),
    recipient_source: z.enum(['citizen', 'request', 'confirmation']).openapi({
      description:
        "`citizen`: the citizen's own confirmed contact; `request`: the contact a firm gave on that delegation request (used for its aviso only); `confirmation`: a new contact being confirmed.",
    }),
    language: z.enum(['es', 'en']),
    subject: z.string(),
    status: z.enum(['pending', 'sent', 'failed', 'cancelled']),
    attempts: z.array(AvisoAttemptSchema),
    next_attempt_at: z.string().nullable(),
    sent_at: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi('Aviso');
export const AvisoPageSchema = pageSchema(AvisoSchema, 'AvisoList');

const ContactSchema = z.object({
  value: z.string().nullable().openapi({ description: 'The confirmed address or number; null when none.' }),
  confirmed_at: z.string().nullable(),
  pending: z
    .object({ value: z.string(), expires_at: z.string() })
    .nullable()
    .openapi({ description: 'A contact waiting for the code sent to it.' }),
});

export const AvisoSettingsSchema = z
  .object({
    object: z.literal('aviso_settings'),
    language: z.enum(['es', 'en']),
    channels: z.array(ChannelSchema),
    kinds: z.array(AvisoKindSchema).openapi({ description: 'The kinds of aviso the citizen wants.' }),
    email: ContactSchema,
    phone: ContactSchema,
    updated_at: z.string().nullable(),
  })
  .openapi('AvisoSettings');

export const UpdateAvisoSettingsBody = z
  .object({
    language: z.enum(['es', 'en']),
    channels: z.array(ChannelSchema).max(2),
    kinds: z.array(AvisoKindSchema).max(AVISO_KINDS.length),
  })
  .strict()
  .openapi('UpdateAvisoSettings');

export const ContactParams = z.object({
  channel: z.enum(['email', 'phone']).openapi({ param: { name: 'channel', in: 'path' }, example: 'email' }),
});

export const StartContactBody = z
  .object({
    value: z.string().min(3).max(254).openapi({ example: 'carmen.lopez@example.es' }),
  })
  .strict()
  .openapi('StartContactConfirmation');

export const ConfirmContactBody = z
  .object({ code: z.string().min(4).max(12).openapi({ example: '482913' }) })
  .strict()
  .openapi('ConfirmContact');
