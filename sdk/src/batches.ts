import { OPERATIONS } from './generated/operations';
import type { RequestOptions, Transport } from './transport';
import type { Body, Result, Schemas } from './types';

/** One row of a JSON batch: the same fields as `delegationRequests.create`. */
export type DelegationRequestBatchRow = Body<'createDelegationRequest'>;
/** A batch with its progress (`done` of `total`; `created`, `duplicates`, `failed`). */
export type DelegationRequestBatch = Schemas['DelegationRequestBatch'];
/** The outcome of one row: the request created, the pending one it duplicates, or the problem. */
export type DelegationRequestBatchRowResult = Schemas['DelegationRequestBatchRow'];

export interface CompletedDelegationRequestBatch extends DelegationRequestBatch {
  /** Every row's outcome, in row order. */
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
 * Sends a batch (a CSV file, or rows as objects), polls until every row is processed, then reads
 * the outcome of every row and returns them with the batch. The upload carries one
 * Idempotency-Key across retries, so a batch is created once however often the connection drops;
 * pass `idempotencyKey` to make a re-run of the same import (after a crash) find the same batch.
 */
export async function createBatch(
  transport: Transport,
  fileOrRows: Blob | readonly DelegationRequestBatchRow[],
  { onProgress, pollIntervalMs = 1000, ...options }: CreateBatchOptions = {},
): Promise<CompletedDelegationRequestBatch> {
  const body =
    fileOrRows instanceof Blob ? { file: fileOrRows } : Array.isArray(fileOrRows) ? { rows: fileOrRows } : undefined;
  if (!body)
    throw new TypeError('delegationRequests.createBatch: pass a CSV file (a Blob or File) or an array of rows');
  // A file goes as multipart/form-data, rows as JSON: the transport picks from the operation's media types.
  const { method, path: createPath, body: contentTypes } = OPERATIONS.createDelegationRequestBatch;
  let batch = await transport.request<Result<'createDelegationRequestBatch'>>(
    { method, path: createPath, body, contentTypes },
    options,
  );
  const { idempotencyKey: _key, ...readOptions } = options;
  const path = `/v1/delegation-requests/batches/${encodeURIComponent(batch.id)}`;
  onProgress?.(batch);
  while (batch.status !== 'completed') {
    await wait(pollIntervalMs, options.signal);
    batch = await transport.request<Result<'retrieveDelegationRequestBatch'>>({ method: 'GET', path }, readOptions);
    onProgress?.(batch);
  }
  const rows: DelegationRequestBatchRowResult[] = [];
  let cursor: string | undefined;
  do {
    const page = await transport.request<Result<'listDelegationRequestBatchRows'>>(
      { method: 'GET', path: `${path}/rows`, query: { limit: 100, cursor } },
      readOptions,
    );
    rows.push(...page.data);
    cursor = page.has_more && page.next_cursor ? page.next_cursor : undefined;
  } while (cursor);
  return { ...batch, rows };
}
