import { readFileSync } from 'node:fs';

import { inject } from 'vitest';

import { createSql } from '../../api/db/client';
import type { Sql } from '../../api/db/sql';
import { connectPostgres, type Database, openEmbedded, type QueryObserver } from '../../api/node/database';

/** A migrated database of this test file's own: a PGlite restored from the template dump, or a PostgreSQL clone of the template. */
export async function openTestDatabase(options: { debug?: QueryObserver } = {}): Promise<Database & { url?: string }> {
  const template = inject('databaseTemplate');
  if (inject('databaseMode') === 'embedded') {
    return openEmbedded({ loadDataDir: new Blob([readFileSync(template)]), debug: options.debug });
  }
  const url = process.env.DATABASE_URL!;
  const name = `puente_t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = createSql(url, { max: 1 });
  await admin.unsafe(`create database ${name} template ${template}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const db = connectPostgres(target.toString(), 10, options.debug);
  return {
    ...db,
    url: target.toString(),
    async close() {
      await db.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/**
 * Waits until `count` statements of the database `sql` is connected to wait for a lock (PostgreSQL):
 * a race test's way to know its requests have reached the lock it holds.
 */
export async function lockWaiters(sql: Sql, count: number): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const [row] = await sql<{ n: number }[]>`
      select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`;
    if (row!.n >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`${count} statements never waited for a lock`);
}
