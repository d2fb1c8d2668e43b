import { z } from '@hono/zod-openapi';

import { organizationPrincipal } from '../../http/auth';
import { limitBody } from '../../http/body-limit';
import type { App } from '../../http/context';
import { accepted, get, ok, post, routesOf } from '../../http/openapi';
import { decodeCursor, toPage } from '../../http/pagination';
import { ProblemError } from '../../http/problem';
import { toBatch, toBatchRow } from './mappers';
import { findBatch, listBatchRows } from './queries';
import {
  BatchParams,
  BatchRowPageSchema,
  CreateBatchJson,
  CreateBatchUpload,
  DelegationRequestBatchSchema,
  ListBatchRowsQuery,
  MAX_BATCH_ROWS,
} from './schemas';
import { createBatch, rowsFromCsv, rowsFromJson } from './service';

/** 5,000 rows of generous width, and the multipart envelope. */
export const MAX_BATCH_BYTES = 8 * 1024 * 1024;

const routes = routesOf('Delegation requests', {
  createBatch: post('/v1/delegation-requests/batches', {
    operationId: 'createDelegationRequestBatch',
    summary: 'Ask many citizens for a delegation at once',
    description:
      `Up to ${MAX_BATCH_ROWS} rows, as a CSV file (the \`file\` part of multipart/form-data, or a text/csv body) or as JSON \`{ rows: [...] }\`. ` +
      'Answers at once with the batch; its rows are then processed in the background, each exactly as `POST /v1/delegation-requests` would ' +
      '(same checks, same duplicate rule), in order. A row whose citizen already has a pending request for the same scope (made before the batch ' +
      'or by an earlier row of the same batch) is counted as a duplicate and names that request. Poll the batch for progress, or wait for the ' +
      '`delegation_request_batch.completed` event; the outcome of each row is in its rows list. Send an `Idempotency-Key`: the same batch ' +
      'sent again with it answers the same batch. An organisation registered as a non-practising professional is refused with 403 `organization_not_practising` before any row is kept.',
    auth: 'orgWrite',
    // The size limit wraps the body stream, so it must come before anything reads the body (idempotency does).
    before: [
      limitBody(MAX_BATCH_BYTES, `The batch is larger than ${MAX_BATCH_BYTES} bytes; split it into several batches.`),
    ],
    body: {
      content: {
        'multipart/form-data': { schema: CreateBatchUpload },
        'text/csv': {
          schema: z.string().openapi({ description: 'The CSV file itself, as described for the `file` part.' }),
        },
        'application/json': { schema: CreateBatchJson },
      },
      required: false,
    },
    problems: ['csv_invalid', 'too_many_rows', 'organization_not_practising'],
    responses: accepted('The batch, accepted; rows are processed in the background.', DelegationRequestBatchSchema),
  }),
  retrieveBatch: get('/v1/delegation-requests/batches/{id}', {
    operationId: 'retrieveDelegationRequestBatch',
    summary: 'Retrieve a batch of delegation requests',
    description:
      'Progress (`done` of `total`, with `created`, `duplicates` and `failed`); the outcome of each row is in its rows list.',
    auth: 'orgRead',
    params: BatchParams,
    responses: ok('The batch.', DelegationRequestBatchSchema),
  }),
  listBatchRows: get('/v1/delegation-requests/batches/{id}/rows', {
    operationId: 'listDelegationRequestBatchRows',
    summary: 'List the rows of a batch and their outcomes',
    description:
      'In row order: the request each row created, the pending request a duplicate row found, or the problem of a failed row with the ' +
      'field (and CSV column) at fault. Filter with `status=failed` to get only the rows to fix.',
    auth: 'orgRead',
    params: BatchParams,
    query: ListBatchRowsQuery,
    responses: ok('A page of rows.', BatchRowPageSchema),
  }),
});

export function registerDelegationRequestBatches(app: App): void {
  app.openapi(routes.createBatch, async (c) => {
    const principal = organizationPrincipal(c);
    const type = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase();
    let source: 'csv' | 'json';
    let rows;
    if (type === 'application/json') {
      source = 'json';
      rows = rowsFromJson((c.req.valid('json') as z.infer<typeof CreateBatchJson>).rows);
    } else if (type === 'multipart/form-data') {
      const { file } = c.req.valid('form') as z.infer<typeof CreateBatchUpload>;
      source = 'csv';
      rows = rowsFromCsv(new Uint8Array(await file.arrayBuffer()));
    } else if (type === 'text/csv') {
      source = 'csv';
      rows = rowsFromCsv(new Uint8Array(await c.req.arrayBuffer()));
    } else {
      throw new ProblemError(
        'unsupported_media_type',
        'Send a CSV (multipart/form-data `file`, or text/csv) or JSON `{ rows: [...] }`.',
      );
    }
    const batch = await createBatch(c.get('sql'), principal, source, rows, c.get('deps').clock.now());
    return c.json(toBatch(batch), 202, { location: `/v1/delegation-requests/batches/${batch.id}` });
  });

  app.openapi(routes.retrieveBatch, async (c) => {
    const principal = organizationPrincipal(c);
    const batch = await findBatch(c.get('sql'), {
      id: c.req.valid('param').id,
      organizationId: principal.organizationId,
      livemode: principal.livemode,
    });
    if (!batch) throw new ProblemError('not_found', 'No such batch.');
    return c.json(toBatch(batch), 200);
  });

  app.openapi(routes.listBatchRows, async (c) => {
    const principal = organizationPrincipal(c);
    const { limit, cursor, status } = c.req.valid('query');
    const sql = c.get('sql');
    const batch = await findBatch(sql, {
      id: c.req.valid('param').id,
      organizationId: principal.organizationId,
      livemode: principal.livemode,
    });
    if (!batch) throw new ProblemError('not_found', 'No such batch.');
    const list = `delegation_request_batch_rows:${batch.id}:${status ?? ''}`;
    const afterRow = cursor ? Number(decodeCursor(list, cursor, ['integer'])[0]) : undefined;
    const rows = await listBatchRows(sql, { batchId: batch.id, status, afterRow, limit });
    return c.json(
      toPage(rows, limit, list, (r) => [r.row_number], toBatchRow),
      200,
    );
  });
}
