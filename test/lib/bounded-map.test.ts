import { describe, expect, it } from 'vitest';

import { BoundedMap } from '../../api/lib/bounded-map';

describe('BoundedMap', () => {
  it('keeps at most its limit, dropping the least recently used entry', () => {
    const map = new BoundedMap<string, number>(3);
    map.set('a', 1);
    map.set('b', 2);
    map.set('c', 3);
    // A hit on the oldest entry keeps it: the next one in line goes instead.
    expect(map.get('a')).toBe(1);
    map.set('d', 4);
    expect(map.size).toBe(3);
    expect(map.get('b')).toBeUndefined();
    expect([map.get('a'), map.get('c'), map.get('d')]).toEqual([1, 3, 4]);
  });

  it('replaces a value under the same key without dropping another entry', () => {
    const map = new BoundedMap<string, number>(2);
    map.set('a', 1);
    map.set('b', 2);
    map.set('a', 10);
    expect(map.size).toBe(2);
    expect([map.get('a'), map.get('b')]).toEqual([10, 2]);
    map.delete('a');
    expect(map.get('a')).toBeUndefined();
    expect(map.size).toBe(1);
  });
});
