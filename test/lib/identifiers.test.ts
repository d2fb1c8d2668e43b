import { describe, expect, it } from 'vitest';

import {
  checkEntityNif,
  checkNif,
  checkPersonalId,
  checkSpanishIban,
  normalizeIdNumber,
} from '../../api/lib/identifiers';

describe('DNI / NIE / K-L-M', () => {
  it.each(['12345678Z', '11111111H', '54362315K', '00000000T', '99999999R'])('accepts DNI %s', (v) => {
    expect(checkPersonalId(v)).toEqual({ ok: true, value: v, kind: 'dni' });
  });
  it.each([
    ['12345678A', 'check_letter'],
    ['54362315Z', 'check_letter'],
    ['1234567Z', 'format'],
    ['12345678', 'format'],
  ])('refuses DNI %s (%s)', (v, reason) => {
    expect(checkPersonalId(v)).toMatchObject({ ok: false, reason });
  });
  it('names the expected letter without correcting the value', () => {
    const r = checkPersonalId('12345678A');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain('Z');
  });
  it.each(['X2482300W', 'X1111111G', 'Y1234567X', 'Z1234567R'])('accepts NIE %s', (v) => {
    expect(checkPersonalId(v)).toMatchObject({ ok: true, kind: 'nie' });
  });
  it.each(['X2482300A', 'X1111111A'])('refuses NIE %s', (v) => {
    expect(checkPersonalId(v)).toMatchObject({ ok: false, reason: 'check_letter' });
  });
  it('checks K/L/M personal NIFs', () => {
    expect(checkPersonalId('L1111111G')).toMatchObject({ ok: true, kind: 'nif_klm' });
    expect(checkPersonalId('L1111111C')).toMatchObject({ ok: false, reason: 'check_letter' });
  });
  it('normalises spaces, dots, dashes, case and an ES prefix', () => {
    expect(normalizeIdNumber(' 12.345.678-z ')).toBe('12345678Z');
    expect(normalizeIdNumber('ES12345678Z')).toBe('12345678Z');
    expect(checkPersonalId('12.345.678-z')).toMatchObject({ ok: true, value: '12345678Z' });
  });
});

describe('entity NIF', () => {
  it.each(['J99216582', 'A13585625', 'A11111119', 'B00000000', 'Q2826000H', 'P2807900B', 'G12345674'])(
    'accepts %s',
    (v) => {
      expect(checkEntityNif(v)).toEqual({ ok: true, value: v, kind: 'entity' });
    },
  );
  it.each([
    ['J99216583', 'control'],
    ['A11111118', 'control'],
    ['A1358562E', 'control_must_be_digit'],
    ['Q28260008', 'control_must_be_letter'],
    ['I1234567A', 'entity_letter'],
    ['T1234567A', 'entity_letter'],
    ['B123', 'format'],
  ])('refuses %s (%s)', (v, reason) => {
    expect(checkEntityNif(v)).toMatchObject({ ok: false, reason });
  });
  it('checkNif takes entities and people (sole practitioners)', () => {
    expect(checkNif('B00000000')).toMatchObject({ ok: true, kind: 'entity' });
    expect(checkNif('54362315K')).toMatchObject({ ok: true, kind: 'dni' });
    expect(checkNif('ESB00000000')).toMatchObject({ ok: true, value: 'B00000000' });
    expect(checkNif('54362315Z')).toMatchObject({ ok: false });
  });
});

describe('Spanish IBAN', () => {
  it.each([
    'ES9121000418450200051332',
    'ES7921000813610123456789',
    'ES6000491500051234567892',
    'es91 2100 0418 4502 0005 1332',
  ])('accepts %s', (v) => {
    expect(checkSpanishIban(v).ok).toBe(true);
  });
  it('refuses a changed digit and a foreign or short IBAN', () => {
    expect(checkSpanishIban('ES9121000418450200051333')).toMatchObject({ ok: false, reason: 'checksum' });
    expect(checkSpanishIban('DE89370400440532013000')).toMatchObject({ ok: false, reason: 'format' });
    expect(checkSpanishIban('ES91210004184502')).toMatchObject({ ok: false, reason: 'format' });
  });
});
