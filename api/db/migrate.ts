import { sha256Hex } from '../lib/encoding';
import type { Sql } from './sql';

export interface MigrationFile {
  /** File name, `NNNN_name.sql`. */
  name: string;
  sql: string;
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

const FILE_NAME = /^(\d{4})_[a-z0-9_]+\.sql$/;

/**
 * A file's first line that runs it outside a transaction, one statement at a time: for what
 * PostgreSQL refuses in one (`CREATE INDEX CONCURRENTLY`). Such a file must be safe to run again,
 * since a failure leaves the statements before it done.
 */
const NO_TRANSACTION = /^-- puente:no-transaction[ \t]*(\r?\n|$)/;

/** Serialises the migrations of several processes starting on one database. */
const MIGRATION_LOCK = 7305901;
/** How often a process waiting for another's migrations tries the lock again. */
const LOCK_RETRY_MS = 250;

export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
}

/**
 * Applies pending migrations in order, each in its own transaction (unless it opts out with
 * `-- puente:no-transaction`), and refuses to run when an applied file has changed: history is
 * forward-only, fixes go in a new file.
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

  // One connection for the whole run (the embedded database has only one), holding a session lock.
  // The lock is tried, not waited for: a session waiting inside a statement holds a snapshot, and a
  // CREATE INDEX CONCURRENTLY of the process holding the lock would wait for that snapshot in turn.
  const conn = await sql.reserve();
  try {
    while (!(await conn<{ locked: boolean }[]>`select pg_try_advisory_lock(${MIGRATION_LOCK}) as locked`)[0]!.locked)
      await new Promise((resolve) => setTimeout(resolve, LOCK_RETRY_MS));
    try {
      return await applyLocked(conn as unknown as Sql, sorted);
    } finally {
      await conn`select pg_advisory_unlock(${MIGRATION_LOCK})`;
    }
  } finally {
    conn.release();
  }
}

async function applyLocked(conn: Sql, sorted: readonly MigrationFile[]): Promise<MigrationReport> {
  await conn`
    create table if not exists schema_migrations (
      version text primary key,
      name text not null,
      checksum text not null,
      applied_at timestamptz not null default now()
    )`;
  const recorded = await conn<
    { version: string; name: string; checksum: string }[]
  >`select version, name, checksum from schema_migrations order by version`;
  const applied = new Map(recorded.map((r) => [r.version, r]));

  const report: MigrationReport = { applied: [], alreadyApplied: 0 };
  for (const file of sorted) {
    const version = file.name.slice(0, 4);
    const checksum = await sha256Hex(file.sql);
    const existing = applied.get(version);
    if (existing) {
      if (existing.checksum !== checksum) {
        throw new MigrationError(
          `Migration ${file.name} was changed after it was applied (recorded checksum ${existing.checksum.slice(0, 12)}…, file ${checksum.slice(0, 12)}…). ` +
            'Applied migrations are immutable: restore the file and put the change in a new migration.',
        );
      }
      report.alreadyApplied++;
      continue;
    }
    const record = () =>
      conn`insert into schema_migrations (version, name, checksum) values (${version}, ${file.name}, ${checksum})`;
    if (NO_TRANSACTION.test(file.sql)) {
      for (const statement of sqlStatements(file.sql)) await conn.unsafe(statement);
      await record();
    } else {
      await conn.unsafe('begin');
      try {
        await conn.unsafe(file.sql);
        await record();
        const done = await conn.unsafe('commit');
        if (done.command !== 'COMMIT') throw new MigrationError(`Migration ${file.name} ended in ${done.command}`);
      } catch (error) {
        await conn.unsafe('rollback').catch(() => undefined);
        throw error;
      }
    }
    report.applied.push(file.name);
  }

  const known = new Set(sorted.map((f) => f.name.slice(0, 4)));
  const unknown = recorded.filter((r) => !known.has(r.version));
  if (unknown.length > 0) {
    throw new MigrationError(
      `The database has migrations this code does not know (${unknown.map((u) => u.name).join(', ')}): it was migrated by a newer version.`,
    );
  }
  return report;
}

/**
 * The statements of a script, split at the semicolons outside quotes, comments and dollar-quoted
 * bodies (not inside `E'…\'…'` escapes): sent one by one, each runs in no transaction block, as
 * several sent together would.
 */
export function sqlStatements(script: string): string[] {
  const token = /'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|\/\*[\s\S]*?\*\/|\$([A-Za-z_]\w*)?\$[\s\S]*?\$\1\$|;/g;
  const statements: string[] = [];
  let start = 0;
  for (const match of script.matchAll(token)) {
    if (match[0] !== ';') continue;
    statements.push(script.slice(start, match.index));
    start = match.index + 1;
  }
  statements.push(script.slice(start));
  return statements.filter((s) => s.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, '').trim() !== '');
}
