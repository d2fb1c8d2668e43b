import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Config } from '../../config';
import type { AppEnv } from '../../http/context';
import { bearerToken } from '../../http/auth';
import { ProblemError } from '../../http/problem';
import { checkPersonalId } from '../../lib/identifiers';
import { SIGNING_ALG, type SigningKeyStore } from '../consent/keys';
import type { Sql } from '../../db/sql';
import { ensureCitizen } from './queries';

export const DEV_IDP_AUDIENCE = 'puente-citizen';
export const SESSION_COOKIE = 'puente_citizen';
const DEV_TOKEN_LIFETIME_SECONDS = 3600;

export function devIssuer(config: Config): string {
  return `${config.baseUrl}/dev-idp`;
}

export interface CitizenPrincipal {
  type: 'citizen';
  credentialId: string;
  citizenId: string;
  idNumber: string;
  name: string | null;
}

/** The development identity provider's ID token: what Cl@ve would give us, for local use only. */
export async function issueDevIdToken(keys: SigningKeyStore, sql: Sql, config: Config, idNumber: string, name: string, now: Date): Promise<string> {
  const key = await keys.signingKey(sql, 'dev_idp', now);
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({ dni: idNumber, name })
    .setProtectedHeader({ alg: SIGNING_ALG, kid: key.kid, typ: 'JWT' })
    .setIssuer(devIssuer(config))
    .setAudience(DEV_IDP_AUDIENCE)
    .setSubject(idNumber)
    .setIssuedAt(iat)
    .setExpirationTime(iat + DEV_TOKEN_LIFETIME_SECONDS)
    .sign(key.privateKey);
}

const remoteKeySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

function rejected(detail: string): ProblemError {
  return new ProblemError('citizen_token_invalid', detail, { headers: { 'www-authenticate': 'Bearer realm="puente-citizen"' } });
}

/**
 * Verifies a citizen's ID token against a trusted issuer (the configured OIDC provider, or the
 * development provider when enabled), with pinned algorithms and audience, and answers the
 * citizen's id number from the configured claim.
 */
export async function verifyCitizenToken(c: Context<AppEnv>, token: string): Promise<{ idNumber: string; name: string | null }> {
  const { config, signingKeys, clock } = c.get('deps');
  let issuer: unknown;
  try {
    decodeProtectedHeader(token);
    issuer = decodeJwt(token).iss;
  } catch {
    throw rejected('The ID token is not a JWT.');
  }
  let payload: JWTPayload;
  let idClaim: string;
  let nameClaim: string;
  try {
    if (config.devIdentityProvider && issuer === devIssuer(config)) {
      const kid = decodeProtectedHeader(token).kid;
      const key = typeof kid === 'string' ? await signingKeys.verificationKey(c.get('sql'), 'dev_idp', kid) : undefined;
      if (!key) throw rejected('The ID token was not signed by the development identity provider.');
      ({ payload } = await jwtVerify(token, key, { algorithms: [SIGNING_ALG], issuer: devIssuer(config), audience: DEV_IDP_AUDIENCE, currentDate: clock.now() }));
      idClaim = 'dni';
      nameClaim = 'name';
    } else if (config.oidc && issuer === config.oidc.issuer) {
      const oidc = config.oidc;
      let keySet = remoteKeySets.get(oidc.jwksUrl);
      if (!keySet) {
        keySet = createRemoteJWKSet(new URL(oidc.jwksUrl));
        remoteKeySets.set(oidc.jwksUrl, keySet);
      }
      ({ payload } = await jwtVerify(token, keySet, { algorithms: oidc.algorithms, issuer: oidc.issuer, audience: oidc.audience, currentDate: clock.now() }));
      idClaim = oidc.idNumberClaim;
      nameClaim = oidc.nameClaim;
    } else {
      throw rejected('The ID token comes from an issuer Puente does not trust.');
    }
  } catch (error) {
    if (error instanceof ProblemError) throw error;
    throw rejected('The ID token could not be verified (signature, audience or expiry).');
  }
  const raw = payload[idClaim];
  const checked = typeof raw === 'string' ? checkPersonalId(raw) : undefined;
  if (!checked?.ok) throw rejected(`The ID token has no valid id number in its "${idClaim}" claim.`);
  const name = payload[nameClaim];
  return { idNumber: checked.value, name: typeof name === 'string' ? name : null };
}

async function principalFrom(c: Context<AppEnv>, token: string): Promise<CitizenPrincipal> {
  const { idNumber, name } = await verifyCitizenToken(c, token);
  const citizenId = await ensureCitizen(c.get('sql'), idNumber, name, c.get('deps').clock.now());
  return { type: 'citizen', credentialId: citizenId, citizenId, idNumber, name };
}

/** Citizen JSON API: `Authorization: Bearer <ID token>`. */
export function requireCitizen(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = bearerToken(c);
    if (!token) throw rejected('Send the citizen\'s ID token as `Authorization: Bearer …`.');
    c.set('principal', await principalFrom(c, token));
    await next();
  };
}

/** Citizen pages: the session cookie holds the ID token; answers undefined when signed out. */
export async function citizenFromSession(c: Context<AppEnv>): Promise<CitizenPrincipal | undefined> {
  const token = getCookie(c, SESSION_COOKIE);
  if (!token) return undefined;
  try {
    return await principalFrom(c, token);
  } catch (error) {
    if (error instanceof ProblemError) return undefined;
    throw error;
  }
}

export function citizenPrincipal(c: Context<AppEnv>): CitizenPrincipal {
  const principal = c.get('principal');
  if (principal?.type !== 'citizen') throw new Error('route is missing requireCitizen()');
  return principal;
}
