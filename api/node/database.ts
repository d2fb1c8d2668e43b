import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

import { ConfigError } from '../config';
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

/** The file in PUENTE_DATA_DIR that holds the pid of the one process using it. */
export const LOCK_FILE = 'puente.lock';

/** Data directories this process holds (a pid equal to ours in a lock file otherwise is a stale one). */
const held = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, as another user's process.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the data directory for this process alone: two PGlite instances on one directory corrupt
 * it. The lock file is created exclusively and holds the pid; a lock whose process is gone (killed,
 * crashed) is taken over. Answers the release, also run when the process exits.
 */
function lockDataDir(dataDir: string): () => void {
  const dir = resolve(dataDir);
  const file = join(dir, LOCK_FILE);
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 2) throw error;
    }
    let holder: number;
    try {
      holder = Number(readFileSync(file, 'utf8').trim());
    } catch {
      continue; // released meanwhile
    }
    const ours = holder === process.pid && held.has(dir);
    if (ours || (Number.isInteger(holder) && holder > 0 && holder !== process.pid && alive(holder)))
      throw new ConfigError(
        'PUENTE_DATA_DIR',
        `PUENTE_DATA_DIR (${dataDir}) is in use by another Puente process (pid ${holder}): the embedded database takes one process at a time; stop that one first (if none runs, delete ${file})`,
      );
    rmSync(file, { force: true }); // stale: its process is gone
  }
  held.add(dir);
  const release = () => {
    process.off('exit', release);
    if (!held.delete(dir)) return;
    try {
      if (Number(readFileSync(file, 'utf8').trim()) === process.pid) rmSync(file, { force: true });
    } catch {
      // already gone
    }
  };
  process.on('exit', release);
  return release;
}

/**
 * The embedded default: PGlite (PostgreSQL compiled to WASM) with its data on disk, served on a
 * loopback socket so the app talks to it through the same driver as to a real server. PGlite
 * has a single connection, hence `max: 1`; one process at a time may open a data directory
 * (`lockDataDir`).
 */
export async function openEmbedded(
  options: { dataDir?: string; loadDataDir?: Blob; debug?: QueryObserver } = {},
): Promise<Database> {
  let unlock = () => {};
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    unlock = lockDataDir(options.dataDir);
  }
  try {
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
        try {
          await sql.end({ timeout: 5 });
          await server.stop();
          await db.close();
        } finally {
          unlock();
        }
      },
    };
  } catch (error) {
    unlock();
    throw error;
  }
}
