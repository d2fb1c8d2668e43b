import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './context';
import { deferApiKey, requireAdmin, requireAgencyKey, requireApiKey, requireRole, type MemberRole } from './auth';
import { credentialRateLimit } from './rate-limit';
import { idempotency } from './idempotency';

/**
 * The middleware every route of a kind runs, in order: authenticate, count against the
 * credential's limit, then (writes) claim the Idempotency-Key.
 */
export const stacks = {
  orgRead: (role: MemberRole = 'viewer'): MiddlewareHandler<AppEnv>[] => [requireApiKey(), credentialRateLimit(), requireRole(role)],
  /**
   * A consented read whose handler authenticates the key, counts the rate limit and checks the
   * viewer role inside its one statement (see `procedureUnderConsent`).
   */
  orgConsentedRead: (): MiddlewareHandler<AppEnv>[] => [deferApiKey()],
  orgWrite: (role: MemberRole = 'agent'): MiddlewareHandler<AppEnv>[] => [requireApiKey(), credentialRateLimit(), requireRole(role), idempotency()],
  agencyRead: (): MiddlewareHandler<AppEnv>[] => [requireAgencyKey(), credentialRateLimit()],
  agencyWrite: (): MiddlewareHandler<AppEnv>[] => [requireAgencyKey(), credentialRateLimit(), idempotency()],
  admin: (): MiddlewareHandler<AppEnv>[] => [requireAdmin(), idempotency()],
};
