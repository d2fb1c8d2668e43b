import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { applyMigrations, MigrationError } from '../../api/db/migrate';
import type { Database } from '../../api/node/database';
import { readMigrationFiles } from '../../api/node/migration-files';
import { openTestDatabase } from '../support/database';

let db: Database;
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
    const good = { name: '9999_extra.sql', sql: 'create table extra_table (id int);' };
    const report = await applyMigrations(db.sql, [...files, good]);
    expect(report.applied).toEqual(['9999_extra.sql']);
  });

  it('refuses badly named files', async () => {
    await expect(applyMigrations(db.sql, [{ name: 'add_things.sql', sql: 'select 1' }])).rejects.toThrow(
      /NNNN_name\.sql/,
    );
  });
});
