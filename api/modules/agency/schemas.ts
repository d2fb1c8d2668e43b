import { z } from '@hono/zod-openapi';

import { euroAmountField } from '../../http/fields';
import { pageSchema, paginationQuery } from '../../http/pagination';
import { DocumentKindSchema } from '../catalog/schemas';
import { DOCUMENT_EXAMPLE, DocumentSchema } from '../documents/schemas';
import { PROCEDURE_EXAMPLE, ProcedureSchema } from '../procedures/schemas';
import { PROCEDURE_STATUSES, type ProcedureStatus, RESOLUTIONS } from '../procedures/state-machine';

export const AgencyProcedureSchema = ProcedureSchema.extend({ documents: z.array(DocumentSchema) }).openapi(
  'AgencyProcedure',
  {
    example: { ...PROCEDURE_EXAMPLE, documents: [DOCUMENT_EXAMPLE] },
  },
);

export const AgencyQueueQuery = z
  .object({
    ...paginationQuery,
    // A draft never reaches the agency.
    status: z
      .enum(PROCEDURE_STATUSES.filter((s) => s !== 'draft') as [ProcedureStatus, ...ProcedureStatus[]])
      .default('submitted')
      .openapi({ description: 'Default `submitted`: the intake queue.' }),
  })
  .strict();
export const AgencyQueueSchema = pageSchema(ProcedureSchema, 'AgencyProcedureQueue');

export const IssueRequirementBody = z
  .object({
    kinds: z.array(DocumentKindSchema).min(1).max(18).openapi({ description: 'Missing or defective document kinds.' }),
    message: z.string().min(10).max(4000),
  })
  .strict()
  .openapi('IssueRequirementRequest', {
    example: {
      kinds: ['COMPANY_CERT'],
      message:
        'Falta el certificado de empresa con la fecha de cese en la actividad. Aporte el documento firmado por la empresa.',
    },
  });

export const ResolveBody = z
  .object({
    outcome: z.enum(RESOLUTIONS),
    text: z.string().min(10).max(8000).openapi({ description: 'The resolution as notified.' }),
    amount: euroAmountField()
      .optional()
      .openapi({ description: 'Monthly amount in euros, when granted; at most two decimals.' }),
  })
  .strict()
  .openapi('ResolveProcedureRequest', {
    example: {
      outcome: 'approved',
      text: 'Se reconoce el derecho a la pensión de jubilación con efectos desde el 1 de junio de 2026.',
      amount: 1456.32,
    },
  });

export const AgencyActBody = z
  .object({
    text: z
      .string()
      .min(10)
      .max(8000)
      .optional()
      .openapi({ description: 'The act as notified; a standard text citing the article when omitted.' }),
  })
  .strict()
  .openapi('AgencyActRequest');

export const SandboxAdvanceBody = z
  .object({
    action: z.enum([
      'admit',
      'require',
      'approve',
      'partially_approve',
      'deny',
      'declare_withdrawal',
      'warn_lapse',
      'declare_lapse',
    ]),
    kinds: z
      .array(DocumentKindSchema)
      .min(1)
      .optional()
      .openapi({ description: 'For `require`: the document kinds (default OTHER).' }),
    message: z
      .string()
      .min(10)
      .max(4000)
      .optional()
      .openapi({ description: "The requirement's, resolution's or declaration's text." }),
    amount: euroAmountField().optional().openapi({
      description: "The resolution's monthly amount in euros; at most two decimals.",
    }),
  })
  .strict()
  .openapi('SandboxAdvanceRequest', {
    example: { action: 'require', kinds: ['COMPANY_CERT'], message: 'Falta el certificado de empresa.' },
  });
