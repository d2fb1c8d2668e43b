import { z } from '@hono/zod-openapi';

import { filePart, pathIdField } from '../../http/fields';
import { pageSchema, paginationQuery } from '../../http/pagination';
import { EXAMPLE_MEMBER_ID } from '../members/schemas';

/** Most rows one batch takes: a gestoría's whole client base, in one file. */
export const MAX_BATCH_ROWS = 5000;

/** The batch every example of this module shows. */
const EXAMPLE_BATCH_ID = 'dlb_3vN8kQ2mXp7LwR4tZ9cB1d';

/** The CSV columns, each the field of a single request's body it fills. */
export const CSV_COLUMNS = {
  id_number: '/citizen/id_number',
  name: '/citizen/name',
  contact: '/citizen/contact',
  procedure_types: '/scope/procedure_types',
  subjects: '/scope/subjects',
  capacities: '/scope/capacities',
  valid_until: '/valid_until',
  message: '/message',
} as const;
export type CsvColumn = keyof typeof CSV_COLUMNS;
export const REQUIRED_CSV_COLUMNS: readonly CsvColumn[] = ['id_number', 'capacities', 'valid_until'];

export const BATCH_STATUSES = ['processing', 'completed'] as const;
export const ROW_STATUSES = ['queued', 'created', 'duplicate', 'failed'] as const;

const CSV_DESCRIPTION =
  `A CSV file with a header line. Columns: ${Object.keys(CSV_COLUMNS).join(', ')} (${REQUIRED_CSV_COLUMNS.join(', ')} required; ` +
  'procedure_types or subjects must name at least one). Separator `,`, `;` or tab, detected from the header line (or named by a `sep=;` line before it); ' +
  "lists (procedure types, subjects, capacities) separated by `;`, `,`, `|` or spaces inside their cell (quote the cell when it holds the file's separator). " +
  `UTF-8 with or without BOM, or Windows-1252. At most ${MAX_BATCH_ROWS} rows.`;

export const CreateBatchUpload = z
  .object({ file: filePart(CSV_DESCRIPTION) })
  .openapi('CreateDelegationRequestBatchUpload');

export const CreateBatchJson = z
  .object({
    // Any value: each row is checked on its own (a row that is not even an object fails alone).
    rows: z
      .array(z.unknown())
      .min(1)
      .openapi({
        description: `Up to ${MAX_BATCH_ROWS} rows, each a \`CreateDelegationRequest\` body. A row that is not valid (not even an object) does not refuse the batch: it is reported as failed, with its fields at fault.`,
      }),
  })
  .strict()
  .openapi('CreateDelegationRequestBatch', {
    example: {
      rows: [
        {
          citizen: { id_number: '12345678Z', name: 'Carmen López García', contact: 'carmen.lopez@example.es' },
          scope: { procedure_types: ['JUB'], subjects: [], capacities: ['consult', 'file', 'respond'] },
          valid_until: '2027-12-31',
        },
      ],
    },
  });

export const DelegationRequestBatchSchema = z
  .object({
    id: z.string(),
    object: z.literal('delegation_request_batch'),
    livemode: z.boolean(),
    source: z.enum(['csv', 'json']),
    status: z.enum(BATCH_STATUSES),
    total: z.number().int().openapi({ description: 'Rows in the batch.' }),
    done: z
      .number()
      .int()
      .openapi({ description: 'Rows finished so far, whatever their outcome: `created + duplicates + failed`.' }),
    created: z.number().int().openapi({ description: 'Rows that opened a new delegation request.' }),
    duplicates: z.number().int().openapi({
      description:
        'Rows for which a pending request for the same citizen and scope already existed when the row was processed: made before the batch, or by an earlier row of this batch.',
    }),
    failed: z.number().int().openapi({ description: 'Rows refused, each with its problem (see the rows list).' }),
    rows_url: z.string().openapi({ description: 'The paginated outcome of every row.' }),
    created_by: z.string().openapi({ description: 'Member who sent the batch.' }),
    created_at: z.string(),
    completed_at: z.string().nullable(),
  })
  .openapi('DelegationRequestBatch', {
    example: {
      id: EXAMPLE_BATCH_ID,
      object: 'delegation_request_batch',
      livemode: false,
      source: 'csv',
      status: 'processing',
      total: 1000,
      done: 400,
      created: 380,
      duplicates: 12,
      failed: 8,
      rows_url: `/v1/delegation-requests/batches/${EXAMPLE_BATCH_ID}/rows`,
      created_by: EXAMPLE_MEMBER_ID,
      created_at: '2026-03-02T09:00:00.000Z',
      completed_at: null,
    },
  });
export type DelegationRequestBatch = z.infer<typeof DelegationRequestBatchSchema>;

export const RowProblemSchema = z
  .object({
    code: z.string().openapi({
      description:
        'The problem code a single request with this row would have answered; `internal` when the row failed because of an error on our side (nothing was made for it, and the other rows went on).',
      example: 'validation_failed',
    }),
    detail: z.string(),
    errors: z.array(
      z.object({
        pointer: z.string().openapi({
          description: "JSON pointer to the field, within the row's request body.",
          example: '/citizen/id_number',
        }),
        column: z
          .string()
          .nullable()
          .openapi({ description: 'The CSV column holding the field (null for JSON rows).', example: 'id_number' }),
        detail: z.string(),
      }),
    ),
  })
  .openapi('DelegationRequestBatchRowProblem');

export const BatchRowSchema = z
  .object({
    object: z.literal('delegation_request_batch_row'),
    row: z
      .number()
      .int()
      .openapi({ description: 'Position of the row in the batch, from 1 (the CSV header is not counted).' }),
    line: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'CSV: the file line where the row starts (the header is line 1). Null for JSON rows.' }),
    status: z.enum(ROW_STATUSES),
    delegation_request_id: z
      .string()
      .nullable()
      .openapi({ description: '`created`: the new request; `duplicate`: the pending request that already existed.' }),
    problem: RowProblemSchema.nullable().openapi({ description: '`failed`: why, field by field.' }),
    processed_at: z.string().nullable(),
  })
  .openapi('DelegationRequestBatchRow', {
    example: {
      object: 'delegation_request_batch_row',
      row: 7,
      line: 8,
      status: 'failed',
      delegation_request_id: null,
      problem: {
        code: 'validation_failed',
        detail: 'Invalid body field /citizen/id_number: The check letter should be Z for 12345678.',
        errors: [
          { pointer: '/citizen/id_number', column: 'id_number', detail: 'The check letter should be Z for 12345678.' },
        ],
      },
      processed_at: '2026-03-02T09:00:01.000Z',
    },
  });
export type BatchRow = z.infer<typeof BatchRowSchema>;
export type RowProblem = z.infer<typeof RowProblemSchema>;

export const BatchParams = z.object({
  id: pathIdField('id', EXAMPLE_BATCH_ID),
});

export const ListBatchRowsQuery = z
  .object({
    ...paginationQuery,
    status: z.enum(ROW_STATUSES).optional().openapi({ description: 'Only rows with this outcome, such as `failed`.' }),
  })
  .strict();
export const BatchRowPageSchema = pageSchema(BatchRowSchema, 'DelegationRequestBatchRowList');
