import { constantTimeEqual, hmacSha256 } from '../../lib/secrets';
import { AVISO_KINDS, type AvisoKind, isAvisoKind } from './messages';

/**
 * What an unsubscribe link turns off: one kind of aviso. Links that turned off every kind (`x`)
 * were sent only with the codes that confirm a contact, to an address that may be mistyped: they
 * are no longer honoured.
 */
export interface Unsubscribe {
  citizenId: string;
  kind: AvisoKind;
}

const PURPOSE = 'puente-avisos-unsubscribe:';

function mac(secret: string, payload: string): Promise<string> {
  return hmacSha256(secret, PURPOSE + payload);
}

/** Kinds by position in the token (short enough for an SMS). */
function kindCode(kind: AvisoKind): string {
  return String(AVISO_KINDS.indexOf(kind));
}

function kindOf(code: string): AvisoKind | undefined {
  if (!/^\d{1,2}$/.test(code)) return undefined;
  const kind = AVISO_KINDS[Number(code)];
  return isAvisoKind(kind) ? kind : undefined;
}

/**
 * `<citizen id>.<kind>.<HMAC-SHA256 of both, keyed with the service secret, 128 bits>`: works
 * without signing in, cannot be forged, and is short enough to end an SMS. The citizen id is
 * Puente's opaque identifier, never the DNI.
 */
export async function unsubscribeToken(secret: string, u: Unsubscribe): Promise<string> {
  const payload = `${u.citizenId}.${kindCode(u.kind)}`;
  return `${payload}.${(await mac(secret, payload)).slice(0, 22)}`;
}

export async function readUnsubscribeToken(secret: string, token: unknown): Promise<Unsubscribe | undefined> {
  if (typeof token !== 'string' || token.length > 200) return undefined;
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [citizenId, code, signature] = parts as [string, string, string];
  const kind = kindOf(code);
  if (!/^cit_[0-9A-Za-z]{1,40}$/.test(citizenId) || !kind || signature.length !== 22) return undefined;
  const expected = (await mac(secret, `${citizenId}.${code}`)).slice(0, 22);
  return (await constantTimeEqual(expected, signature)) ? { citizenId, kind } : undefined;
}

export const UNSUBSCRIBE_PATH = '/avisos/baja';

export async function unsubscribeUrl(baseUrl: string, secret: string, u: Unsubscribe): Promise<string> {
  return `${baseUrl}${UNSUBSCRIBE_PATH}?t=${await unsubscribeToken(secret, u)}`;
}
