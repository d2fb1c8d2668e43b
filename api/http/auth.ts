import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from './context';
import { ProblemError } from './problem';
import { constantTimeEqual, hashSecret } from '../lib/secrets';
import { findAgencyKeyPrincipal, findApiKeyPrincipal } from './auth.queries';
import { RATE_LIMIT_SHARDS } from './write-machinery.queries';
import { windowStartOf } from './rate-limit';
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

/** An organisation API key; refuses revoked keys, removed members and suspended organisations on every request. */
export function requireApiKey(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = bearerToken(c);
    if (!token) throw unauthorized('Send an API key as `Authorization: Bearer sk_test_…` or `sk_live_…`.');
    if (!API_KEY.test(token)) throw unauthorized('The credential is not a Puente API key.');
    const { clock, config } = c.get('deps');
    const now = clock.now();
    const shard = Math.floor(Math.random() * RATE_LIMIT_SHARDS);
    const row = await findApiKeyPrincipal(c.get('sql'), await hashSecret(token), now, { windowStart: windowStartOf(now, config.rateLimit.windowSeconds), shard });
    if (!row || row.revoked || row.member_status !== 'active') throw unauthorized('The API key is unknown or has been revoked.');
    if (row.organization_status === 'suspended') {
      throw new ProblemError('organization_suspended', 'This organisation is suspended; its keys are refused until it is reinstated.');
    }
    if (row.livemode && row.organization_status !== 'verified') {
      throw new ProblemError('live_mode_unavailable', 'Live keys work only once the organisation is verified.');
    }
    c.set('countedHits', { bucket: 'credential', hits: row.rate_limit_hits });
    c.set('principal', {
      type: 'organization',
      credentialId: row.key_id,
      keyId: row.key_id,
      organizationId: row.organization_id,
      memberId: row.member_id,
      role: row.member_role as MemberRole,
      livemode: row.livemode,
    });
    await next();
  };
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
    const principal = organizationPrincipal(c);
    if (ROLE_RANK[principal.role] < ROLE_RANK[minimum]) {
      throw new ProblemError('forbidden', `This action needs the ${minimum} role or higher; the key's member is ${principal.role}.`);
    }
    await next();
  };
}

export function agencyPrincipal(c: Context<AppEnv>): AgencyPrincipal {
  const principal = c.get('principal');
  if (principal?.type !== 'agency') throw new Error('route is missing requireAgencyKey()');
  return principal;
}
