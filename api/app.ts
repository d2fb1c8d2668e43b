import { OpenAPIHono } from '@hono/zod-openapi';

import type { Deps } from './deps';
import { limitBody } from './http/body-limit';
import type { App, AppEnv } from './http/context';
import { errorHandler, refuseNulCharacters, requestContext } from './http/middleware';
import { notFoundHandler } from './http/not-found';
import { registerDocumentHeaders, validationHook } from './http/openapi';
import { registerSecuritySchemes } from './http/route-auth';
import { registerAdmin } from './modules/admin/routes';
import { registerAgency } from './modules/agency/routes';
import { registerApiKeys } from './modules/api-keys/routes';
import { registerDevMailbox, registerUnsubscribePages } from './modules/avisos/pages';
import { registerAvisos } from './modules/avisos/routes';
import { registerCalendar } from './modules/calendar/routes';
import { registerCatalog } from './modules/catalog/routes';
import { registerCitizenPages } from './modules/citizen/pages';
import { registerCitizen } from './modules/citizen/routes';
import { registerConsent } from './modules/consent/routes';
import { registerDelegationRequestBatches } from './modules/delegation-request-batches/routes';
import { registerDelegationRequests } from './modules/delegation-requests/routes';
import { registerDelegations } from './modules/delegations/routes';
import { registerDevIdentityProviderPages } from './modules/dev-idp/pages';
import { registerDevIdentityProvider } from './modules/dev-idp/routes';
import { registerDocs } from './modules/docs/routes';
import { registerDocuments } from './modules/documents/routes';
import { registerEvents } from './modules/events/routes';
import { registerHealth } from './modules/health/routes';
import { registerMembers } from './modules/members/routes';
import { registerMetrics } from './modules/metrics/routes';
import { registerNotifications } from './modules/notifications/routes';
import { registerOrganizations } from './modules/organizations/routes';
import { registerProcedures } from './modules/procedures/routes';
import { registerSandbox } from './modules/sandbox/routes';
import { registerWebhooks } from './modules/webhooks/routes';

/** Uploads and batches carry their own, larger body limit on their route; every other body has the JSON limit. */
function hasOwnBodyLimit(path: string): boolean {
  return path === '/v1/delegation-requests/batches' || /^\/v1\/procedures\/[^/]+\/documents$/.test(path);
}

/** Builds the whole HTTP application from its dependencies; the same on every runtime. */
export function createApp(deps: Deps): App {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.use('*', requestContext(deps));
  app.use('*', refuseNulCharacters());
  const jsonBodyLimit = limitBody(
    deps.config.maxJsonBodyBytes,
    `The body is larger than ${deps.config.maxJsonBodyBytes} bytes.`,
  );
  // Bodyless methods skip the check: it would materialise a full Request object on every read.
  app.use('/v1/*', (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    // A POST without a body (minting a token, accepting, revoking) is marked bodyless where it
    // stands (its `body` null), so that the body limit and the media-type check neither open nor
    // read an empty stream, and no second Request is built (a URL, headers and a signal each time).
    if (deps.requestIsBodyless(c)) {
      Object.defineProperty(c.req.raw, 'body', { value: null });
      return next();
    }
    return hasOwnBodyLimit(c.req.path) ? next() : jsonBodyLimit(c, next);
  });

  registerSecuritySchemes(app);
  registerDocumentHeaders(app);
  registerHealth(app);
  registerMetrics(app);
  registerCatalog(app);
  registerCalendar(app);
  registerOrganizations(app);
  registerMembers(app);
  registerApiKeys(app);
  registerDelegationRequestBatches(app);
  registerDelegationRequests(app);
  registerDelegations(app);
  registerConsent(app);
  registerProcedures(app);
  registerDocuments(app);
  registerAgency(app);
  registerNotifications(app);
  registerEvents(app);
  registerWebhooks(app);
  registerSandbox(app);
  registerCitizen(app);
  registerAvisos(app);
  registerCitizenPages(app);
  registerUnsubscribePages(app);
  if (deps.config.env !== 'production') registerDevMailbox(app);
  if (deps.config.adminToken) registerAdmin(app);
  if (deps.config.devIdentityProvider) {
    registerDevIdentityProvider(app);
    registerDevIdentityProviderPages(app);
  }
  registerDocs(app);

  app.notFound(notFoundHandler(app));
  app.onError(errorHandler(deps));
  return app;
}
