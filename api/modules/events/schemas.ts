import { z } from '@hono/zod-openapi';

import { pathIdField } from '../../http/fields';
import { pageSchema, paginationQuery } from '../../http/pagination';
import { EVENT_TYPES } from './emit';

/** An event type, or a family of them (`procedure.*`): one that exists, never silently nothing. */
export const EventTypeFilter = z
  .string()
  .refine(
    (t) =>
      (EVENT_TYPES as readonly string[]).includes(t) ||
      (t.endsWith('.*') && EVENT_TYPES.some((e) => e.startsWith(t.slice(0, -1)))),
    {
      message: 'Unknown event type.',
    },
  )
  .openapi({ example: 'procedure.*' });

export const EventSchema = z
  .object({
    id: z.string(),
    object: z.literal('event'),
    type: z.string(),
    livemode: z.boolean(),
    created_at: z.string(),
    timestamp: z.string().openapi({
      description:
        'When it happened, ISO 8601 UTC: the `timestamp` of the webhook body (the same instant as `created_at`).',
    }),
    data: z
      .record(z.string(), z.unknown())
      .openapi({ description: 'Ids and the new state; fetch the resource for the rest.' }),
  })
  .openapi('Event', {
    example: {
      id: 'evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5',
      object: 'event',
      type: 'procedure.status_changed',
      livemode: true,
      created_at: '2026-03-10T09:00:00.000Z',
      timestamp: '2026-03-10T09:00:00.000Z',
      data: {
        procedure_id: 'prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0',
        type: 'JUB',
        previous_status: 'in_review',
        status: 'action_required',
      },
    },
  });

export const ListEventsQuery = z
  .object({
    ...paginationQuery,
    type: EventTypeFilter.optional().openapi({ description: 'An event type, or a family such as `procedure.*`.' }),
  })
  .strict();
export const EventPageSchema = pageSchema(
  EventSchema,
  'EventList',
  'Pass as `cursor` to get what came after this page. Unlike other lists, kept on the last page too: poll with it to get only what is new (null only while the feed is empty). Opaque and sealed, valid only for this feed (organisation and mode): store it as it is.',
);
export const EventParams = z.object({
  id: pathIdField('id', 'evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5'),
});
