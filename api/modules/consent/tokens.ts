import { decodeProtectedHeader, errors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import type { Config } from '../../config';
import type { Sql } from '../../db/sql';
import { ProblemError } from '../../http/problem';
import { newId } from '../../lib/ids';
import type { Capacity } from '../delegations/scope';
import type { ProcedureTypeCode } from '../catalog/schemas';
import { SIGNING_ALG, type SigningKeyStore } from './keys';

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
  keys: SigningKeyStore,
  sql: Sql,
  config: Config,
  args: { citizenId: string; organizationId: string; memberId: string; delegationId: string; livemode: boolean; detail: AuthorizationDetail; lifetimeSeconds: number; now: Date },
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
  const token = await new SignJWT(claims).setProtectedHeader({ alg: SIGNING_ALG, kid: key.kid, typ: CONSENT_TOKEN_TYPE }).sign(key.privateKey);
  return { token, claims };
}

function invalid(code: ProblemError['code'], detail: string): ProblemError {
  return new ProblemError(code, detail);
}

/**
 * Verifies a consent token's signature and claims with the algorithm, issuer, audience and type
 * pinned. Each way of failing has its own problem code. This says nothing about the delegation:
 * callers must still check it in the database.
 */
export async function verifyConsentToken(keys: SigningKeyStore, sql: Sql, config: Config, token: string, now: Date): Promise<ConsentClaims> {
  let header;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    throw invalid('consent_invalid', 'The consent token is not a JWS.');
  }
  if (header.alg !== SIGNING_ALG) throw invalid('consent_algorithm_not_allowed', `Consent tokens are signed with ${SIGNING_ALG}; "${String(header.alg)}" is not accepted.`);
  if (header.typ !== CONSENT_TOKEN_TYPE) throw invalid('consent_invalid', `The token type must be ${CONSENT_TOKEN_TYPE}.`);
  if (typeof header.kid !== 'string') throw invalid('consent_invalid', 'The token has no key id.');
  const key = await keys.verificationKey(sql, 'consent', header.kid);
  if (!key) throw invalid('consent_key_unknown', 'The token was not signed by a Puente key.');

  // A signature that verified once stays verified (keys never change under a kid); the time
  // claims are judged again on every use, and the delegation is read from the database anyway.
  const remembered = keys.recallVerified(token);
  if (remembered) assertCurrent(remembered, now);
  const payload = remembered ?? (await verifySignatureAndClaims(token, key, config, now));
  if (payload.iat! > Math.floor(now.getTime() / 1000) + 5) throw invalid('consent_not_yet_valid', 'The consent token was issued in the future.');
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
  if (!remembered) keys.rememberVerified(token, claims);
  return claims;
}

/** The time claims of an already verified token, as `jwtVerify` judges them (5 s of tolerance). */
function assertCurrent(payload: JWTPayload, now: Date): void {
  const seconds = Math.floor(now.getTime() / 1000);
  if (payload.exp! < seconds - 5) throw invalid('consent_expired', 'The consent token has expired; mint a new one.');
  if (payload.nbf !== undefined && payload.nbf > seconds + 5) throw invalid('consent_not_yet_valid', 'The consent token is not valid yet.');
}

async function verifySignatureAndClaims(token: string, key: CryptoKey, config: Config, now: Date): Promise<JWTPayload> {
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: [SIGNING_ALG],
      typ: CONSENT_TOKEN_TYPE,
      issuer: config.consent.issuer,
      audience: config.consent.audience,
      currentDate: now,
      clockTolerance: 5,
      requiredClaims: ['sub', 'act', 'dlg', 'jti', 'iat', 'exp', 'authorization_details'],
    });
    return payload;
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw invalid('consent_expired', 'The consent token has expired; mint a new one.');
    if (error instanceof errors.JWSSignatureVerificationFailed) throw invalid('consent_signature_invalid', 'The consent token signature does not verify.');
    if (error instanceof errors.JOSEAlgNotAllowed) throw invalid('consent_algorithm_not_allowed', 'The consent token algorithm is not accepted.');
    if (error instanceof errors.JWTClaimValidationFailed) {
      if (error.claim === 'aud') throw invalid('consent_audience_mismatch', 'The consent token is meant for another audience.');
      if (error.claim === 'iss') throw invalid('consent_issuer_mismatch', 'The consent token was issued by someone else.');
      if (error.claim === 'nbf' || error.claim === 'iat') throw invalid('consent_not_yet_valid', 'The consent token is not valid yet.');
    }
    throw invalid('consent_invalid', 'The consent token could not be verified.');
  }
}
