import { describe, expect, it } from 'vitest';

import { isStorableText, textFaults } from '../../api/lib/text';

describe('storable text', () => {
  it('refuses NUL and lone surrogates, and nothing else', () => {
    expect(isStorableText('Calle Mayor 1, 3º B — Peñíscola 😀')).toBe(true);
    expect(isStorableText('\t\r\n\u0001\u007f\u200e')).toBe(true);
    for (const bad of ['\u0000', 'a\u0000b', '\ud800', 'x\udc00', '\ude00\ud83d', '😀'.slice(0, 1)])
      expect(isStorableText(bad), JSON.stringify(bad)).toBe(false);
  });

  it('finds every faulty string of a value with its path, keys included', () => {
    const value = {
      name: 'Ana\u0000',
      ok: 'bien',
      list: [1, 'x', { deep: '\ud800' }],
      'k\u0000': true,
      file: new Blob(['\u0000']),
    };
    expect(textFaults(value).map((f) => f.path)).toEqual([['name'], ['list', 2, 'deep'], ['k\u0000']]);
    expect(textFaults(['\u0000'])).toEqual([{ path: [0], detail: expect.stringMatching(/NUL/) }]);
    expect(textFaults('fine')).toEqual([]);
    expect(textFaults(null)).toEqual([]);
  });

  it('searches a value nested deeper than calls can go', () => {
    const deep = JSON.parse('['.repeat(100_000) + '"\\u0000"' + ']'.repeat(100_000)) as unknown;
    const [fault] = textFaults(deep);
    expect(fault!.path).toHaveLength(100_000);
    expect(textFaults(JSON.parse('{"name":' + '['.repeat(50_000) + ']'.repeat(50_000) + '}'))).toEqual([]);
  });
});
