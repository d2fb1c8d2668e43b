import { describe, expect, it } from 'vitest';

import { SecretBox, webCryptoAesGcm } from '../../api/lib/crypto-box';
import { base64UrlDecode, base64UrlEncode } from '../../api/lib/encoding';
import { nodeAesGcm } from '../../api/node/aes-gcm';

const SECRET = 'a-configured-secret-key-of-forty-characters';
const engines = { 'node:crypto': nodeAesGcm, WebCrypto: webCryptoAesGcm };

/** The box with one byte of its ciphertext (or tag) flipped. */
function tampered(box: string, at: number): string {
  const [version, iv, data] = box.split('.');
  const bytes = base64UrlDecode(data!);
  bytes[at < 0 ? bytes.length + at : at]! ^= 1;
  return `${version}.${iv}.${base64UrlEncode(bytes)}`;
}

describe('secret boxes (AES-256-GCM)', () => {
  for (const [sealer, sealing] of Object.entries(engines))
    for (const [opener, opening] of Object.entries(engines))
      it(`sealed through ${sealer}, opened through ${opener}`, async () => {
        const text = 'whsec_ñandú €42 {"stored":"response"}';
        const box = await new SecretBox(SECRET, sealing).seal(text);
        expect(box).toMatch(/^v1\.[\w-]{16}\.[\w-]+$/);
        expect(await new SecretBox(SECRET, opening).open(box)).toBe(text);
      });

  for (const [name, engine] of Object.entries(engines))
    it(`through ${name}, refuses an altered box, a box of another secret, and a new nonce per seal`, async () => {
      const box = new SecretBox(SECRET, engine);
      const sealed = await box.seal('the secret');
      await expect(box.open(tampered(sealed, 0))).rejects.toThrow();
      await expect(box.open(tampered(sealed, -1))).rejects.toThrow(); // the tag
      await expect(new SecretBox(`${SECRET}-other`, engine).open(sealed)).rejects.toThrow();
      await expect(box.open('v2.abc.def')).rejects.toThrow('Unknown sealed format');
      expect(await box.seal('the secret')).not.toBe(sealed);
    });
});
