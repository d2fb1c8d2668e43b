import { base64UrlEncode, sha256Hex } from './encoding';
import { webCryptoHmac } from './hmac';
import { randomToken } from './ids';

export type SecretKind = 'sk_live' | 'sk_test' | 'ak_live';

/** 43 base62 characters carry 256 bits: at least 32 random bytes, as the key policy requires. */
export function newSecret(kind: SecretKind): string {
  return `${kind}_${randomToken(43)}`;
}

/** Secrets are high-entropy, so a plain SHA-256 is enough to store them irreversibly. */
export function hashSecret(secret: string): Promise<string> {
  return sha256Hex(secret);
}

/** What lists show: enough to recognise a key, never enough to use it. */
export function displayPrefix(secret: string): string {
  return `${secret.slice(0, secret.indexOf('_', 3) + 5)}…${secret.slice(-4)}`;
}

/** Compares two strings without leaking where they differ. */
export async function constantTimeEqual(a: string, b: string): Promise<boolean> {
  const [ha, hb] = await Promise.all([sha256Hex(a), sha256Hex(b)]);
  let diff = 0;
  for (let i = 0; i < ha.length; i++) diff |= ha.charCodeAt(i) ^ hb.charCodeAt(i);
  return diff === 0;
}

/** HMAC-SHA256 of `text` keyed with `secret`, base64url: form tokens, unsubscribe links, stored confirmation codes. */
export async function hmacSha256(secret: string, text: string): Promise<string> {
  const key = await webCryptoHmac(new TextEncoder().encode(secret));
  return base64UrlEncode(await key.sign(text));
}
