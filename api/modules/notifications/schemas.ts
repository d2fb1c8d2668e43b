import { z } from '@hono/zod-openapi';

import { pathIdField } from '../../http/fields';
import { ProcedureParams } from '../procedures/schemas';

export const NOTIFICATION_KINDS = [
  'requirement',
  'resolution',
  'withdrawal_declaration',
  'lapse_warning',
  'lapse_declaration',
] as const;
export const TERM_STARTS = ['on_access_or_deemed_rejection', 'after_access', 'after_deemed_rejection'] as const;

export const NotificationTermSchema = z
  .object({
    basis: z.enum(['requirement', 'prior_claim', 'lapse_warning']).openapi({
      description:
        '`requirement`: 10 días hábiles to cure it (15 with the extension); `prior_claim`: 30 días hábiles to file a reclamación previa; `lapse_warning`: the three months after which caducidad may be declared.',
    }),
    article: z.string(),
    starts: z.enum(TERM_STARTS).openapi({
      description:
        '`on_access_or_deemed_rejection` while the notification is neither opened nor deemed rejected: the term is not running yet and `deadline` is null.',
    }),
    counting_from: z.string().nullable().openapi({
      format: 'date',
      description: 'First day counted: the day after the opening or the deemed rejection.',
    }),
    deadline: z
      .string()
      .nullable()
      .openapi({ format: 'date', description: 'Last day of the term; null until it starts running.' }),
  })
  .openapi('NotificationTerm');

export const NOTIFICATION_EXAMPLE = {
  id: 'ntf_4Rt6Yu8Io0Pa2Sd4Fg6Hj8',
  object: 'notification',
  livemode: true,
  procedure_id: 'prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0',
  kind: 'requirement',
  requirement_id: 'req_1Qa3Ws5Ed7Rf9Tg1Yh3Uj5',
  status: 'available',
  made_available_at: '2026-03-10T09:00:00.000Z',
  deemed_rejected_on: '2026-03-20',
  accessed_at: null,
  accessed_by_member_id: null,
  deemed_rejected_at: null,
  term: {
    basis: 'requirement',
    article: 'Ley 39/2015, arts. 68.1 y 43.2',
    starts: 'on_access_or_deemed_rejection',
    counting_from: null,
    deadline: null,
  },
  content: null,
};

export const NotificationSchema = z
  .object({
    id: z.string(),
    object: z.literal('notification'),
    livemode: z.boolean(),
    procedure_id: z.string(),
    kind: z.enum(NOTIFICATION_KINDS),
    requirement_id: z.string().nullable(),
    status: z.enum(['available', 'accessed', 'deemed_rejected']).openapi({
      description:
        '`deemed_rejected` once 10 días naturales passed unopened (art. 43.2): the term runs all the same, from the next day.',
    }),
    made_available_at: z.string(),
    deemed_rejected_on: z.string().nullable().openapi({
      format: 'date',
      description:
        'The day it is deemed rejected if not opened by then (null only when that year has no holiday data).',
    }),
    accessed_at: z
      .string()
      .nullable()
      .openapi({ description: "First opening by a member (it is recorded in the citizen's access log)." }),
    accessed_by_member_id: z.string().nullable(),
    deemed_rejected_at: z.string().nullable().openapi({ description: 'When Puente recorded the deemed rejection.' }),
    term: NotificationTermSchema.nullable().openapi({
      description:
        'The term this act opens; null for acts that open none Puente tracks (an approval; the denial of a reclamación previa, contested in court).',
    }),
    content: z.record(z.string(), z.unknown()).nullable().openapi({
      description: 'The act as notified; null until the notification takes effect (opened, or deemed rejected).',
    }),
  })
  .openapi('Notification', { example: NOTIFICATION_EXAMPLE });

export const NotificationListSchema = z
  .object({ data: z.array(NotificationSchema), has_more: z.literal(false), next_cursor: z.null() })
  .openapi('NotificationList');

export const NotificationParams = ProcedureParams.extend({
  notification_id: pathIdField('notification_id', 'ntf_4Rt6Yu8Io0Pa2Sd4Fg6Hj8'),
});
