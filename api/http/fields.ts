import { z } from '@hono/zod-openapi';

import { FIRST_YEAR, isInstantInRange, LAST_YEAR } from '../lib/dates';
import { checkNif, checkPersonalId, checkSpanishIban } from '../lib/identifiers';

type Check = (input: string) => { ok: true; value: string } | { ok: false; message: string };

/** A string validated and normalised by one of the identifier checks; the error names the rule. */
function identifier(check: Check) {
  return z
    .string()
    .max(40)
    .transform((input, ctx) => {
      const result = check(input);
      if (!result.ok) {
        ctx.addIssue({ code: 'custom', message: result.message });
        return z.NEVER;
      }
      return result.value;
    });
}

/** DNI, NIE or K/L/M NIF of a person. */
export const personalIdField = () =>
  identifier(checkPersonalId).openapi({
    description: 'DNI, NIE or personal NIF; spaces, dots and dashes are ignored.',
    example: '12345678Z',
  });

/** Entity NIF, or a personal NIF for a sole practitioner. */
export const nifField = () =>
  identifier(checkNif).openapi({
    description: 'NIF of the organisation (entity NIF, or DNI/NIE of a sole practitioner).',
    example: 'B00000000',
  });

export const ibanField = () =>
  identifier(checkSpanishIban).openapi({
    description: 'Spanish IBAN (ES + 22 digits, mod-97 checked).',
    example: 'ES9121000418450200051332',
  });

export const emailField = () => z.email().max(254).openapi({ example: 'contacto@gestoriamartinez.es' });

/** The largest amount taken, in euros: a monthly benefit, well inside the `numeric(12, 2)` it is stored in. */
const MAX_EURO_AMOUNT = 1_000_000;

/**
 * An amount in euros, stored as `numeric(12, 2)`: from 0 to a million, in cents at most. More
 * decimals are refused, not rounded away where it is stored.
 */
export const euroAmountField = () =>
  z
    .number()
    .nonnegative()
    .max(MAX_EURO_AMOUNT)
    .refine((n) => Number(n.toFixed(2)) === n, { message: 'At most two decimals: an amount in euros and cents.' })
    .openapi({ description: 'Amount in euros, with at most two decimals.' });

/** A path parameter that names a resource by its id, such as `{id}` in `/v1/procedures/{id}`. */
export const pathIdField = (name: string, example: string) =>
  z
    .string()
    .max(64)
    .openapi({ param: { name, in: 'path', required: true }, example });

/**
 * An instant with its UTC offset (`2026-03-02T09:00:00Z`, `2026-03-02T10:00:00+01:00`), in the
 * years the API accepts once in UTC (see `FIRST_YEAR`): every timestamp input.
 */
export const timestampField = () =>
  z.iso.datetime({ offset: true }).refine((s) => isInstantInRange(new Date(s)), {
    message: `Must fall in the years ${FIRST_YEAR} to ${LAST_YEAR} once in UTC.`,
  });

/**
 * The file part of a multipart/form-data body: required (a body without it, or with a text field
 * in its place, is refused with its pointer) and documented as binary, so clients type it as a file.
 */
export const filePart = (description: string) =>
  z
    .custom<File>((value) => value instanceof File, { message: 'Required file part.' })
    .openapi({ type: 'string', format: 'binary', description });
