import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { applyMigrations, MigrationError, type MigrationFile, sqlStatements } from '../../api/db/migrate';
import { connectPostgres, type Database } from '../../api/node/database';
import { readMigrationFiles } from '../../api/node/migration-files';
import { openTestDatabase } from '../support/database';

let db: Database & { url?: string };
/** A migration the tests below add to the project's files. */
const EXTRA = { name: '9999_extra.sql', sql: 'create table extra_table (id int);' };
const withExtra = (...more: MigrationFile[]) => [...readMigrationFiles(), EXTRA, ...more];
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(() => db.close());

describe('migrations', () => {
  it('records every applied file with a checksum and re-running applies nothing', async () => {
    const files = readMigrationFiles();
    const rows = await db.sql<
      { name: string; checksum: string }[]
    >`select name, checksum from schema_migrations order by version`;
    expect(rows.map((r) => r.name)).toEqual(files.map((f) => f.name));
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.checksum))).toBe(true);
    const report = await applyMigrations(db.sql, files);
    expect(report).toEqual({ applied: [], alreadyApplied: files.length });
  });

  it('refuses to run when an applied file was changed', async () => {
    const files = readMigrationFiles();
    const tampered = files.map((f, i) => (i === 0 ? { ...f, sql: f.sql + '\n-- edited' } : f));
    await expect(applyMigrations(db.sql, tampered)).rejects.toThrow(MigrationError);
    await expect(applyMigrations(db.sql, tampered)).rejects.toThrow(/was changed after it was applied/);
  });

  it('applies a new file in a transaction: a failing one leaves nothing behind', async () => {
    const files = readMigrationFiles();
    const broken = { name: '9998_broken.sql', sql: 'create table half_done (id int); select * from no_such_table;' };
    await expect(applyMigrations(db.sql, [...files, broken])).rejects.toThrow();
    const [row] = await db.sql<{ exists: boolean }[]>`select to_regclass('half_done') is not null as exists`;
    expect(row?.exists).toBe(false);
    const report = await applyMigrations(db.sql, [...files, EXTRA]);
    expect(report.applied).toEqual(['9999_extra.sql']);
  });

  it('refuses badly named files', async () => {
    await expect(applyMigrations(db.sql, [{ name: 'add_things.sql', sql: 'select 1' }])).rejects.toThrow(
      /NNNN_name\.sql/,
    );
  });
});

describe('a migration that runs outside a transaction (-- puente:no-transaction)', () => {
  const concurrently = (n: number) => ({
    name: `${9900 + n}_concurrent_index.sql`,
    sql: [
      '-- puente:no-transaction',
      '-- Built without locking writes out; safe to run again.',
      `drop index concurrently if exists concurrent_index_${n};`,
      `create index concurrently concurrent_index_${n} on webhook_deliveries (created_at);`,
      '',
    ].join('\n'),
  });

  it('runs CREATE INDEX CONCURRENTLY, which a transaction refuses, and records it once', async () => {
    const inTransaction = { ...concurrently(1), sql: concurrently(1).sql.split('\n').slice(1).join('\n') };
    // PGlite refuses it in a transaction too, and builds it alone (with no one else to wait for).
    await expect(applyMigrations(db.sql, withExtra(inTransaction))).rejects.toThrow(/transaction block/);
    const report = await applyMigrations(db.sql, withExtra(concurrently(1)));
    expect(report.applied.filter((name) => name !== EXTRA.name)).toEqual(['9901_concurrent_index.sql']);
    const [index] = await db.sql<{ valid: boolean }[]>`
      select i.indisvalid as valid from pg_index i where i.indexrelid = 'concurrent_index_1'::regclass`;
    expect(index).toEqual({ valid: true });
    expect((await applyMigrations(db.sql, withExtra(concurrently(1)))).applied).toEqual([]);
  });

  it('two processes starting together: one builds the index, the other waits for it without a deadlock', async () => {
    if (inject('databaseMode') !== 'postgres') return; // one process at a time opens the embedded database
    const files = withExtra(concurrently(1), concurrently(2));
    const [a, b] = [connectPostgres(db.url!, 2), connectPostgres(db.url!, 2)];
    try {
      const reports = await Promise.all([applyMigrations(a.sql, files), applyMigrations(b.sql, files)]);
      expect(reports.flatMap((r) => r.applied)).toEqual(['9902_concurrent_index.sql']);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('sends each statement on its own, splitting at semicolons outside quotes, comments and function bodies', () => {
    const script = [
      '-- puente:no-transaction',
      'insert into t values (\'a;b\', "c;d"); -- a comment; with a semicolon',
      '/* block; comment */',
      'create function f() returns int language sql as $body$ select 1; $body$;',
      'select $$;$$;',
      '-- only a comment at the end;',
    ].join('\n');
    expect(sqlStatements(script).map((s) => s.trim())).toEqual([
      '-- puente:no-transaction\ninsert into t values (\'a;b\', "c;d")',
      '-- a comment; with a semicolon\n/* block; comment */\ncreate function f() returns int language sql as $body$ select 1; $body$',
      'select $$;$$',
    ]);
  });
});
