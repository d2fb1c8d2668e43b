import { GroupCommit } from '../../db/group-commit';
import type { Sql } from '../../db/sql';
import { type AccessLogEntry, insertAccessLogBatch } from './queries';

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
