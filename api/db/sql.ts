import type postgres from 'postgres';

export type Sql = postgres.Sql<Record<string, never>>;
export type TransactionSql = postgres.TransactionSql<Record<string, never>>;

/**
 * postgres.js 3.4 does not declare TransactionSql assignable to Sql although it supports the
 * same tagged-template calls; this is the one place that says so.
 */
export function asSql(tx: TransactionSql): Sql {
  return tx as unknown as Sql;
}

/**
 * Runs `work` in a transaction; queries must use the handle it receives (PGlite has one
 * connection). Inside an enclosing transaction it joins that one, so services compose: their
 * writes commit with the caller's or not at all, and an error that leaves `work` rolls back the
 * whole transaction. A caller that catches an error and carries on (a batch worked row by row)
 * puts each unit in a `savepoint`.
 */
export function transaction<T>(sql: Sql, work: (tx: Sql) => Promise<T>): Promise<T> {
  return inTransaction(sql) ? work(sql) : begin(sql, work);
}

/**
 * Runs `work` inside the enclosing transaction `tx` so that an error thrown out of it undoes its
 * writes only, and the transaction can go on.
 */
export function savepoint<T>(tx: Sql, work: (tx: Sql) => Promise<T>): Promise<T> {
  if (!inTransaction(tx)) throw new Error('savepoint() needs an enclosing transaction');
  return (tx as unknown as TransactionSql).savepoint((inner) => work(asSql(inner as TransactionSql))) as Promise<T>;
}

/**
 * Statements of one transaction sent together instead of each after the answer to the last: a
 * reserved connection runs them in the order they were made, so they take about half the round
 * trips. Pass the promises of calls that each start with their statement (query functions) and do
 * not need each other's results. If one fails the transaction is aborted, those after it fail
 * too, and this throws the first failure.
 */
export function inOrder<T extends readonly unknown[]>(...statements: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  return Promise.all(statements) as Promise<T>;
}

/** The statements of each open transaction (by its handle) that its commit waits for (`settledAtCommit`). */
const settledAtCommitOf = new WeakMap<object, Array<Promise<unknown>>>();

/**
 * A write whose answer nothing in the transaction needs: inside a transaction opened by `begin`
 * it is sent at once and not waited for, so it goes out with whatever follows, and several such
 * writes go out together. The transaction waits for them before its commit: if one failed, it
 * rolls back and fails with that error. Outside a transaction the returned promise is the
 * statement itself. Callers await the result either way.
 */
export function settledAtCommit(sql: Sql, statement: Promise<unknown>): Promise<void> {
  const pending = settledAtCommitOf.get(sql);
  if (!pending) return statement.then(() => undefined);
  statement.catch(() => undefined);
  pending.push(statement);
  return Promise.resolve();
}

/** The first failure of `statements` (undefined when all of them succeeded). */
async function firstFailure(statements: readonly Promise<unknown>[]): Promise<{ error: unknown } | undefined> {
  for (const outcome of await Promise.allSettled(statements)) {
    if (outcome.status === 'rejected') return { error: outcome.reason };
  }
  return undefined;
}

/** Whether `sql` is the handle of an open transaction. */
export function inTransaction(sql: Sql): boolean {
  return typeof (sql as unknown as Partial<TransactionSql>).savepoint === 'function';
}

/** What each open transaction (by its handle) runs once it has committed. */
const committedHooks = new WeakMap<object, Array<() => void>>();

/**
 * Runs `fn` once the transaction `sql` belongs to has committed, or at once outside a
 * transaction; never when it (or the savepoint that registered it) rolls back. For process state
 * that must only ever reflect committed data (a cache adopting what the transaction wrote): a
 * transaction may be joined by its caller's, which commits later, or not at all. `fn` must not
 * throw: the transaction has committed by then, and its caller is told so.
 */
export function afterCommit(sql: Sql, fn: () => void): void {
  const hooks = committedHooks.get(sql);
  if (hooks) hooks.push(fn);
  else if (inTransaction(sql)) throw new Error('afterCommit() needs a transaction opened by begin()');
  else fn();
}

/**
 * A top-level transaction on a connection of its own. Not `sql.begin`: with one query in flight
 * per connection (`max_pipeline: 1`, see api/db/client.ts) postgres.js 3.4.9 may queue the
 * `begin` behind a query already running on a busy connection and then never reserve that
 * connection for the transaction (it fails with UNSAFE_TRANSACTION under concurrency). A reserved
 * connection is one no other query uses; `begin`, the work and `commit` (or `rollback`) run on
 * it, and savepoints nest inside as with `sql.begin`.
 */
export async function begin<T>(sql: Sql, work: (tx: Sql) => Promise<T>): Promise<T> {
  const reserved = await sql.reserve();
  let savepoints = 0;
  const committed: Array<() => void> = [];
  const pending: Array<Promise<unknown>> = [];
  const savepoint = async <R>(fn: (tx: Sql) => Promise<R>): Promise<R> => {
    const name = reserved(`s${savepoints++}`);
    const hooksBefore = committed.length;
    const pendingBefore = pending.length;
    await reserved`savepoint ${name}`;
    try {
      // The part's own unanswered writes belong to it: their failure is its failure, and comes first.
      const outcome = await (async () => fn(tx))().then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      );
      const failed = await firstFailure(pending.splice(pendingBefore));
      if (failed) throw failed.error;
      if ('error' in outcome) throw outcome.error;
      await reserved`release savepoint ${name}`;
      return outcome.value;
    } catch (error) {
      await reserved`rollback to savepoint ${name}`;
      // What the rolled-back part registered to run after the commit goes with it.
      committed.length = hooksBefore;
      throw error;
    }
  };
  const tx = Object.assign(reserved, { savepoint }) as unknown as Sql;
  committedHooks.set(tx, committed);
  settledAtCommitOf.set(tx, pending);
  let lost = false;
  try {
    // Sent, not awaited: the work's first statement goes out in the same write and comes back in
    // the same read, one round trip fewer per transaction. Statements on a reserved connection run
    // in order, so that statement runs inside the transaction. In the simple protocol, as no
    // prepared statement: the driver resends a prepared statement the server has lost, and a
    // resent `begin` would go out after the statement behind it. Only a lost connection fails a
    // `begin`, and that fails the statement behind it too.
    const began = reserved.unsafe('begin').execute();
    began.catch(() => undefined);
    let result: T;
    try {
      result = await work(tx);
      await began;
      // The writes not waited for (`settledAtCommit`) are answered before the commit is sent: the
      // driver resends a prepared statement the server has lost, and a resend queued behind a
      // commit already sent would run outside the transaction, after its rollback.
      const failed = await firstFailure(pending);
      if (failed) throw failed.error;
    } catch (error) {
      // A write nothing waited for may have failed first, and aborted what followed it.
      const failed = await firstFailure(pending);
      const cause = failed ? failed.error : error;
      if (connectionLost(cause) || connectionLost(error)) lost = true;
      else
        await reserved`rollback`.catch((rollbackError: unknown) => {
          // The server ended the session meanwhile: the connection must not go back to the pool.
          if (connectionLost(rollbackError)) lost = true;
        });
      throw cause;
    }
    // The server answers a commit as a rollback when a statement of the transaction failed and the
    // work carried on past its error: nothing was written, and the caller must not be told otherwise.
    const done = await reserved`commit`;
    if (done.command !== 'COMMIT') throw new Error(`The transaction ended in ${done.command}, not COMMIT.`);
    for (const hook of committed) hook();
    return result;
  } catch (error) {
    lost ||= connectionLost(error);
    throw error;
  } finally {
    committedHooks.delete(tx);
    settledAtCommitOf.delete(tx);
    // A connection the server ended is back in the pool's closed set, which reopens it when
    // needed; released, it would join the open ones with no socket. Nothing can be sent on it.
    if (!lost) reserved.release();
  }
}

/**
 * Whether the error means the connection is gone: the driver's own (closed, ended, destroyed) or
 * the server's fatal ones (it ends the session: a terminated backend, a shutdown).
 */
export function connectionLost(error: unknown): boolean {
  const { code, severity } = (error ?? {}) as { code?: unknown; severity?: unknown };
  return (
    code === 'CONNECTION_CLOSED' ||
    code === 'CONNECTION_ENDED' ||
    code === 'CONNECTION_DESTROYED' ||
    severity === 'FATAL' ||
    severity === 'PANIC'
  );
}

/**
 * A text[] parameter as an array literal. postgres.js serialises arrays only when it has fetched
 * type information, which Hyperdrive and the embedded database run without; send the literal
 * and cast it (`${textArray(xs)}::text[]`).
 */
export function textArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

/** Parses a one-dimensional text[] literal such as `{a,"b c",NULL}`. */
export function parseTextArray(literal: string): (string | null)[] {
  if (literal === '{}') return [];
  const out: (string | null)[] = [];
  let i = 1;
  while (i < literal.length - 1) {
    let value = '';
    if (literal[i] === '"') {
      i++;
      while (literal[i] !== '"') {
        if (literal[i] === '\\') i++;
        value += literal[i++];
      }
      i++;
      out.push(value);
    } else {
      while (i < literal.length - 1 && literal[i] !== ',') value += literal[i++];
      out.push(value === 'NULL' ? null : value);
    }
    i++; // the comma
  }
  return out;
}

/**
 * Types every client registers, so results parse the same with or without fetched type
 * information (Hyperdrive and the embedded database run without it).
 */
export const CLIENT_TYPES = {
  textArray: {
    to: 1009,
    from: [1009, 1015],
    serialize: (values: readonly string[] | string) => (typeof values === 'string' ? values : textArray(values)),
    parse: (literal: string) => parseTextArray(literal),
  },
};

/** A piece of SQL to embed in another statement (postgres.js runs it only when awaited on its own). */
export type SqlFragment = postgres.PendingQuery<postgres.Row[]>;
