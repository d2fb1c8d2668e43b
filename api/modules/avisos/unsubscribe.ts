import { base64UrlDecode, base64UrlEncode } from '../../lib/encoding';
import { type AvisoKind, isAvisoKind } from './messages';

/** What an unsubscribe link turns off: one kind of aviso, or all of them (`*`). */
export interface Unsubscribe {
  citizenId: string;
  kind: AvisoKind | '*';
}

const PURPOSE = 'puente-avisos-unsubscribe:';

async function mac(secret: string, payload: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return base64UrlEncode(
    new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(PURPOSE + payload))),
  );
}

/** `<payload>.<HMAC-SHA256 of it, keyed with the service secret>`: works without signing in, cannot be forged. */
export async function unsubscribeToken(secret: string, u: Unsubscribe): Promise<string> {
  const payload = base64UrlEncode(new TextEncoder().encode(JSON.stringify([u.citizenId, u.kind])));
  return `${payload}.${await mac(secret, payload)}`;
}

export async function readUnsubscribeToken(secret: string, token: unknown): Promise<Unsubscribe | undefined> {
  if (typeof token !== 'string' || token.length > 512) return undefined;
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return undefined;
  const expected = await mac(secret, payload);
  if (expected.length !== signature.length) return undefined;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ signature.charCodeAt(i);
  if (diff !== 0) return undefined;
  try {
    const [citizenId, kind] = JSON.parse(new TextDecoder().decode(base64UrlDecode(payload))) as unknown[];
    if (typeof citizenId !== 'string' || (kind !== '*' && !isAvisoKind(kind))) return undefined;
    return { citizenId, kind };
  } catch {
    return undefined;
  }
}

export const UNSUBSCRIBE_PATH = '/avisos/baja';

export async function unsubscribeUrl(baseUrl: string, secret: string, u: Unsubscribe): Promise<string> {
  return `${baseUrl}${UNSUBSCRIBE_PATH}?t=${await unsubscribeToken(secret, u)}`;
}
