import { describe, expect, it } from 'vitest';

import { base64UrlDecode, base64UrlEncode, sha256Hex } from '../../api/lib/encoding';
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

describe('base64url', () => {
  it('matches the RFC 4648 vectors, without padding and with the URL alphabet', () => {
    const text = (s: string) => base64UrlEncode(new TextEncoder().encode(s));
    // RFC 4648 §10, padding removed.
    expect(['', 'f', 'fo', 'foo', 'foob', 'fooba', 'foobar'].map(text)).toEqual([
      '',
      'Zg',
      'Zm8',
      'Zm9v',
      'Zm9vYg',
      'Zm9vYmE',
      'Zm9vYmFy',
    ]);
    // The two characters that differ from base64: 62 is '-' and 63 is '_'.
    expect(base64UrlEncode(new Uint8Array([0xfb, 0xff, 0xbf]))).toBe('-_-_');
  });

  it('gives what Node gives for every length and byte, and decodes back to the bytes', () => {
    for (let length = 0; length < 200; length++) {
      const bytes = crypto.getRandomValues(new Uint8Array(length));
      const encoded = base64UrlEncode(bytes);
      expect(encoded).toBe(Buffer.from(bytes).toString('base64url'));
      expect(base64UrlDecode(encoded)).toEqual(bytes);
    }
    const every = Uint8Array.from({ length: 768 }, (_, i) => i % 256);
    expect(base64UrlEncode(every)).toBe(Buffer.from(every).toString('base64url'));
  });
});
