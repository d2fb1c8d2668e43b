import { ConfigError, configFromProcessEnv } from '../config';
import { applyMigrations } from '../db/migrate';
import { readMigrationFiles } from '../node/migration-files';
import { exitWithStartupError, openDatabase } from '../node/runtime';

async function main(): Promise<void> {
  const config = configFromProcessEnv();
  const database = await openDatabase(config).catch((error: unknown) => {
    // The embedded database takes one process at a time: the running server's, which migrates it when it starts.
    if (error instanceof ConfigError && error.variable === 'PUENTE_DATA_DIR')
      throw new ConfigError(
        error.variable,
        `${error.message}. Stop the server before running npm run migrate on the embedded database (npm start also migrates it when it starts)`,
      );
    throw error;
  });
  try {
    const report = await applyMigrations(database.sql, readMigrationFiles(config.database.migrationsDir));
    console.log(
      report.applied.length > 0
        ? `applied ${report.applied.length} migration(s): ${report.applied.join(', ')}`
        : `database is up to date (${report.alreadyApplied} migration(s) applied earlier)`,
    );
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  } finally {
    await database.close();
  }
}

main().catch(exitWithStartupError);
