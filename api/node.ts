import type { Server } from 'node:http';

import { serve } from '@hono/node-server';

import { createApp } from './app';
import { configFromProcessEnv } from './config';
import { errorFields, jsonLogger } from './http/logger';
import { ensureDemoOrganization } from './modules/organizations/demo';
import { startBackgroundWork } from './node/background';
import { boundHeapGrowth } from './node/heap';
import { nodeMetrics } from './node/metrics';
import { exitWithStartupError, listenError, migrate, nodeDeps, openDatabase } from './node/runtime';

const SHUTDOWN_GRACE_MS = 4_000;
/** Past this, the process exits whatever is still closing (a hung socket, a stuck close). */
const SHUTDOWN_LIMIT_MS = 15_000;

async function main(): Promise<void> {
  boundHeapGrowth();
  const config = configFromProcessEnv();
  const logger = jsonLogger(config.logLevel);
  // Citizen sign-in may be run elsewhere, so it is not required: but say so once.
  if (config.env === 'production' && !config.oidc && !config.devIdentityProvider)
    logger.log('warn', 'citizens cannot sign in: no identity provider is configured (PUENTE_OIDC_ISSUER)', {});
  const database = await openDatabase(config);
  await migrate(database, logger, config);
  const demo = config.env === 'production' ? undefined : await ensureDemoOrganization(database.sql, new Date());

  const deps = nodeDeps(config, database, logger, undefined, {
    ...(config.metricsToken ? { metrics: nodeMetrics({ processMetrics: true }) } : {}),
  });
  const app = createApp(deps);
  // One delivery worker, the aviso worker and the scheduler run in-process; `npm run delivery-worker` adds more.
  const background = config.background
    ? startBackgroundWork(database.sql, deps, { listen: database.kind === 'postgres' })
    : undefined;
  const { port, host } = config.server;
  const server: Server = serve({ fetch: app.fetch, port, hostname: host }, () => {
    logger.log('info', 'listening', {
      port,
      database: database.kind === 'embedded' ? `embedded (${config.database.dataDir})` : 'postgres',
      env: config.env,
    });
    const lines = [
      `Puente is running on ${config.baseUrl}`,
      `  API reference: ${config.baseUrl}/docs`,
      `  OpenAPI:       ${config.baseUrl}/openapi.json`,
    ];
    if (demo) lines.push(`  Demo test key: ${demo.testKey}  (Gestoría Demo Puente S.L., test mode)`);
    if (config.env !== 'production' && (!config.avisos.smtpUrl || !config.avisos.smsGatewayUrl))
      lines.push(
        `  Avisos:        ${config.baseUrl}/dev/mailbox  (development mailbox: no SMTP server or SMS gateway set)`,
      );
    process.stdout.write(`\n${lines.join('\n')}\n\n`);
  }) as Server;
  // A port in use or a host that is not this machine's: one line naming it, after stopping what started.
  server.once('error', (error: NodeJS.ErrnoException) => {
    void (async () => {
      await background?.stop().catch(() => {});
      await database.close().catch(() => {});
      exitWithStartupError(listenError(error, { variable: 'PORT', value: port }, { variable: 'HOST', value: host }));
    })();
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log('info', 'shutting down', { signal });
    // Hard stop if draining takes too long: the database must still be closed within 5 s.
    const force = setTimeout(() => {
      server.closeAllConnections();
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    // The background work and the database close within their own bounds (3 s and 5 s); should
    // anything still hang, an orchestrator waiting for the exit is not kept waiting for ever.
    setTimeout(() => {
      logger.log('error', 'shutdown timed out', { limit_ms: SHUTDOWN_LIMIT_MS });
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS).unref();
    server.closeIdleConnections();
    server.close(async () => {
      clearTimeout(force);
      try {
        await background?.stop();
        await database.close();
        logger.log('info', 'stopped', {});
        process.exit(0);
      } catch (error) {
        logger.log('error', 'shutdown failed', errorFields(error));
        process.exit(1);
      }
    });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch(exitWithStartupError);
