// Requests delegations for every client in a CSV in one batch: the server parses the file (quoted
// names with commas, accents, a BOM, `;` separators as Spanish spreadsheets write them), answers
// at once and works through the rows in the background. Sending the same file again with the same
// Idempotency-Key answers the same batch instead of a new one.
//   npm run example:bulk-delegations [-- path/to/clients.csv]
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

import { connect } from './connect';

const path = process.argv[2] ?? 'examples/data/clients.csv';
const bytes = readFileSync(path);
const puente = await connect();

// The key is derived from the file's content: a rerun after a lost answer replays the same batch.
const idempotencyKey = `bulk-delegations:${createHash('sha256').update(bytes).digest('hex')}`;
let batch = await puente.delegationRequests.batches.create(
  { file: new File([bytes], basename(path), { type: 'text/csv' }) },
  { idempotencyKey },
);
console.log(`batch ${batch.id}: ${batch.total} rows`);

while (batch.status !== 'completed') {
  await new Promise((r) => setTimeout(r, 500));
  batch = await puente.delegationRequests.batches.retrieve(batch.id);
  console.log(`  ${batch.done}/${batch.total} done`);
}
console.log(`${batch.created} requested, ${batch.duplicates} already pending, ${batch.failed} invalid`);

for await (const row of puente.delegationRequests.batches.listRows(batch.id, { limit: 100 })) {
  const where = row.line === null ? `row ${row.row}` : `line ${row.line}`;
  if (row.status === 'created') console.log(`${where}: requested ${row.delegation_request_id}`);
  else if (row.status === 'duplicate') console.log(`${where}: already pending as ${row.delegation_request_id}`);
  else
    console.log(
      `${where}: ${row.problem?.errors.map((e) => `${e.column ?? e.pointer} ${e.detail}`).join('; ') || row.problem?.detail}`,
    );
}
