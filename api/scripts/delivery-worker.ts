import { ConfigError, configFromProcessEnv } from '../config';
import { jsonLogger } from '../http/logger';
import { startBackgroundWork } from '../node/background';
import { boundHeapGrowth } from '../node/heap';
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
  const work = startBackgroundWork(database.sql, nodeDeps(config, database, logger), { listen: true });
  logger.log('info', 'delivery worker started', {});
  const stop = async () => {
    await work.stop();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch(exitWithStartupError);
