import { mkdirSync } from 'node:fs';

import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import postgres from 'postgres';

import { CLIENT_TYPES, type Sql } from '../db/sql';

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

/**
 * `max_pipeline: 1`: postgres.js 3.4.9 pipelines up to 100 queries per connection by default,
 * and its internal queue keeps the holes of answered queries and scans them with `indexOf`
 * until it drains completely; under sustained load it never drains, and throughput fell to a
 * third within a minute and stayed there (porsager/postgres#747). One query in flight per
 * connection keeps the queue empty; the pool's connections still run in parallel.
 */
export const CLIENT_OPTIONS = {
  onnotice: () => {},
  connection: { application_name: 'puente' },
  types: CLIENT_TYPES,
  max_pipeline: 1,
} as const;

/** Called with every query the driver sends (postgres.js's `debug` hook), e.g. to count round trips. */
export type QueryObserver = (connection: number, query: string, parameters: unknown[]) => void;

/** Connections of the writer pool: one per batch committing at a time (see `accessLogBatcher`). */
export const WRITER_POOL_SIZE = 2;

export function connectPostgres(url: string, max = 10, debug?: QueryObserver): Database {
  const sql = postgres(url, { ...CLIENT_OPTIONS, max, ...(debug ? { debug } : {}) }) as unknown as Sql;
  const writer = postgres(url, {
    ...CLIENT_OPTIONS,
    connection: { application_name: 'puente-writer' },
    max: WRITER_POOL_SIZE,
  }) as unknown as Sql;
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
  const sql = postgres({
    ...CLIENT_OPTIONS,
    host: '127.0.0.1',
    port: Number(port),
    database: 'postgres',
    username: 'postgres',
    max: 1,
    fetch_types: false,
    ...(options.debug ? { debug: options.debug } : {}),
  }) as unknown as Sql;
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
