import { describe, expect, it } from 'vitest';

import { decodeCursor, encodeCursor, toPage } from '../../api/http/pagination';
import { ProblemError } from '../../api/http/problem';
import { newId } from '../../api/lib/ids';

describe('keyset pagination helpers', () => {
  it('round-trips a cursor for the same list only', () => {
    const cursor = encodeCursor('procedures', ['2026-03-02T09:00:00.000Z', 'prc_abc']);
    expect(decodeCursor('procedures', cursor, 2)).toEqual(['2026-03-02T09:00:00.000Z', 'prc_abc']);
    expect(() => decodeCursor('events', cursor, 2)).toThrow(ProblemError);
    expect(() => decodeCursor('procedures', 'not-a-cursor', 2)).toThrow(ProblemError);
  });

  it('builds a page from limit + 1 rows', () => {
    const rows = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
    const page = toPage(
      rows,
      2,
      'x',
      (r) => [r.id],
      (r) => r.id,
    );
    expect(page.data).toEqual(['a', 'b']);
    expect(page.has_more).toBe(true);
    expect(decodeCursor('x', page.next_cursor!, 1)).toEqual(['b']);
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
