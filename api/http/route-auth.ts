import type { MiddlewareHandler } from 'hono';
import { every } from 'hono/combine';

import { consentedReplay } from '../modules/consent/gate';
import {
  apiKey,
  type MemberRole,
  requireAdmin,
  requireAgencyKey,
  requireCitizen,
  requireOrganizationOrAgencyKey,
  requireRole,
} from './auth';
import type { App, AppEnv } from './context';
import { idempotency } from './idempotency';
import type { ProblemCode } from './problem-codes';
import { credentialRateLimit, registrationRateLimit } from './rate-limit';

/**
 * How a route authenticates, declared once per route (`post(path, { auth: 'orgWrite', … })`): the
 * security requirement of the document, the middleware, and the problem codes the credential and
 * the consent check can answer are all derived from it.
 */
export type RouteAuth =
  | 'public'
  | 'publicWrite'
  | 'orgRead'
  | 'orgWrite'
  | 'orgWriteKeyInHandler'
  | 'orgConsentedRead'
  | 'orgConsentedWrite'
  | 'orgOrAgencyRead'
  | 'agencyRead'
  | 'agencyWrite'
  | 'citizenRead'
  | 'citizenWrite'
  | 'admin';

type SecurityRequirement = Record<string, string[]>;

const ORG_PROBLEMS = [
  'unauthorized',
  'organization_suspended',
  'live_mode_unavailable',
  'forbidden',
  'rate_limited',
] as const;

/** What a write sent with an Idempotency-Key can answer: the key used with another request (422), or still running (409). */
const IDEMPOTENCY_PROBLEMS = ['idempotency_conflict', 'idempotency_in_flight'] as const;

/** What a consent token and the delegation behind it can refuse, in the gate's order after the key's own refusals. */
export const CONSENT_PROBLEMS = [
  'consent_required',
  'consent_invalid',
  'consent_signature_invalid',
  'consent_key_unknown',
  'consent_algorithm_not_allowed',
  'consent_expired',
  'consent_not_yet_valid',
  'consent_audience_mismatch',
  'consent_issuer_mismatch',
  'consent_actor_mismatch',
  'consent_mode_mismatch',
  'organization_not_practising',
  'delegation_inactive',
  'scope_insufficient',
] as const;

/**
 * Responses to a credential (a client's or a member's data, keys and secrets, a citizen's data)
 * are never stored by a cache, shared or private. Only the public routes (catalogue, calendar,
 * signing keys) may be cached, as they say themselves.
 */
function noStore(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.header('cache-control', 'no-store');
    await next();
  };
}

interface AuthKind {
  security: SecurityRequirement[];
  problems: readonly ProblemCode[];
  defaultRole?: MemberRole;
  middleware(role: MemberRole): MiddlewareHandler<AppEnv>[];
}

const API_KEY = [{ ApiKey: [] }];
const API_KEY_WITH_CONSENT = [{ ApiKey: [], Consent: [] }];
const settled = (role: MemberRole) => [
  apiKey({ settle: true, minimumRole: role }),
  credentialRateLimit(),
  requireRole(role),
];

export const ROUTE_AUTH: Record<RouteAuth, AuthKind> = {
  public: { security: [], problems: [], middleware: () => [] },
  /** No credential (the sign-up): limited per client address instead, and idempotent. */
  publicWrite: {
    security: [],
    problems: ['rate_limited', ...IDEMPOTENCY_PROBLEMS],
    middleware: () => [noStore(), registrationRateLimit(), idempotency()],
  },
  orgRead: {
    security: API_KEY,
    problems: ORG_PROBLEMS,
    defaultRole: 'viewer',
    middleware: (role) => [noStore(), ...settled(role)],
  },
  orgWrite: {
    security: API_KEY,
    problems: [...ORG_PROBLEMS, ...IDEMPOTENCY_PROBLEMS],
    defaultRole: 'agent',
    middleware: (role) => [noStore(), ...settled(role), idempotency()],
  },
  /**
   * A write whose handler settles the key in the statement that reads what the write needs
   * (`settleDeferredKey`): one round trip less. A request with an Idempotency-Key has its key
   * settled first, as `orgWrite` does, since the Idempotency-Key is scoped to it.
   */
  orgWriteKeyInHandler: {
    security: API_KEY,
    problems: [...ORG_PROBLEMS, ...IDEMPOTENCY_PROBLEMS],
    defaultRole: 'agent',
    middleware: (role) => {
      const deferred = apiKey({ settle: false, minimumRole: role });
      const settledFirst = every(...settled(role));
      const settle: MiddlewareHandler<AppEnv> = (c, next) =>
        c.req.header('idempotency-key') === undefined ? deferred(c, next) : settledFirst(c, next);
      return [noStore(), settle, idempotency()];
    },
  },
  /** The key is settled inside the read's one statement, with the consent gate (`api/modules/consent/gate.ts`). */
  orgConsentedRead: {
    security: API_KEY_WITH_CONSENT,
    // 503 when the read's access-log entry could not be committed (then nothing is served).
    problems: [...ORG_PROBLEMS, ...CONSENT_PROBLEMS, 'service_unavailable'],
    defaultRole: 'viewer',
    middleware: (role) => [noStore(), apiKey({ settle: false, minimumRole: role })],
  },
  /**
   * The key is settled first (the Idempotency-Key is scoped to it); the gate runs inside the
   * write's transaction. A replay passes the gate again, for what the write was allowed.
   */
  orgConsentedWrite: {
    security: API_KEY_WITH_CONSENT,
    problems: [...ORG_PROBLEMS, ...CONSENT_PROBLEMS, ...IDEMPOTENCY_PROBLEMS],
    defaultRole: 'agent',
    middleware: (role) => [noStore(), ...settled(role), idempotency(consentedReplay)],
  },
  orgOrAgencyRead: {
    security: [{ ApiKey: [] }, { AgencyKey: [] }],
    problems: ['unauthorized', 'organization_suspended', 'live_mode_unavailable', 'rate_limited'],
    middleware: () => [noStore(), requireOrganizationOrAgencyKey(), credentialRateLimit()],
  },
  agencyRead: {
    security: [{ AgencyKey: [] }],
    problems: ['unauthorized', 'rate_limited'],
    middleware: () => [noStore(), requireAgencyKey(), credentialRateLimit()],
  },
  agencyWrite: {
    security: [{ AgencyKey: [] }],
    problems: ['unauthorized', 'rate_limited', ...IDEMPOTENCY_PROBLEMS],
    middleware: () => [noStore(), requireAgencyKey(), credentialRateLimit(), idempotency()],
  },
  citizenRead: {
    security: [{ CitizenToken: [] }],
    problems: ['citizen_token_invalid', 'rate_limited'],
    middleware: () => [noStore(), requireCitizen(), credentialRateLimit()],
  },
  citizenWrite: {
    security: [{ CitizenToken: [] }],
    problems: ['citizen_token_invalid', 'rate_limited', ...IDEMPOTENCY_PROBLEMS],
    middleware: () => [noStore(), requireCitizen(), credentialRateLimit(), idempotency()],
  },
  admin: {
    security: [{ AdminToken: [] }],
    problems: ['unauthorized', ...IDEMPOTENCY_PROBLEMS],
    middleware: () => [noStore(), requireAdmin(), idempotency()],
  },
};

/** An HTTP bearer security scheme. */
const bearer = (description: string, bearerFormat?: string) =>
  ({ type: 'http', scheme: 'bearer', ...(bearerFormat ? { bearerFormat } : {}), description }) as const;

/** The security schemes the requirements above name, declared in the document. */
const SECURITY_SCHEMES = {
  ApiKey: bearer('An organisation API key: `sk_test_…` (test mode) or `sk_live_…` (live mode).'),
  Consent: {
    type: 'apiKey',
    in: 'header',
    name: 'Puente-Consent',
    description: "A consent token minted from an active delegation; required on every operation on a client's data.",
  },
  AgencyKey: bearer('An agency back-office key, `ak_live_…`.'),
  CitizenToken: bearer('An OIDC ID token of the citizen, issued by the configured identity provider.', 'JWT'),
  AdminToken: bearer('The platform administrator token (`PUENTE_ADMIN_TOKEN`).'),
} as const;

export function registerSecuritySchemes(app: App): void {
  for (const [name, scheme] of Object.entries(SECURITY_SCHEMES)) {
    app.openAPIRegistry.registerComponent('securitySchemes', name, scheme);
  }
}
