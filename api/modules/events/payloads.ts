import { z } from '@hono/zod-openapi';

import type { App } from '../../http/context';
import { DocumentKindSchema, PROCEDURE_TYPE_CODES } from '../catalog/schemas';
import { PROCEDURE_STATUSES, RESOLUTIONS } from '../procedures/state-machine';
import type { EventType } from './emit';

/**
 * The `data` of every event type, as emitted (see the `emit` calls), with an example. Keyed by
 * EventType, so a new event type does not compile until its payload is described here; the
 * document's `webhooks` section and the SDK's typed events come from this table.
 */
const ids = {
  request: 'dlr_7Qw9Er1Ty3Ui5Op7As9Df1',
  delegation: 'dlg_5Tg7Yh9Uj1Ik3Ol5Pz7Xc9',
  procedure: 'prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0',
  requirement: 'req_3Ed5Rf7Tg9Yh1Uj3Ik5Ol7',
  endpoint: 'whe_2Bn4Mq6Wr8Ty0Ui2Op4As6',
  batch: 'dlb_3vN8kQ2mXp7LwR4tZ9cB1d',
  notification: 'ntf_4Rf6Tg8Yh0Uj2Ik4Ol6Pz8',
  calendarChange: 'cch_8Kl0Zx2Cv4Bn6Mq8Wr0Ty2',
};
const requestId = z.string().openapi({ description: 'The delegation request (`dlr_…`).', example: ids.request });
const delegationId = z.string().openapi({ description: 'The delegation (`dlg_…`).', example: ids.delegation });
const notificationId = z.string().openapi({ description: 'The notification (`ntf_…`).', example: ids.notification });
const procedureId = z.string().openapi({ description: 'The procedure (`prc_…`).', example: ids.procedure });
const requirementId = z.string().openapi({ example: ids.requirement });
const procedureType = z.enum(PROCEDURE_TYPE_CODES).openapi({ description: 'The procedure type code.' });
const procedureStatus = z.enum(PROCEDURE_STATUSES);
const day = z.string().openapi({ description: 'A date, `YYYY-MM-DD` (Europe/Madrid).', example: '2026-04-14' });

/** The data of an event about an open requirement and its deadline. */
const openRequirementData = {
  procedure_id: procedureId,
  type: procedureType,
  status: procedureStatus,
  requirement_id: requirementId,
  deadline: day,
};

/** The open requirement that the examples of the requirement events speak of. */
const openRequirement = {
  procedure_id: ids.procedure,
  type: 'JUB',
  status: 'action_required',
  requirement_id: ids.requirement,
} as const;

const requestEnded = (summary: string, status: 'rejected' | 'expired' | 'cancelled') => ({
  summary,
  schema: z.object({ delegation_request_id: requestId, status: z.literal(status) }),
  example: { delegation_request_id: ids.request, status },
});
const delegationEnded = (
  summary: string,
  status: 'revoked' | 'renounced' | 'expired' | 'suspended',
  endedBy: readonly [string, ...string[]],
) => ({
  summary,
  schema: z.object({
    delegation_id: delegationId,
    status: z.literal(status),
    ended_by: z.enum(endedBy).openapi({ description: 'Who or what ended it.' }),
  }),
  example: { delegation_id: ids.delegation, status, ended_by: endedBy[0] },
});

/** Every notification event carries the act and its dates, as the agency made it available. */
const notificationEvent = z.object({
  notification_id: notificationId,
  procedure_id: procedureId,
  type: procedureType,
  kind: z.string().openapi({
    description:
      'What the act is: `requirement`, `resolution`, `withdrawal_declaration`, `lapse_warning` or `lapse_declaration`.',
    example: 'requirement',
  }),
  made_available_at: z.string().openapi({
    description: 'When the agency made it available, ISO 8601 UTC.',
    example: '2026-03-10T09:00:00.000Z',
  }),
  deemed_rejected_on: day.nullable().openapi({
    description:
      "The day it counts as rejected if still unopened (art. 43.2 LPAC, 10 días naturales); null when that year's calendar is not known.",
  }),
  term_deadline: day
    .nullable()
    .openapi({ description: 'The last day of the term the act opens, when it opens one and it is known.' }),
});
const notificationChanged = (summary: string) => ({
  summary,
  schema: notificationEvent,
  example: {
    notification_id: ids.notification,
    procedure_id: ids.procedure,
    type: 'JUB',
    kind: 'requirement',
    made_available_at: '2026-03-10T09:00:00.000Z',
    deemed_rejected_on: '2026-03-20',
    term_deadline: null,
  },
});

export const EVENT_PAYLOADS: Record<
  EventType,
  { summary: string; schema: z.ZodObject; example: Record<string, unknown> }
> = {
  'delegation_request.accepted': {
    summary: 'The citizen accepted a delegation request; the delegation now exists.',
    schema: z.object({ delegation_request_id: requestId, status: z.literal('accepted'), delegation_id: delegationId }),
    example: { delegation_request_id: ids.request, status: 'accepted', delegation_id: ids.delegation },
  },
  'delegation_request.rejected': requestEnded('The citizen rejected a delegation request.', 'rejected'),
  'delegation_request.expired': requestEnded('A delegation request reached its expiry unanswered.', 'expired'),
  'delegation_request.cancelled': requestEnded(
    'A pending delegation request was cancelled: by the organisation, or by the platform when it suspended the organisation (the request then shows `ended_by: system`).',
    'cancelled',
  ),
  'delegation.revoked': delegationEnded(
    'The citizen revoked a delegation; its consent tokens stop working at once.',
    'revoked',
    ['citizen'],
  ),
  'delegation.renounced': delegationEnded('The organisation renounced a delegation.', 'renounced', ['organization']),
  'delegation.expired': delegationEnded('A delegation reached its `valid_until` date.', 'expired', ['expiry']),
  'delegation.suspended': delegationEnded('A delegation was suspended with its organisation.', 'suspended', [
    'platform',
  ]),
  'procedure.submitted': {
    summary: 'A procedure was filed: it has a registry entry and a maximum resolution date.',
    schema: z.object({
      procedure_id: procedureId,
      type: procedureType,
      status: z.literal('submitted'),
      registry_entry_number: z.string().openapi({ example: 'REG-2026-000123' }),
      max_resolution_date: day,
    }),
    example: {
      procedure_id: ids.procedure,
      type: 'JUB',
      status: 'submitted',
      registry_entry_number: 'REG-2026-000123',
      max_resolution_date: '2026-06-02',
    },
  },
  'procedure.status_changed': {
    summary: 'A procedure moved from one status to another.',
    schema: z.object({
      procedure_id: procedureId,
      type: procedureType,
      previous_status: procedureStatus,
      status: procedureStatus,
      requirement_id: z
        .string()
        .optional()
        .openapi({ description: 'When the change is a requirement being issued.', example: ids.requirement }),
    }),
    example: {
      procedure_id: ids.procedure,
      type: 'JUB',
      previous_status: 'in_review',
      status: 'action_required',
      requirement_id: ids.requirement,
    },
  },
  'procedure.requirement_issued': {
    summary:
      'The managing body asked for documents. The requirement is a notification: its term of 10 días hábiles runs from the day after it is opened or counts as rejected, so the deadline is not known yet.',
    schema: z.object({
      procedure_id: procedureId,
      type: procedureType,
      status: z.literal('action_required'),
      requirement_id: requirementId,
      kinds: z.array(DocumentKindSchema),
      deadline: z.null().openapi({
        description:
          'Not known when issued: `notification.accessed` (or `notification.deemed_rejected`) carries it as `term_deadline`.',
      }),
      term_starts: z.literal('on_access_or_deemed_rejection'),
      notification_id: notificationId.openapi({ description: 'The notification that carries the requirement.' }),
    }),
    example: {
      ...openRequirement,
      kinds: ['COMPANY_CERT'],
      deadline: null,
      term_starts: 'on_access_or_deemed_rejection',
      notification_id: ids.notification,
    },
  },
  'procedure.requirement_extended': {
    summary:
      'The representative asked for the extension of 5 días hábiles (art. 68.2 LPAC), before the term ended: the requirement has its new deadline.',
    schema: z.object({
      procedure_id: procedureId,
      type: procedureType,
      status: procedureStatus,
      requirement_id: requirementId,
      deadline: day.nullable().openapi({
        description:
          "The requirement's new deadline (15 días hábiles from the day after its notification took effect); null only for a requirement recorded without a notification.",
      }),
    }),
    example: { ...openRequirement, deadline: '2026-03-31' },
  },
  'procedure.requirement_deadline_approaching': {
    summary: "An open requirement's deadline is a few business days away.",
    schema: z.object(openRequirementData),
    example: { ...openRequirement, deadline: '2026-03-24' },
  },
  'procedure.resolved': {
    summary:
      "The managing body resolved a procedure. The resolution's text and amount are the client's contents: read them with the procedure, under the client's consent, once its notification (`resolution.notification_id`) has been opened or deemed rejected.",
    schema: z.object({
      procedure_id: procedureId,
      type: procedureType,
      status: procedureStatus,
      outcome: z.enum(RESOLUTIONS),
    }),
    example: { procedure_id: ids.procedure, type: 'JUB', status: 'approved', outcome: 'approved' },
  },
  'procedure.presumed_denied': {
    summary: 'The maximum resolution term passed without a decision (silencio administrativo).',
    schema: z.object({
      procedure_id: procedureId,
      type: procedureType,
      status: procedureStatus,
      presumed_denied_at: day,
      prior_claim_deadline: day.nullable().openapi({
        description:
          'Last day to file a reclamación previa; null for an `RP` (its denial goes to court) or when a year it reaches has no holiday data.',
      }),
    }),
    example: {
      procedure_id: ids.procedure,
      type: 'JUB',
      status: 'in_review',
      presumed_denied_at: '2026-06-03',
      prior_claim_deadline: '2026-07-15',
    },
  },
  'webhook_endpoint.test': {
    summary: 'A test event sent to one endpoint on request.',
    schema: z.object({ webhook_endpoint_id: z.string().openapi({ example: ids.endpoint }) }),
    example: { webhook_endpoint_id: ids.endpoint },
  },
  'calendar.holidays_changed': {
    summary:
      'The published calendar changed (a holiday added, replaced or lifted) and the stored dates of these procedures were recomputed; each has a timeline entry.',
    schema: z.object({
      calendar_change_id: z.string().openapi({
        description: 'The recorded change (`cch_…`), with who, why and the days before and after.',
        example: ids.calendarChange,
      }),
      year: z.number().int().openapi({ example: 2026 }),
      scope: z.enum(['national', 'region', 'area', 'municipality']).openapi({ description: 'Which calendar changed.' }),
      code: z.string().nullable().openapi({
        description:
          'The place: region code, island or territory code, or INE municipality code; null for national days.',
        example: '28079',
      }),
      procedure_ids: z.array(procedureId).openapi({
        description:
          "This organisation's procedures whose stored dates moved, of those it still follows when the event is read or sent (a client whose delegation ended since drops out; with none left, the event is not listed).",
      }),
    }),
    example: {
      calendar_change_id: ids.calendarChange,
      year: 2026,
      scope: 'municipality',
      code: '28079',
      procedure_ids: [ids.procedure],
    },
  },
  'delegation_request_batch.completed': {
    summary:
      "Every row of a batch of delegation requests was processed; each row's outcome is in the batch's rows list.",
    schema: z.object({
      delegation_request_batch_id: z.string().openapi({ description: 'The batch (`dlb_…`).', example: ids.batch }),
      status: z.literal('completed'),
      total: z.number().int(),
      created: z.number().int(),
      duplicates: z.number().int(),
      failed: z.number().int(),
    }),
    example: {
      delegation_request_batch_id: ids.batch,
      status: 'completed',
      total: 1000,
      created: 950,
      duplicates: 30,
      failed: 20,
    },
  },
  'notification.available': notificationChanged(
    'The managing body made an act available to the organisation as the representative (art. 43.1 LPAC); opening it starts its term.',
  ),
  'notification.accessed': notificationChanged(
    'A member opened an act made available by the managing body; its term runs from the next day.',
  ),
  'notification.deemed_rejected': notificationChanged(
    'Ten días naturales passed without the act being opened: it counts as rejected and the procedure goes on (art. 43.2 LPAC).',
  ),
  'notification.deemed_rejection_approaching': notificationChanged(
    'An act is still unopened and counts as rejected in a few days.',
  ),
  'requirement.expired': {
    summary:
      "A requirement's term passed unanswered; from the day after, the managing body may declare the application withdrawn.",
    schema: z.object({
      ...openRequirementData,
      withdrawal_declarable_from: day.openapi({
        description: 'The first day the withdrawal may be declared: the day after the deadline.',
      }),
    }),
    example: { ...openRequirement, deadline: '2026-03-24', withdrawal_declarable_from: '2026-03-25' },
  },
  'procedure.withdrawal_declared': {
    summary:
      'The managing body declared the application withdrawn after a requirement went unanswered (arts. 68.1 and 94 LPAC); the declaration is a new notification.',
    schema: z.object({
      procedure_id: procedureId,
      type: procedureType,
      status: z.literal('withdrawn'),
      requirement_id: requirementId,
      requirement_deadline: day,
      notification_id: notificationId,
    }),
    example: {
      procedure_id: ids.procedure,
      type: 'JUB',
      status: 'withdrawn',
      requirement_id: ids.requirement,
      requirement_deadline: '2026-03-24',
      notification_id: ids.notification,
    },
  },
  'procedure.lapse_warned': {
    summary:
      'The managing body warned that the procedure lapses in three months unless the applicant acts (art. 95.1 LPAC); the warning is a notification.',
    schema: z.object({
      procedure_id: procedureId,
      type: procedureType,
      status: procedureStatus,
      notification_id: notificationId,
    }),
    example: { procedure_id: ids.procedure, type: 'JUB', status: 'in_review', notification_id: ids.notification },
  },
  'procedure.lapsed': {
    summary:
      "The managing body declared the procedure lapsed (caducidad, art. 95.1 LPAC) after the warning's three months passed; the declaration is a notification.",
    schema: z.object({
      procedure_id: procedureId,
      type: procedureType,
      status: z.literal('lapsed'),
      lapse_warning_id: notificationId.openapi({ description: "The warning's notification." }),
      warning_term_ended_on: day.nullable(),
      notification_id: notificationId,
    }),
    example: {
      procedure_id: ids.procedure,
      type: 'JUB',
      status: 'lapsed',
      lapse_warning_id: ids.notification,
      warning_term_ended_on: '2026-06-10',
      notification_id: 'ntf_9Wq1Er3Ty5Ui7Op9As1Df3',
    },
  },
};

const pascal = (type: string) =>
  type
    .split(/[._]/)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');

/** What every webhook's description says of the order and repetition of deliveries. */
const DELIVERY_ORDER =
  'Deliveries come at least once and in no guaranteed order: several go to one endpoint at once and each retry is scheduled on its own, so a later event can arrive before an earlier one. Deduplicate on the event `id` (also `webhook-id`), do not rely on the order, and for the current state re-read the resource the event names, or walk the feed (`GET /v1/events`), which is in commit order.';

/** The Standard Webhooks headers every delivery carries (see api/modules/webhooks/delivery.ts), as document parameters. */
const WEBHOOK_HEADERS = {
  WebhookId: {
    name: 'webhook-id',
    in: 'header',
    required: true,
    description: 'The event id (`evt_…`), the same on every attempt: deduplicate on it.',
    schema: { type: 'string' },
    example: 'evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5',
  },
  WebhookTimestamp: {
    name: 'webhook-timestamp',
    in: 'header',
    required: true,
    description: 'When this attempt was sent, in Unix seconds; part of what is signed (refuse ones far from now).',
    schema: { type: 'string' },
    example: '1773133200',
  },
  WebhookSignature: {
    name: 'webhook-signature',
    in: 'header',
    required: true,
    description:
      "`v1,` and the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` keyed with the endpoint's secret (the bytes its base64 after `whsec_` encodes); several, separated by spaces, while secrets rotated out still sign.",
    schema: { type: 'string' },
    example: 'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=',
  },
} as const;

/** Declares every event type under the document's `webhooks`: the body each endpoint receives. */
export function registerWebhookEvents(app: App): void {
  for (const [name, parameter] of Object.entries(WEBHOOK_HEADERS))
    app.openAPIRegistry.registerComponent('parameters', name, parameter as never);
  const parameters = Object.keys(WEBHOOK_HEADERS).map((name) => ({ $ref: `#/components/parameters/${name}` }));
  for (const [type, payload] of Object.entries(EVENT_PAYLOADS)) {
    const example = {
      id: 'evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5',
      type,
      timestamp: '2026-03-10T09:00:00.000Z',
      livemode: false,
      data: payload.example,
    };
    const schema = z
      .object({
        id: z.string().openapi({ description: 'The event id (`evt_…`), also in `webhook-id`: deduplicate on it.' }),
        type: z.literal(type),
        timestamp: z.string().openapi({ description: 'When it happened, ISO 8601 UTC.' }),
        livemode: z.boolean(),
        data: payload.schema,
      })
      .openapi(`${pascal(type)}Event`, { description: payload.summary, example });
    app.openAPIRegistry.registerWebhook({
      method: 'post',
      path: type,
      operationId: `${pascal(type).replace(/^./, (c) => c.toLowerCase())}Webhook`,
      tags: ['Webhook endpoints'],
      // Sent to your endpoint, which verifies `webhook-signature` rather than a credential.
      security: [],
      summary: type,
      description: `${payload.summary} Signed per Standard Webhooks (\`webhook-id\`, \`webhook-timestamp\`, \`webhook-signature\`); answer 2xx within 15 s, or it is retried with backoff. ${DELIVERY_ORDER}`,
      parameters,
      request: { body: { required: true, content: { 'application/json': { schema, example } } } },
      responses: { 200: { description: 'Received. Any 2xx will do; 410 disables the endpoint.' } },
    });
  }
}
