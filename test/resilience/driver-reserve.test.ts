// The transactions every write runs on (`begin` in api/db/sql.ts) reserve a connection of the
// postgres.js pool. Without type fetching (the embedded database, Hyperdrive), the driver (3.4.9)
// left a reservation that had to open its connection pending forever, and every later query of
// the pool behind it: on a fresh pool, and whenever the pool reopened a connection (each lives 30
// to 60 minutes). Patched in api/db/patches/postgres+3.4.9.patch (porsager/postgres#751). The server
// ending a connection a reservation waited for is covered too (a restart or failover under load),
// and so is the server ending the connection of a transaction in progress: its next statement was
// written to a null socket, which threw out of a timer (ending the process) and never settled.
// And the server ending a connection while a statement ran on it (a terminated backend, right
// after it answered the rollback of a failed transaction and took the statement waiting for the
// pool): its last error outlived the socket, and the next connection failed with it the
// reservation that opened it, which then held that connection for good: every later query of the
// pool waited forever.
import { once } from 'node:events';
import { type AddressInfo, connect as connectSocket, createServer, type Socket } from 'node:net';

import postgres from 'postgres';
import { describe, expect, it } from 'vitest';

import { createSql } from '../../api/db/client';
import { begin, type Sql } from '../../api/db/sql';
import { openEmbedded } from '../../api/node/database';

const postgresUrl = process.env.DATABASE_URL;

/** Settles with the promise, or fails the test after `ms` instead of hanging it. */
function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: still pending after ${ms} ms`)), ms)),
  ]);
}

describe('reserving a connection for a transaction', () => {
  it('works as the very first use of a fresh embedded database', async () => {
    const db = await openEmbedded();
    try {
      const [row] = await within(
        10_000,
        begin(db.sql, (tx) => tx<{ one: number }[]>`select 1 as one`),
        'begin',
      );
      expect(row!.one).toBe(1);
    } finally {
      await db.close();
    }
  });

  it.skipIf(!postgresUrl)('works as the very first use of a PostgreSQL pool without type fetching', async () => {
    const sql = createSql(postgresUrl!, { max: 1, fetchTypes: false });
    try {
      const [row] = await within(
        10_000,
        begin(sql, (tx) => tx<{ one: number }[]>`select 1 as one`),
        'begin',
      );
      expect(row!.one).toBe(1);
    } finally {
      await sql.end({ timeout: 1 });
    }
  });

  it.skipIf(!postgresUrl)('works as the first use of a connection the pool recycled (its lifetime ended)', async () => {
    // The pool's own options (createSql leaves the driver's 30–60 min lifetime), with a 1 s lifetime.
    const sql = postgres(postgresUrl!, { max: 1, fetch_types: false, max_lifetime: 1 });
    try {
      await sql`select 1`;
      await new Promise((r) => setTimeout(r, 2_500));
      const [row] = await within(
        10_000,
        begin(sql as unknown as Sql, (tx) => tx<{ one: number }[]>`select 1 as one`),
        'begin',
      );
      expect(row!.one).toBe(1);
    } finally {
      await sql.end({ timeout: 1 });
    }
  });

  for (const fetchTypes of [true, false]) {
    it.skipIf(!postgresUrl)(
      `is served by a new connection when the server ends the one it waited for (type fetching ${fetchTypes ? 'on' : 'off'})`,
      async () => {
        const sql = createSql(postgresUrl!, { max: 1, fetchTypes, applicationName: 'puente-reserve-test' });
        const admin = createSql(postgresUrl!, { max: 1 });
        try {
          await sql`select 1`;
          // The pool's one connection is busy; a transaction queues behind it. (A statement is
          // sent a microtask after it is made, and a reservation takes an open connection at
          // once: the transaction waits only once the sleep is seen running.)
          const busy = sql`select pg_sleep(30)`.catch((error: unknown) => error);
          for (let i = 0; i < 100; i++) {
            const [seen] = await admin<{ n: number }[]>`
              select count(*)::int as n from pg_stat_activity
              where application_name = 'puente-reserve-test' and state = 'active' and query like '%pg_sleep%'`;
            if (seen!.n > 0) break;
            await new Promise((r) => setTimeout(r, 20));
          }
          const waiting = begin(sql, (tx) => tx<{ one: number }[]>`select 1 as one`);
          await new Promise((r) => setTimeout(r, 200));
          await admin`
            select pg_terminate_backend(pid) from pg_stat_activity
            where application_name = 'puente-reserve-test' and query like '%pg_sleep%'`;
          expect(await busy).toBeInstanceOf(Error);
          const [row] = await within(10_000, waiting, 'the queued transaction');
          expect(row!.one).toBe(1);
        } finally {
          await sql.end({ timeout: 1 });
          await admin.end();
        }
      },
    );
  }
  it.skipIf(!postgresUrl)(
    'fails a transaction whose connection the server ends, and the pool serves the next one',
    async () => {
      const sql = createSql(postgresUrl!, { max: 1, applicationName: 'puente-reserve-ended' });
      const admin = createSql(postgresUrl!, { max: 1 });
      try {
        const ended = begin(sql, async (tx) => {
          await tx`select 1`;
          await admin`
            select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'puente-reserve-ended'`;
          await new Promise((r) => setTimeout(r, 200));
          return tx`select 2`;
        });
        await expect(within(10_000, ended, 'the transaction on the ended connection')).rejects.toThrow();
        const [row] = await within(
          10_000,
          begin(sql, (tx) => tx<{ three: number }[]>`select 3 as three`),
          'the next transaction',
        );
        expect(row!.three).toBe(3);
        expect((await within(10_000, sql<{ four: number }[]>`select 4 as four`, 'the next query'))[0]!.four).toBe(4);
      } finally {
        await sql.end({ timeout: 1 });
        await admin.end();
      }
    },
  );

  for (const opener of ['begin', 'sql.begin'] as const) {
    it.skipIf(!postgresUrl)(
      `serves the pool after the server ends a connection right after answering a rollback (${opener})`,
      async () => {
        const name = `puente-rolled-back-${opener}`;
        const admin = createSql(postgresUrl!, { max: 1 });
        let terminated: Promise<unknown> | undefined;
        const sql = createSql(postgresUrl!, {
          max: 1,
          applicationName: name,
          // The statement waiting for the pool is sent as soon as the rollback is answered and the
          // connection comes back: the server is told to end that backend then, while it runs.
          debug: (_connection, query) => {
            if (query.includes('pg_sleep') && !terminated)
              terminated = admin`
                select pg_terminate_backend(pid) from pg_stat_activity where application_name = ${name}`.execute();
          },
        });
        try {
          await sql`select 1`;
          let waiting: Promise<unknown> | undefined;
          const work = async (tx: Sql) => {
            // The pool's one connection is the transaction's: this waits for it.
            waiting = sql`select pg_sleep(5)`.catch((error: unknown) => error);
            await tx`select 1/0`;
          };
          const failed = opener === 'begin' ? begin(sql, work) : sql.begin((tx) => work(tx as unknown as Sql));
          await expect(within(10_000, failed, 'the failed transaction')).rejects.toMatchObject({ code: '22012' });
          expect(await within(10_000, waiting!, 'the statement that waited')).toMatchObject({
            code: 'CONNECTION_CLOSED',
          });
          await terminated;
          // Unpatched: the next transaction failed with the ended backend's error (57P01), and the
          // query after it never settled.
          const next = await within(
            10_000,
            begin(sql, (tx) => tx<{ three: number }[]>`select 3 as three`).then(
              (rows) => rows[0]!.three,
              (error: unknown) => error,
            ),
            'the next transaction',
          );
          const later = await within(10_000, sql<{ four: number }[]>`select 4 as four`, 'a later query');
          expect(next).toBe(3);
          expect(later[0]!.four).toBe(4);
        } finally {
          await sql.end({ timeout: 1 });
          await admin.end();
        }
      },
    );
  }

  it.skipIf(!postgresUrl)('opens a new connection after one closed with a write still to flush', async () => {
    // The driver gathers a statement's messages and flushes them with setImmediate. When sockets
    // close together (a server restart), one's close event can come after a statement was written
    // to it and before that flush: its close left the gathered bytes and the cancelled flush's
    // handle behind. The next connection's startup message joined those bytes and, the handle not
    // being null, was never flushed: that connection waited for its connect timeout, again and
    // again. Here the driver's socket is ours (`socket` option) and closes in the same turn as
    // another socket whose close writes a statement, as in a restart under load (libuv runs the
    // close callbacks of one turn last closed first: the other socket is closed second).
    const url = new URL(postgresUrl!);
    let opened: Socket | undefined;
    // The driver reads `socket` (a function answering a connected socket); its types leave it out.
    const socket = () =>
      new Promise<Socket>((resolve, reject) => {
        const opening = connectSocket(Number(url.port || 5432), url.hostname);
        opening.once('connect', () => resolve((opened = opening)));
        opening.once('error', reject);
      });
    const sql = postgres(postgresUrl!, { max: 1, fetch_types: false, connect_timeout: 5, ...{ socket } });
    const other = createServer((s) => s.resume()).listen(0, '127.0.0.1');
    try {
      await once(other, 'listening');
      await sql`select 1`;
      const neighbour = connectSocket((other.address() as AddressInfo).port, '127.0.0.1');
      await once(neighbour, 'connect');
      let written: Promise<unknown> | undefined;
      neighbour.once('close', () => {
        written = sql`select 2`.catch((error: unknown) => error);
      });
      const closing = once(opened!, 'close');
      opened!.destroy();
      neighbour.destroy();
      await closing;
      expect(await within(10_000, written!, 'the statement written as its socket closed')).toMatchObject({
        code: 'CONNECTION_CLOSED',
      });
      const [row] = await within(10_000, sql<{ three: number }[]>`select 3 as three`, 'the next query');
      expect(row!.three).toBe(3);
    } finally {
      other.close();
      await sql.end({ timeout: 1 });
    }
  });

  it.skipIf(!postgresUrl)('serves the pool once the server is back after a transaction could not connect', async () => {
    // A reservation whose connection cannot be opened fails, and leaves the pool's queue: left in
    // it, the connection opened later was handed to it, could not be taken, and served nothing.
    const url = new URL(postgresUrl!);
    const refused = createServer().listen(0, '127.0.0.1');
    await once(refused, 'listening');
    const closedPort = (refused.address() as AddressInfo).port;
    refused.close();
    let down = true;
    // The driver reads `socket` (a function answering a socket); its types leave it out.
    const socket = () => connectSocket(down ? closedPort : Number(url.port || 5432), down ? '127.0.0.1' : url.hostname);
    const sql = postgres(postgresUrl!, { max: 1, fetch_types: false, connect_timeout: 5, ...{ socket } });
    try {
      await expect(
        within(
          10_000,
          begin(sql as unknown as Sql, (tx) => tx`select 1`),
          'the transaction while down',
        ),
      ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
      down = false;
      const [row] = await within(10_000, sql<{ two: number }[]>`select 2 as two`, 'a query once back');
      expect(row!.two).toBe(2);
      const [again] = await within(
        10_000,
        begin(sql as unknown as Sql, (tx) => tx<{ three: number }[]>`select 3 as three`),
        'a transaction once back',
      );
      expect(again!.three).toBe(3);
    } finally {
      await sql.end({ timeout: 1 });
    }
  });
});
