import { z } from '@hono/zod-openapi';

import { pathIdField, timestampField } from '../../http/fields';
import { pageSchema, paginationQuery } from '../../http/pagination';
import { DeadlineBasisSchema, NullableRegionSchema, PLACES_EXAMPLE } from '../calendar/schemas';
import { DocumentKindSchema, ManagingBodySchema, ProcedureTypeCodeSchema } from '../catalog/schemas';
import { FORM_EXAMPLES } from './forms';
import { PROCEDURE_STATUSES, RESOLUTIONS } from './state-machine';

const FormObject = z.record(z.string(), z.unknown()).openapi({
  description:
    'The application form of the procedure type; its JSON Schema is at `GET /v1/procedure-types/{code}/form`. Drafts may be incomplete.',
});

const JUB_FORM_EXAMPLE = FORM_EXAMPLES.JUB;

export const CreateProcedureBody = z
  .object({
    type: ProcedureTypeCodeSchema,
    form: FormObject.optional(),
    original_procedure_id: z
      .string()
      .max(64)
      .optional()
      .openapi({ description: 'For an `RP` (reclamación previa): the procedure whose resolution is contested.' }),
  })
  .strict()
  .openapi('CreateProcedureRequest', { example: { type: 'JUB', form: JUB_FORM_EXAMPLE } });

export const UpdateProcedureBody = z
  .object({ form: FormObject })
  .strict()
  .openapi('UpdateProcedureRequest', { example: { form: JUB_FORM_EXAMPLE } });

const suspensionDay = (description: string) => z.string().openapi({ format: 'date', description });
const FIRST_SUSPENDED_DAY =
  'First day of the suspension: the day after the notification took effect (opened, or deemed rejected).';

const RequirementSuspensionSchema = z
  .discriminatedUnion('status', [
    z.object({ status: z.literal('running'), first_day: suspensionDay(FIRST_SUSPENDED_DAY) }).openapi({
      description:
        'The maximum term is suspended by this requirement now: its end, and so `max_resolution_date`, is known once it is answered or its term passes.',
    }),
    z
      .object({
        status: z.literal('ended'),
        first_day: suspensionDay(FIRST_SUSPENDED_DAY),
        last_day: suspensionDay(
          'Last day of the suspension: the day it was answered; unanswered, the last day of its term; the day the procedure ended, if it ended first.',
        ),
        days: z.number().int().openapi({
          description:
            'Days added back: for a term in días hábiles, the días hábiles from `first_day` to `last_day`, added to the maximum date as it stood; for a term in months, the días naturales, added (with those of earlier suspensions) to the date the months reach from the registration day (art. 30.4), which is then moved to a working day.',
        }),
        unit: z.enum(['business_days', 'natural_days']),
        max_resolution_date_after: suspensionDay(
          'The maximum date once this suspension is counted. Never earlier than `last_day` (moved to the next working day): a term with nothing left when it was suspended ends no earlier than the suspension.',
        ),
      })
      .openapi({ description: 'It suspended the maximum term from `first_day` to `last_day`.' }),
    z
      .object({
        status: z.literal('none'),
        reason: z.enum(['notified_after_term', 'answered_when_notified']).openapi({
          description:
            '`notified_after_term`: its notification took effect after the maximum term had ended (silence had arisen); `answered_when_notified`: it was answered the day its notification took effect.',
        }),
      })
      .openapi({ description: 'It suspended nothing.' }),
  ])
  .nullable()
  .openapi('RequirementSuspension', {
    description:
      'What this requirement did to the maximum resolution term (art. 22.1.a LPAC), in order, so that `max_resolution_date` can be counted again by hand. Null while its notification has not taken effect (the term still runs), before filing, or when the term reaches a year with no holiday data.',
  });

/** A requirement's state and term, as lists show it (without its message or the answer's). */
const requirementState = {
  id: z.string(),
  object: z.literal('requirement'),
  kinds: z.array(DocumentKindSchema),
  notified_at: z.string().openapi({ description: 'When the agency issued it and made its notification available.' }),
  notification_id: z.string().nullable(),
  deadline: z.string().nullable().openapi({
    format: 'date',
    description:
      '10 días hábiles (15 with the extension) counted from the day after its notification is opened or deemed rejected (10 días naturales unopened, art. 43.2); null until then.',
  }),
  deadline_basis: DeadlineBasisSchema.nullable().openapi({
    description:
      'What the deadline rests on; null while it is not known (the notification has not taken effect, or its year has no holiday data).',
  }),
  term_starts: z.enum(['on_access_or_deemed_rejection', 'after_access', 'after_deemed_rejection']).nullable(),
  counting_from: z
    .string()
    .nullable()
    .openapi({ format: 'date', description: 'First día counted; null while the term has not started.' }),
  deemed_rejected_on: z.string().nullable().openapi({
    format: 'date',
    description: 'The day its notification is deemed rejected if nobody opens it by then.',
  }),
  extended: z.boolean(),
  suspension: RequirementSuspensionSchema,
  status: z.enum(['open', 'answered', 'expired']),
  answered_at: z.string().nullable(),
};

export const RequirementSummarySchema = z.object(requirementState).openapi('RequirementSummary', {
  description:
    'A requirement as a list shows it: its state and term. Its message and the answer are read with the procedure.',
});

const WITHHELD_UNTIL_EFFECTIVE =
  "has taken effect: opened with `POST /v1/procedures/{id}/notifications/{notification_id}/access` (the legal access, art. 43.2 LPAC, which starts its term and is recorded in the client's access log), or deemed rejected after 10 días naturales unopened. Always false in the agency's responses: the agency issued the act";

export const RequirementSchema = z
  .object({
    ...requirementState,
    message: z.string().nullable().openapi({ description: `What the agency asks; null while \`content_withheld\`.` }),
    content_withheld: z.boolean().openapi({
      description: `True until the requirement's notification takes effect: its message is shown once the notification ${WITHHELD_UNTIL_EFFECTIVE}.`,
    }),
    response_message: z.string().nullable(),
  })
  .openapi('Requirement');

export const PROCEDURE_EXAMPLE = {
  id: 'prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0',
  object: 'procedure',
  livemode: true,
  type: 'JUB',
  status: 'in_review',
  citizen: { id: 'cit_9Zx8Yw7Vu6Ts5Rq4Po3Nm2', id_number: '12345678Z' },
  delegation_id: 'dlg_3Gh5Jk7Lm9Np1Qr3St5Uv7',
  form: JUB_FORM_EXAMPLE,
  region: 'MD',
  original_procedure_id: null,
  registry_entry_number: 'REG-2026-00001234',
  managing_body: 'INSS',
  submitted_at: '2026-03-02T10:30:00.000Z',
  registered_on: '2026-03-02',
  places: { applicant_municipality: '28079', office_municipality: '28079' },
  deadlines: {
    clock: 'running',
    max_resolution_date: '2026-07-09',
    presumed_denied_at: null,
    requirement_deadline: null,
    prior_claim_deadline: null,
    awaiting_notification: null,
    basis: {
      max_resolution_date: {
        article:
          'Ley 39/2015, arts. 21.2–21.3 (plazo máximo) and 30 (cómputo); suspended by a requirement, art. 22.1.a',
        term: { value: 90, unit: 'business_days' },
        places: PLACES_EXAMPLE,
        lowest_confidence: 'A',
        provisional: false,
        warnings: [],
      },
      presumed_denied_at: null,
      requirement_deadline: null,
      prior_claim_deadline: null,
    },
    unavailable: [],
  },
  resolution: null,
  requirements: [],
  missing_documents: [],
  created_by: 'mem_8Fq2LwP0sZ4nR7tY1xB5cV',
  submitted_by: 'mem_8Fq2LwP0sZ4nR7tY1xB5cV',
  created_at: '2026-03-02T10:20:00.000Z',
  updated_at: '2026-03-03T08:00:00.000Z',
  version: 4,
};

const { form: _form, ...PROCEDURE_SUMMARY_EXAMPLE } = PROCEDURE_EXAMPLE;

/** The legal dates of a procedure, as computed for today, with what each rests on. */
const ProcedureDeadlinesSchema = z
  .object({
    clock: z.enum(['not_started', 'running', 'suspended', 'stopped']).openapi({
      description:
        "The maximum resolution term: `not_started` before filing; `running`; `suspended` from the day after a requirement's notification takes effect (opened, or deemed rejected after 10 días naturales) until it is answered or, unanswered, until the term it granted has passed (art. 22.1.a LPAC): while the notification waits the term still runs, and one that takes effect after the term has ended suspends nothing; `stopped` once the procedure has ended.",
    }),
    max_resolution_date: z.string().nullable().openapi({
      description:
        'Legal maximum date to resolve and notify, suspensions included; null while the term is suspended by a requirement (until it is answered or its term passes, the date is not known); never earlier than the last day of a suspension. A requirement whose notification has not taken effect does not move it yet. The `suspension` of each requirement states the days it added back, to count the date again by hand.',
    }),
    presumed_denied_at: z.string().nullable().openapi({
      description: 'Set once silence applies (desestimación presunta); the body may still resolve later.',
    }),
    requirement_deadline: z.string().nullable(),
    prior_claim_deadline: z.string().nullable().openapi({
      description:
        "After a denial: last day to file a reclamación previa (30 días hábiles from the day after the resolution's notification is opened or deemed rejected, or after silence). Always null for an `RP`: the denial of a reclamación previa is contested in court (demanda, Ley 36/2011 art. 71.6), whose term runs in the judicial calendar, which Puente does not count.",
    }),
    awaiting_notification: z
      .object({
        notification_id: z.string(),
        kind: z.enum(['requirement', 'resolution']),
        term_starts: z.literal('on_access_or_deemed_rejection'),
        deemed_rejected_on: z.string().openapi({ format: 'date' }),
      })
      .nullable()
      .openapi({
        description:
          'A notification not yet opened nor deemed rejected: the deadline it governs is null until it takes effect. Open it with `POST /v1/procedures/{id}/notifications/{notification_id}/access`.',
      }),
    basis: z
      .object({
        max_resolution_date: DeadlineBasisSchema.nullable(),
        presumed_denied_at: DeadlineBasisSchema.nullable(),
        requirement_deadline: DeadlineBasisSchema.nullable(),
        prior_claim_deadline: DeadlineBasisSchema.nullable(),
      })
      .openapi({
        description:
          'For each date above: the article it comes from, the places whose calendars were used and the weakest data behind it.',
      }),
    unavailable: z
      .array(
        z.object({
          deadline: z.enum([
            'max_resolution_date',
            'presumed_denied_at',
            'requirement_deadline',
            'prior_claim_deadline',
          ]),
          year: z.number().int(),
          message: z.string(),
        }),
      )
      .openapi({
        description:
          'Dates above left null because counting them reaches a year with no holiday data yet (never guessed): each with that year. Empty when every date could be computed.',
      }),
  })
  .openapi('ProcedureDeadlines');

/** The body that decides the procedure, as the procedure and the citizen's view show it. */
export const MANAGING_BODY_FIELD = ManagingBodySchema.nullable().openapi({
  description:
    "The body that decides it, fixed when it is filed (null for a draft); its back office is the only one that sees the procedure. A reclamación previa goes to the body that decided what it contests; a non-contributory pension to the applicant's community (the IMSERSO in Ceuta and Melilla); a retirement pension under the sea workers' regime to the ISM; everything else to the INSS (the forms do not name a mutua).",
});

/** What a list shows of a procedure and a read shows too: its state and legal dates. */
const procedureState = {
  id: z.string(),
  object: z.literal('procedure'),
  livemode: z.boolean(),
  type: ProcedureTypeCodeSchema,
  status: z.enum(PROCEDURE_STATUSES),
  citizen: z.object({ id: z.string(), id_number: z.string() }),
  delegation_id: z.string(),
  region: NullableRegionSchema,
  places: z
    .object({
      applicant_municipality: z
        .string()
        .nullable()
        .openapi({ description: "INE code of the applicant's municipality (from the form's address)." }),
      office_municipality: z.string().nullable().openapi({
        description:
          "INE code of the deciding office's seat: the capital of the applicant's province (Dirección Provincial).",
      }),
    })
    .openapi({
      description: "The places whose calendars count for this procedure's deadlines (Ley 39/2015, art. 30.6).",
    }),
  original_procedure_id: z.string().nullable(),
  registry_entry_number: z.string().nullable(),
  managing_body: MANAGING_BODY_FIELD,
  submitted_at: z.string().nullable(),
  registered_on: z.string().nullable().openapi({
    format: 'date',
    description: 'The day the legal clock counts from (next working day when filed on a non-working day).',
  }),
  deadlines: ProcedureDeadlinesSchema,
  missing_documents: z
    .array(z.object({ any_of: z.array(DocumentKindSchema) }))
    .openapi({ description: 'Required document groups with no document yet.' }),
  created_by: z.string(),
  submitted_by: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  version: z.number().int(),
};

/** An express resolution's outcome and notification, as lists show it (without its text or amount). */
const resolutionState = {
  outcome: z.enum(RESOLUTIONS),
  resolved_at: z.string(),
  notification_id: z
    .string()
    .nullable()
    .openapi({ description: 'The notification that carries it (null for a resolution recorded without one).' }),
};

export const ProcedureSummarySchema = z
  .object({
    ...procedureState,
    resolution: z.object(resolutionState).nullable(),
    requirements: z.array(RequirementSummarySchema),
  })
  .openapi('ProcedureSummary', {
    description:
      "A procedure as a list shows it: its state, legal dates and what it still needs. Its contents (the form, the resolution's text and amount, the requirements' messages and answers) are read with `retrieveProcedure` under the client's consent token, which the client's access log records; the text of an act notified electronically (a requirement, a resolution) once its notification has taken effect (opened, or deemed rejected).",
    example: PROCEDURE_SUMMARY_EXAMPLE,
  });
export type ProcedureSummary = z.infer<typeof ProcedureSummarySchema>;

export const ProcedureSchema = z
  .object({
    ...procedureState,
    form: FormObject,
    resolution: z
      .object({
        ...resolutionState,
        text: z
          .string()
          .nullable()
          .openapi({ description: 'The resolution as notified; null while `content_withheld`.' }),
        amount: z.number().nullable().openapi({
          description: 'The amount granted, in euros; null when none is (a denial), or while `content_withheld`.',
        }),
        content_withheld: z.boolean().openapi({
          description: `True until the resolution's notification takes effect: its text and amount are shown once the notification ${WITHHELD_UNTIL_EFFECTIVE}. Its outcome is the procedure's status, shown all along.`,
        }),
      })
      .nullable(),
    requirements: z.array(RequirementSchema),
  })
  .openapi('Procedure', { example: PROCEDURE_EXAMPLE });
export type Procedure = z.infer<typeof ProcedureSchema>;

export const ProcedureParams = z.object({
  id: pathIdField('id', 'prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0'),
});

export const ListProceduresQuery = z
  .object({
    ...paginationQuery,
    status: z.enum(PROCEDURE_STATUSES).optional(),
    type: ProcedureTypeCodeSchema.optional(),
    updated_since: timestampField()
      .optional()
      .openapi({ description: 'Only procedures changed at or after this time.' }),
  })
  .strict();
export const ProcedurePageSchema = pageSchema(ProcedureSummarySchema, 'ProcedureList');

export const TimelineEntrySchema = z
  .object({
    id: z.string(),
    object: z.literal('timeline_entry'),
    occurred_at: z.string(),
    actor: z.object({
      type: z.enum(['member', 'caseworker', 'citizen', 'system']),
      id: z.string().nullable(),
      name: z.string().nullable(),
    }),
    action: z.string(),
    from_status: z.string().nullable(),
    to_status: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
  })
  .openapi('TimelineEntry');

export const TimelineSchema = z
  .object({ data: z.array(TimelineEntrySchema), has_more: z.literal(false), next_cursor: z.null() })
  .openapi('Timeline');

export const RequirementResponseBody = z
  .object({
    message: z.string().max(4000).optional().openapi({
      description:
        "Explanation for the caseworker: with an answer, kept as the requirement's `response_message`; with `request_extension`, why more time is needed, kept in the `requirement_extended` timeline entry.",
    }),
    request_extension: z
      .boolean()
      .optional()
      .openapi({ description: 'Ask once for 5 more días hábiles instead of answering now.' }),
  })
  .strict()
  .openapi('RequirementResponseRequest', { example: { message: 'Adjuntamos el certificado de empresa solicitado.' } });

export const RequirementParams = ProcedureParams.extend({
  requirement_id: pathIdField('requirement_id', 'req_1Qa3Ws5Ed7Rf9Tg1Yh3Uj5'),
});
