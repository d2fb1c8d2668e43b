import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from './context';
import { ProblemError } from './problem';
import { constantTimeEqual, hashSecret } from '../lib/secrets';
import { findAgencyKeyPrincipal, findApiKeyPrincipal, type ApiKeyLookup, type ApiKeyPrincipalRow } from './auth.queries';
import { RATE_LIMIT_SHARDS } from './write-machinery.queries';
import { enforceCredentialRateLimit, windowStartOf } from './rate-limit';
import type { CitizenPrincipal } from '../modules/citizen/identity';

export type MemberRole = 'owner' | 'admin' | 'agent' | 'viewer';

export interface OrganizationPrincipal {
  type: 'organization';
  credentialId: string;
  keyId: string;
  organizationId: string;
  memberId: string;
  role: MemberRole;
  livemode: boolean;
}

export interface AgencyPrincipal {
  type: 'agency';
  credentialId: string;
  agencyKeyId: string;
  managingBody: string;
  office: string;
}

export interface AdminPrincipal {
  type: 'admin';
  credentialId: 'admin';
}

export type Principal = OrganizationPrincipal | AgencyPrincipal | AdminPrincipal | CitizenPrincipal;

const API_KEY = /^sk_(live|test)_[0-9A-Za-z]{43}$/;
const AGENCY_KEY = /^ak_live_[0-9A-Za-z]{43}$/;

export function bearerToken(c: Context): string | undefined {
  const header = c.req.header('authorization');
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

function unauthorized(detail: string): ProblemError {
  return new ProblemError('unauthorized', detail, { headers: { 'www-authenticate': 'Bearer realm="puente"' } });
}

/** Reads the bearer API key and hashes it; nothing touches the database yet. */
export async function apiKeyLookup(c: Context<AppEnv>): Promise<ApiKeyLookup> {
  const token = bearerToken(c);
  if (!token) throw unauthorized('Send an API key as `Authorization: Bearer sk_test_…` or `sk_live_…`.');
  if (!API_KEY.test(token)) throw unauthorized('The credential is not a Puente API key.');
  const { clock, config, hits } = c.get('deps');
  const now = clock.now();
  const secretHash = await hashSecret(token);
  const windowStart = windowStartOf(now, config.rateLimit.windowSeconds);
  const { write, held } = hits.take(secretHash, windowStart, config.rateLimit.limit, now.getTime());
  return { secretHash, now, rateLimit: { windowStart, shard: Math.floor(Math.random() * RATE_LIMIT_SHARDS), write, held } };
}

/**
 * Makes a looked-up key the request's principal, refusing revoked keys, removed members and
 * suspended organisations. The hit the lookup counted is left for the rate limit to judge.
 */
export function acceptApiKeyPrincipal(c: Context<AppEnv>, row: ApiKeyPrincipalRow | undefined): OrganizationPrincipal {
  if (!row || row.revoked || row.member_status !== 'active') throw unauthorized('The API key is unknown or has been revoked.');
  if (row.organization_status === 'suspended') {
    throw new ProblemError('organization_suspended', 'This organisation is suspended; its keys are refused until it is reinstated.');
  }
  if (row.livemode && row.organization_status !== 'verified') {
    throw new ProblemError('live_mode_unavailable', 'Live keys work only once the organisation is verified.');
  }
  const principal: OrganizationPrincipal = {
    type: 'organization',
    credentialId: row.key_id,
    keyId: row.key_id,
    organizationId: row.organization_id,
    memberId: row.member_id,
    role: row.member_role as MemberRole,
    livemode: row.livemode,
  };
  c.set('countedHits', { bucket: 'credential', hits: row.rate_limit_hits });
  c.set('principal', principal);
  return principal;
}

/** An organisation API key, checked against the database on every request. */
export function requireApiKey(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    acceptApiKeyPrincipal(c, await findApiKeyPrincipal(c.get('sql'), await apiKeyLookup(c)));
    await next();
  };
}

/**
 * For hot read routes: only parses the key, leaving the handler to authenticate it inside the
 * statement that reads the resource (see `authenticateInline`). Until then there is no principal,
 * so a handler that forgot fails closed.
 */
export function deferApiKey(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set('apiKeyLookup', await apiKeyLookup(c));
    await next();
  };
}

/**
 * Completes a deferred authentication from the principal row a combined statement returned:
 * the same refusals, rate limit and role check as the middleware stack, in the same order.
 */
export function authenticateInline(c: Context<AppEnv>, row: ApiKeyPrincipalRow | undefined, minimumRole: MemberRole): OrganizationPrincipal {
  const principal = acceptApiKeyPrincipal(c, row);
  for (const [name, value] of Object.entries(enforceCredentialRateLimit(c, row!.rate_limit_hits))) c.header(name, value);
  assertRole(principal, minimumRole);
  return principal;
}

/** A deferred authentication run on its own, for requests that fail before the combined statement. */
export async function authenticateDeferred(c: Context<AppEnv>, minimumRole: MemberRole): Promise<OrganizationPrincipal> {
  const lookup = c.get('apiKeyLookup');
  if (!lookup) throw new Error('route is missing deferApiKey()');
  return authenticateInline(c, await findApiKeyPrincipal(c.get('sql'), lookup), minimumRole);
}

export function requireAgencyKey(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = bearerToken(c);
    if (!token) throw unauthorized('Send an agency key as `Authorization: Bearer ak_live_…`.');
    if (!AGENCY_KEY.test(token)) throw unauthorized('The credential is not a Puente agency key.');
    const row = await findAgencyKeyPrincipal(c.get('sql'), await hashSecret(token), c.get('deps').clock.now());
    if (!row || row.revoked) throw unauthorized('The agency key is unknown or has been revoked.');
    c.set('principal', { type: 'agency', credentialId: row.id, agencyKeyId: row.id, managingBody: row.managing_body, office: row.office });
    await next();
  };
}

export function requireAdmin(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const expected = c.get('deps').config.adminToken;
    const token = bearerToken(c);
    if (!expected || !token || !(await constantTimeEqual(token, expected))) throw unauthorized('A valid administrator token is required.');
    c.set('principal', { type: 'admin', credentialId: 'admin' });
    await next();
  };
}

const ROLE_RANK: Record<MemberRole, number> = { viewer: 0, agent: 1, admin: 2, owner: 3 };

export function organizationPrincipal(c: Context<AppEnv>): OrganizationPrincipal {
  const principal = c.get('principal');
  if (principal?.type !== 'organization') throw new Error('route is missing requireApiKey()');
  return principal;
}

/** Role check for organisation routes: `agent` may act on clients' files, `admin` manages keys and members. */
export function requireRole(minimum: MemberRole): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    assertRole(organizationPrincipal(c), minimum);
    await next();
  };
}

function assertRole(principal: OrganizationPrincipal, minimum: MemberRole): void {
  if (ROLE_RANK[principal.role] < ROLE_RANK[minimum]) {
    throw new ProblemError('forbidden', `This action needs the ${minimum} role or higher; the key's member is ${principal.role}.`);
  }
}

export function agencyPrincipal(c: Context<AppEnv>): AgencyPrincipal {
  const principal = c.get('principal');
  if (principal?.type !== 'agency') throw new Error('route is missing requireAgencyKey()');
  return principal;
}
