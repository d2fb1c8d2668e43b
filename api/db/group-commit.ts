import { begin, type Sql } from './sql';

export interface GroupCommitOptions<Row> {
  /** The database the batches are committed to (a pool: each batch takes one connection for its transaction). */
  sql: Sql;
  /**
   * Writes one batch inside its transaction, normally one multi-row insert
   * (`tx\`insert into t ${tx(rows, 'a', 'b')}\``). Keep `maxBatch` × columns under PostgreSQL's
   * 65,535 parameters.
   */
  write(tx: Sql, rows: Row[]): Promise<unknown>;
  /** Rows per batch at most (default 256). */
  maxBatch?: number;
  /** Batches committing at the same time at most (default 2); further rows wait and join the next batch. */
  maxInFlight?: number;
  /** Rows waiting at most; beyond it `add` refuses at once with `GroupCommitOverloadedError` (default 10,000). */
  maxPending?: number;
}

/** `add` refused a row because too many are waiting already: the database is not keeping up. */
export class GroupCommitOverloadedError extends Error {
  constructor(pending: number) {
    super(`${pending} rows are already waiting for a commit.`);
    this.name = 'GroupCommitOverloadedError';
  }
}

/** `add` was called after `close`. */
export class GroupCommitClosedError extends Error {
  constructor() {
    super('The group commit has been closed.');
    this.name = 'GroupCommitClosedError';
  }
}

interface Waiter<Row> {
  row: Row;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Group commit: the rows of concurrent callers share one transaction. `await batcher.add(row)`
 * resolves only once the transaction carrying the row has committed (so the row is durable, with
 * PostgreSQL's default `synchronous_commit`), and rejects with the batch's error if that
 * transaction fails; then none of the batch's rows was written. A batch starts as soon as a
 * commit slot is free: an idle system commits a lone row at once, and under load the rows that
 * arrive while a batch commits form the next one, so the number of commits stays near the number
 * of slots whatever the request rate.
 *
 * On the embedded database (one connection) a caller must not await `add` while it holds a
 * transaction of its own: the batch needs that connection.
 */
export class GroupCommit<Row> {
  private readonly sql: Sql;
  private readonly write: GroupCommitOptions<Row>['write'];
  private readonly maxBatch: number;
  private readonly maxInFlight: number;
  private readonly maxPending: number;
  private pending: Waiter<Row>[] = [];
  private inFlight = new Set<Promise<void>>();
  private scheduled = false;
  private closed = false;
  private committedBatches = 0;

  constructor(options: GroupCommitOptions<Row>) {
    this.sql = options.sql;
    this.write = options.write;
    this.maxBatch = Math.max(1, options.maxBatch ?? 256);
    this.maxInFlight = Math.max(1, options.maxInFlight ?? 2);
    this.maxPending = Math.max(1, options.maxPending ?? 10_000);
  }

  /** Transactions committed so far (each carrying one or more rows). */
  get commits(): number {
    return this.committedBatches;
  }

  /** Rows waiting for a batch (not counting those committing now). */
  get waiting(): number {
    return this.pending.length;
  }

  /** Resolves once `row` is committed; rejects if its batch fails (then nothing of the batch was written). */
  add(row: Row): Promise<void> {
    if (this.closed) return Promise.reject(new GroupCommitClosedError());
    if (this.pending.length >= this.maxPending)
      return Promise.reject(new GroupCommitOverloadedError(this.pending.length));
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ row, resolve, reject });
      this.schedule();
    });
  }

  /** Commits everything added so far; resolves when nothing is waiting or committing. */
  async flush(): Promise<void> {
    while (this.pending.length > 0 || this.inFlight.size > 0) {
      this.pump();
      await Promise.race(this.inFlight);
    }
  }

  /** Refuses new rows, then commits the ones already added. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  // Rows added in the same turn of the event loop join one batch: the batch starts in a microtask.
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (this.pending.length > 0 && this.inFlight.size < this.maxInFlight) {
      const batch = this.pending.splice(0, this.maxBatch);
      const run: Promise<void> = this.commit(batch).finally(() => {
        this.inFlight.delete(run);
        if (this.pending.length > 0) this.schedule();
      });
      this.inFlight.add(run);
    }
  }

  private async commit(batch: Waiter<Row>[]): Promise<void> {
    try {
      await begin(this.sql, (tx) =>
        this.write(
          tx,
          batch.map((w) => w.row),
        ),
      );
    } catch (error) {
      for (const waiter of batch) waiter.reject(error);
      return;
    }
    this.committedBatches++;
    for (const waiter of batch) waiter.resolve();
  }
}
