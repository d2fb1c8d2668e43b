import { z } from '@hono/zod-openapi';

import { pathIdField } from '../../http/fields';
import { isIsoDate } from '../../lib/dates';
import { PROVINCE_CODES, REGION_CODES } from '../../lib/holidays';

export const RegionSchema = z.enum(REGION_CODES).openapi('Region', {
  description: 'Autonomous community, ISO 3166-2:ES subdivision code without the `ES-` prefix.',
  example: 'MD',
});

/** Nullable fields need the enum inline: a nullable reference to a component loses its null. */
export const NullableRegionSchema = z
  .enum(REGION_CODES)
  .nullable()
  .openapi({ description: 'Autonomous community (ISO 3166-2:ES), or null.' });

export const ProvinceSchema = z.enum(PROVINCE_CODES).openapi('Province', {
  description: 'Province (or Ceuta, Melilla), ISO 3166-2:ES subdivision code without the `ES-` prefix.',
  example: 'M',
});

/** A calendar day, `YYYY-MM-DD`, in the years the API accepts (see `isIsoDate`): every date input. */
export const IsoDateSchema = z
  .string()
  .refine(isIsoDate, { message: 'Must be a calendar date in the form YYYY-MM-DD, in the years 0001 to 9999.' })
  .openapi({ format: 'date', example: '2026-03-27' });

const Municipality = z
  .string()
  .regex(/^\d{5}$/, 'An INE municipality code: 5 digits.')
  .openapi({
    description:
      "INE 5-digit code of the applicant's municipality (e.g. 28079 Madrid); gives its province, community and island or territory.",
    example: '28079',
  });

export const DeadlineQuery = z
  .object({
    from: IsoDateSchema.openapi({
      param: { name: 'from', in: 'query', required: true },
      description: 'Day of the notification, publication or filing; counting starts the next day.',
    }),
    business_days: z.coerce
      .number()
      .int()
      .min(1)
      .max(3650)
      .optional()
      .openapi({ description: 'Días hábiles to add.', example: 10 }),
    months: z.coerce.number().int().min(1).max(120).optional().openapi({ description: 'Months to add, date to date.' }),
    natural_days: z.coerce
      .number()
      .int()
      .min(1)
      .max(3650)
      .optional()
      .openapi({ description: 'Días naturales to add (every day counts; an inhábil last day rolls forward).' }),
    region: RegionSchema.optional().openapi({
      description:
        "The applicant's community. Without it (and without `municipality`) only national days count for the applicant.",
    }),
    municipality: Municipality.optional(),
    office_province: ProvinceSchema.optional().openapi({
      description:
        "Province of the deciding office (its seat is the provincial capital). Defaults to the applicant's province when `municipality` is given, or to the community's only province (MD, AS, CB, RI, MC, NC, IB, CE, ML) when only `region` is; otherwise the office's days are not counted and the answer warns `office_unknown`.",
    }),
  })
  .strict();

export const ConfidenceSchema = z.enum(['A', 'B', 'C']).openapi('Confidence', {
  description: 'A: an official text, or two independent sources agree; B: one reliable secondary source; C: inferred.',
});

export const PlaceReportSchema = z
  .object({
    role: z.enum(['applicant', 'office']),
    region: NullableRegionSchema,
    province: z.string().nullable(),
    municipality: z.string().nullable().openapi({ description: 'INE code.' }),
    municipality_name: z.string().nullable(),
    area: z
      .string()
      .nullable()
      .openapi({ description: "Island (Canarias), Val d'Aran or Basque historical territory whose days count." }),
    local_days_known: z.boolean().openapi({
      description:
        'False when the municipality (or its local days for a year involved) is unknown: the true deadline may be later.',
    }),
  })
  .openapi('CalendarPlace');

export const CalendarWarningSchema = z
  .object({
    code: z.enum([
      'region_unknown',
      'municipality_unknown',
      'local_days_unknown',
      'local_days_incomplete',
      'local_days_partial',
      'local_days_conflict',
      'provisional_calendar',
      'office_unknown',
      'term_unconfirmed',
    ]),
    message: z.string(),
  })
  .openapi('CalendarWarning');

export const SKIP_REASONS = [
  'saturday',
  'sunday',
  'national_holiday',
  'regional_holiday',
  'local_holiday',
  'island_holiday',
  'territorial_holiday',
] as const;

export const SkippedDaySchema = z.object({
  date: z.string().openapi({ format: 'date' }),
  reason: z.enum(SKIP_REASONS),
  name: z.string().nullable(),
  place: z
    .object({
      code: z.string().openapi({
        description:
          '`ES`, a community (`MD`), an island or territory (`tenerife`, `val_aran`, `bizkaia`) or an INE municipality code.',
      }),
      name: z.string(),
      roles: z.array(z.enum(['applicant', 'office'])),
    })
    .nullable()
    .openapi({ description: 'Where the day is a holiday, and for which of the places; null for weekends.' }),
});

export const DeadlineBasisSchema = z
  .object({
    article: z.string(),
    term: z.object({ value: z.number().int(), unit: z.enum(['business_days', 'months', 'natural_days']) }).nullable(),
    places: z.array(PlaceReportSchema),
    lowest_confidence: ConfidenceSchema,
    provisional: z.boolean(),
    warnings: z.array(CalendarWarningSchema),
  })
  .openapi('DeadlineBasis');

const madridPlace = (role: 'applicant' | 'office') => ({
  role,
  region: 'MD',
  province: 'M',
  municipality: '28079',
  municipality_name: 'Madrid',
  area: null,
  local_days_known: true,
});
/** The places of an application filed from Madrid at the Madrid office, as the examples show them. */
export const PLACES_EXAMPLE = [madridPlace('applicant'), madridPlace('office')];

export const DeadlineSchema = z
  .object({
    object: z.literal('deadline'),
    from: z.string().openapi({ format: 'date' }),
    deadline: z.string().openapi({ format: 'date' }),
    unit: z.enum(['business_days', 'months', 'natural_days']),
    amount: z.number().int(),
    region: NullableRegionSchema,
    provisional: z.boolean().openapi({ description: 'True when a year involved only has provisional holiday data.' }),
    skipped: z.array(SkippedDaySchema),
    places: z.array(PlaceReportSchema),
    lowest_confidence: ConfidenceSchema,
    warnings: z.array(CalendarWarningSchema),
  })
  .openapi('Deadline', {
    example: {
      object: 'deadline',
      from: '2026-03-27',
      deadline: '2026-04-14',
      unit: 'business_days',
      amount: 10,
      region: 'MD',
      provisional: false,
      skipped: [
        { date: '2026-03-28', reason: 'saturday', name: null, place: null },
        { date: '2026-03-29', reason: 'sunday', name: null, place: null },
        {
          date: '2026-04-02',
          reason: 'regional_holiday',
          name: 'Jueves Santo',
          place: { code: 'MD', name: 'Comunidad de Madrid', roles: ['applicant', 'office'] },
        },
        {
          date: '2026-04-03',
          reason: 'national_holiday',
          name: 'Viernes Santo',
          place: { code: 'ES', name: 'España', roles: ['applicant', 'office'] },
        },
        { date: '2026-04-04', reason: 'saturday', name: null, place: null },
        { date: '2026-04-05', reason: 'sunday', name: null, place: null },
        { date: '2026-04-11', reason: 'saturday', name: null, place: null },
        { date: '2026-04-12', reason: 'sunday', name: null, place: null },
      ],
      places: PLACES_EXAMPLE,
      lowest_confidence: 'A',
      warnings: [],
    },
  });

export const HolidaysQuery = z
  .object({
    year: z.coerce
      .number()
      .int()
      .min(2000)
      .max(2100)
      .openapi({ param: { name: 'year', in: 'query', required: true }, example: 2026 }),
    region: RegionSchema.optional().openapi({
      description: 'Community; without it (and without `municipality`) only national days are listed.',
    }),
    municipality: Municipality.optional(),
  })
  .strict();

export const HolidaySchema = z
  .object({
    date: z.string().openapi({ format: 'date' }),
    name: z.string(),
    reason: z.enum(['national_holiday', 'regional_holiday', 'local_holiday', 'island_holiday', 'territorial_holiday']),
    scope: z.enum(['national', 'region', 'area', 'municipality']),
    place: z.object({ code: z.string(), name: z.string() }),
    source: z.string(),
    confidence: ConfidenceSchema,
    partial: z
      .boolean()
      .openapi({ description: "The main town's day; other localities of the municipality keep days of their own." }),
    conflict: z.boolean().openapi({ description: 'Sources disagree; kept as a holiday to be safe.' }),
  })
  .openapi('Holiday');

export const HolidayListSchema = z
  .object({
    object: z.literal('holiday_list'),
    year: z.number().int(),
    provisional: z.boolean(),
    source: z.string(),
    place: PlaceReportSchema.nullable(),
    data: z.array(HolidaySchema),
    warnings: z.array(CalendarWarningSchema),
  })
  .openapi('HolidayList', {
    example: {
      object: 'holiday_list',
      year: 2026,
      provisional: false,
      source: 'BOE-A-2025-21667 (Res. DG Trabajo, BOE 28-10-2025)',
      place: PLACES_EXAMPLE[0],
      data: [
        {
          date: '2026-05-15',
          name: 'San Isidro',
          reason: 'local_holiday',
          scope: 'municipality',
          place: { code: '28079', name: 'Madrid' },
          source: 'BOCM',
          confidence: 'A',
          partial: false,
          conflict: false,
        },
      ],
      warnings: [],
    },
  });

// ---------------------------------------------------------------------------------------------
// Platform administration

const DayInput = z
  .object({
    date: IsoDateSchema,
    name: z.string().min(2).max(300),
    source: z.string().min(3).max(1000).openapi({ description: 'Where the day is published (bulletin, order, date).' }),
    confidence: ConfidenceSchema,
    kind: z.enum(['holiday', 'not_holiday']).default('holiday').openapi({
      description:
        "`not_holiday` (islands and territories only) lifts a community day there, as Val d'Aran does with 26 December.",
    }),
    partial: z.boolean().default(false),
    conflict: z.boolean().default(false),
  })
  .strict();

const Reason = z.string().min(5).max(2000).openapi({
  description: 'Why the change is made (recorded with it).',
  example: 'Orden EMT/208/2025, DOGC 17-XII-2025: fiestas locales de Cataluña para 2026.',
});

const day = (date: string, name: string, source: string) => ({ date, name, source, confidence: 'A' as const });
const MADRID = 'Decreto 75/2025, BOCM';
const TENERIFE = 'Decreto 61/2025, BOC 88 de 5-V-2025';
const BARCELONA = 'Orden EMT/208/2025, DOGC 17-XII-2025';

/**
 * Per place, bodies an administrator could send as they are for the year and place the path
 * examples name (2026; Madrid, Tenerife, Barcelona): the whole set for a replacement, which
 * replaces every day there, so that trying it changes nothing.
 */
export const PLACE_DAYS_EXAMPLES = {
  region: {
    replace: {
      days: [
        day('2026-04-02', 'Jueves Santo', MADRID),
        day('2026-05-02', 'Fiesta de la Comunidad de Madrid', MADRID),
        day('2026-11-02', 'Lunes siguiente a Todos los Santos', MADRID),
        day('2026-12-07', 'Lunes siguiente al Día de la Constitución', MADRID),
      ],
      reason: `${MADRID}: fiestas laborales de la Comunidad de Madrid para 2026.`,
    },
  },
  area: {
    replace: {
      days: [day('2026-02-02', 'Virgen de la Candelaria', TENERIFE)],
      reason: `${TENERIFE}: fiesta insular de Tenerife para 2026.`,
    },
  },
  municipality: {
    replace: {
      days: [day('2026-05-25', 'Segunda Pascua', BARCELONA), day('2026-09-24', 'La Mercè', BARCELONA)],
      reason: `${BARCELONA}: fiestas locales de Cataluña para 2026.`,
      complete: true,
    },
  },
} as const;

/** One day added (409 when the place already has a day on that date). */
export function addDaysExample(scope: keyof typeof PLACE_DAYS_EXAMPLES) {
  const { days, reason } = PLACE_DAYS_EXAMPLES[scope].replace;
  return { days: [days.at(-1)!], reason };
}

export const ReplaceDaysBody = z
  .object({ days: z.array(DayInput).max(400), reason: Reason })
  .strict()
  .openapi('ReplaceHolidaysRequest');

export const AddDaysBody = z
  .object({ days: z.array(DayInput).min(1).max(400), reason: Reason })
  .strict()
  .openapi('AddHolidaysRequest');

export const ReplaceMunicipalityDaysBody = z
  .object({
    days: z.array(DayInput).max(400),
    reason: Reason,
    complete: z
      .boolean()
      .default(true)
      .openapi({ description: "False when some of the municipality's local days of the year are still missing." }),
    note: z.string().max(1000).optional(),
  })
  .strict()
  .openapi('ReplaceMunicipalityHolidaysRequest');

export const ReplaceYearBody = z
  .object({
    provisional: z.boolean().openapi({ description: "True until the year's calendar is published officially." }),
    source: z.string().min(3).max(1000),
    confidence: ConfidenceSchema,
    note: z.string().max(1000).optional(),
    national_days: z.array(DayInput).min(1).max(40),
    reason: Reason,
  })
  .strict()
  .openapi('ReplaceCalendarYearRequest', {
    // The whole set, as published: the days sent replace every national day of the year.
    example: {
      provisional: false,
      source: 'Resolución de la Dirección General de Trabajo, BOE-A-2025-21667 (BOE 28-10-2025)',
      confidence: 'A',
      national_days: [
        ['2026-01-01', 'Año Nuevo'],
        ['2026-01-06', 'Epifanía del Señor'],
        ['2026-04-03', 'Viernes Santo'],
        ['2026-05-01', 'Fiesta del Trabajo'],
        ['2026-08-15', 'Asunción de la Virgen'],
        ['2026-10-12', 'Fiesta Nacional de España'],
        ['2026-12-08', 'Inmaculada Concepción'],
        ['2026-12-25', 'Natividad del Señor'],
      ].map(([date, name]) => day(date!, name!, 'BOE-A-2025-21667')),
      reason: 'Publicación del calendario oficial de 2026.',
    },
  });

export const YearParams = z.object({
  year: z.coerce
    .number()
    .int()
    .min(2000)
    .max(2100)
    .openapi({ param: { name: 'year', in: 'path', required: true }, example: 2026 }),
});
export const RegionDaysParams = YearParams.extend({
  region: RegionSchema.openapi({ param: { name: 'region', in: 'path', required: true } }),
});
export const AreaDaysParams = YearParams.extend({
  area: z
    .string()
    .regex(/^[a-z_]+$/)
    .max(40)
    .openapi({ param: { name: 'area', in: 'path', required: true }, example: 'tenerife' }),
});
export const MunicipalityDaysParams = YearParams.extend({
  municipality: z
    .string()
    .regex(/^\d{5}$/)
    .openapi({ param: { name: 'municipality', in: 'path', required: true }, example: '08019' }),
});
export const ChangeParams = z.object({
  id: pathIdField('id', 'cch_3Gh5Jk7Lm9Np1Qr3St5Uv7'),
});

const DayRecord = z.object({
  date: z.string(),
  kind: z.enum(['holiday', 'not_holiday']),
  name: z.string(),
  source: z.string(),
  confidence: ConfidenceSchema,
  partial: z.boolean(),
  conflict: z.boolean(),
});

export const CalendarChangeSchema = z
  .object({
    id: z.string(),
    object: z.literal('calendar_change'),
    occurred_at: z.string(),
    actor: z.string(),
    reason: z.string(),
    year: z.number().int(),
    scope: z.enum(['year', 'national', 'region', 'area', 'municipality']),
    code: z.string().nullable(),
    mode: z.enum(['replace', 'add']),
    before_count: z.number().int(),
    after_count: z.number().int(),
    before: z.array(DayRecord),
    after: z.array(DayRecord),
    calendar_version: z.number().int(),
    procedures_recomputed: z.number().int().openapi({
      description:
        'Procedures whose stored dates moved (each got a timeline entry and its organisation a `calendar.holidays_changed` event).',
    }),
  })
  .openapi('CalendarChange');
