import { z } from '@hono/zod-openapi';

import { ibanField, nifField, personalIdField } from '../../http/fields';
import { toPointer } from '../../http/openapi';
import type { CalendarSnapshot } from '../../lib/calendar';
import type { RegionCode } from '../../lib/holidays';
import { IsoDateSchema, RegionSchema } from '../calendar/schemas';
import type { ProcedureTypeCode } from '../catalog/schemas';

/**
 * The application form of each procedure type: what the managing body needs to decide. Drafts
 * may be incomplete (each section optional); submission needs the complete, valid form.
 */

const Phone = z
  .string()
  .regex(/^(\+34)?[6789]\d{8}$/, 'A Spanish phone number: 9 digits starting with 6, 7, 8 or 9, optionally +34.');

const MunicipalityCode = z
  .string()
  .regex(/^\d{5}$/, 'The INE municipality code: 5 digits (province and municipality), e.g. 28079 for Madrid.')
  .openapi({
    description:
      "INE code of the applicant's municipality (5 digits, CPRO + CMUN). It gives the province, the community and the island or historical territory whose holidays count (Ley 39/2015, art. 30.6); the first two digits must match the postal code's.",
    example: '28079',
  });

function address(municipalityCode: z.ZodType) {
  return z
    .object({
      street: z.string().min(3).max(200),
      postal_code: z
        .string()
        .regex(/^(0[1-9]|[1-4]\d|5[0-2])\d{3}$/, 'A Spanish postal code: 5 digits, province 01 to 52.'),
      municipality: z.string().min(2).max(100),
      municipality_code: municipalityCode,
      province: z.string().min(2).max(100),
      region: RegionSchema,
    })
    .strict();
}

function applicant(municipalityCode: z.ZodType) {
  return z
    .object({
      contact: z
        .object({ email: z.email().max(254).optional(), phone: Phone.optional() })
        .strict()
        .refine((c) => c.email !== undefined || c.phone !== undefined, { message: 'Give an email or a phone number.' }),
      address: address(municipalityCode),
      iban: ibanField(),
    })
    .strict();
}

/** The complete applicant: the municipality code is required to file (no deadline without its place). */
export const ApplicantSchema = applicant(MunicipalityCode);
/** In a draft the municipality code may still be missing; submission refuses it (422). */
const DraftApplicantSchema = applicant(MunicipalityCode.optional());

const Person = z
  .object({ id_number: personalIdField(), full_name: z.string().min(3).max(200), date_of_death: IsoDateSchema })
  .strict();
const Text = (max: number) => z.string().min(10).max(max);
const Percentage = (min: number) => z.number().int().min(min).max(100);

const EEA_COUNTRIES = [
  'AT',
  'BE',
  'BG',
  'HR',
  'CY',
  'CZ',
  'DK',
  'EE',
  'FI',
  'FR',
  'DE',
  'GR',
  'HU',
  'IE',
  'IT',
  'LV',
  'LT',
  'LU',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SK',
  'SI',
  'SE',
  'IS',
  'LI',
  'NO',
  'CH',
  'GB',
] as const;

const HouseholdMember = z
  .object({
    id_number: personalIdField(),
    full_name: z.string().min(3).max(200),
    birth_date: IsoDateSchema,
    relationship: z.enum(['solicitante', 'conyuge', 'pareja', 'hijo', 'hija', 'padre', 'madre', 'hermano', 'otro']),
  })
  .strict();

const Household = z
  .object({ members: z.array(HouseholdMember).min(1).max(15) })
  .strict()
  .superRefine((h, ctx) => {
    const applicants = h.members.filter((m) => m.relationship === 'solicitante').length;
    if (applicants !== 1)
      ctx.addIssue({
        code: 'custom',
        path: ['members'],
        message: `Exactly one member must be the applicant (solicitante); found ${applicants}.`,
      });
  });

const minimumIncome = {
  household: Household,
  housing_regime: z.enum(['alquiler', 'propiedad', 'cedida', 'otra']),
  annual_income_previous_year: z.number().nonnegative().max(1_000_000),
};

/** The applicant of every example form (a valid address in Madrid with its INE code, a valid IBAN). */
export const APPLICANT = {
  contact: { email: 'carmen.lopez@example.es', phone: '+34612345678' },
  address: {
    street: 'Calle de Alcalá 123, 4º B',
    postal_code: '28009',
    municipality: 'Madrid',
    municipality_code: '28079',
    province: 'Madrid',
    region: 'MD',
  },
  iban: 'ES9121000418450200051332',
};
const DECEASED = { id_number: '54362315K', full_name: 'Antonio García Ruiz', date_of_death: '2026-01-15' };
const APPLICANT_MEMBER = {
  id_number: '12345678Z',
  full_name: 'Carmen López García',
  birth_date: '1980-05-04',
  relationship: 'solicitante',
};

/** Each type's fields, kept apart from the refinements so drafts can make every section optional. */
const SHAPES = {} as Record<ProcedureTypeCode, z.ZodRawShape>;
/** A complete, valid form of each type: the OpenAPI examples, and what tests and the benchmark file. */
export const FORM_EXAMPLES = {} as Record<ProcedureTypeCode, Record<string, unknown>>;

function form<T extends z.ZodRawShape>(code: ProcedureTypeCode, shape: T, example: Record<string, unknown>) {
  SHAPES[code] = { applicant: DraftApplicantSchema, ...shape };
  FORM_EXAMPLES[code] = { applicant: APPLICANT, ...example };
  return z
    .object({ applicant: ApplicantSchema, ...shape })
    .strict()
    .openapi(`${code.replace('_', '')}Form`, { example: FORM_EXAMPLES[code] });
}

const PNC_SHAPE = {
  applicant: ApplicantSchema,
  modality: z.enum(['jubilacion', 'invalidez']),
  disability_percentage: Percentage(0).optional(),
  household_members: z.number().int().min(1).max(20),
  annual_household_income: z.number().nonnegative().max(1_000_000),
};
const RP_SHAPE = {
  applicant: ApplicantSchema,
  original_procedure_id: z.string().regex(/^prc_[0-9A-Za-z]+$/),
  resolution_date: IsoDateSchema.optional(),
  silence_date: IsoDateSchema.optional(),
  grounds: z.string().min(20).max(8000),
  late_filing_reason: z.string().min(20).max(4000).optional().openapi({
    description:
      "Why the claim should be admitted although Puente counts its term as ended (the contested procedure's `prior_claim_deadline`; 30 días hábiles, art. 71 LRJS), e.g. a resolution not notified in due form (art. 40.3 LPAC). Without it, a late claim is refused at submission (422 `out_of_time`).",
  }),
};

export const FORM_SCHEMAS = {
  JUB: form(
    'JUB',
    {
      regime: z.enum(['general', 'autonomos', 'mar', 'mineria_carbon']),
      modality: z.enum([
        'ordinaria',
        'anticipada_voluntaria',
        'anticipada_involuntaria',
        'parcial',
        'flexible',
        'demorada',
      ]),
      requested_start_date: IsoDateSchema,
      last_employer_nif: nifField().optional(),
    },
    { regime: 'general', modality: 'ordinaria', requested_start_date: '2026-06-01' },
  ),
  IP: form(
    'IP',
    {
      employer_nif: nifField().optional(),
      occupation: z.string().min(2).max(200),
      medical_summary: Text(4000),
      work_accident_or_disease: z.boolean(),
    },
    {
      employer_nif: 'A13585625',
      occupation: 'Conductor de autobús',
      medical_summary: 'Lumbalgia crónica con limitación funcional severa documentada.',
      work_accident_or_disease: false,
    },
  ),
  IT_PD: form(
    'IT_PD',
    {
      employer_nif: nifField(),
      sick_leave_start_date: IsoDateSchema,
      reason: z.enum(['enfermedad_comun', 'accidente_no_laboral', 'accidente_trabajo', 'enfermedad_profesional']),
      payment_cause: z.enum(['empresa_insolvente', 'fin_contrato', 'autonomo', 'otro']),
    },
    {
      employer_nif: 'B00000000',
      sick_leave_start_date: '2026-02-02',
      reason: 'enfermedad_comun',
      payment_cause: 'fin_contrato',
    },
  ),
  NCM: form(
    'NCM',
    {
      child: z
        .object({
          birth_date: IsoDateSchema,
          name: z.string().max(200).optional(),
          id_number: personalIdField().optional(),
        })
        .strict(),
      event: z.enum(['nacimiento', 'adopcion', 'acogimiento', 'guarda']),
      leave_start_date: IsoDateSchema,
      employer_nif: nifField().optional(),
      other_parent_id_number: personalIdField().optional(),
    },
    {
      child: { birth_date: '2026-02-20', name: 'Lucía' },
      event: 'nacimiento',
      leave_start_date: '2026-02-20',
      employer_nif: 'B00000000',
    },
  ),
  CCL: form(
    'CCL',
    {
      child: z.object({ birth_date: IsoDateSchema }).strict(),
      employer_nif: nifField(),
      reduction_percentage: z.number().int().min(50).max(99),
      other_parent_id_number: personalIdField(),
    },
    {
      child: { birth_date: '2025-11-10' },
      employer_nif: 'B00000000',
      reduction_percentage: 50,
      other_parent_id_number: '11111111H',
    },
  ),
  CUME: form(
    'CUME',
    {
      child: z.object({ birth_date: IsoDateSchema, name: z.string().min(1).max(200) }).strict(),
      diagnosis_summary: Text(4000),
      hospitalization_start_date: IsoDateSchema,
      employer_nif: nifField(),
      reduction_percentage: z.number().int().min(50).max(99),
    },
    {
      child: { birth_date: '2019-04-03', name: 'Daniel' },
      diagnosis_summary: 'Leucemia linfoblástica aguda en tratamiento hospitalario.',
      hospitalization_start_date: '2026-02-10',
      employer_nif: 'B00000000',
      reduction_percentage: 75,
    },
  ),
  REM: form(
    'REM',
    {
      employer_nif: nifField(),
      risk_description: Text(4000),
      expected_delivery_date: IsoDateSchema,
      suspension_start_date: IsoDateSchema,
    },
    {
      employer_nif: 'B00000000',
      risk_description: 'Manipulación de cargas superiores a 10 kg sin puesto alternativo compatible.',
      expected_delivery_date: '2026-08-20',
      suspension_start_date: '2026-03-16',
    },
  ),
  VIU: form(
    'VIU',
    {
      deceased: Person,
      relationship: z.enum(['conyuge', 'pareja_de_hecho', 'ex_conyuge']),
      marriage_or_partnership_date: IsoDateSchema,
    },
    { deceased: DECEASED, relationship: 'conyuge', marriage_or_partnership_date: '1990-06-16' },
  ),
  ORF: form(
    'ORF',
    {
      deceased: Person,
      relationship: z.enum(['hijo', 'hija']),
      beneficiary: z.object({ id_number: personalIdField(), birth_date: IsoDateSchema }).strict(),
    },
    { deceased: DECEASED, relationship: 'hija', beneficiary: { id_number: '00000000T', birth_date: '2012-03-01' } },
  ),
  FFA: form(
    'FFA',
    {
      deceased: Person,
      relationship: z.enum(['nieto', 'hermano', 'madre', 'padre', 'abuelo', 'hijo', 'otro']),
      lived_together_since: IsoDateSchema,
    },
    { deceased: DECEASED, relationship: 'hijo', lived_together_since: '2015-01-01' },
  ),
  ADF: form(
    'ADF',
    {
      deceased: Person,
      relationship: z.enum(['conyuge', 'hijo', 'padre', 'madre', 'otro_familiar', 'persona_que_pago_gastos']),
      funeral_expenses_paid_by_applicant: z.boolean(),
    },
    { deceased: DECEASED, relationship: 'conyuge', funeral_expenses_paid_by_applicant: true },
  ),
  IMV: form('IMV', minimumIncome, {
    household: {
      members: [APPLICANT_MEMBER],
    },
    housing_regime: 'alquiler',
    annual_income_previous_year: 4200,
  }),
  CAPI: form('CAPI', minimumIncome, {
    household: {
      members: [
        APPLICANT_MEMBER,
        { id_number: '11111111H', full_name: 'Pablo López López', birth_date: '2012-09-01', relationship: 'hijo' },
      ],
    },
    housing_regime: 'alquiler',
    annual_income_previous_year: 9800,
  }),
  AHC: form(
    'AHC',
    {
      child: z
        .object({
          id_number: personalIdField().optional(),
          full_name: z.string().min(3).max(200),
          birth_date: IsoDateSchema,
          disability_percentage: Percentage(33),
        })
        .strict(),
      other_parent_id_number: personalIdField().optional(),
    },
    { child: { full_name: 'Pablo López López', birth_date: '2012-09-01', disability_percentage: 45 } },
  ),
  TSE: form(
    'TSE',
    {
      destination_country: z.enum(EEA_COUNTRIES),
      travel_start_date: IsoDateSchema.optional(),
      beneficiaries: z.array(personalIdField()).max(10).optional(),
    },
    { destination_country: 'FR', travel_start_date: '2026-07-01' },
  ),
  PNC: z
    .object(PNC_SHAPE)
    .strict()
    .superRefine((f, ctx) => {
      if (f.modality === 'invalidez' && (f.disability_percentage === undefined || f.disability_percentage < 65)) {
        ctx.addIssue({
          code: 'custom',
          path: ['disability_percentage'],
          message: 'Invalidez needs a recognised disability of 65 % or more.',
        });
      }
    })
    .openapi('PNCForm', {
      example: { applicant: APPLICANT, modality: 'jubilacion', household_members: 1, annual_household_income: 3100 },
    }),
  RP: z
    .object(RP_SHAPE)
    .strict()
    .superRefine((f, ctx) => {
      if ((f.resolution_date === undefined) === (f.silence_date === undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: ['resolution_date'],
          message: 'Give either the date of the contested resolution or the date silence arose.',
        });
      }
    })
    .openapi('RPForm', {
      example: {
        applicant: APPLICANT,
        original_procedure_id: 'prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0',
        resolution_date: '2026-04-01',
        grounds: 'La resolución no computa los periodos cotizados en Francia entre 1995 y 2001.',
      },
    }),
} satisfies Record<ProcedureTypeCode, z.ZodType>;

SHAPES.PNC = { ...PNC_SHAPE, applicant: DraftApplicantSchema };
SHAPES.RP = { ...RP_SHAPE, applicant: DraftApplicantSchema };

const drafts = new Map<ProcedureTypeCode, z.ZodType>();

/** Drafts: every section optional, each one valid when present, no unknown keys. */
export function draftFormSchema(type: ProcedureTypeCode): z.ZodType {
  let schema = drafts.get(type);
  if (!schema) {
    schema = z.object(SHAPES[type]).partial().strict();
    drafts.set(type, schema);
  }
  return schema;
}

export function validateCompleteForm(
  type: ProcedureTypeCode,
  form: unknown,
): { ok: true; value: unknown } | { ok: false; errors: Array<{ pointer: string; detail: string }> } {
  const parsed = (FORM_SCHEMAS[type] as z.ZodType).safeParse(form);
  if (parsed.success) return { ok: true, value: parsed.data };
  const errors: Array<{ pointer: string; detail: string }> = [];
  for (const issue of parsed.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        errors.push({ pointer: `/form${toPointer([...issue.path, key])}`, detail: 'Unknown field.' });
    } else {
      errors.push({ pointer: `/form${toPointer(issue.path)}`, detail: issue.message });
    }
  }
  return { ok: false, errors };
}

const jsonSchemas = new Map<ProcedureTypeCode, Record<string, unknown>>();

export function formJsonSchema(type: ProcedureTypeCode): Record<string, unknown> {
  let schema = jsonSchemas.get(type);
  if (!schema) {
    schema = z.toJSONSchema(FORM_SCHEMAS[type] as z.ZodType, { io: 'input', unrepresentable: 'any' }) as Record<
      string,
      unknown
    >;
    jsonSchemas.set(type, schema);
  }
  return schema;
}

interface AddressFields {
  postal_code?: unknown;
  municipality_code?: unknown;
  region?: unknown;
}

function addressOf(form: unknown): AddressFields | undefined {
  const a = (form as { applicant?: { address?: unknown } } | null)?.applicant?.address;
  return a && typeof a === 'object' ? (a as AddressFields) : undefined;
}

const ADDRESS_POINTER = '/form/applicant/address';

/**
 * The address against the INE register: the municipality must exist, the postal code must be in
 * its province (the first two digits of both codes), and the community must be the municipality's.
 */
export function placeErrors(cal: CalendarSnapshot, form: unknown): Array<{ pointer: string; detail: string }> {
  const a = addressOf(form);
  if (!a || typeof a.municipality_code !== 'string') return [];
  const m = cal.municipalities.get(a.municipality_code);
  if (!m)
    return [
      {
        pointer: `${ADDRESS_POINTER}/municipality_code`,
        detail: `No municipality has the INE code ${a.municipality_code}.`,
      },
    ];
  const errors: Array<{ pointer: string; detail: string }> = [];
  const province = cal.provinces.get(m.province)!;
  if (typeof a.postal_code === 'string' && a.postal_code.slice(0, 2) !== province.ine) {
    errors.push({
      pointer: `${ADDRESS_POINTER}/postal_code`,
      detail: `Postal code ${a.postal_code} is not in the province of ${m.name} (${province.name}): it must start with ${province.ine}.`,
    });
  }
  if (typeof a.region === 'string' && a.region !== m.region) {
    errors.push({
      pointer: `${ADDRESS_POINTER}/region`,
      detail: `${m.name} is in the community ${m.region}, not ${a.region}.`,
    });
  }
  return errors;
}

/**
 * The places of the procedure (art. 30.6): the applicant's municipality, its community, and the
 * seat of the deciding office, the Dirección Provincial of the applicant's province, which sits
 * in the provincial capital.
 */
export function formPlaces(
  cal: CalendarSnapshot,
  form: unknown,
): { region: RegionCode | null; applicant_municipality: string | null; office_municipality: string | null } {
  const a = addressOf(form);
  const m = typeof a?.municipality_code === 'string' ? cal.municipalities.get(a.municipality_code) : undefined;
  if (m)
    return {
      region: m.region,
      applicant_municipality: m.ine,
      office_municipality: cal.provinces.get(m.province)!.capital,
    };
  return { region: applicantRegion(form) ?? null, applicant_municipality: null, office_municipality: null };
}

export function applicantRegion(form: unknown): RegionCode | undefined {
  const region = (form as { applicant?: { address?: { region?: unknown } } } | null)?.applicant?.address?.region;
  return typeof region === 'string' && RegionSchema.safeParse(region).success ? (region as RegionCode) : undefined;
}
