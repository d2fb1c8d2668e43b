import { decodeProtectedHeader, type JWTPayload } from 'jose';

import type { Config } from '../../config';
import type { Sql } from '../../db/sql';
import type { SigningKeys } from '../../deps';
import { ProblemError } from '../../http/problem';
import type { Ed25519PublicKey } from '../../lib/ed25519';
import { base64UrlDecode, base64UrlEncode } from '../../lib/encoding';
import { newId } from '../../lib/ids';
import type { ProcedureTypeCode } from '../catalog/schemas';
import type { Capacity } from '../delegations/scope';
import { isKeyId, SIGNING_ALG } from './keys';

export const CONSENT_TOKEN_TYPE = 'puente-consent+jwt';

export interface AuthorizationDetail {
  type: 'puente_delegation';
  procedure_types: ProcedureTypeCode[];
  capacities: Capacity[];
}

export interface ConsentClaims extends JWTPayload {
  iss: string;
  aud: string;
  sub: string;
  act: { sub: string; member: string };
  dlg: string;
  livemode: boolean;
  authorization_details: AuthorizationDetail[];
  iat: number;
  exp: number;
  jti: string;
}

export async function mintConsentToken(
  keys: SigningKeys,
  sql: Sql,
  config: Config,
  args: {
    citizenId: string;
    organizationId: string;
    memberId: string;
    delegationId: string;
    livemode: boolean;
    detail: AuthorizationDetail;
    lifetimeSeconds: number;
    now: Date;
  },
): Promise<{ token: string; claims: ConsentClaims }> {
  const key = await keys.signingKey(sql, 'consent', args.now);
  const iat = Math.floor(args.now.getTime() / 1000);
  const claims: ConsentClaims = {
    iss: config.consent.issuer,
    aud: config.consent.audience,
    sub: args.citizenId,
    act: { sub: args.organizationId, member: args.memberId },
    dlg: args.delegationId,
    livemode: args.livemode,
    authorization_details: [args.detail],
    iat,
    exp: iat + args.lifetimeSeconds,
    jti: newId('ctk'),
  };
  // A compact JWS (RFC 7515) signed through the runtime's own Ed25519: the same bytes jose's
  // SignJWT produces, without a WebCrypto job per mint.
  const input = `${encodeJson({ alg: SIGNING_ALG, kid: key.kid, typ: CONSENT_TOKEN_TYPE })}.${encodeJson(claims)}`;
  const token = `${input}.${base64UrlEncode(await key.signer.sign(ascii.encode(input)))}`;
  return { token, claims };
}

const ascii = new TextEncoder();

function encodeJson(value: unknown): string {
  return base64UrlEncode(ascii.encode(JSON.stringify(value)));
}

function invalid(code: ProblemError['code'], detail: string): ProblemError {
  return new ProblemError(code, detail);
}

/**
 * Verifies a consent token's signature and claims with the algorithm, issuer, audience and type
 * pinned. Each way of failing has its own problem code. This says nothing about the delegation:
 * callers must still check it in the database.
 */
export async function verifyConsentToken(
  keys: SigningKeys,
  sql: Sql,
  config: Config,
  token: string,
  now: Date,
): Promise<ConsentClaims> {
  // A token that verified once stays verified: its header, key and claims were checked then, and
  // a kid never changes key. Only its time claims are judged again on every use (the delegation
  // is read from the database anyway). Saves decoding the header again on every consented call.
  const remembered = keys.recallVerified(token) as ConsentClaims | undefined;
  if (remembered) {
    assertCurrent(remembered, now);
    return remembered;
  }
  let header;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    throw invalid('consent_invalid', 'The consent token is not a JWS.');
  }
  if (header.alg !== SIGNING_ALG)
    throw invalid(
      'consent_algorithm_not_allowed',
      `Consent tokens are signed with ${SIGNING_ALG}; "${String(header.alg)}" is not accepted.`,
    );
  if (header.typ !== CONSENT_TOKEN_TYPE)
    throw invalid('consent_invalid', `The token type must be ${CONSENT_TOKEN_TYPE}.`);
  if (typeof header.kid !== 'string') throw invalid('consent_invalid', 'The token has no key id.');
  if (!isKeyId(header.kid)) throw invalid('consent_invalid', 'The token key id is not one Puente could have made.');
  // No extension this verifier does not implement (RFC 7515 §4.1.11), no unencoded payload.
  if (header.crit !== undefined || header.b64 !== undefined)
    throw invalid('consent_invalid', 'The token header carries extensions Puente does not accept.');
  const key = await keys.verifier(sql, 'consent', header.kid);
  if (!key) throw invalid('consent_key_unknown', 'The token was not signed by a Puente key.');

  const payload = await verifySignatureAndClaims(token, key, config, now);
  assertCurrent(payload, now);
  const claims = payload as ConsentClaims;
  const detail = claims.authorization_details?.[0];
  if (
    typeof claims.act?.sub !== 'string' ||
    typeof claims.dlg !== 'string' ||
    typeof claims.livemode !== 'boolean' ||
    !detail ||
    !Array.isArray(detail.procedure_types) ||
    !Array.isArray(detail.capacities)
  ) {
    throw invalid('consent_invalid', 'The consent token lacks required claims.');
  }
  keys.rememberVerified(token, claims);
  return claims;
}

/**
 * The time claims, judged on every use: as `jwtVerify` judges them (5 s of tolerance), and a token
 * issued in the future is not valid yet either.
 */
function assertCurrent(payload: JWTPayload, now: Date): void {
  const seconds = Math.floor(now.getTime() / 1000);
  if (payload.exp! < seconds - 5) throw invalid('consent_expired', 'The consent token has expired; mint a new one.');
  if (payload.nbf !== undefined && payload.nbf > seconds + 5)
    throw invalid('consent_not_yet_valid', 'The consent token is not valid yet.');
  if (payload.iat! > seconds + 5) throw invalid('consent_not_yet_valid', 'The consent token was issued in the future.');
}

const REQUIRED_CLAIMS = ['sub', 'act', 'dlg', 'jti', 'iat', 'exp', 'authorization_details'] as const;

/**
 * The signature through the runtime's own Ed25519, then the claims as jose's `jwtVerify` judges
 * them with the issuer, audience and type pinned (5 s of tolerance on the time claims).
 */
async function verifySignatureAndClaims(
  token: string,
  key: Ed25519PublicKey,
  config: Config,
  now: Date,
): Promise<JWTPayload> {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p)))
    throw invalid('consent_invalid', 'The consent token is not a compact JWS.');
  let signature: Uint8Array;
  try {
    signature = base64UrlDecode(parts[2]!);
  } catch {
    throw invalid('consent_invalid', 'The consent token could not be verified.');
  }
  if (signature.length !== 64 || !(await key.verify(ascii.encode(`${parts[0]}.${parts[1]}`), signature))) {
    throw invalid('consent_signature_invalid', 'The consent token signature does not verify.');
  }
  let payload: JWTPayload;
  try {
    payload = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(base64UrlDecode(parts[1]!))) as JWTPayload;
  } catch {
    throw invalid('consent_invalid', 'The consent token could not be verified.');
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
    throw invalid('consent_invalid', 'The consent token could not be verified.');
  for (const claim of REQUIRED_CLAIMS) {
    if (!(claim in payload)) throw invalid('consent_invalid', 'The consent token could not be verified.');
  }
  if (payload.iss !== config.consent.issuer)
    throw invalid('consent_issuer_mismatch', 'The consent token was issued by someone else.');
  const audiences = typeof payload.aud === 'string' ? [payload.aud] : Array.isArray(payload.aud) ? payload.aud : [];
  if (!audiences.includes(config.consent.audience))
    throw invalid('consent_audience_mismatch', 'The consent token is meant for another audience.');
  if (
    typeof payload.iat !== 'number' ||
    typeof payload.exp !== 'number' ||
    (payload.nbf !== undefined && typeof payload.nbf !== 'number')
  ) {
    throw invalid('consent_invalid', 'The consent token could not be verified.');
  }
  const seconds = Math.floor(now.getTime() / 1000);
  if (payload.nbf !== undefined && payload.nbf > seconds + 5)
    throw invalid('consent_not_yet_valid', 'The consent token is not valid yet.');
  if (payload.exp <= seconds - 5) throw invalid('consent_expired', 'The consent token has expired; mint a new one.');
  return payload;
}
