/**
 * Spanish identity and tax numbers: DNI, NIE, K/L/M personal NIF, entity NIF (formerly CIF),
 * and Spanish IBANs. Input is normalised (spaces, dots, dashes, an `ES` VAT prefix, case) but
 * never "corrected": a wrong check character is an error naming the rule.
 */

const CHECK_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';
const ENTITY_CONTROL_LETTERS = 'JABCDEFGHI';
const ENTITY_LETTERS = 'ABCDEFGHJNPQRSUVW';
const CONTROL_LETTER_ONLY = 'PQRSWN';
const CONTROL_DIGIT_ONLY = 'ABEH';

export type IdKind = 'dni' | 'nie' | 'nif_klm' | 'entity';
export type IdRejection =
  'format' | 'check_letter' | 'entity_letter' | 'control_must_be_letter' | 'control_must_be_digit' | 'control';

export type IdCheck = { ok: true; value: string; kind: IdKind } | { ok: false; reason: IdRejection; message: string };
export type IbanCheck = { ok: true; value: string } | { ok: false; reason: 'format' | 'checksum'; message: string };

export function normalizeIdNumber(input: string): string {
  let value = input.replace(/[\s.-]/g, '').toUpperCase();
  if (/^ES[0-9A-Z]{9}$/.test(value)) value = value.slice(2);
  return value;
}

function fail(reason: IdRejection, message: string): IdCheck {
  return { ok: false, reason, message };
}

function checkLetterRule(value: string, digits: string, kind: IdKind): IdCheck {
  const expected = CHECK_LETTERS[Number(digits) % 23]!;
  if (value.at(-1) !== expected)
    return fail('check_letter', `The check letter should be ${expected} for ${value.slice(0, -1)}.`);
  return { ok: true, value, kind };
}

export function checkPersonalId(input: string): IdCheck {
  const value = normalizeIdNumber(input);
  if (/^[0-9]{8}[A-Z]$/.test(value)) return checkLetterRule(value, value.slice(0, 8), 'dni');
  if (/^[XYZ][0-9]{7}[A-Z]$/.test(value)) {
    const digits = String('XYZ'.indexOf(value[0]!)) + value.slice(1, 8);
    return checkLetterRule(value, digits, 'nie');
  }
  if (/^[KLM][0-9]{7}[A-Z]$/.test(value)) return checkLetterRule(value, value.slice(1, 8), 'nif_klm');
  return fail(
    'format',
    'Expected a DNI (8 digits and a letter), an NIE (X, Y or Z, 7 digits and a letter) or a K/L/M NIF.',
  );
}

/** The control character of an entity NIF's seven digits, as a digit and as a letter (which one an entity uses depends on its first letter). */
export function entityNifControl(digits: string): { digit: string; letter: string } {
  let even = 0;
  let odd = 0;
  for (let i = 0; i < 7; i++) {
    const d = Number(digits[i]);
    if (i % 2 === 1) even += d;
    else {
      const doubled = d * 2;
      odd += Math.floor(doubled / 10) + (doubled % 10);
    }
  }
  const control = (10 - ((even + odd) % 10)) % 10;
  return { digit: String(control), letter: ENTITY_CONTROL_LETTERS[control]! };
}

export function checkEntityNif(input: string): IdCheck {
  const value = normalizeIdNumber(input);
  if (!/^[A-Z][0-9]{7}[0-9A-Z]$/.test(value))
    return fail('format', 'Expected an entity NIF: a letter, 7 digits and a control digit or letter.');
  const letter = value[0]!;
  if (!ENTITY_LETTERS.includes(letter))
    return fail('entity_letter', `"${letter}" is not a valid first letter for an entity NIF.`);
  const { digit: asDigit, letter: asLetter } = entityNifControl(value.slice(1, 8));
  const given = value[8]!;
  const isDigit = /[0-9]/.test(given);
  if (CONTROL_LETTER_ONLY.includes(letter) && isDigit)
    return fail(
      'control_must_be_letter',
      `Entities of type ${letter} have a letter as control character (${asLetter}).`,
    );
  if (CONTROL_DIGIT_ONLY.includes(letter) && !isDigit)
    return fail('control_must_be_digit', `Entities of type ${letter} have a digit as control character (${asDigit}).`);
  if (given !== asDigit && given !== asLetter) {
    return fail(
      'control',
      `The control character should be ${CONTROL_LETTER_ONLY.includes(letter) ? asLetter : CONTROL_DIGIT_ONLY.includes(letter) ? asDigit : `${asDigit} or ${asLetter}`}.`,
    );
  }
  return { ok: true, value, kind: 'entity' };
}

/** Any NIF: an entity's, or a person's (a sole practitioner registers with their own). */
export function checkNif(input: string): IdCheck {
  const value = normalizeIdNumber(input);
  if (/^[0-9XYZKLM]/.test(value)) return checkPersonalId(value);
  return checkEntityNif(value);
}

export function checkSpanishIban(input: string): IbanCheck {
  const value = input.replace(/[\s-]/g, '').toUpperCase();
  if (!/^ES[0-9]{22}$/.test(value))
    return { ok: false, reason: 'format', message: 'Expected a Spanish IBAN: ES followed by 22 digits.' };
  const rearranged = value.slice(4) + '1428' + value.slice(2, 4); // E=14, S=28
  let remainder = 0;
  for (const ch of rearranged) remainder = (remainder * 10 + Number(ch)) % 97;
  if (remainder !== 1)
    return { ok: false, reason: 'checksum', message: 'The IBAN check digits do not match (mod-97).' };
  return { ok: true, value };
}

export const isPersonalId = (input: string): boolean => checkPersonalId(input).ok;
export const isNif = (input: string): boolean => checkNif(input).ok;
