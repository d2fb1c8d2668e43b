import { applyMigrations } from '../db/migrate';
import { readMigrationFiles } from '../node/migration-files';
import { openDatabase } from '../node/runtime';

const database = await openDatabase(process.env);
try {
  const report = await applyMigrations(database.sql, readMigrationFiles());
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
