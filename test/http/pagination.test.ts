import { describe, expect, it } from 'vitest';

import {
  CREATED_KEY,
  type CursorShape,
  decodeCursor,
  encodeCursor,
  SEQUENCE_KEY,
  toPage,
} from '../../api/http/pagination';
import { ProblemError } from '../../api/http/problem';
import { newId } from '../../api/lib/ids';

describe('keyset pagination helpers', () => {
  it('round-trips a cursor for the same list only', () => {
    const cursor = encodeCursor('procedures', ['2026-03-02T09:00:00.000Z', 'prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0']);
    expect(decodeCursor('procedures', cursor, CREATED_KEY)).toEqual([
      '2026-03-02T09:00:00.000Z',
      'prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0',
    ]);
    expect(() => decodeCursor('events', cursor, CREATED_KEY)).toThrow(ProblemError);
    expect(() => decodeCursor('procedures', 'not-a-cursor', CREATED_KEY)).toThrow(ProblemError);
  });

  it('refuses a cursor whose positions are not of their type, naming the cursor', () => {
    const forged = (...key: unknown[]) => Buffer.from(JSON.stringify(key)).toString('base64url');
    const refused = (cursor: string, shape: CursorShape) => {
      try {
        decodeCursor('l', cursor, shape);
      } catch (error) {
        expect(error).toBeInstanceOf(ProblemError);
        expect((error as ProblemError).code).toBe('invalid_cursor');
        expect((error as ProblemError).errors).toEqual([expect.objectContaining({ pointer: '/cursor', in: 'query' })]);
        return true;
      }
      return false;
    };
    const id = 'mem_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0';
    for (const at of [
      'garbage',
      '99999-01-01',
      '+010000-01-01T00:00:00.000Z',
      '0000-12-31T23:59:59.000Z',
      '2026-03-02',
      1e300,
    ])
      expect(refused(forged('l', at, id), CREATED_KEY), String(at)).toBe(true);
    for (const bad of ['x', 'mem_', 'mem_abc', 'xyz_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0', 'mem_6Yh8Uj0Ik2\u0000', 42])
      expect(refused(forged('l', '2026-03-02T09:00:00.000Z', bad), CREATED_KEY), String(bad)).toBe(true);
    for (const seq of ['garbage', '1.5', 1.5, '-1', -1, '99999999999999999999', 1e300, '', '1e3'])
      expect(refused(forged('l', seq), SEQUENCE_KEY), String(seq)).toBe(true);
    for (const row of [2_147_483_648, '2147483648', 'NaN'])
      expect(refused(forged('l', row), ['integer']), String(row)).toBe(true);

    expect(decodeCursor('l', forged('l', '0001-01-01T00:00:00.000Z', id), CREATED_KEY)).toEqual([
      '0001-01-01T00:00:00.000Z',
      id,
    ]);
    expect(decodeCursor('l', forged('l', '9007199254740991'), SEQUENCE_KEY)).toEqual(['9007199254740991']);
    expect(decodeCursor('l', forged('l', 2_147_483_647), ['integer'])).toEqual(['2147483647']);
    expect(decodeCursor('l', forged('l', '17'), 1)).toEqual(['17']);
  });

  it('builds a page from limit + 1 rows', () => {
    const rows = [{ id: 1 }, { id: 2 }, { id: 3 }];
    const page = toPage(
      rows,
      2,
      'x',
      (r) => [r.id],
      (r) => r.id,
    );
    expect(page.data).toEqual([1, 2]);
    expect(page.has_more).toBe(true);
    expect(decodeCursor('x', page.next_cursor!, ['integer'])).toEqual(['2']);
    const last = toPage(
      rows.slice(0, 2),
      2,
      'x',
      (r) => [r.id],
      (r) => r.id,
    );
    expect(last).toMatchObject({ has_more: false, next_cursor: null });
  });

  it('makes prefixed, random, non-sequential ids', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newId('prc')));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^prc_[0-9A-Za-z]{22}$/);
  });
});
