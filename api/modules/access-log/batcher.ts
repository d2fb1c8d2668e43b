import { GroupCommit } from '../../db/group-commit';
import { inTransaction, settledAtCommit, type Sql } from '../../db/sql';
import type { AccessLogBatch } from '../../deps';
import { errorFields, type Logger } from '../../http/logger';
import { ProblemError } from '../../http/problem';
import { type AccessLogEntry, insertAccessLog, insertAccessLogBatch } from './queries';

/**
 * The access log of consented reads, group-committed: the entries of concurrent reads share one
 * transaction, and each read answers only once the transaction carrying its entry has committed
 * (see `consentedRead`). A batch that fails fails every read in it.
 */
export type AccessLogBatcher = GroupCommit<AccessLogEntry>;

/** `sql` is a pool of its own (never the requests' pool), with `slots` connections: one per batch committing. */
export function accessLogBatcher(sql: Sql, slots: number): AccessLogBatcher {
  return new GroupCommit<AccessLogEntry>({
    sql,
    write: (tx, entries) => insertAccessLogBatch(tx, entries),
    maxBatch: 256,
    maxInFlight: slots,
  });
}

/**
 * Adds an entry to the group-committed access log and waits for the commit that carries it. If
 * that batch fails, the request fails with 503 `service_unavailable` and serves nothing: nothing
 * leaves without its entry. Only the kind of failure is logged (a database error's text may quote
 * the row).
 */
export async function logCommitted(batch: AccessLogBatch, logger: Logger, entry: AccessLogEntry): Promise<void> {
  try {
    await batch.add(entry);
  } catch (error) {
    logger.log('error', 'access log batch failed', errorFields(error));
    throw new ProblemError(
      'service_unavailable',
      "The access could not be recorded in the citizen's access log, so nothing was served; retry.",
      { headers: { 'retry-after': '1' } },
    );
  }
}

/**
 * Records an access that is answered only once its entry is durable: in the caller's transaction
 * when there is one (it commits with the request's writes, an Idempotency-Key's stored response
 * among them, at no commit of its own, sent without waiting: see `settledAtCommit`);
 * otherwise in the group-committed log where the runtime keeps one; otherwise in a statement of
 * its own.
 */
export function logAccessDurably(
  sql: Sql,
  batch: AccessLogBatch | undefined,
  logger: Logger,
  entry: AccessLogEntry,
): Promise<void> {
  return batch && !inTransaction(sql)
    ? logCommitted(batch, logger, entry)
    : settledAtCommit(sql, insertAccessLog(sql, entry));
}
