import { base64UrlDecode } from '../../lib/encoding';
import { type HmacKey, type HmacSha256, webCryptoHmac } from '../../lib/hmac';
import type { PreviousSecret } from './queries';

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  return base64UrlDecode(text.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''));
}

/** The secrets rotated out that still sign at `now` (each until its own end), newest first. */
export function signingPreviousSecrets(secrets: readonly PreviousSecret[], now: Date): PreviousSecret[] {
  return secrets.filter((p) => new Date(p.expires_at) > now);
}

/** `whsec_` + base64 of 32 random bytes (Standard Webhooks). */
export function newWebhookSecret(): string {
  return `whsec_${toBase64(crypto.getRandomValues(new Uint8Array(32)))}`;
}

/** The HMAC-SHA256 key of a `whsec_` secret (its decoded bytes), through `hmac`. */
export function importSigningKey(secret: string, hmac: HmacSha256 = webCryptoHmac): Promise<HmacKey> {
  return hmac(fromBase64(secret.replace(/^whsec_/, '')));
}

/** `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` keyed with the secret (or its imported key). */
export async function signPayload(
  secret: string | HmacKey,
  id: string,
  timestamp: number,
  body: string,
): Promise<string> {
  const key = typeof secret === 'string' ? await importSigningKey(secret) : secret;
  return `v1,${toBase64(await key.sign(`${id}.${timestamp}.${body}`))}`;
}
