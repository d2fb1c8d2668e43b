import { z } from '@hono/zod-openapi';

import { pathIdField } from '../../http/fields';
import { pageSchema, paginationQuery } from '../../http/pagination';
import { ListAccessLogQuery } from '../access-log/schemas';
import { DocumentKindSchema, ProcedureTypeCodeSchema } from '../catalog/schemas';
import { DOCUMENT_EXAMPLE, DocumentSchema } from '../documents/schemas';
import { MANAGING_BODY_FIELD, ProcedureSchema, RequirementSchema, TimelineEntrySchema } from '../procedures/schemas';
import { PROCEDURE_STATUSES } from '../procedures/state-machine';

export const ListMyProceduresQuery = z.object({ ...paginationQuery }).strict();

export const AcceptMyDelegationRequestBody = z
  .object({
    confirm_withdraw: z.boolean().optional().openapi({
      description:
        "The citizen's express consent to the `withdraw` capacity (desisting from or renouncing applications on their behalf), given apart from the rest of the scope. Required, as `true`, when the request asks for `withdraw`; ignored otherwise.",
    }),
  })
  .strict()
  .openapi('AcceptMyDelegationRequestRequest', { example: { confirm_withdraw: true } });

export const HandledBySchema = z
  .object({
    organization: z.object({
      id: z.string(),
      legal_name: z.string(),
      kind: z.enum(['gestoria', 'graduado_social', 'law_firm', 'third_sector']),
    }),
    delegation: z.object({
      id: z.string(),
      status: z.enum(['active', 'revoked', 'renounced', 'expired', 'suspended']).openapi({
        description: "Today's status: a procedure stays in the citizen's history after the delegation ends.",
      }),
    }),
  })
  .openapi('HandledBy');

const summaryShape = {
  id: z.string(),
  object: z.literal('my_procedure'),
  livemode: z.boolean(),
  type: ProcedureTypeCodeSchema,
  status: z.enum(PROCEDURE_STATUSES),
  handled_by: HandledBySchema,
  registry_entry_number: z.string().nullable(),
  managing_body: MANAGING_BODY_FIELD,
  submitted_at: z.string().nullable(),
  registered_on: z.string().nullable().openapi({ format: 'date' }),
  deadlines: ProcedureSchema.shape.deadlines,
  resolution: ProcedureSchema.shape.resolution,
  created_at: z.string(),
  updated_at: z.string(),
};

export const MyProcedureSummarySchema = z.object(summaryShape).openapi('MyProcedureSummary');
export const MyProcedurePageSchema = pageSchema(MyProcedureSummarySchema, 'MyProcedureList');

export const LegalDateSchema = z
  .object({
    code: z
      .enum([
        'not_filed',
        'registered',
        'resolve_by',
        'prior_claim_if_silent',
        'clock_suspended',
        'presumed_denied',
        'presumed_approved',
        'prior_claim_until',
        'dates_unknown',
        'court_claim',
        'lapse_warned_unopened',
        'lapse_declarable_from',
      ])
      .openapi({
        description:
          '`registered`: the day the legal clock counts from. `resolve_by`: the body must resolve and notify by `date`; `silence` says what happens if it does not. ' +
          '`prior_claim_if_silent`: last day for a reclamación previa should that date pass unresolved. `clock_suspended`: a requirement is open; it must be answered by `date`. ' +
          '`presumed_denied` / `presumed_approved`: silence applied on `date`. `prior_claim_until`: last day for a reclamación previa. `dates_unknown`: no holiday data yet for the years concerned. `court_claim` (no date): a reclamación previa was denied, expressly or by silence; what follows is a claim before the social court, whose term Puente does not count. ' +
          "`lapse_warned_unopened`: the body warned that the procedure, halted by the applicant, may lapse (caducidad, Ley 39/2015 art. 95.1), and the warning's notification has not been opened: `date` is the day it is deemed rejected if nobody opens it; its three months count from the day after it is opened or deemed rejected. " +
          '`lapse_declarable_from`: under that warning, the first day the body may declare caducidad (the day after the three months, counted date to date, art. 30.4), unless the representative acts on the procedure before. Both only while the warning stands: the procedure runs and the representative has not acted since it was issued.',
      }),
    date: z.string().nullable().openapi({
      format: 'date',
      description: 'A Europe/Madrid legal day, from the same deadline code as `deadlines`.',
    }),
    silence: z.enum(['negative', 'positive']).nullable(),
  })
  .openapi('LegalDate');

export const MyDocumentSchema = DocumentSchema.extend({
  download_url: z
    .string()
    .openapi({ description: "The citizen's own download of the exact bytes (logged in their access log)." }),
}).openapi('MyDocument', {
  example: {
    ...DOCUMENT_EXAMPLE,
    download_url: `/v1/me/procedures/${DOCUMENT_EXAMPLE.procedure_id}/documents/${DOCUMENT_EXAMPLE.id}/content`,
  },
});

export const MyProcedureSchema = z
  .object({
    ...summaryShape,
    requirements: z.array(RequirementSchema),
    open_requirement: z
      .object({
        id: z.string(),
        kinds: z.array(DocumentKindSchema),
        missing_kinds: z
          .array(DocumentKindSchema)
          .openapi({ description: 'Kinds asked for with no document uploaded for this requirement yet.' }),
        message: z.string().nullable().openapi({
          description:
            'What the agency asks; null until the notification that carries it takes effect (your representative opens it, or 10 días naturales pass unopened).',
        }),
        content_withheld: z.boolean().openapi({
          description:
            'True until the notification takes effect: opened (the legal access, art. 43.2 LPAC) or deemed rejected; the term starts the day after.',
        }),
        notified_at: z.string(),
        deadline: z.string().nullable().openapi({
          format: 'date',
          description:
            'Null until the representative opens the notification or it is deemed rejected (10 natural days): the term runs from the day after.',
        }),
        term_starts: RequirementSchema.shape.term_starts.openapi({
          description:
            'When the term starts: `on_access_or_deemed_rejection` while the notification is unopened (the day after it is opened, or the day after `deemed_rejected_on`), `after_access` or `after_deemed_rejection` once it has taken effect.',
        }),
        deemed_rejected_on: z.string().nullable().openapi({
          format: 'date',
          description:
            'The day the notification is deemed rejected if nobody opens it by then (made available on D: D + 10 días naturales, moved to the next working day when that day is not one, art. 43.2 and 30.5 LPAC).',
        }),
        extended: z.boolean(),
      })
      .nullable(),
    legal_dates: z.array(LegalDateSchema),
    documents: z.array(MyDocumentSchema),
    timeline: z.array(TimelineEntrySchema),
    receipt_url: z.string().nullable().openapi({ description: 'The filing receipt (PDF) once filed.' }),
  })
  .openapi('MyProcedure');

export const MyProcedureParams = z.object({
  id: pathIdField('id', 'prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0'),
});

export const MyDocumentParams = MyProcedureParams.extend({
  document_id: pathIdField('document_id', 'doc_4Rf6Tg8Yh0Uj2Ik4Ol6Pz8'),
});

export const ExportAccessLogQuery = ListAccessLogQuery.extend({
  format: z
    .enum(['csv', 'pdf'])
    .openapi({ description: 'CSV (UTF-8, comma-separated, header row) or PDF.', example: 'csv' }),
  lang: z
    .enum(['es', 'en'])
    .optional()
    .openapi({ description: 'Language of the headings and action descriptions; Spanish by default.' }),
}).strict();
