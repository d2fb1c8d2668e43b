import type { RequestOptions, Transport } from './transport';
import type { Body } from './types';

// The batch contract of `POST /v1/delegation-requests/batches` and `GET …/batches/{id}`, written
// out here; these local types give way to the generated ones once the document declares them.

/** One row of a JSON batch: the same fields as `delegationRequests.create`. */
export type DelegationRequestBatchRow = Body<'createDelegationRequest'>;

export interface DelegationRequestBatch {
  id: string;
  object: 'delegation_request_batch';
  status: 'processing' | 'completed';
  total: number;
  done: number;
  failed: number;
  duplicates: number;
  created_at: string;
  completed_at: string | null;
}

export interface DelegationRequestBatchRowResult {
  /** 1-based row number in the upload (the CSV's data rows, or the `rows` array). */
  row: number;
  status: 'created' | 'duplicate' | 'failed';
  /** The request created, or the pending one the row duplicates. */
  delegation_request_id: string | null;
  /** Why the row failed, with the field at fault in `errors`. */
  problem: { code: string; detail: string; errors?: Array<{ pointer: string; in?: string; detail: string }>; [field: string]: unknown } | null;
}

export interface CompletedDelegationRequestBatch extends DelegationRequestBatch {
  rows: DelegationRequestBatchRowResult[];
}

export interface CreateBatchOptions extends RequestOptions {
  /** Called with the batch as first answered and after every poll until it completes. */
  onProgress?: (batch: DelegationRequestBatch) => void;
  /** Milliseconds between polls; default 1000. */
  pollIntervalMs?: number;
}

function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => (signal?.removeEventListener('abort', abort), resolve()), ms);
    const abort = () => (clearTimeout(timer), reject(signal?.reason));
    signal?.addEventListener('abort', abort, { once: true });
  });
}

/**
 * Sends a batch (a CSV file, or rows as objects), then polls until every row is processed and
 * returns the batch with each row's outcome. The upload carries one Idempotency-Key across
 * retries, so a batch is created once however often the connection drops; pass `idempotencyKey`
 * to make a re-run of the same import (after a crash) find the same batch.
 */
export async function createBatch(
  transport: Transport,
  fileOrRows: Blob | readonly DelegationRequestBatchRow[],
  { onProgress, pollIntervalMs = 1000, ...options }: CreateBatchOptions = {},
): Promise<CompletedDelegationRequestBatch> {
  const upload =
    fileOrRows instanceof Blob
      ? { body: { file: fileOrRows }, multipart: true }
      : Array.isArray(fileOrRows)
        ? { body: { rows: fileOrRows } }
        : undefined;
  if (!upload) throw new TypeError('delegationRequests.createBatch: pass a CSV file (a Blob or File) or an array of rows');
  let batch = await transport.request<DelegationRequestBatch>({ method: 'POST', path: '/v1/delegation-requests/batches', ...upload }, options);
  const { idempotencyKey: _key, ...readOptions } = options;
  const path = `/v1/delegation-requests/batches/${encodeURIComponent(batch.id)}`;
  onProgress?.(batch);
  while (!(batch.status === 'completed' && 'rows' in batch)) {
    if (batch.status !== 'completed') await wait(pollIntervalMs, options.signal);
    batch = await transport.request<CompletedDelegationRequestBatch>({ method: 'GET', path }, readOptions);
    onProgress?.(batch);
  }
  return batch as CompletedDelegationRequestBatch;
}
