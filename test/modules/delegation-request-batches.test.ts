import { beforeAll, describe, expect, it } from 'vitest';

import { processDelegationRequestBatches } from '../../api/modules/delegation-request-batches/service';
import { fileTestApp } from '../support/app';
import { ACCEPTANCE_COUNTS, acceptanceCsv, CSV_HEADER, csvLine } from '../support/batches';
import {
  auth,
  createRequest,
  delegationRequestBody,
  expectProblem,
  newCitizenId,
  type RegisteredOrg,
  registerOrg,
} from '../support/fixtures';

const t = await fileTestApp();

type Json = Record<string, any>;

function upload(
  key: string,
  csv: string | Uint8Array<ArrayBuffer>,
  headers: Record<string, string> = {},
  filename = 'clientes.csv',
) {
  const form = new FormData();
  form.append('file', new File([csv], filename, { type: 'text/csv' }));
  return t.request('/v1/delegation-requests/batches', { method: 'POST', headers: auth(key, headers), body: form });
}

async function accepted(res: Response): Promise<Json> {
  const text = await res.text();
  expect(res.status, text).toBe(202);
  return JSON.parse(text) as Json;
}

/** Runs the background worker until nothing is left, as the Node loop would. */
async function drain(): Promise<void> {
  for (
    let i = 0;
    i < 1000 && (await processDelegationRequestBatches(t.sql, { config: t.config, clock: t.clock })) > 0;
    i++
  );
}

async function batch(key: string, id: string): Promise<Json> {
  const res = await t.request(`/v1/delegation-requests/batches/${id}`, { headers: auth(key) });
  expect(res.status).toBe(200);
  return (await res.json()) as Json;
}

async function allRows(key: string, id: string, query = ''): Promise<Json[]> {
  const out: Json[] = [];
  let cursor: string | null = null;
  do {
    const res = await t.request(
      `/v1/delegation-requests/batches/${id}/rows?limit=100${query}${cursor ? `&cursor=${cursor}` : ''}`,
      { headers: auth(key) },
    );
    expect(res.status, await res.clone().text()).toBe(200);
    const page = (await res.json()) as Json;
    out.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor);
  return out;
}

describe('bulk delegation requests', () => {
  let org: RegisteredOrg;
  beforeAll(async () => {
    org = await registerOrg(t);
  });

  it('1,000 rows: 950 created, 30 duplicates (earlier pending requests and repeated rows), 20 failures naming row and column', async () => {
    const data = acceptanceCsv(40_000_000);
    const before = new Map<string, string>();
    for (const id of data.preexisting)
      before.set(id, (await createRequest(t, org.testKey, delegationRequestBody(id, { message: undefined }))).id);

    const created = await accepted(await upload(org.testKey, data.csv, { 'idempotency-key': 'onboarding-2026-03' }));
    expect(created).toMatchObject({
      object: 'delegation_request_batch',
      status: 'processing',
      source: 'csv',
      total: 1000,
      done: 15,
      failed: 15,
      created: 0,
      duplicates: 0,
      completed_at: null,
    });
    expect(created.id).toMatch(/^dlb_/);
    // The body checks run on arrival (15 rows); the end dates, like duplicates, when the row is processed.

    await drain();
    const final = await batch(org.testKey, created.id);
    expect(final).toMatchObject({ status: 'completed', done: 1000, ...ACCEPTANCE_COUNTS });
    expect(final.completed_at).not.toBeNull();

    const rows = await allRows(org.testKey, created.id);
    expect(rows.map((r) => r.row)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    const byRow = new Map(rows.map((r) => [r.row as number, r]));
    // Failures: the row, its file line (header is line 1), and the column at fault.
    for (const [row, column] of data.invalid) {
      const r = byRow.get(row)!;
      expect(r).toMatchObject({
        status: 'failed',
        line: row + 1,
        delegation_request_id: null,
        problem: { code: 'validation_failed' },
      });
      expect(r.problem.errors.map((e: Json) => e.column)).toEqual([column]);
      expect(r.problem.detail).toMatch(new RegExp(`^Column ${column}: `));
    }
    const failed = await allRows(org.testKey, created.id, '&status=failed');
    expect(failed.map((r) => r.row)).toEqual([...data.invalid.keys()]);
    // Duplicates name the pending request: the one made before the batch, or the one an earlier row made.
    for (const row of data.duplicateOfPreexisting) {
      const r = byRow.get(row)!;
      expect(r.status).toBe('duplicate');
      expect([...before.values()]).toContain(r.delegation_request_id);
    }
    for (const [row, earlier] of data.duplicateOfRow) {
      expect(byRow.get(row)).toMatchObject({
        status: 'duplicate',
        delegation_request_id: byRow.get(earlier)!.delegation_request_id,
      });
      expect(byRow.get(earlier)!.status).toBe('created');
    }
    // Each created row is a real pending request of the organisation, once.
    const createdIds = rows.filter((r) => r.status === 'created').map((r) => r.delegation_request_id as string);
    expect(new Set(createdIds).size).toBe(950);
    const [{ n }] = (await t.sql<{ n: number }[]>`
      select count(*)::int as n from delegation_requests where organization_id = ${org.id} and status = 'pending'`) as unknown as [
      { n: number },
    ];
    expect(n).toBe(950 + data.preexisting.length);
    const one = await t.request(`/v1/delegation-requests/${createdIds[2]}`, { headers: auth(org.testKey) });
    expect(((await one.json()) as Json).citizen.name).toBe('García Núñez, María José "Pepa" 3');

    // One event when done, with the counts.
    const events = await t.sql<
      { data: Json }[]
    >`select data from events where organization_id = ${org.id} and type = 'delegation_request_batch.completed'`;
    expect(events.map((e) => e.data)).toEqual([
      {
        delegation_request_batch_id: created.id,
        status: 'completed',
        ...ACCEPTANCE_COUNTS,
      },
    ]);

    // The same upload with the same Idempotency-Key is the same batch; nothing new is queued.
    const again = await upload(org.testKey, data.csv, { 'idempotency-key': 'onboarding-2026-03' });
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    // Where to follow the batch, as the first answer said.
    expect(again.headers.get('location')).toBe(`/v1/delegation-requests/batches/${created.id}`);
    expect(((await again.json()) as Json).id).toBe(created.id);
    const [{ batches }] = (await t.sql<
      { batches: number }[]
    >`select count(*)::int as batches from delegation_request_batches where organization_id = ${org.id}`) as unknown as [
      { batches: number },
    ];
    expect(batches).toBe(1);
  }, 120_000);

  it('reads quoted names with commas and line breaks, accents, a UTF-8 BOM and CRLF line ends', async () => {
    const [a, b] = [newCitizenId(), newCitizenId()];
    const csv =
      '\uFEFF' +
      [
        CSV_HEADER.join(','),
        `${a},"Ibáñez Muñoz, José María",jose@example.es,JUB,"consult,file",2027-12-31`,
        `${b},"Ana ""la Peque""\nSegunda línea",,IMV;CAPI,consult;file;respond,2027-06-30`,
      ].join('\r\n');
    const created = await accepted(await upload(org.testKey, new TextEncoder().encode(csv)));
    await drain();
    const rows = await allRows(org.testKey, created.id);
    expect(rows.map((r) => [r.row, r.line, r.status])).toEqual([
      [1, 2, 'created'],
      [2, 3, 'created'],
    ]);
    const first = (await (
      await t.request(`/v1/delegation-requests/${rows[0]!.delegation_request_id}`, { headers: auth(org.testKey) })
    ).json()) as Json;
    expect(first.citizen).toEqual({ id_number: a, name: 'Ibáñez Muñoz, José María', contact: 'jose@example.es' });
    expect(first.scope.capacities).toEqual(['consult', 'file']);
    const second = (await (
      await t.request(`/v1/delegation-requests/${rows[1]!.delegation_request_id}`, { headers: auth(org.testKey) })
    ).json()) as Json;
    expect(second.citizen).toEqual({ id_number: b, name: 'Ana "la Peque"\nSegunda línea', contact: null });
    expect(second.scope.procedure_types).toEqual(['CAPI', 'IMV']);
  });

  it('detects `;` separators from the header line, as Spanish spreadsheets write them, and reads Windows-1252', async () => {
    const [a, b] = [newCitizenId(), newCitizenId()];
    const csv = [
      'ID_Number;Name;Contact;Procedure types;Capacities;Valid_until',
      `${a};Peña, Begoña;600123456;JUB;"consult;file";2027-12-31`,
      `${b};Núñez;;VIU;consult file respond;2027-12-31`,
    ].join('\n');
    const utf8 = await accepted(await upload(org.testKey, csv));
    // The same file as Excel saves it on a Spanish Windows (one byte per accented letter).
    const latin1: Uint8Array<ArrayBuffer> = Uint8Array.from(
      [...csv.replace(a, newCitizenId()).replace(b, newCitizenId())].map((ch) => ch.charCodeAt(0)),
    );
    const cp1252 = await accepted(await upload(org.testKey, latin1));
    await drain();
    for (const id of [utf8.id, cp1252.id]) {
      const rows = await allRows(org.testKey, id);
      expect(rows.map((r) => r.status)).toEqual(['created', 'created']);
      const first = (await (
        await t.request(`/v1/delegation-requests/${rows[0]!.delegation_request_id}`, { headers: auth(org.testKey) })
      ).json()) as Json;
      expect(first.citizen.name).toBe('Peña, Begoña');
      expect(first.scope.capacities).toEqual(['consult', 'file']);
      const second = (await (
        await t.request(`/v1/delegation-requests/${rows[1]!.delegation_request_id}`, { headers: auth(org.testKey) })
      ).json()) as Json;
      expect(second.scope.capacities).toEqual(['consult', 'file', 'respond']);
    }
  });

  it("keeps today's example file working, as text/csv too", async () => {
    const { readFileSync } = await import('node:fs');
    const csv = readFileSync(new URL('../../examples/data/clients.csv', import.meta.url), 'utf8');
    const other = await registerOrg(t);
    const res = await t.request('/v1/delegation-requests/batches', {
      method: 'POST',
      headers: auth(other.testKey, { 'content-type': 'text/csv' }),
      body: csv,
    });
    const created = await accepted(res);
    expect(created).toMatchObject({ total: 4, failed: 1 });
    await drain();
    const rows = await allRows(other.testKey, created.id);
    expect(rows.map((r) => r.status)).toEqual(['created', 'created', 'created', 'failed']);
    expect(rows[3]!.problem.errors).toEqual([
      { pointer: '/citizen/id_number', column: 'id_number', detail: expect.stringContaining('check letter') },
    ]);
  });

  it('takes JSON rows, each checked like a single request body', async () => {
    const good = delegationRequestBody(newCitizenId());
    const res = await t.request('/v1/delegation-requests/batches', {
      method: 'POST',
      headers: auth(org.testKey),
      json: {
        rows: [
          good,
          { ...good, citizen: { id_number: newCitizenId() }, extra: 1 },
          delegationRequestBody(newCitizenId(), { valid_until: '2040-01-01' }),
        ],
      },
    });
    const created = await accepted(res);
    expect(created).toMatchObject({ source: 'json', total: 3, failed: 1 });
    await drain();
    const rows = await allRows(org.testKey, created.id);
    expect(rows.map((r) => [r.row, r.line, r.status])).toEqual([
      [1, null, 'created'],
      [2, null, 'failed'],
      [3, null, 'failed'],
    ]);
    expect(rows[1]!.problem.errors).toEqual([{ pointer: '/extra', column: null, detail: expect.any(String) }]);
    expect(rows[2]!.problem.errors[0]).toMatchObject({
      pointer: '/valid_until',
      detail: expect.stringContaining('5 years'),
    });
  });

  it('fails alone a JSON row that is not an object, as any other invalid row', async () => {
    const res = await t.request('/v1/delegation-requests/batches', {
      method: 'POST',
      headers: auth(org.testKey),
      json: { rows: [delegationRequestBody(newCitizenId()), 'x', null] },
    });
    const created = await accepted(res);
    expect(created).toMatchObject({ source: 'json', total: 3, done: 2, failed: 2 });
    await drain();
    expect(await batch(org.testKey, created.id)).toMatchObject({ status: 'completed', created: 1, failed: 2 });
    const rows = await allRows(org.testKey, created.id);
    expect(rows.map((r) => [r.row, r.status])).toEqual([
      [1, 'created'],
      [2, 'failed'],
      [3, 'failed'],
    ]);
    for (const r of rows.slice(1)) {
      expect(r.problem).toMatchObject({
        code: 'validation_failed',
        errors: [{ pointer: '', column: null, detail: expect.stringContaining('expected object') }],
      });
    }
  });

  it('fails every row of an organisation the colegio lists as non-practising, and refuses its next batch', async () => {
    const lapsed = await registerOrg(t);
    const res = await t.request('/v1/delegation-requests/batches', {
      method: 'POST',
      headers: auth(lapsed.testKey),
      json: { rows: [delegationRequestBody(newCitizenId()), delegationRequestBody(newCitizenId())] },
    });
    const created = await accepted(res);
    await t.sql`update organizations set practising = false where id = ${lapsed.id}`;
    await drain();
    expect(await batch(lapsed.testKey, created.id)).toMatchObject({ status: 'completed', created: 0, failed: 2 });
    const rows = await allRows(lapsed.testKey, created.id);
    expect(rows.map((r) => [r.status, r.problem?.code])).toEqual([
      ['failed', 'organization_not_practising'],
      ['failed', 'organization_not_practising'],
    ]);
    const [made] = await t.sql<{ n: number }[]>`
      select count(*)::int as n from delegation_requests where organization_id = ${lapsed.id}`;
    expect(made!.n).toBe(0);

    // A batch sent while it is non-practising is refused as it arrives: none of its rows is kept.
    const refused = await t.request('/v1/delegation-requests/batches', {
      method: 'POST',
      headers: auth(lapsed.testKey),
      json: { rows: [delegationRequestBody(newCitizenId())] },
    });
    await expectProblem(refused, 403, 'organization_not_practising');
    const [kept] = await t.sql<{ batches: number; rows: number }[]>`
      select count(distinct b.id)::int as batches, count(r.*)::int as rows
      from delegation_request_batches b left join delegation_request_batch_rows r on r.batch_id = b.id
      where b.organization_id = ${lapsed.id}`;
    expect(kept).toEqual({ batches: 1, rows: 2 });
  });

  it('refuses files it cannot read, unknown or missing columns, more than 5,000 rows, and empty batches', async () => {
    const unclosed = await expectProblem(
      await upload(org.testKey, `${CSV_HEADER.join(',')}\n12345678Z,"Carmen,,JUB,consult,2027-12-31\n`),
      400,
      'csv_invalid',
    );
    expect(unclosed.detail).toMatch(/quoted cell is never closed/);
    const header = await expectProblem(
      await upload(org.testKey, 'dni,name,capacities\n12345678Z,Carmen,consult\n'),
      400,
      'csv_invalid',
    );
    expect(header.detail).toMatch(/Unknown column "dni".*Missing columns? id_number, valid_until/);
    expect(header.errors[0].pointer).toBe('/file');
    const many = [
      CSV_HEADER.join(','),
      ...Array.from({ length: 5001 }, () => csvLine([newCitizenId(), 'X', '', 'JUB', 'consult', '2027-12-31'])),
    ].join('\n');
    const tooMany = await expectProblem(await upload(org.testKey, many), 422, 'too_many_rows');
    expect(tooMany).toMatchObject({ limit: 5000, rows: 5001 });
    await expectProblem(await upload(org.testKey, `${CSV_HEADER.join(',')}\n`), 400, 'validation_failed');
    await expectProblem(
      await t.request('/v1/delegation-requests/batches', {
        method: 'POST',
        headers: auth(org.testKey),
        json: { rows: [] },
      }),
      400,
      'validation_failed',
    );
    await expectProblem(
      await t.request('/v1/delegation-requests/batches', {
        method: 'POST',
        headers: auth(org.testKey, { 'content-type': 'application/xml' }),
        body: '<rows/>',
      }),
      415,
      'unsupported_media_type',
    );
    const [{ n }] = (await t.sql<
      { n: number }[]
    >`select count(*)::int as n from delegation_request_batches where organization_id = ${org.id} and total > 4000`) as unknown as [
      { n: number },
    ];
    expect(n).toBe(0);
  });

  it("takes the `sep=;` line some programs write before the header for Excel, keeping the file's line numbers", async () => {
    const csv = [
      'sep=;',
      CSV_HEADER.join(';'),
      `${newCitizenId()};Peña, Begoña;;JUB;consult;2027-12-31`,
      `12345678A;Luis;;JUB;consult;2027-12-31`,
    ].join('\r\n');
    const created = await accepted(await upload(org.testKey, `\uFEFF${csv}`));
    expect(created).toMatchObject({ total: 2, failed: 1 });
    await drain();
    const rows = await allRows(org.testKey, created.id);
    expect(rows.map((r) => [r.row, r.line, r.status])).toEqual([
      [1, 3, 'created'],
      [2, 4, 'failed'],
    ]);
    const header = await expectProblem(await upload(org.testKey, 'sep=;\ndni;name\n1;2\n'), 400, 'csv_invalid');
    expect(header).toMatchObject({ line: 2, delimiter: ';' });
  });

  it('reports a row with the wrong number of cells without losing the others', async () => {
    const csv = [
      CSV_HEADER.join(';'),
      `${newCitizenId()};Peña, Begoña;;JUB;consult;2027-12-31;extra`,
      `${newCitizenId()};Luis;;JUB;consult;2027-12-31`,
    ].join('\n');
    const created = await accepted(await upload(org.testKey, csv));
    await drain();
    const rows = await allRows(org.testKey, created.id);
    expect(rows.map((r) => r.status)).toEqual(['failed', 'created']);
    expect(rows[0]!.problem.detail).toMatch(/7 cells and the header 6/);
  });

  it('fails alone a row that errs on our side, so the batch still ends', async () => {
    const [ana, broken, luis] = [newCitizenId(), newCitizenId(), newCitizenId()];
    // A failure no request body causes (here a trigger), for one row: every pass would meet it again.
    await t.sql.unsafe(`
      create function batch_test_fail() returns trigger language plpgsql as $$
      begin
        if new.id_number = '${broken}' then raise exception 'simulated failure'; end if;
        return new;
      end $$;
      create trigger batch_test_fail before insert on citizens for each row execute function batch_test_fail();`);
    try {
      const csv = [CSV_HEADER.join(';'), ...[ana, broken, luis].map((id) => `${id};Persona;;JUB;consult;2027-12-31`)];
      const created = await accepted(await upload(org.testKey, csv.join('\n')));
      await drain();
      const done = await batch(org.testKey, created.id);
      expect(done).toMatchObject({ status: 'completed', created: 2, failed: 1 });
      const rows = await allRows(org.testKey, created.id);
      expect(rows.map((r) => r.status)).toEqual(['created', 'failed', 'created']);
      expect(rows[1]!.problem).toMatchObject({
        code: 'internal',
        detail: expect.stringContaining('nothing was created'),
      });
      expect(await t.sql`select 1 from citizens where id_number = ${broken}`).toHaveLength(0);
    } finally {
      await t.sql.unsafe('drop trigger batch_test_fail on citizens; drop function batch_test_fail();');
    }
  });

  it('skips the rows of only separators a spreadsheet writes after the data, as it skips blank lines', async () => {
    const csv = [
      CSV_HEADER.join(';'),
      `${newCitizenId()};Ana;;JUB;consult;2027-12-31`,
      ';;;;;',
      `${newCitizenId()};Luis;;JUB;consult;2027-12-31`,
      ';;;;;',
      ' ; ;;;;',
      '',
    ].join('\r\n');
    const created = await accepted(await upload(org.testKey, csv));
    expect(created).toMatchObject({ total: 2, failed: 0 });
    await drain();
    const rows = await allRows(org.testKey, created.id);
    expect(rows.map((r) => [r.row, r.line, r.status])).toEqual([
      [1, 2, 'created'],
      [2, 4, 'created'],
    ]);
  });

  it('ignores the empty columns a spreadsheet adds after the last named one', async () => {
    const csv = [
      `${CSV_HEADER.join(';')};;`,
      `${newCitizenId()};Ana;;JUB;consult;2027-12-31;;`,
      `${newCitizenId()};Luis;;JUB;consult;2027-12-31`,
      `${newCitizenId()};Eva;;JUB;consult;2027-12-31;;x`,
    ].join('\r\n');
    const created = await accepted(await upload(org.testKey, csv));
    await drain();
    const rows = await allRows(org.testKey, created.id);
    expect(rows.map((r) => r.status)).toEqual(['created', 'created', 'failed']);
    expect(rows[2]!.problem.detail).toMatch(/8 cells and the header 6/);
  });

  it('stops making requests for a member removed while their batch is processed, as their keys stop', async () => {
    const member = (await (
      await t.request('/v1/members', {
        method: 'POST',
        headers: auth(org.testKey),
        json: { name: 'Agente Saliente', id_number: newCitizenId(), role: 'agent' },
      })
    ).json()) as Json;
    const key = (await (
      await t.request('/v1/api-keys', {
        method: 'POST',
        headers: auth(org.testKey),
        json: { name: 'agent', member_id: member.id },
      })
    ).json()) as Json;
    const csv = [CSV_HEADER.join(','), ...[1, 2].map(() => `${newCitizenId()},Ana,,JUB,consult,2027-12-31`)].join('\n');
    const created = await accepted(await upload(key.secret, csv));
    const removed = await t.request(`/v1/members/${member.id}`, { method: 'DELETE', headers: auth(org.testKey) });
    expect(removed.status).toBe(200);
    await drain();
    expect(await batch(org.testKey, created.id)).toMatchObject({ status: 'completed', created: 0, failed: 2 });
    const rows = await allRows(org.testKey, created.id);
    expect(rows.map((r) => [r.status, r.problem?.code])).toEqual([
      ['failed', 'unauthorized'],
      ['failed', 'unauthorized'],
    ]);
    const made = await t.sql<{ n: number }[]>`
      select count(*)::int as n from delegation_requests where created_by_member_id = ${member.id}`;
    expect(made[0]!.n).toBe(0);
  });

  it("a batch the worker must retry holds back neither other organisations' batches nor the pass", async () => {
    const ana = newCitizenId();
    const stuck = await accepted(
      await upload(org.testKey, `${CSV_HEADER.join(',')}\n${ana},Ana,,JUB,consult,2027-12-31\n`),
    );
    const other = await registerOrg(t);
    const next = await accepted(
      await upload(other.testKey, `${CSV_HEADER.join(',')}\n${newCitizenId()},Luis,,JUB,consult,2027-12-31\n`),
    );
    // A failure that may pass on a later try (PostgreSQL undid the row for concurrency: 40001).
    await t.sql.unsafe(`
      create function batch_test_retry() returns trigger language plpgsql as $$
      begin
        if new.id_number = '${ana}' then raise exception 'simulated conflict' using errcode = '40001'; end if;
        return new;
      end $$;
      create trigger batch_test_retry before insert on citizens for each row execute function batch_test_retry();`);
    try {
      const deps = { config: t.config, clock: t.clock };
      await expect(processDelegationRequestBatches(t.sql, deps)).rejects.toThrow('simulated conflict');
      expect(await batch(other.testKey, next.id)).toMatchObject({ status: 'completed', created: 1 });
      expect(await batch(org.testKey, stuck.id)).toMatchObject({ status: 'processing', done: 0 });
      // The failed batch keeps its lease, so the next passes do not take it again at once; it is retried after it.
      expect(await processDelegationRequestBatches(t.sql, deps)).toBe(0);
    } finally {
      await t.sql.unsafe('drop trigger batch_test_retry on citizens; drop function batch_test_retry();');
    }
    t.clock.advance((t.config.batchLeaseSeconds + 1) * 1000);
    await drain();
    expect(await batch(org.testKey, stuck.id)).toMatchObject({ status: 'completed', created: 1 });
  });

  it('shows a batch only to its organisation and mode', async () => {
    const created = await accepted(
      await upload(org.testKey, `${CSV_HEADER.join(',')}\n${newCitizenId()},Ana,,JUB,consult,2027-12-31\n`),
    );
    const other = await registerOrg(t);
    await expectProblem(
      await t.request(`/v1/delegation-requests/batches/${created.id}`, { headers: auth(other.testKey) }),
      404,
      'not_found',
    );
    await expectProblem(
      await t.request(`/v1/delegation-requests/batches/${created.id}/rows`, { headers: auth(other.testKey) }),
      404,
      'not_found',
    );
    await drain();
  });
});
