import { describe, expect, it } from 'vitest';

import { base64UrlDecode, base64UrlEncode, base64UrlEncodeScript, sha256Hex } from '../../api/lib/encoding';
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
  // The runtime's `Buffer` from 32 bytes, the script below that and where there is none: both must give the same text.
  const encoders = { base64UrlEncode, base64UrlEncodeScript };

  it.each(Object.entries(encoders))(
    '%s matches the RFC 4648 vectors, without padding and with the URL alphabet',
    (_, encode) => {
      const text = (s: string) => encode(new TextEncoder().encode(s));
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
      // The two characters that differ from base64: 62 is '-' and 63 is '_', on either side of 32 bytes.
      expect(encode(new Uint8Array([0xfb, 0xff, 0xbf]))).toBe('-_-_');
      expect(encode(new Uint8Array(33).fill(0xff))).toBe('_'.repeat(44));
      expect(encode(new Uint8Array(36).fill(0xfb))).toBe('-_v7'.repeat(12));
    },
  );

  it.each(Object.entries(encoders))(
    '%s gives the same text as the other for every length and byte, and decodes back to the bytes',
    (_, encode) => {
      for (let length = 0; length < 200; length++) {
        const bytes = crypto.getRandomValues(new Uint8Array(length));
        const encoded = encode(bytes);
        expect(encoded).toBe(base64UrlEncodeScript(bytes));
        expect(encoded).toBe(Buffer.from(bytes).toString('base64url'));
        expect(base64UrlDecode(encoded)).toEqual(bytes);
        // A view into a larger buffer is encoded as the view, not the whole buffer.
        const within = new Uint8Array(length + 8);
        within.set(bytes, 5);
        expect(encode(within.subarray(5, 5 + length))).toBe(encoded);
      }
      const every = Uint8Array.from({ length: 768 }, (_, i) => i % 256);
      expect(encode(every)).toBe(Buffer.from(every).toString('base64url'));
    },
  );
});
