import { mkdirSync } from 'node:fs';

import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

import { createSql, type QueryObserver } from '../db/client';
import type { Sql } from '../db/sql';

export type { QueryObserver } from '../db/client';

export interface Database {
  sql: Sql;
  /**
   * A small pool of its own for the group-committed access log (PostgreSQL only), so a batch
   * never waits for a connection behind the requests it answers. Connects on first use.
   */
  writer?: Sql;
  /** 'postgres' when DATABASE_URL is set, 'embedded' for the PGlite default. */
  kind: 'postgres' | 'embedded';
  /** The PGlite instance behind the embedded default (for dumps and tests). */
  pglite?: PGlite;
  close(): Promise<void>;
}

/** Connections of the writer pool: one per batch committing at a time (see `accessLogBatcher`). */
export const WRITER_POOL_SIZE = 2;

/**
 * PostgreSQL: the requests' pool, and a small writer pool of its own for the group-committed
 * access log, so a batch never waits behind requests for a connection.
 */
export function connectPostgres(url: string, max = 10, debug?: QueryObserver): Database {
  const sql = createSql(url, { max, debug });
  const writer = createSql(url, { max: WRITER_POOL_SIZE, applicationName: 'puente-writer' });
  return {
    sql,
    writer,
    kind: 'postgres',
    async close() {
      await Promise.all([sql.end({ timeout: 5 }), writer.end({ timeout: 5 })]);
    },
  };
}

/**
 * The embedded default: PGlite (PostgreSQL compiled to WASM) with its data on disk, served on a
 * loopback socket so the app talks to it through the same driver as to a real server. PGlite
 * has a single connection, hence `max: 1`.
 */
export async function openEmbedded(
  options: { dataDir?: string; loadDataDir?: Blob; debug?: QueryObserver } = {},
): Promise<Database> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir: options.dataDir, loadDataDir: options.loadDataDir });
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0 });
  await server.start();
  const [, port] = server.getServerConn().split(':');
  const sql = createSql(
    { host: '127.0.0.1', port: Number(port), database: 'postgres', username: 'postgres' },
    { max: 1, fetchTypes: false, debug: options.debug },
  );
  return {
    sql,
    kind: 'embedded',
    pglite: db,
    async close() {
      await sql.end({ timeout: 5 });
      await server.stop();
      await db.close();
    },
  };
}
