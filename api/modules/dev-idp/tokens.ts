import { SignJWT } from 'jose';

import type { Config } from '../../config';
import type { Sql } from '../../db/sql';
import type { SigningKeys } from '../../deps';
import { DEV_IDP_AUDIENCE, devIssuer } from '../../http/auth';
import { SIGNING_ALG } from '../consent/keys';

const DEV_TOKEN_LIFETIME_SECONDS = 3600;

/** The development identity provider's ID token: what Cl@ve would give us, for local use only. */
export async function issueDevIdToken(
  keys: SigningKeys,
  sql: Sql,
  config: Config,
  idNumber: string,
  name: string,
  now: Date,
): Promise<string> {
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
