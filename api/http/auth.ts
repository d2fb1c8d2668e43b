import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import {
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  type JWTPayload,
  jwtVerify,
  type JWTVerifyGetKey,
} from 'jose';

import type { Config } from '../config';
import { BoundedMap } from '../lib/bounded-map';
import { checkPersonalId } from '../lib/identifiers';
import { constantTimeEqual } from '../lib/secrets';
import { isStorableText } from '../lib/text';
import type { AppEnv } from './context';
import { ProblemError } from './problem';
import {
  type ApiKeyLookup,
  type ApiKeyPrincipalRow,
  citizenSessionEnded,
  endCitizenSession,
  ensureCitizen,
  findAgencyKeyPrincipal,
  findApiKeyPrincipal,
  RATE_LIMIT_SHARDS,
} from './queries';
import { enforceCredentialRateLimit, windowStartOf } from './rate-limit';

export type MemberRole = 'owner' | 'admin' | 'agent' | 'viewer';

/** Ranks of member roles, lowest first: the SQL gate and the middleware compare the same numbers. */
export const MEMBER_ROLES: readonly MemberRole[] = ['viewer', 'agent', 'admin', 'owner'];
export const roleRank = (role: MemberRole): number => MEMBER_ROLES.indexOf(role);

/**
 * Whether a member of role `actor` stands above one of role `other`: what acting on another
 * member's standing needs (issuing or revoking their keys, removing them), so that nobody locks
 * out an equal or a superior.
 */
export const outranks = (actor: MemberRole, other: MemberRole): boolean => roleRank(actor) > roleRank(other);

export interface OrganizationPrincipal {
  type: 'organization';
  credentialId: string;
  keyId: string;
  organizationId: string;
  memberId: string;
  role: MemberRole;
  livemode: boolean;
  /** The organisation practises, as the key's statement read it (see `procedureFollowed`). */
  practising: boolean;
}

export interface AgencyPrincipal {
  type: 'agency';
  credentialId: string;
  agencyKeyId: string;
  managingBody: string;
  office: string;
  /** The community the key is limited to, if any. */
  region: string | null;
}

export interface AdminPrincipal {
  type: 'admin';
  credentialId: 'admin';
}

export interface CitizenPrincipal {
  type: 'citizen';
  credentialId: string;
  citizenId: string;
  idNumber: string;
  name: string | null;
}

export type Principal = OrganizationPrincipal | AgencyPrincipal | AdminPrincipal | CitizenPrincipal;

/**
 * Who calls: a principal the middleware already settled (writes, which need it for their
 * Idempotency-Key), or an API key still to be settled inside the handler's one statement (a
 * consented read's gate, or `readSettlingKey`), with the role the route needs.
 */
export type Caller = { principal: OrganizationPrincipal } | { lookup: ApiKeyLookup; minimumRole: MemberRole };

const API_KEY = /^sk_(live|test)_[0-9A-Za-z]{43}$/;
const AGENCY_KEY = /^ak_live_[0-9A-Za-z]{43}$/;

export function bearerToken(c: Context): string | undefined {
  const header = c.req.header('authorization');
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

export function unauthorized(detail: string): ProblemError {
  return new ProblemError('unauthorized', detail, { headers: { 'www-authenticate': 'Bearer realm="puente"' } });
}

/** Reads the bearer API key and hashes it, and counts this request's hit; nothing touches the database yet. */
async function apiKeyLookup(c: Context<AppEnv>, roles: readonly MemberRole[]): Promise<ApiKeyLookup> {
  const token = bearerToken(c);
  if (!token) throw unauthorized('Send an API key as `Authorization: Bearer sk_test_…` or `sk_live_…`.');
  if (!API_KEY.test(token)) throw unauthorized('The credential is not a Puente API key.');
  const { clock, config, hits, keyUses, sha256 } = c.get('deps');
  const now = clock.now();
  // The same digest as hashSecret (lib/secrets.ts), through the runtime's fastest SHA-256.
  const secretHash = await sha256(token);
  const windowStart = windowStartOf(now, config.rateLimit.windowSeconds);
  const { write, held } = hits.take(secretHash, windowStart, config.rateLimit.limit, now.getTime());
  // Between its writes the instance judges the total the database last told it plus what it holds.
  const known = write === 0 ? (hits.recall(secretHash, windowStart, now.getTime()) ?? null) : null;
  return {
    secretHash,
    now,
    recordUse: keyUses.due(secretHash, now),
    rateLimit: { windowStart, shard: Math.floor(Math.random() * RATE_LIMIT_SHARDS), write, held, known },
    accepts: { limit: config.rateLimit.limit, roles },
  };
}

/**
 * When each API key's use was last recorded (`api_keys.last_used_at`) as this instance last saw
 * it. The statement that settles a key records the use at most once a minute; this instance
 * leaves that update out of the statement while the use it saw recorded is less than a minute
 * old, so `last_used_at` still lags real use by at most a minute, on every instance.
 */
export class KeyUses {
  private readonly seen = new BoundedMap<string, number>(10_000);

  /** Whether this request's statement should record the use. */
  due(secretHash: string, now: Date): boolean {
    const at = this.seen.get(secretHash);
    return at === undefined || now.getTime() - at > 60_000;
  }

  /** Keeps the latest use seen (a statement that lost a race to record it reads the one before). */
  saw(secretHash: string, lastUsedAt: Date | string | null): void {
    if (lastUsedAt === null) return;
    const at = new Date(lastUsedAt).getTime();
    if (at > (this.seen.get(secretHash) ?? -Infinity)) this.seen.set(secretHash, at);
  }
}

/**
 * Keeps what the statement that settled the key told this instance: when the key's use was last
 * recorded, and the window's total it read from the database (`hits` is what it judged: that
 * total plus the hits this instance still holds), for the requests of the next second to judge
 * without reading it. No total to keep when the statement judged a total already known.
 */
export function rememberKey(c: Context<AppEnv>, lookup: ApiKeyLookup, row: ApiKeyPrincipalRow): void {
  c.set('keySettled', true);
  const { hits, keyUses } = c.get('deps');
  keyUses.saw(lookup.secretHash, row.last_used_at);
  const { windowStart, held, known } = lookup.rateLimit;
  if (known !== null) return;
  hits.remember(lookup.secretHash, windowStart, row.rate_limit_hits - held, lookup.now.getTime());
}

/** What a key's refusal is judged on: known, live and of an active member, its organisation not suspended, live mode allowed. */
export interface KeyFacts {
  known: boolean;
  key_ok: boolean;
  org_ok: boolean;
  live_ok: boolean;
}

/** The organisation is suspended: its keys, and whatever they started, are refused until it is reinstated. */
export function organizationSuspended(): ProblemError {
  return new ProblemError(
    'organization_suspended',
    'This organisation is suspended; its keys are refused until it is reinstated.',
  );
}

/** The key's own refusals, in order: unknown or revoked (401), suspended organisation, live mode not yet available. */
export function keyRefusal(facts: KeyFacts): ProblemError | undefined {
  if (!facts.known || !facts.key_ok) return unauthorized('The API key is unknown or has been revoked.');
  if (!facts.org_ok) return organizationSuspended();
  if (!facts.live_ok)
    return new ProblemError('live_mode_unavailable', 'Live keys work only once the organisation is verified.');
  return undefined;
}

/** The key's own facts (see `keyRefusal`), judged from its row as the statement that settled it read it. */
function keyRowFacts(row: ApiKeyPrincipalRow | undefined): KeyFacts {
  return {
    known: row !== undefined,
    key_ok: row !== undefined && !row.revoked && row.member_status === 'active',
    org_ok: row?.organization_status !== 'suspended',
    live_ok: !row?.livemode || row.organization_status === 'verified',
  };
}

/**
 * A key settled by a statement of its route (a consented read, a write that reads what it needs
 * in one statement), refused in the middleware's order: the key's own facts, then the rate limit
 * (whose headers it sets), then the member's role. The one place that order is kept for them.
 */
export function keyCallerRefusal(
  c: Context<AppEnv>,
  key: KeyFacts,
  hits: number,
  role: MemberRole | undefined,
  minimumRole: MemberRole,
): ProblemError | undefined {
  const refusal = keyRefusal(key);
  if (refusal) return refusal;
  try {
    for (const [name, value] of Object.entries(enforceCredentialRateLimit(c, hits))) c.header(name, value);
  } catch (error) {
    if (error instanceof ProblemError) return error;
    throw error;
  }
  // A key whose facts hold has an active member, so a role (absent only for an unknown key).
  return role === undefined
    ? unauthorized('The API key is unknown or has been revoked.')
    : roleRefusal(role, minimumRole);
}

/**
 * Settles a key that its route left to the handler (`orgWriteKeyInHandler`), from the key's
 * principal row that statement read (undefined: no such key). It refuses as `keyCallerRefusal`
 * does and otherwise makes the key the request's principal, as `apiKey({ settle: true })` and the
 * middleware after it would have.
 */
export function settleDeferredKey(
  c: Context<AppEnv>,
  caller: { lookup: ApiKeyLookup; minimumRole: MemberRole },
  row: ApiKeyPrincipalRow | undefined,
): OrganizationPrincipal {
  if (row) rememberKey(c, caller.lookup, row);
  const refusal = keyCallerRefusal(
    c,
    keyRowFacts(row),
    row?.rate_limit_hits ?? 0,
    row?.member_role as MemberRole | undefined,
    caller.minimumRole,
  );
  if (refusal || !row) throw refusal;
  const principal = principalOfKey(row);
  c.set('principal', principal);
  c.set('caller', { principal });
  return principal;
}

export function roleRefusal(role: MemberRole, minimum: MemberRole): ProblemError | undefined {
  if (roleRank(role) >= roleRank(minimum)) return undefined;
  return new ProblemError('forbidden', `This action needs the ${minimum} role or higher; the key's member is ${role}.`);
}

export function principalOfKey(row: ApiKeyPrincipalRow): OrganizationPrincipal {
  return {
    type: 'organization',
    credentialId: row.key_id,
    keyId: row.key_id,
    organizationId: row.organization_id,
    memberId: row.member_id,
    role: row.member_role as MemberRole,
    livemode: row.livemode,
    practising: row.organization_practising,
  };
}

/**
 * An organisation API key. `settle: true` checks it against the database now and makes it the
 * request's principal (its hit counted in the same statement, for the rate limit to judge);
 * `settle: false` leaves it as the caller of a consented read, which settles it in its own statement
 * (or of a write that reads what it needs in one statement, see `settleDeferredKey`).
 */
export function apiKey(options: { settle: boolean; minimumRole: MemberRole }): MiddlewareHandler<AppEnv> {
  // The roles the route accepts, worked out once per route rather than on every request.
  const roles = MEMBER_ROLES.slice(roleRank(options.minimumRole));
  return async (c, next) => {
    const lookup = await apiKeyLookup(c, roles);
    if (!options.settle) {
      c.set('caller', { lookup, minimumRole: options.minimumRole });
      await next();
      // Answered before any statement settled the key (its input refused, say): the hits it took
      // to write go back to the buffer, so every request still counts against the limit.
      if (!c.get('keySettled')) {
        const { windowStart, write } = lookup.rateLimit;
        c.get('deps').hits.restore(lookup.secretHash, windowStart, write, lookup.now.getTime());
      }
      return;
    }
    const row = await findApiKeyPrincipal(c.get('sql'), lookup);
    if (row) rememberKey(c, lookup, row);
    const refusal = keyRefusal(keyRowFacts(row));
    if (refusal || !row) throw refusal;
    const principal = principalOfKey(row);
    c.set('countedHits', { bucket: 'credential', hits: row.rate_limit_hits });
    c.set('principal', principal);
    c.set('caller', { principal });
    await next();
  };
}

/** Role check for organisation routes: `agent` may act on clients' files, `admin` manages keys and members. */
export function requireRole(minimum: MemberRole): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const refusal = roleRefusal(organizationPrincipal(c).role, minimum);
    if (refusal) throw refusal;
    await next();
  };
}

export function requireAgencyKey(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = bearerToken(c);
    if (!token) throw unauthorized('Send an agency key as `Authorization: Bearer ak_live_…`.');
    if (!AGENCY_KEY.test(token)) throw unauthorized('The credential is not a Puente agency key.');
    const row = await findAgencyKeyPrincipal(
      c.get('sql'),
      await c.get('deps').sha256(token),
      c.get('deps').clock.now(),
    );
    if (!row || row.revoked) throw unauthorized('The agency key is unknown or has been revoked.');
    c.set('principal', {
      type: 'agency',
      credentialId: row.id,
      agencyKeyId: row.id,
      managingBody: row.managing_body,
      office: row.office,
      region: row.region,
    });
    await next();
  };
}

/** Agency keys or organisation keys, told apart by their prefix (consent-token introspection). */
export function requireOrganizationOrAgencyKey(): MiddlewareHandler<AppEnv> {
  const org = apiKey({ settle: true, minimumRole: 'viewer' });
  const agency = requireAgencyKey();
  return (c, next) => (bearerToken(c)?.startsWith('ak_') ? agency(c, next) : org(c, next));
}

export function requireAdmin(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const expected = c.get('deps').config.adminToken;
    const token = bearerToken(c);
    if (!expected || !token || !(await constantTimeEqual(token, expected)))
      throw unauthorized('A valid administrator token is required.');
    c.set('principal', { type: 'admin', credentialId: 'admin' });
    await next();
  };
}

export function organizationPrincipal(c: Context<AppEnv>): OrganizationPrincipal {
  const principal = c.get('principal');
  if (principal?.type !== 'organization') throw new Error('route does not authenticate an organisation key');
  return principal;
}

export function agencyPrincipal(c: Context<AppEnv>): AgencyPrincipal {
  const principal = c.get('principal');
  if (principal?.type !== 'agency') throw new Error('route does not authenticate an agency key');
  return principal;
}

// Citizens: an OIDC ID token (Cl@ve or a broker), or the development identity provider's.

export const DEV_IDP_AUDIENCE = 'puente-citizen';
export const SESSION_COOKIE = 'puente_citizen';
/** The only algorithm of the development identity provider's tokens (its keys are Ed25519). */
const DEV_IDP_ALGORITHM = 'EdDSA';
/** Every ID token must say when it expires: one that never does is refused, whoever signed it. */
const ID_TOKEN_REQUIRED_CLAIMS = ['exp'];

export function devIssuer(config: Config): string {
  return `${config.baseUrl}/dev-idp`;
}

/** The identity provider's key set (fetched and cached by jose), and whether fetching it fails. */
const remoteKeySets = new Map<string, { keySet: ReturnType<typeof createRemoteJWKSet>; failing: boolean }>();

/**
 * The key of an ID token of the configured identity provider. The token is refused either way
 * when its key set cannot be fetched (network, timeout, an answer that is not a key set), but the
 * operator is told: once, at warn, until a key is fetched again. A token naming a key the set does
 * not have is the token's fault, not the provider's.
 */
function providerKey(c: Context<AppEnv>, jwksUrl: string): JWTVerifyGetKey {
  const keys = remoteKeySets.get(jwksUrl) ?? { keySet: createRemoteJWKSet(new URL(jwksUrl)), failing: false };
  remoteKeySets.set(jwksUrl, keys);
  return async (header, token) => {
    try {
      const key = await keys.keySet(header, token);
      keys.failing = false;
      return key;
    } catch (error) {
      const tokensFault = error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys;
      if (!tokensFault && !keys.failing) {
        keys.failing = true;
        const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
        // The provider's host and what failed: nothing of the token.
        c.get('deps').logger.log('warn', "citizens' identity provider keys cannot be fetched: ID tokens are refused", {
          jwks_host: new URL(jwksUrl).host,
          error: error instanceof Error ? error.name : 'unknown',
          message: error instanceof Error ? error.message : null,
          code: typeof cause?.code === 'string' ? cause.code : null,
        });
      }
      throw error;
    }
  };
}

function citizenRejected(detail: string): ProblemError {
  return new ProblemError('citizen_token_invalid', detail, {
    headers: { 'www-authenticate': 'Bearer realm="puente-citizen"' },
  });
}

/**
 * Verifies a citizen's ID token against a trusted issuer (the configured OIDC provider, or the
 * development provider when enabled), with pinned algorithms and audience, and answers the
 * citizen's id number from the configured claim.
 */
export async function verifyCitizenToken(
  c: Context<AppEnv>,
  token: string,
): Promise<{ idNumber: string; name: string | null; expiresAt: Date }> {
  const { config, signingKeys, clock } = c.get('deps');
  let issuer: unknown;
  try {
    decodeProtectedHeader(token);
    issuer = decodeJwt(token).iss;
  } catch {
    throw citizenRejected('The ID token is not a JWT.');
  }
  let payload: JWTPayload;
  let idClaim: string;
  let nameClaim: string;
  try {
    if (config.devIdentityProvider && issuer === devIssuer(config)) {
      const kid = decodeProtectedHeader(token).kid;
      const key = typeof kid === 'string' ? await signingKeys.verificationKey(c.get('sql'), 'dev_idp', kid) : undefined;
      if (!key) throw citizenRejected('The ID token was not signed by the development identity provider.');
      ({ payload } = await jwtVerify(token, key, {
        algorithms: [DEV_IDP_ALGORITHM],
        issuer: devIssuer(config),
        audience: DEV_IDP_AUDIENCE,
        requiredClaims: ID_TOKEN_REQUIRED_CLAIMS,
        currentDate: clock.now(),
      }));
      idClaim = 'dni';
      nameClaim = 'name';
    } else if (config.oidc && issuer === config.oidc.issuer) {
      const oidc = config.oidc;
      ({ payload } = await jwtVerify(token, providerKey(c, oidc.jwksUrl), {
        algorithms: oidc.algorithms,
        issuer: oidc.issuer,
        audience: oidc.audience,
        requiredClaims: ID_TOKEN_REQUIRED_CLAIMS,
        currentDate: clock.now(),
      }));
      idClaim = oidc.idNumberClaim;
      nameClaim = oidc.nameClaim;
    } else {
      throw citizenRejected('The ID token comes from an issuer Puente does not trust.');
    }
  } catch (error) {
    if (error instanceof ProblemError) throw error;
    throw citizenRejected('The ID token could not be verified (signature, audience or expiry).');
  }
  const raw = payload[idClaim];
  const checked = typeof raw === 'string' ? checkPersonalId(raw) : undefined;
  if (!checked?.ok) throw citizenRejected(`The ID token has no valid id number in its "${idClaim}" claim.`);
  const name = payload[nameClaim];
  // The name is stored as text: one that cannot be (see `textFault`) makes the token invalid.
  if (typeof name === 'string' && !isStorableText(name))
    throw citizenRejected(`The ID token's "${nameClaim}" claim is not valid text.`);
  return {
    idNumber: checked.value,
    name: typeof name === 'string' ? name : null,
    // Required and checked by `jwtVerify` (ID_TOKEN_REQUIRED_CLAIMS).
    expiresAt: new Date(payload.exp! * 1000),
  };
}

/**
 * The citizen an ID token signs in, on the JSON API and the pages alike: a token whose page
 * session the citizen ended (`endCitizenSessionOf`) is refused on both, since a kept copy of the
 * cookie is the token itself.
 */
async function citizenFrom(c: Context<AppEnv>, token: string): Promise<CitizenPrincipal> {
  const { idNumber, name } = await verifyCitizenToken(c, token);
  if (await citizenSessionEnded(c.get('sql'), await sessionKey(c, token)))
    throw citizenRejected('The citizen signed out of the session of this ID token: sign in again.');
  const citizenId = await ensureCitizen(c.get('sql'), idNumber, name, c.get('deps').clock.now());
  return { type: 'citizen', credentialId: citizenId, citizenId, idNumber, name };
}

/** Citizen JSON API: `Authorization: Bearer <ID token>`. */
export function requireCitizen(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = bearerToken(c);
    if (!token) throw citizenRejected("Send the citizen's ID token as `Authorization: Bearer …`.");
    c.set('principal', await citizenFrom(c, token));
    await next();
  };
}

/**
 * Citizen pages: the session cookie holds the ID token; answers undefined when signed out (also
 * of this very session, with the cookie kept: `endCitizenSessionOf`).
 */
export async function citizenFromSession(c: Context<AppEnv>): Promise<CitizenPrincipal | undefined> {
  const token = getCookie(c, SESSION_COOKIE);
  if (!token) return undefined;
  try {
    return await citizenFrom(c, token);
  } catch (error) {
    if (error instanceof ProblemError) return undefined;
    throw error;
  }
}

/**
 * Signing out of the pages: the session's ID token is recorded as ended until it expires, so a
 * copy of the cookie signs no one in. A cookie that holds no valid token has nothing to end.
 */
export async function endCitizenSessionOf(c: Context<AppEnv>, token: string): Promise<void> {
  let expiresAt: Date;
  try {
    ({ expiresAt } = await verifyCitizenToken(c, token));
  } catch (error) {
    if (error instanceof ProblemError) return;
    throw error;
  }
  await endCitizenSession(c.get('sql'), await sessionKey(c, token), expiresAt);
}

/**
 * What an ended session is recorded under: the SHA-256 of the token's signed part (header and
 * claims), not of the whole text. The signature's text is not signed: its last character has
 * spare bits a decoder ignores, and an ECDSA signature has a second valid form, so a copy of the
 * token spelled differently verifies all the same and must be refused all the same.
 */
function sessionKey(c: Context<AppEnv>, token: string): Promise<string> {
  return c.get('deps').sha256(token.slice(0, token.lastIndexOf('.')));
}

export function citizenPrincipal(c: Context<AppEnv>): CitizenPrincipal {
  const principal = c.get('principal');
  if (principal?.type !== 'citizen') throw new Error('route does not authenticate a citizen');
  return principal;
}
