// Requests delegations for every client in a CSV, idempotently: running it twice creates nothing
// new. Reports each row's result.  npm run example:bulk-delegations [-- path/to/clients.csv]
import { readFileSync } from 'node:fs';
import { BadRequestError, ConflictError } from '@puente/sdk';
import { connect } from './connect';

const file = process.argv[2] ?? 'examples/data/clients.csv';
const [header, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
const columns = header!.split(',');
const puente = await connect();

let failed = 0;
for (const [index, line] of lines.entries()) {
  const row = Object.fromEntries(line.split(',').map((value, i) => [columns[i]!, value.trim()]));
  const label = `row ${index + 2} (${row.id_number})`;
  try {
    const request = await puente.delegationRequests.create(
      {
        citizen: { id_number: row.id_number!, name: row.name || undefined, contact: row.contact || undefined },
        scope: { procedure_types: row.procedure_types!.split(';') as never, subjects: [], capacities: row.capacities!.split(';') as never },
        valid_until: row.valid_until!,
      },
      // The same row always sends the same key: a rerun replays instead of duplicating.
      { idempotencyKey: `bulk-delegations:${row.id_number}:${row.procedure_types}:${row.capacities}` },
    );
    console.log(`${label}: requested ${request.id}, code ${request.code}`);
  } catch (error) {
    if (error instanceof ConflictError && error.code === 'duplicate') console.log(`${label}: already pending as ${String(error.problem?.existing_id)}`);
    else if (error instanceof BadRequestError) {
      failed++;
      console.log(`${label}: invalid, ${error.problem?.errors?.map((e) => `${e.pointer} ${e.detail}`).join('; ')}`);
    } else throw error;
  }
}
console.log(`${lines.length} rows, ${failed} invalid`);
