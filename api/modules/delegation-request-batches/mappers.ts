import type { BatchRecord, BatchRowRecord } from './queries';
import type { BatchRow, DelegationRequestBatch } from './schemas';

export function toBatch(row: BatchRecord): DelegationRequestBatch {
  return {
    id: row.id,
    object: 'delegation_request_batch',
    livemode: row.livemode,
    source: row.source,
    status: row.status,
    total: row.total,
    done: row.created + row.duplicates + row.failed,
    created: row.created,
    duplicates: row.duplicates,
    failed: row.failed,
    rows_url: `/v1/delegation-requests/batches/${row.id}/rows`,
    created_by: row.created_by_member_id,
    created_at: row.created_at.toISOString(),
    completed_at: row.completed_at?.toISOString() ?? null,
  };
}

export function toBatchRow(row: BatchRowRecord): BatchRow {
  return {
    object: 'delegation_request_batch_row',
    row: row.row_number,
    line: row.line,
    status: row.status,
    delegation_request_id: row.delegation_request_id,
    problem: row.problem
      ? {
          code: row.problem.code,
          detail: row.problem.detail,
          errors: row.problem.errors.map((e) => ({ pointer: e.pointer, column: e.column, detail: e.detail })),
        }
      : null,
    processed_at: row.processed_at?.toISOString() ?? null,
  };
}
