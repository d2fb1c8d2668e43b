import { z } from '@hono/zod-openapi';

export const SUBJECTS = ['pensions', 'disability', 'family', 'minimum_income', 'health', 'appeals'] as const;
export const DOCUMENT_KINDS = [
  'DNI_NIE',
  'IBAN_CERT',
  'LIBRO_FAMILIA',
  'BIRTH_CERT',
  'DEATH_CERT',
  'MARRIAGE_CERT',
  'PARTNERSHIP_CERT',
  'EMPADRONAMIENTO',
  'MEDICAL_REPORT',
  'COMPANY_CERT',
  'QUOTA_PROOF',
  'RESIDENCE_PROOF',
  'INCOME_PROOF',
  'DISABILITY_RESOLUTION',
  'COURT_RULING',
  'FUNERAL_INVOICE',
  'REPRESENTATION_PROOF',
  'OTHER',
] as const;
export const PROCEDURE_TYPE_CODES = [
  'JUB',
  'IP',
  'IT_PD',
  'NCM',
  'CCL',
  'CUME',
  'REM',
  'VIU',
  'ORF',
  'FFA',
  'ADF',
  'IMV',
  'CAPI',
  'AHC',
  'TSE',
  'PNC',
  'RP',
] as const;

export type ProcedureTypeCode = (typeof PROCEDURE_TYPE_CODES)[number];
export type Subject = (typeof SUBJECTS)[number];

/** The subject (materia) of each type, as in the catalogue; a test keeps the two in step. */
export const SUBJECT_OF: Record<ProcedureTypeCode, Subject> = {
  JUB: 'pensions',
  VIU: 'pensions',
  ORF: 'pensions',
  FFA: 'pensions',
  ADF: 'pensions',
  PNC: 'pensions',
  IP: 'disability',
  IT_PD: 'disability',
  NCM: 'family',
  CCL: 'family',
  CUME: 'family',
  REM: 'family',
  AHC: 'family',
  IMV: 'minimum_income',
  CAPI: 'minimum_income',
  TSE: 'health',
  RP: 'appeals',
};

/** The bodies that manage Social Security benefits: the INSS, the ISM (sea workers), the IMSERSO, the SEPE, mutuas and the communities' own bodies. */
export const MANAGING_BODIES = ['INSS', 'ISM', 'IMSERSO', 'SEPE', 'MUTUA', 'CCAA'] as const;
export type ManagingBody = (typeof MANAGING_BODIES)[number];
export const ManagingBodySchema = z.enum(MANAGING_BODIES).openapi('ManagingBody');

export const SubjectSchema = z
  .enum(SUBJECTS)
  .openapi('Subject', { description: 'Subject (materia) of a procedure, as used in delegation scopes.' });
export const DocumentKindSchema = z.enum(DOCUMENT_KINDS).openapi('DocumentKind');
export const ProcedureTypeCodeSchema = z.enum(PROCEDURE_TYPE_CODES).openapi('ProcedureTypeCode');

export const ProcedureTypeSchema = z
  .object({
    object: z.literal('procedure_type'),
    code: ProcedureTypeCodeSchema,
    name: z.object({ es: z.string(), en: z.string() }),
    managing_bodies: z.array(z.string()),
    subject: SubjectSchema,
    required_documents: z
      .array(z.object({ any_of: z.array(DocumentKindSchema).min(1) }))
      .openapi({ description: 'Each entry must be satisfied by at least one document of one of its kinds.' }),
    max_resolution_term: z.object({
      value: z.number().int(),
      unit: z.enum(['business_days', 'months']),
    }),
    silence_effect: z
      .enum(['negative', 'positive'])
      .openapi({ description: 'What the absence of a notified resolution by the maximum date means.' }),
    legal_source: z.string(),
    confidence: z.enum(['C', 'S', 'U']).openapi({
      description: 'C confirmed by an official text or two sources; S one secondary source; U unconfirmed.',
    }),
    confidence_note: z.string().nullable(),
    attachment_cap_bytes: z.number().int(),
    attachment_cap_observed: z
      .boolean()
      .openapi({ description: 'True when the cap was observed on the official e-service; otherwise a default.' }),
  })
  .openapi('ProcedureType', {
    example: {
      object: 'procedure_type',
      code: 'JUB',
      name: { es: 'Pensión de jubilación contributiva', en: 'Contributory retirement pension' },
      managing_bodies: ['INSS', 'ISM'],
      subject: 'pensions',
      required_documents: [{ any_of: ['DNI_NIE'] }, { any_of: ['IBAN_CERT'] }],
      max_resolution_term: { value: 90, unit: 'business_days' },
      silence_effect: 'negative',
      legal_source: 'Ley 39/2015 arts. 21 y 24; TRLGSS (RDL 8/2015).',
      confidence: 'C',
      confidence_note: null,
      attachment_cap_bytes: 10485760,
      attachment_cap_observed: false,
    },
  });

export type ProcedureType = z.infer<typeof ProcedureTypeSchema>;

export const ProcedureTypeListSchema = z
  .object({ data: z.array(ProcedureTypeSchema), has_more: z.literal(false), next_cursor: z.null() })
  .openapi('ProcedureTypeList');

export const ProcedureTypeParams = z.object({
  code: z
    .string()
    .min(1)
    .max(16)
    .openapi({ param: { name: 'code', in: 'path', required: true }, example: 'JUB' }),
});
