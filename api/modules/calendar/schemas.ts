import { z } from '@hono/zod-openapi';
import { REGION_CODES } from '../../lib/holidays';
import { isIsoDate } from '../../lib/calendar';

export const RegionSchema = z.enum(REGION_CODES).openapi('Region', {
  description: 'Autonomous community, ISO 3166-2:ES subdivision code without the `ES-` prefix.',
  example: 'MD',
});

/** Nullable fields need the enum inline: a nullable reference to a component loses its null. */
export const NullableRegionSchema = z.enum(REGION_CODES).nullable().openapi({ description: 'Autonomous community (ISO 3166-2:ES), or null.' });

export const IsoDateSchema = z
  .string()
  .refine(isIsoDate, { message: 'Must be a calendar date in the form YYYY-MM-DD.' })
  .openapi({ format: 'date', example: '2026-03-27' });

export const DeadlineQuery = z
  .object({
    from: IsoDateSchema.openapi({
      param: { name: 'from', in: 'query', required: true },
      description: 'Day of the notification, publication or filing; counting starts the next day.',
    }),
    business_days: z.coerce.number().int().min(1).max(3650).optional().openapi({ description: 'Días hábiles to add.', example: 10 }),
    months: z.coerce.number().int().min(1).max(120).optional().openapi({ description: 'Months to add, date to date.' }),
    region: RegionSchema.optional().openapi({ description: 'Community whose regional holidays also count as non-working.' }),
  })
  .strict();

export const DeadlineSchema = z
  .object({
    object: z.literal('deadline'),
    from: z.string().openapi({ format: 'date' }),
    deadline: z.string().openapi({ format: 'date' }),
    unit: z.enum(['business_days', 'months']),
    amount: z.number().int(),
    region: NullableRegionSchema,
    provisional: z.boolean().openapi({ description: 'True when a year involved only has provisional holiday data.' }),
    skipped: z.array(
      z.object({
        date: z.string().openapi({ format: 'date' }),
        reason: z.enum(['saturday', 'sunday', 'national_holiday', 'regional_holiday']),
        name: z.string().nullable(),
      }),
    ),
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
        { date: '2026-03-28', reason: 'saturday', name: null },
        { date: '2026-03-29', reason: 'sunday', name: null },
        { date: '2026-04-02', reason: 'regional_holiday', name: 'Jueves Santo' },
        { date: '2026-04-03', reason: 'national_holiday', name: 'Viernes Santo' },
        { date: '2026-04-04', reason: 'saturday', name: null },
        { date: '2026-04-05', reason: 'sunday', name: null },
        { date: '2026-04-11', reason: 'saturday', name: null },
        { date: '2026-04-12', reason: 'sunday', name: null },
      ],
    },
  });
