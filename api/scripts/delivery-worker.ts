import { ConfigError, configFromProcessEnv } from '../config';
import { jsonLogger } from '../http/logger';
import { startBackgroundWork } from '../node/background';
import { boundHeapGrowth } from '../node/heap';
import { nodeMetrics } from '../node/metrics';
import { serveOperations } from '../node/operations-server';
import { exitWithStartupError, nodeDeps, openDatabase } from '../node/runtime';

// An extra webhook delivery, batch and aviso worker (and scheduler) next to `npm start`, against DATABASE_URL.
async function main(): Promise<void> {
  boundHeapGrowth();
  const config = configFromProcessEnv();
  if (!config.database.url) {
    // The embedded database is a file only `npm start` may open; that process already runs the background work.
    throw new ConfigError(
      'DATABASE_URL',
      'DATABASE_URL is not set: a delivery worker needs the PostgreSQL database the servers use (with the embedded database, `npm start` runs the background work itself)',
    );
  }
  const logger = jsonLogger(config.logLevel);
  const database = await openDatabase(config);
  const deps = nodeDeps(config, database, logger, undefined, {
    ...(config.metricsToken ? { metrics: nodeMetrics({ processMetrics: true }) } : {}),
  });
  // Its counters (deliveries, avisos, scheduler) are scraped here when the API instances run no background work.
  const operations =
    config.metricsPort === undefined
      ? undefined
      : await serveOperations(deps, config.metricsPort, config.server.host).catch(async (error: unknown) => {
          await database.close();
          throw error;
        });
  const work = startBackgroundWork(database.sql, deps, { listen: true });
  logger.log('info', 'delivery worker started', operations ? { metrics_port: operations.port } : {});
  const stop = async () => {
    await operations?.close();
    await work.stop();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch(exitWithStartupError);
