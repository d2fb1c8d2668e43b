/**
 * HMAC-SHA256 through whatever the runtime does fastest, with the key prepared once: webhook
 * signatures (Standard Webhooks) are computed for every delivery. Node injects `node:crypto`
 * (synchronous, no WebCrypto job per signature; see api/node/hmac.ts), WebCrypto elsewhere.
 */
export type HmacSha256 = (key: Uint8Array) => Promise<HmacKey>;

export interface HmacKey {
  sign(message: string): Promise<Uint8Array>;
}

const utf8 = new TextEncoder();

/** WebCrypto's HMAC (Workers, and anywhere nothing faster was injected). */
export const webCryptoHmac: HmacSha256 = async (raw) => {
  const key = await crypto.subtle.importKey(
    'raw',
    raw as Uint8Array<ArrayBuffer>,
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return { sign: async (message) => new Uint8Array(await crypto.subtle.sign('HMAC', key, utf8.encode(message))) };
};
