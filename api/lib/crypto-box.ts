import { base64UrlDecode, base64UrlEncode } from './encoding';

/**
 * AES-256-GCM under a raw 32-byte key, through whatever the runtime does fastest: every write sent
 * with an Idempotency-Key seals its response. Node injects `node:crypto` (synchronous, no WebCrypto
 * job per message; see api/node/aes-gcm.ts), WebCrypto elsewhere. Both give the ciphertext with
 * its 16-byte tag appended, so either opens what the other sealed.
 */
export type AesGcm = (raw: Uint8Array) => Promise<AesGcmKey>;

export interface AesGcmKey {
  encrypt(iv: Uint8Array, plaintext: Uint8Array): Promise<Uint8Array>;
  /** Rejects when the data or its tag was altered. */
  decrypt(iv: Uint8Array, sealed: Uint8Array): Promise<Uint8Array>;
}

/** WebCrypto's AES-GCM (Workers, and anywhere nothing faster was injected). */
export const webCryptoAesGcm: AesGcm = async (raw) => {
  const key = await crypto.subtle.importKey('raw', raw as Uint8Array<ArrayBuffer>, 'AES-GCM', false, [
    'encrypt',
    'decrypt',
  ]);
  const params = (iv: Uint8Array) => ({ name: 'AES-GCM', iv: iv as Uint8Array<ArrayBuffer> });
  return {
    encrypt: async (iv, plaintext) =>
      new Uint8Array(await crypto.subtle.encrypt(params(iv), key, plaintext as Uint8Array<ArrayBuffer>)),
    decrypt: async (iv, sealed) =>
      new Uint8Array(await crypto.subtle.decrypt(params(iv), key, sealed as Uint8Array<ArrayBuffer>)),
  };
};

/** AES-256-GCM with a key derived from the configured secret; for small secrets at rest. */
export class SecretBox {
  private readonly key: Promise<AesGcmKey>;

  constructor(secret: string, aesGcm: AesGcm = webCryptoAesGcm) {
    this.key = crypto.subtle
      .digest('SHA-256', new TextEncoder().encode(`puente-secret-box:${secret}`))
      .then((raw) => aesGcm(new Uint8Array(raw)));
  }

  async seal(plaintext: string): Promise<string> {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const sealed = await (await this.key).encrypt(iv, new TextEncoder().encode(plaintext));
    return `v1.${base64UrlEncode(iv)}.${base64UrlEncode(sealed)}`;
  }

  async open(box: string): Promise<string> {
    const [version, iv, data] = box.split('.');
    if (version !== 'v1' || !iv || !data) throw new Error('Unknown sealed format');
    return new TextDecoder().decode(await (await this.key).decrypt(base64UrlDecode(iv), base64UrlDecode(data)));
  }
}
