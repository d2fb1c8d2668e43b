import postgres from 'postgres';

import { CLIENT_TYPES, type Sql } from './sql';

/** Called with every query the driver sends (postgres.js's `debug` hook), e.g. to count round trips. */
export type QueryObserver = (connection: number, query: string, parameters: unknown[]) => void;

export interface SqlOptions {
  /** Connections in the pool. */
  max?: number;
  /** Without fetched type information (Hyperdrive and the embedded database run without it). */
  fetchTypes?: boolean;
  debug?: QueryObserver;
  /** Tells the server who is connected (`pg_stat_activity`); Hyperdrive sets its own. */
  applicationName?: string | false;
}

/**
 * The one place that makes a postgres.js client: every process (Node server, delivery worker,
 * Worker request, tests, benchmarks) gets the same options and the same types.
 *
 * `max_pipeline: 1`: postgres.js 3.4.9 pipelines up to 100 queries per connection by default,
 * and its internal queue keeps the holes of answered queries and scans them with `indexOf`
 * until it drains completely; under sustained load it never drains, and throughput fell to a
 * third within a minute and stayed there (porsager/postgres#747). One query in flight per
 * connection keeps the queue empty; the pool's connections still run in parallel.
 *
 * `plan_cache_mode=force_generic_plan`: postgres.js prepares every statement once per
 * connection, but PostgreSQL's default still plans a prepared statement afresh on each execution
 * whenever it guesses a custom plan is cheaper. For the list of procedures that guess held
 * forever: 0.4 ms of planning for 0.25 ms of execution on every page. Our statements look rows up
 * by key and range, where the generic plan is the same plan, so it is made once and kept; a
 * LIMIT is written into the statement (`limitRows`), since a plan for an unknown limit assumes a
 * tenth of the table. `jit=off`: a short statement never gains from compiling itself, and an
 * estimate that crosses the JIT threshold (a million-row organisation's list) made PostgreSQL
 * compile it on every execution, 0.7 s a page. Both travel in the startup packet: the embedded
 * database ignores them, Hyperdrive gets none.
 *
 * The driver is patched at install (`api/db/patches/`, applied by patch-package): without type
 * fetching, a reservation (every transaction, see `begin`) that had to open its connection was
 * never handed it, so on a fresh pool, or whenever a connection was reopened after its 30–60
 * minute lifetime, that transaction and every later query waited forever (porsager/postgres#751).
 * And a statement sent on a reserved connection the server had closed (a restart, a terminated
 * backend, in the middle of a transaction) was written to a null socket: a TypeError thrown out of
 * a timer, which ends the process, and a statement that never settled. It now fails with
 * CONNECTION_CLOSED, and `begin` (db/sql.ts) hands no such connection back to the pool. And when
 * the server ended a connection with a statement in flight (a terminated backend), the error it
 * sent for it outlived the socket: the next connection failed with it whatever reopened it, and a
 * reservation failed that way kept the connection for good, every later query waiting. And a
 * socket that closed with messages gathered but not yet flushed (sockets closing together, as in a
 * restart) left them, and the cancelled flush, to the next connection: its startup message was
 * never sent, and it timed out on every attempt. And a transaction waiting for the pool when the
 * server ended the connection it waited for was taken out of the queue to reopen that connection,
 * and never handed it: it stays queued now, and a reservation that fails leaves the queue. And a
 * statement already prepared on a connection is found again by its shape (its call site's
 * template, the fragments, identifiers and unsafe text nested in it, its parameters' types)
 * instead of by its text, which the driver otherwise builds from the fragments and hashes on every
 * execution: several kilobytes for the consent gate's statement.
 */
export function createSql(
  target: string | { host: string; port: number; database: string; username: string },
  options: SqlOptions = {},
): Sql {
  const settings = {
    onnotice: () => {},
    types: CLIENT_TYPES,
    max_pipeline: 1,
    max: options.max ?? 10,
    ...(options.applicationName === false
      ? {}
      : {
          connection: {
            application_name: options.applicationName ?? 'puente',
            plan_cache_mode: 'force_generic_plan',
            jit: 'off',
          },
        }),
    ...(options.fetchTypes === false ? { fetch_types: false } : {}),
    ...(options.debug ? { debug: options.debug } : {}),
  };
  const client = typeof target === 'string' ? postgres(target, settings) : postgres({ ...settings, ...target });
  // postgres.js types the client by its custom types; the app's `Sql` is the plain one (see db/sql.ts).
  return client as unknown as Sql;
}
