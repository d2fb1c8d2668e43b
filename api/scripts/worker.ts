import { configFromEnv } from '../config';
import { jsonLogger } from '../http/logger';
import { startBackgroundWork } from '../node/background';
import { nodeDeps, openDatabase } from '../node/runtime';

// An extra webhook delivery and batch worker (and scheduler) next to `npm start`, against DATABASE_URL.
const config = configFromEnv(process.env);
const logger = jsonLogger(config.logLevel);
const database = await openDatabase(process.env);
const work = startBackgroundWork(database.sql, nodeDeps(config, database, logger), {
  listen: database.kind === 'postgres',
});
logger.log('info', 'worker started', {});
const stop = async () => {
  await work.stop();
  await database.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
