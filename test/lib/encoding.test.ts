import { describe, expect, it } from 'vitest';

import { sha256Hex } from '../../api/lib/encoding';
import { nodeSha256 } from '../../api/node/runtime';

describe('sha256Hex', () => {
  it('matches the FIPS 180-2 vectors for text and bytes (API keys are looked up by this digest)', async () => {
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(await sha256Hex(new TextEncoder().encode('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(await sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    // Multi-byte UTF-8 is hashed as UTF-8 on both the synchronous and the WebCrypto path.
    const viaWebCrypto = [
      ...new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode('Señora Núñez'))),
    ]
      .map((b) => b.toString(16).padStart(2, '0'))
      .join('');
    expect(await sha256Hex('Señora Núñez')).toBe(viaWebCrypto);
  });

  it("Node's injected SHA-256 gives the same digests", async () => {
    for (const input of ['abc', '', 'Señora Núñez', new TextEncoder().encode('abc')]) {
      expect(await nodeSha256(input)).toBe(await sha256Hex(input));
    }
  });
});
