import { realpathSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { createApp } from '../app';
import { baseDeps } from '../base-deps';
import { configFromEnv } from '../config';
import { jsonLogger } from '../http/logger';
import { buildOpenApiDocument } from '../http/openapi-builder';

/**
 * The document as the code defines it, with every optional surface switched on (admin routes
 * exist only when an admin token is configured), so the committed contract is complete.
 */
export function generateOpenApiDocument(): unknown {
  const config = configFromEnv({
    PUENTE_ENV: 'development',
    PUENTE_ADMIN_TOKEN: 'document-generation-has-no-admin-00000',
    PUENTE_SECRET_KEY: 'document-generation-has-no-keys-000000',
  });
  const app = createApp(
    baseDeps(config, {
      logger: jsonLogger('silent'),
      db: () => {
        throw new Error('The document generator has no database');
      },
      docsAssets: { get: async () => undefined },
      clientAddress: () => 'unknown',
      requestIsBodyless: () => false,
      resolveHost: async () => [],
    }),
  );
  return buildOpenApiDocument(app);
}

export function serialiseDocument(document: unknown): string {
  return JSON.stringify(document, null, 2) + '\n';
}

// `npm run openapi`: rewrites the committed document (a test fails when it is stale).
if (process.argv[1] && fileURLToPath(import.meta.url) === realpathSync(process.argv[1])) {
  const target = fileURLToPath(new URL('../../openapi/openapi.json', import.meta.url));
  writeFileSync(target, serialiseDocument(generateOpenApiDocument()));
  console.log(`wrote ${target}`);
}
