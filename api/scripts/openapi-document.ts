import { createApp } from '../app';
import { configFromEnv } from '../config';
import { jsonLogger } from '../http/logger';
import { HitBuffer } from '../http/rate-limit';
import { systemClock } from '../lib/clock';
import { CalendarStore } from '../modules/calendar/store';
import { SigningKeyStore } from '../modules/consent/keys';
import { buildOpenApiDocument } from '../modules/docs/routes';

/**
 * The document as the code defines it, with every optional surface switched on (admin routes
 * exist only when an admin token is configured), so the committed contract is complete.
 */
export function generateOpenApiDocument(): unknown {
  const app = createApp({
    config: configFromEnv({ PUENTE_ENV: 'development', PUENTE_ADMIN_TOKEN: 'document-generation' }),
    clock: systemClock,
    logger: jsonLogger('silent'),
    db: () => {
      throw new Error('The document generator has no database');
    },
    docsAssets: { get: async () => undefined },
    clientAddress: () => 'unknown',
    requestIsBodyless: () => false,
    resolveHost: async () => [],
    signingKeys: new SigningKeyStore('document-generation-has-no-keys-000000'),
    hits: new HitBuffer(),
    calendar: new CalendarStore(),
  });
  return buildOpenApiDocument(app);
}

export function serialiseDocument(document: unknown): string {
  return JSON.stringify(document, null, 2) + '\n';
}
