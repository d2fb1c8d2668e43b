import { sha256Hex } from '../lib/encoding';
import type { Sql } from './sql';
import { transaction } from './sql';

export interface MigrationFile {
  /** File name, `NNNN_name.sql`. */
  name: string;
  sql: string;
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

const FILE_NAME = /^(\d{4})_[a-z0-9_]+\.sql$/;

export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
}

/**
 * Applies pending migrations in order, each in its own transaction, and refuses to run when an
 * applied file has changed: history is forward-only, fixes go in a new file.
 */
export async function applyMigrations(sql: Sql, files: readonly MigrationFile[]): Promise<MigrationReport> {
  const sorted = [...files].sort((a, b) => a.name.localeCompare(b.name));
  const seen = new Set<string>();
  for (const file of sorted) {
    const match = FILE_NAME.exec(file.name);
    if (!match) throw new MigrationError(`Migration file "${file.name}" must be named NNNN_name.sql`);
    if (seen.has(match[1]!)) throw new MigrationError(`Two migration files share the number ${match[1]}`);
    seen.add(match[1]!);
  }

  await sql`
    create table if not exists schema_migrations (
      version text primary key,
      name text not null,
      checksum text not null,
      applied_at timestamptz not null default now()
    )`;

  const report: MigrationReport = { applied: [], alreadyApplied: 0 };
  for (const file of sorted) {
    const version = file.name.slice(0, 4);
    const checksum = await sha256Hex(file.sql);
    const done = await transaction(sql, async (tx) => {
      // Serialises concurrent starts of several processes on one database.
      await tx`select pg_advisory_xact_lock(7305901)`;
      const [existing] = await tx<{ name: string; checksum: string }[]>`
        select name, checksum from schema_migrations where version = ${version}`;
      if (existing) {
        if (existing.checksum !== checksum) {
          throw new MigrationError(
            `Migration ${file.name} was changed after it was applied (recorded checksum ${existing.checksum.slice(0, 12)}…, file ${checksum.slice(0, 12)}…). ` +
              'Applied migrations are immutable: restore the file and put the change in a new migration.',
          );
        }
        return false;
      }
      await tx.unsafe(file.sql);
      await tx`insert into schema_migrations (version, name, checksum) values (${version}, ${file.name}, ${checksum})`;
      return true;
    });
    if (done) report.applied.push(file.name);
    else report.alreadyApplied++;
  }

  const known = new Set(sorted.map((f) => f.name.slice(0, 4)));
  const recorded = await sql<
    { version: string; name: string }[]
  >`select version, name from schema_migrations order by version`;
  const unknown = recorded.filter((r) => !known.has(r.version));
  if (unknown.length > 0) {
    throw new MigrationError(
      `The database has migrations this code does not know (${unknown.map((u) => u.name).join(', ')}): it was migrated by a newer version.`,
    );
  }
  return report;
}
