import type { Sql } from '../../db/sql';
import { connectionLost, savepoint, transaction } from '../../db/sql';
import type { Deps } from '../../deps';
import { errorFields } from '../../http/logger';
import { validationProblem, zodIssuesToErrors } from '../../http/openapi';
import { ProblemError } from '../../http/problem';
import { newId } from '../../lib/ids';
import { CreateDelegationRequestBody } from '../delegation-requests/schemas';
import { checkMayRequest, createDelegationRequest, type NewRequestInput } from '../delegation-requests/service';
import { emit } from '../events/emit';
import { findMember } from '../members/queries';
import { findOrganization } from '../organizations/queries';
import { type CsvRecord, decodeCsv, parseCsv } from './csv';
import {
  addCounts,
  type BatchRecord,
  claimBatch,
  completeBatch,
  finishRow,
  hasQueuedRows,
  insertBatch,
  lockQueuedRows,
  type NewBatchRow,
  releaseBatch,
} from './queries';
import { CSV_COLUMNS, type CsvColumn, MAX_BATCH_ROWS, REQUIRED_CSV_COLUMNS, type RowProblem } from './schemas';

/** Rows one transaction handles: a crash redoes at most this many, and other work waits at most this long. */
export const CHUNK_ROWS = 50;

export interface BatchActor {
  organizationId: string;
  memberId: string;
  livemode: boolean;
}

export type BatchSource = 'csv' | 'json';

/** A row checked on arrival: queued with its request body, or failed with the problem a single request would have got. */
type PreparedRow = NewBatchRow;

function columnOf(pointer: string): CsvColumn | null {
  for (const [column, prefix] of Object.entries(CSV_COLUMNS) as [CsvColumn, string][]) {
    if (pointer === prefix || pointer.startsWith(`${prefix}/`)) return column;
  }
  return null;
}

/** A problem as a row's outcome; for CSV rows each field also names its column. */
export function toRowProblem(error: ProblemError, source: BatchSource): RowProblem {
  const errors = (error.errors ?? []).map((e) => ({
    pointer: e.pointer,
    column: source === 'csv' ? columnOf(e.pointer) : null,
    detail: e.detail,
  }));
  const only = errors.length === 1 ? errors[0]! : undefined;
  const detail = only?.column ? `Column ${only.column}: ${only.detail}` : error.message;
  return { code: error.code, detail, errors };
}

/** The same checks as `POST /v1/delegation-requests` makes on its body. */
function prepareRow(rowNumber: number, line: number | null, body: unknown, source: BatchSource): PreparedRow {
  const parsed = CreateDelegationRequestBody.safeParse(body);
  if (parsed.success) return { row_number: rowNumber, line, status: 'queued', input: parsed.data, problem: null };
  const problem = validationProblem(zodIssuesToErrors(parsed.error.issues, 'body'));
  return { row_number: rowNumber, line, status: 'failed', input: null, problem: toRowProblem(problem, source) };
}

/** A list cell: codes separated by `;`, `,`, `|` or spaces. */
function listCell(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : value.split(/[;,|\s]+/).filter(Boolean);
}

/** A CSV record as the body of a single request. */
export function bodyFromCells(cells: Partial<Record<CsvColumn, string>>): unknown {
  return {
    citizen: { id_number: cells.id_number, name: cells.name, contact: cells.contact },
    scope: {
      procedure_types: listCell(cells.procedure_types) ?? [],
      subjects: listCell(cells.subjects) ?? [],
      capacities: listCell(cells.capacities),
    },
    valid_until: cells.valid_until,
    message: cells.message,
  };
}

function fromRecord(record: CsvRecord, index: number): PreparedRow {
  if (record.fieldCountMismatch) {
    const { expected, actual } = record.fieldCountMismatch;
    const detail = `The row has ${actual} cells and the header ${expected}; quote any cell that contains the separator.`;
    return {
      row_number: index + 1,
      line: record.line,
      status: 'failed',
      input: null,
      problem: { code: 'validation_failed', detail, errors: [{ pointer: '', column: null, detail }] },
    };
  }
  return prepareRow(index + 1, record.line, bodyFromCells(record.cells), 'csv');
}

export function rowsFromCsv(bytes: Uint8Array): PreparedRow[] {
  const records = parseCsv(decodeCsv(bytes), Object.keys(CSV_COLUMNS), REQUIRED_CSV_COLUMNS);
  checkRowCount(records.length, '/file');
  return records.map(fromRecord);
}

export function rowsFromJson(rows: unknown[]): PreparedRow[] {
  checkRowCount(rows.length, '/rows');
  return rows.map((row, i) => prepareRow(i + 1, null, row, 'json'));
}

function checkRowCount(count: number, pointer: string): void {
  if (count === 0)
    throw new ProblemError('validation_failed', 'The batch has no rows.', {
      errors: [{ pointer, in: 'body', detail: 'Send at least one row.' }],
    });
  if (count > MAX_BATCH_ROWS) {
    throw new ProblemError(
      'too_many_rows',
      `The batch has ${count} rows; at most ${MAX_BATCH_ROWS} are taken at once. Split it into several batches.`,
      {
        errors: [{ pointer, in: 'body', detail: `${count} rows; the limit is ${MAX_BATCH_ROWS}.` }],
        extensions: { limit: MAX_BATCH_ROWS, rows: count },
      },
    );
  }
}

/** Records the batch and its rows; the rows are worked through in the background. */
export async function createBatch(
  sql: Sql,
  actor: BatchActor,
  source: BatchSource,
  rows: PreparedRow[],
  now: Date,
): Promise<BatchRecord> {
  return transaction(sql, async (tx) => {
    checkMayRequest(await findOrganization(tx, actor.organizationId));
    return insertBatch(
      tx,
      {
        id: newId('dlb'),
        organization_id: actor.organizationId,
        livemode: actor.livemode,
        created_by_member_id: actor.memberId,
        source,
        total: rows.length,
        failed: rows.filter((r) => r.status === 'failed').length,
        created_at: now,
      },
      rows,
      now,
    );
  });
}

/** What the batch worker needs: the configuration and clock, and a logger for rows that fail on our side. */
type BatchDeps = Pick<Deps, 'config' | 'clock'> & Partial<Pick<Deps, 'logger'>>;

type Outcome = { status: 'created' | 'duplicate'; id: string } | { status: 'failed'; problem: RowProblem };

/** One row through the same service function as a single request, in a savepoint of the chunk's transaction. */
async function processRow(
  tx: Sql,
  deps: BatchDeps,
  batch: BatchRecord,
  input: NewRequestInput,
  now: Date,
): Promise<Outcome> {
  try {
    // A refused row undoes what it wrote (the citizen it registered) and the chunk goes on.
    const { id } = await savepoint(tx, (rowTx) =>
      createDelegationRequest(
        rowTx,
        deps.config,
        { organizationId: batch.organization_id, memberId: batch.created_by_member_id, livemode: batch.livemode },
        input,
        now,
      ),
    );
    return { status: 'created', id };
  } catch (error) {
    if (error instanceof ProblemError && error.code === 'duplicate')
      return { status: 'duplicate', id: String(error.extensions.existing_id) };
    if (error instanceof ProblemError) return { status: 'failed', problem: toRowProblem(error, batch.source) };
    if (retryable(error)) throw error;
    // A failure of this row's own (its savepoint is rolled back): retried, it would fail the same
    // way every pass, and the batch would never end. It fails alone; the others go on.
    deps.logger?.log('error', 'batch row failed', { batch_id: batch.id, ...errorFields(error) });
    return {
      status: 'failed',
      problem: {
        code: 'internal',
        detail:
          'This row could not be processed because of an error on our side; nothing was created for it. Send it again as a single request, or quote the batch id when reporting it.',
        errors: [],
      },
    };
  }
}

/**
 * Whether a row's failure may pass if the chunk is tried again later: the connection or the
 * server went (class 08, 57, 53 and fatal errors), or PostgreSQL gave way to concurrency (class
 * 40: serialization failure, deadlock; 55P03: a lock not available in time). The chunk's transaction fails and the batch is
 * retried once its lease runs out.
 */
function retryable(error: unknown): boolean {
  if (connectionLost(error)) return true;
  const { code } = (error ?? {}) as { code?: unknown };
  return typeof code === 'string' && (/^(08|40|53|57)/.test(code) || code === '55P03');
}

/**
 * Why the batch's rows can no longer be made, as its sender's keys would now be refused: the
 * organisation was suspended, or the member who sent it was removed (their keys revoked).
 */
async function senderRefusal(tx: Sql, batch: BatchRecord): Promise<RowProblem | null> {
  if ((await findOrganization(tx, batch.organization_id))?.status === 'suspended')
    return {
      code: 'organization_suspended',
      detail: 'The organisation was suspended while the batch was processed.',
      errors: [],
    };
  if ((await findMember(tx, batch.organization_id, batch.created_by_member_id))?.status !== 'active')
    return {
      code: 'unauthorized',
      detail: 'The member who sent the batch was removed while it was processed, and their keys revoked.',
      errors: [],
    };
  return null;
}

/**
 * Up to `size` queued rows of a batch in one transaction: each row's request and its status commit
 * together, so a crash leaves a row either untouched or finished and no request is made twice.
 * Completes the batch (and records its event) when no queued row is left.
 */
async function processChunk(
  sql: Sql,
  deps: BatchDeps,
  batch: BatchRecord,
  size: number,
): Promise<{ rows: number; completed: boolean }> {
  return transaction(sql, async (tx) => {
    const now = deps.clock.now();
    const rows = await lockQueuedRows(tx, batch.id, size);
    const counts = { created: 0, duplicates: 0, failed: 0 };
    if (rows.length > 0) {
      const refusal = await senderRefusal(tx, batch);
      for (const row of rows) {
        const outcome: Outcome = refusal
          ? { status: 'failed', problem: refusal }
          : await processRow(tx, deps, batch, row.input as NewRequestInput, now);
        await finishRow(tx, {
          batchId: batch.id,
          rowNumber: row.row_number,
          status: outcome.status,
          delegationRequestId: outcome.status === 'failed' ? null : outcome.id,
          problem: outcome.status === 'failed' ? outcome.problem : null,
          at: now,
        });
        if (outcome.status === 'created') counts.created++;
        else if (outcome.status === 'duplicate') counts.duplicates++;
        else counts.failed++;
      }
      await addCounts(tx, {
        batchId: batch.id,
        ...counts,
        lockedUntil: new Date(now.getTime() + deps.config.batchLeaseSeconds * 1000),
      });
    }
    if (await hasQueuedRows(tx, batch.id)) return { rows: rows.length, completed: false };
    const done = await completeBatch(tx, batch.id, now);
    if (done) {
      await emit(tx, {
        organizationId: done.organization_id,
        livemode: done.livemode,
        type: 'delegation_request_batch.completed',
        data: {
          delegation_request_batch_id: done.id,
          status: 'completed',
          total: done.total,
          created: done.created,
          duplicates: done.duplicates,
          failed: done.failed,
        },
        at: now,
        dedupeKey: `delegation_request_batch.completed:${done.id}`,
      });
    }
    return { rows: rows.length, completed: true };
  });
}

/**
 * One pass of the batch worker: claims batches still processing (oldest first, one worker each,
 * under a lease) and works through at most `limit` of their rows, in chunks. Safe to run in any
 * number of processes at once; the Node background loops (`npm start`, `npm run delivery-worker`)
 * and the Worker's Cron Trigger all call this. Answers how many rows and batches it finished (0: nothing to do).
 * A batch that throws is left under its lease and the pass goes on with the others; it then throws that error.
 */
export async function processDelegationRequestBatches(sql: Sql, deps: BatchDeps, limit = 500): Promise<number> {
  let work = 0;
  let rows = 0;
  const held: string[] = [];
  let failure: { error: unknown } | undefined;
  try {
    while (rows < limit) {
      const batch = await claimBatch(sql, deps.clock.now(), deps.config.batchLeaseSeconds);
      if (!batch) break;
      try {
        for (;;) {
          const chunk = await processChunk(sql, deps, batch, Math.min(CHUNK_ROWS, limit - rows));
          rows += chunk.rows;
          work += chunk.rows + (chunk.completed ? 1 : 0);
          if (chunk.completed || chunk.rows === 0 || rows >= limit) break;
        }
        held.push(batch.id);
      } catch (error) {
        // A batch that fails keeps its lease: the other batches go on, and it is retried when the lease runs out.
        failure ??= { error };
      }
    }
  } finally {
    // Batches left unfinished are released, so the next pass (here or elsewhere) continues at once.
    for (const id of held) await releaseBatch(sql, id).catch(() => undefined);
  }
  if (failure) throw failure.error;
  return work;
}
