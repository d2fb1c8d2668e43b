import { equalsIfGiven, limitRows, type OrganizationOwner, ownedById } from '../../db/fragments';
import type { Sql } from '../../db/sql';
import type { RowProblem } from './schemas';

export interface BatchRecord {
  id: string;
  organization_id: string;
  livemode: boolean;
  created_by_member_id: string;
  source: 'csv' | 'json';
  status: 'processing' | 'completed';
  total: number;
  created: number;
  duplicates: number;
  failed: number;
  created_at: Date;
  completed_at: Date | null;
}

export interface BatchRowRecord {
  row_number: number;
  line: number | null;
  status: 'queued' | 'created' | 'duplicate' | 'failed';
  delegation_request_id: string | null;
  problem: RowProblem | null;
  processed_at: Date | null;
}

export interface NewBatchRow {
  row_number: number;
  line: number | null;
  status: 'queued' | 'failed';
  input: unknown;
  problem: RowProblem | null;
}

const BATCH_COLUMNS = (sql: Sql) =>
  sql`id, organization_id, livemode, created_by_member_id, source, status, total, created, duplicates, failed, created_at, completed_at`;

/** The batch and all its rows in two statements; rows refused on arrival are already counted as failed. */
export async function insertBatch(
  sql: Sql,
  batch: Pick<
    BatchRecord,
    'id' | 'organization_id' | 'livemode' | 'created_by_member_id' | 'source' | 'total' | 'failed' | 'created_at'
  >,
  rows: NewBatchRow[],
  now: Date,
): Promise<BatchRecord> {
  const [inserted] = await sql<BatchRecord[]>`
    insert into delegation_request_batches (id, organization_id, livemode, created_by_member_id, source, total, failed, created_at)
    values (${batch.id}, ${batch.organization_id}, ${batch.livemode}, ${batch.created_by_member_id}, ${batch.source}, ${batch.total}, ${batch.failed}, ${batch.created_at})
    returning ${BATCH_COLUMNS(sql)}`;
  // One JSON parameter for every row: a single statement, and no reliance on array type information.
  await sql`
    insert into delegation_request_batch_rows (batch_id, row_number, line, status, input, problem, processed_at)
    select ${batch.id}, (r->>'row_number')::int, (r->>'line')::int, r->>'status', nullif(r->'input', 'null'::jsonb), nullif(r->'problem', 'null'::jsonb),
      case when r->>'status' = 'failed' then ${now}::timestamptz end
    from jsonb_array_elements(${sql.json(rows as never)}) r`;
  return inserted!;
}

export async function findBatch(sql: Sql, where: OrganizationOwner & { id: string }): Promise<BatchRecord | undefined> {
  const [row] = await sql<BatchRecord[]>`
    select ${BATCH_COLUMNS(sql)} from delegation_request_batches
    ${ownedById(sql, 'delegation_request_batches', where)}`;
  return row;
}

export function listBatchRows(
  sql: Sql,
  args: { batchId: string; status?: string; afterRow?: number; limit: number },
): Promise<BatchRowRecord[]> {
  return sql<BatchRowRecord[]>`
    select row_number, line, status, delegation_request_id, problem, processed_at from delegation_request_batch_rows
    where batch_id = ${args.batchId}
      ${equalsIfGiven(sql, 'status', args.status)}
      ${args.afterRow !== undefined ? sql`and row_number > ${args.afterRow}` : sql``}
    order by row_number
    ${limitRows(sql, args.limit + 1)}`;
}

/**
 * Claims the oldest batch still processing that no live worker holds, for `leaseSeconds`. The
 * lease keeps one worker per batch (rows are then taken in order); a dead worker's lease runs out.
 */
export async function claimBatch(sql: Sql, now: Date, leaseSeconds: number): Promise<BatchRecord | undefined> {
  const [row] = await sql<BatchRecord[]>`
    with due as (
      select id from delegation_request_batches
      where status = 'processing' and (locked_until is null or locked_until < ${now})
      order by created_at, id
      limit 1
      for update skip locked
    )
    update delegation_request_batches b set locked_until = ${now}::timestamptz + make_interval(secs => ${leaseSeconds})
    from due where b.id = due.id
    returning b.id, b.organization_id, b.livemode, b.created_by_member_id, b.source, b.status, b.total, b.created, b.duplicates, b.failed,
      b.created_at, b.completed_at`;
  return row;
}

/** Lets another pass (of this worker or another) take the batch at once. */
export async function releaseBatch(sql: Sql, id: string): Promise<void> {
  await sql`update delegation_request_batches set locked_until = null where id = ${id} and status = 'processing'`;
}

/** The next queued rows in order, locked until the transaction ends; rows another worker holds are skipped. */
export function lockQueuedRows(
  sql: Sql,
  batchId: string,
  limit: number,
): Promise<Array<{ row_number: number; input: unknown }>> {
  return sql<Array<{ row_number: number; input: unknown }>>`
    select row_number, input from delegation_request_batch_rows
    where batch_id = ${batchId} and status = 'queued'
    order by row_number
    ${limitRows(sql, limit)}
    for update skip locked`;
}

export async function finishRow(
  sql: Sql,
  args: {
    batchId: string;
    rowNumber: number;
    status: 'created' | 'duplicate' | 'failed';
    delegationRequestId: string | null;
    problem: RowProblem | null;
    at: Date;
  },
): Promise<void> {
  await sql`
    update delegation_request_batch_rows
    set status = ${args.status}, delegation_request_id = ${args.delegationRequestId}, problem = ${args.problem ? sql.json(args.problem as never) : null},
      input = null, processed_at = ${args.at}
    where batch_id = ${args.batchId} and row_number = ${args.rowNumber} and status = 'queued'`;
}

/** Adds a chunk's outcomes to the batch's counters and renews the worker's lease. */
export async function addCounts(
  sql: Sql,
  args: { batchId: string; created: number; duplicates: number; failed: number; lockedUntil: Date },
): Promise<void> {
  await sql`
    update delegation_request_batches
    set created = created + ${args.created}, duplicates = duplicates + ${args.duplicates}, failed = failed + ${args.failed}, locked_until = ${args.lockedUntil}
    where id = ${args.batchId}`;
}

export async function hasQueuedRows(sql: Sql, batchId: string): Promise<boolean> {
  const rows =
    await sql`select 1 from delegation_request_batch_rows where batch_id = ${batchId} and status = 'queued' limit 1`;
  return rows.length > 0;
}

/** Marks the batch completed, once: answers the final counts only to the caller that did it. */
export async function completeBatch(sql: Sql, batchId: string, at: Date): Promise<BatchRecord | undefined> {
  const [row] = await sql<BatchRecord[]>`
    update delegation_request_batches set status = 'completed', completed_at = ${at}, locked_until = null
    where id = ${batchId} and status = 'processing'
    returning ${BATCH_COLUMNS(sql)}`;
  return row;
}
