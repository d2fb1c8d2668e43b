import { describe, expect, it } from 'vitest';

import { processDelegationRequestBatches } from '../../api/modules/delegation-request-batches/service';
import { fileServedApp } from '../../test/support/app';
import { dni } from '../../test/support/people';
import { BadRequestError, type Puente } from '../src';
import { registeredClient } from './sandbox';

// The real app on a socket: `delegationRequests.batches.create` takes a batch as JSON rows, as CSV
// text or as a multipart file, and the SDK must send each as what it is.
const { t, server } = await fileServedApp();

/** The batch once the background worker has processed it, with its rows' outcomes. */
async function processed(puente: Puente, id: string) {
  await processDelegationRequestBatches(t.sql, { config: t.config, clock: t.clock }, 100);
  const batch = await puente.delegationRequests.batches.retrieve(id);
  const rows = await puente.delegationRequests.batches.listRows(id);
  return { batch, rows: rows.data.map((r) => [r.row, r.status]) };
}

describe('delegationRequests.batches.create against the real API', () => {
  it('creates a batch from JSON rows', async () => {
    const puente = await registeredClient({ baseUrl: server.url });
    const rows = [81_000_001, 81_000_002].map((n) => ({
      citizen: { id_number: dni(n), name: 'Carmen López García' },
      scope: { procedure_types: ['JUB' as const], subjects: [], capacities: ['consult' as const] },
      valid_until: '2027-12-31',
    }));
    const batch = await puente.delegationRequests.batches.create({ rows });
    expect(batch).toMatchObject({ object: 'delegation_request_batch', source: 'json', total: 2 });
    expect(await processed(puente, batch.id)).toMatchObject({
      batch: { status: 'completed', created: 2, failed: 0 },
      rows: [
        [1, 'created'],
        [2, 'created'],
      ],
    });
  });

  it('creates a batch from CSV text, with accents intact', async () => {
    const puente = await registeredClient({ baseUrl: server.url });
    const csv = [
      'id_number;name;procedure_types;capacities;valid_until',
      `${dni(81_000_011)};"Núñez Peña, Óscar";JUB;consult,file;2027-12-31`,
      `${dni(81_000_012)};Ibáñez Ruiz;JUB;consult;2027-12-31`,
    ].join('\r\n');
    const batch = await puente.delegationRequests.batches.create(csv);
    expect(batch).toMatchObject({ source: 'csv', total: 2 });
    const { rows } = await processed(puente, batch.id);
    expect(rows).toEqual([
      [1, 'created'],
      [2, 'created'],
    ]);
    const first = (await puente.delegationRequests.batches.listRows(batch.id)).data[0]!;
    const request = await puente.delegationRequests.retrieve(first.delegation_request_id!);
    expect(request.citizen).toMatchObject({ name: 'Núñez Peña, Óscar' });
  });

  it('creates a batch from a CSV file, sent as multipart', async () => {
    const puente = await registeredClient({ baseUrl: server.url });
    const file = new File(
      [`id_number,capacities,procedure_types,valid_until\n${dni(81_000_021)},consult,JUB,2027-12-31\n`],
      'clientes.csv',
      {
        type: 'text/csv',
      },
    );
    const batch = await puente.delegationRequests.batches.create({ file });
    expect(batch).toMatchObject({ source: 'csv', total: 1 });
    expect((await processed(puente, batch.id)).rows).toEqual([[1, 'created']]);
  });

  it('refuses a multipart body without its file part, naming the part the document requires', async () => {
    let authorization = '';
    const puente = await registeredClient({
      baseUrl: server.url,
      fetch: (input, init) => (
        (authorization = new Headers(init?.headers).get('authorization') ?? ''),
        fetch(input, init)
      ),
    });
    // An object without a file is no upload: the SDK sends it as JSON, which the API refuses for its fields.
    const error = await puente.delegationRequests.batches.create({ file: 'id_number\n' } as never).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).problem?.errors?.map((e) => e.pointer)).toContain('/rows');

    const form = new FormData();
    form.append('file', 'id_number,capacities,valid_until');
    const response = await fetch(`${server.url}/v1/delegation-requests/batches`, {
      method: 'POST',
      headers: { authorization },
      body: form,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      code: 'validation_failed',
      errors: [{ pointer: '/file', detail: 'Required file part.' }],
    });
  });
});
