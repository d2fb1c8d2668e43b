import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestApp, type TestApp } from '../support/app';
import { advance, answerRequirement, type CitizenCase, citizenCase, fileJub } from '../support/citizen-procedures';
import { auth, citizenToken, expectProblem, newCitizenId } from '../support/fixtures';
import { pdfText } from '../support/pdf';
import { openNotification, PDF_BYTES } from '../support/procedures';

let t: TestApp;
beforeAll(async () => {
  // Monday 2 March 2026, 10:00 in Madrid.
  t = await createTestApp({ now: '2026-03-02T09:00:00Z' });
});
afterAll(() => t.close());

async function getJson(path: string, headers: Record<string, string>, status = 200): Promise<Record<string, any>> {
  const res = await t.request(path, { headers });
  expect(res.status, await res.clone().text()).toBe(status);
  expect(res.headers.get('cache-control')).toBe('no-store');
  return (await res.json()) as Record<string, any>;
}

describe("/v1/me: the citizen's procedures", () => {
  let c: CitizenCase;
  let me: () => Promise<Record<string, string>>;
  let filed: Record<string, any>;

  beforeAll(async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    c = await citizenCase(t, { orgName: 'Gestoría Martínez y Asociados S.L.' });
    me = async () => auth(await citizenToken(t, c.idNumber));
  });

  it('answers an empty list before anything is filed', async () => {
    const list = await getJson('/v1/me/procedures', await me());
    expect(list).toEqual({ data: [], has_more: false, next_cursor: null });
  });

  it('lists a filed procedure with its state and who handles it; the detail has timeline, documents and legal dates', async () => {
    filed = await fileJub(t, c);
    const list = await getJson('/v1/me/procedures', await me());
    expect(list.data).toHaveLength(1);
    expect(list.data[0]).toMatchObject({
      id: filed.id,
      object: 'my_procedure',
      type: 'JUB',
      status: 'submitted',
      registry_entry_number: filed.registry_entry_number,
      registered_on: '2026-03-02',
      handled_by: {
        organization: { legal_name: 'Gestoría Martínez y Asociados S.L.', kind: 'gestoria' },
        delegation: { id: c.delegationId, status: 'active' },
      },
    });
    // The same deadline code as the firm's view.
    expect(list.data[0].deadlines).toEqual(filed.deadlines);

    const detail = await getJson(`/v1/me/procedures/${filed.id}`, await me());
    expect(detail.timeline.map((e: any) => e.action)).toEqual([
      'created',
      'document_added',
      'document_added',
      'submitted',
    ]);
    // Both uploaded at the same instant of the test clock: their order is by id.
    expect(detail.documents.map((d: any) => d.kind).sort()).toEqual(['DNI_NIE', 'IBAN_CERT']);
    expect(detail.documents[0].download_url).toBe(
      `/v1/me/procedures/${filed.id}/documents/${detail.documents[0].id}/content`,
    );
    expect(detail.receipt_url).toBe(`/v1/me/procedures/${filed.id}/receipt`);
    expect(detail.open_requirement).toBeNull();
    const codes = detail.legal_dates.map((l: any) => l.code);
    expect(codes).toEqual(['registered', 'resolve_by', 'prior_claim_if_silent']);
    expect(detail.legal_dates[0]).toEqual({ code: 'registered', date: '2026-03-02', silence: null });
    expect(detail.legal_dates[1]).toEqual({
      code: 'resolve_by',
      date: filed.deadlines.max_resolution_date,
      silence: 'negative',
    });
    expect(detail.legal_dates[2].date > filed.deadlines.max_resolution_date).toBe(true);
  });

  it('shows the open requirement with what is missing and its deadline', async () => {
    // The caseworker asks for a company certificate on Tuesday 10 March.
    t.clock.set('2026-03-10T09:00:00Z');
    await advance(t, c, filed.id, {
      action: 'require',
      kinds: ['COMPANY_CERT'],
      message: 'Falta el certificado de empresa.',
    });
    // The firm opens the notification the same day, so the term counts from the next day (art. 43).
    const required =
      (await openNotification(t, c.orgKey, await c.token(), filed.id, 'requirement')) &&
      (await getJson(`/v1/procedures/${filed.id}`, await c.consent()));
    const detail = await getJson(`/v1/me/procedures/${filed.id}`, await me());
    expect(detail.status).toBe('action_required');
    // 10 días hábiles from 10 March in Madrid: 11–13, 16–20, 23, 24 (no holiday in between).
    expect(detail.open_requirement).toMatchObject({
      kinds: ['COMPANY_CERT'],
      missing_kinds: ['COMPANY_CERT'],
      deadline: '2026-03-24',
      extended: false,
      message: 'Falta el certificado de empresa.',
    });
    expect(detail.open_requirement.deadline).toBe(required.deadlines.requirement_deadline);
    expect(detail.legal_dates).toEqual([
      { code: 'registered', date: '2026-03-02', silence: null },
      { code: 'clock_suspended', date: '2026-03-24', silence: null },
    ]);
    expect(detail.deadlines).toEqual(required.deadlines);
  });

  it("downloads the citizen's own document and receipt, and records both in their access log", async () => {
    const detail = await getJson(`/v1/me/procedures/${filed.id}`, await me());
    const doc = detail.documents[0];
    const res = await t.request(doc.download_url, { headers: await me() });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(PDF_BYTES);

    const receipt = await t.request(detail.receipt_url, { headers: await me() });
    expect(receipt.status).toBe(200);
    expect(receipt.headers.get('content-type')).toBe('application/pdf');
    const { text } = await pdfText(await receipt.arrayBuffer());
    expect(text).toContain(filed.registry_entry_number);
    expect(text).toContain('Gestoría Martínez y Asociados S.L.');

    const log = await getJson('/v1/me/access-log?limit=2', await me());
    expect(log.data.map((e: any) => [e.actor, e.action, e.resource])).toEqual([
      ['citizen', 'procedure.receipt_read', { type: 'procedure', id: filed.id }],
      ['citizen', 'document.downloaded', { type: 'document', id: doc.id }],
    ]);
    expect(log.data[0]).toMatchObject({
      member: null,
      delegation_id: c.delegationId,
      organization: { legal_name: 'Gestoría Martínez y Asociados S.L.' },
    });
  });

  it("hides one citizen's procedure from another: 404 for the detail, a document, the receipt and the timeline", async () => {
    const other = auth(await citizenToken(t, newCitizenId(), 'Otra Persona'));
    const detail = await getJson(`/v1/me/procedures/${filed.id}`, await me());
    expect((await getJson('/v1/me/procedures', other)).data).toEqual([]);
    await expectProblem(await t.request(`/v1/me/procedures/${filed.id}`, { headers: other }), 404, 'not_found');
    await expectProblem(await t.request(detail.documents[0].download_url, { headers: other }), 404, 'not_found');
    await expectProblem(await t.request(`/v1/me/procedures/${filed.id}/receipt`, { headers: other }), 404, 'not_found');
    await expectProblem(
      await t.request(`/v1/me/procedures/${filed.id}/timeline`, { headers: other }),
      404,
      'not_found',
    );
    // Nothing of the failed attempts reached either citizen's log.
    const log = await getJson('/v1/me/access-log?limit=1', await me());
    expect(log.data[0].action).toBe('procedure.receipt_read');
    await expectProblem(
      await t.request('/v1/me/procedures/prc_doesnotexist', { headers: await me() }),
      404,
      'not_found',
    );
    await expectProblem(
      await t.request(`/v1/me/procedures/${filed.id}/documents/doc_nope/content`, { headers: await me() }),
      404,
      'not_found',
    );
  });

  it('explains a denial with the reclamación previa deadline', async () => {
    t.clock.set('2026-03-17T09:00:00Z');
    const detail = await getJson(`/v1/me/procedures/${filed.id}`, await me());
    await answerRequirement(t, c, filed.id, detail.open_requirement.id, 'COMPANY_CERT');
    t.clock.set('2026-04-01T09:00:00Z');
    await advance(t, c, filed.id, { action: 'deny', message: 'No reúne el periodo mínimo de cotización.' });
    await openNotification(t, c.orgKey, await c.token(), filed.id, 'resolution');
    const denied = await getJson(`/v1/procedures/${filed.id}`, await c.consent());
    const after = await getJson(`/v1/me/procedures/${filed.id}`, await me());
    expect(after).toMatchObject({
      status: 'denied',
      open_requirement: null,
      resolution: { outcome: 'denied', text: 'No reúne el periodo mínimo de cotización.' },
    });
    // 30 días hábiles from 1 April in Madrid city: Holy Thursday (2nd), Good Friday (3rd), 1 May and 15 May (San Isidro, a
    // local day of the applicant's municipality and the office's seat) do not count; 2 May is a Saturday.
    expect(after.legal_dates).toEqual([
      { code: 'registered', date: '2026-03-02', silence: null },
      { code: 'prior_claim_until', date: '2026-05-19', silence: null },
    ]);
    expect(after.deadlines.prior_claim_deadline).toBe(denied.deadlines.prior_claim_deadline);
    expect(after.requirements[0]).toMatchObject({ status: 'answered' });
  });

  it("keeps a revoked delegation's procedures visible as history", async () => {
    const revoked = await t.request(`/v1/me/delegations/${c.delegationId}/revoke`, {
      method: 'POST',
      headers: await me(),
    });
    expect(revoked.status, await revoked.clone().text()).toBe(200);
    const list = await getJson('/v1/me/procedures', await me());
    expect(list.data.map((p: any) => [p.id, p.handled_by.delegation.status])).toEqual([[filed.id, 'revoked']]);
    const detail = await getJson(`/v1/me/procedures/${filed.id}`, await me());
    expect(detail).toMatchObject({ status: 'denied', handled_by: { delegation: { status: 'revoked' } } });
    expect((await t.request(detail.documents[0].download_url, { headers: await me() })).status).toBe(200);
  });
});

describe('/v1/me/access-log: filters and export', () => {
  let first: CitizenCase;
  let second: CitizenCase;
  let me: () => Promise<Record<string, string>>;

  beforeAll(async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    first = await citizenCase(t, { orgName: 'Asesoría Primera S.L.' });
    second = await citizenCase(t, { idNumber: first.idNumber, orgName: 'Despacho Segundo S.L.P.' });
    me = async () => auth(await citizenToken(t, first.idNumber));
    await first.consent();
    // Just before midnight in Madrid on 9 March (22:59 UTC), and just after it.
    t.clock.set('2026-03-09T22:59:00Z');
    await second.consent();
    t.clock.set('2026-03-09T23:01:00Z');
    await first.consent();
    await second.consent();
  });

  it('filters by delegation and by period of Madrid days', async () => {
    const all = (await getJson('/v1/me/access-log', await me())).data;
    expect(all).toHaveLength(4);
    const byFirst = (await getJson(`/v1/me/access-log?delegation_id=${first.delegationId}`, await me())).data;
    expect(byFirst.map((e: any) => e.id)).toEqual(
      all.filter((e: any) => e.delegation_id === first.delegationId).map((e: any) => e.id),
    );
    expect(byFirst).toHaveLength(2);
    // 23:01 UTC on 9 March is already 10 March in Madrid; 22:59 UTC is still the 9th.
    const tenth = (await getJson('/v1/me/access-log?from=2026-03-10&to=2026-03-10', await me())).data;
    expect(tenth.map((e: any) => e.occurred_at)).toEqual(['2026-03-09T23:01:00.000Z', '2026-03-09T23:01:00.000Z']);
    const upToNinth = (await getJson('/v1/me/access-log?to=2026-03-09', await me())).data;
    expect(upToNinth.map((e: any) => e.occurred_at)).toEqual(['2026-03-09T22:59:00.000Z', '2026-03-02T09:00:00.000Z']);
    const both = (
      await getJson(`/v1/me/access-log?from=2026-03-09&to=2026-03-10&delegation_id=${second.delegationId}`, await me())
    ).data;
    expect(both).toHaveLength(2);
    expect(both.every((e: any) => e.delegation_id === second.delegationId)).toBe(true);
  });

  it('refuses a period that ends before it starts, and a date that is not one, naming the field', async () => {
    const backwards = await expectProblem(
      await t.request('/v1/me/access-log?from=2026-03-10&to=2026-03-09', { headers: await me() }),
      400,
      'validation_failed',
    );
    expect(backwards.errors).toEqual([expect.objectContaining({ pointer: '/to', in: 'query' })]);
    const bad = await expectProblem(
      await t.request('/v1/me/access-log?from=2026-02-30', { headers: await me() }),
      400,
      'validation_failed',
    );
    expect(JSON.stringify(bad.errors)).toContain('from');
    await expectProblem(
      await t.request('/v1/me/access-log/export?format=csv&from=2026-03-10&to=2026-03-09', { headers: await me() }),
      400,
      'validation_failed',
    );
  });

  it('exports exactly the rows the list answers, as CSV and as PDF', async () => {
    const query = `delegation_id=${second.delegationId}&from=2026-03-01&to=2026-03-31&limit=1`;
    const page = await getJson(`/v1/me/access-log?${query}`, await me());
    expect(page.data).toHaveLength(1);
    const csvRes = await t.request(`/v1/me/access-log/export?format=csv&${query}`, { headers: await me() });
    expect(csvRes.status).toBe(200);
    expect(csvRes.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csvRes.headers.get('cache-control')).toBe('no-store');
    const records = parse(await csvRes.text(), { bom: true, columns: true, skip_empty_lines: true }) as Record<
      string,
      string
    >[];
    expect(records.map((r) => r['Identificador'])).toEqual(page.data.map((e: any) => e.id));
    expect(records[0]).toMatchObject({
      Organización: 'Despacho Segundo S.L.P.',
      'Fecha (UTC, ISO 8601)': page.data[0].occurred_at,
      Delegación: second.delegationId,
      Acción: 'Obtuvo un permiso temporal para actuar en su nombre',
    });

    // The next page's export lists the next page's rows.
    const next = await getJson(`/v1/me/access-log?${query}&cursor=${page.next_cursor}`, await me());
    const nextCsv = parse(
      await (
        await t.request(`/v1/me/access-log/export?format=csv&${query}&cursor=${page.next_cursor}&lang=en`, {
          headers: await me(),
        })
      ).text(),
      { bom: true, columns: true },
    ) as Record<string, string>[];
    expect(nextCsv.map((r) => r['Identifier'])).toEqual(next.data.map((e: any) => e.id));
    expect(nextCsv[0]!['Action']).toBe('Obtained a temporary permission to act on your behalf');

    const pdfRes = await t.request(`/v1/me/access-log/export?format=pdf&delegation_id=${second.delegationId}`, {
      headers: await me(),
    });
    expect(pdfRes.status).toBe(200);
    expect(pdfRes.headers.get('content-type')).toBe('application/pdf');
    const { text } = await pdfText(await pdfRes.arrayBuffer());
    expect(text).toContain('Registro de accesos');
    // Once in the filter line, then once per row.
    expect(text.match(/Despacho Segundo S\.L\.P\./g)).toHaveLength(3);
    expect(text).not.toContain('Asesoría Primera');
    expect(text).toContain('Filtro: Delegación: Despacho Segundo S.L.P.');
  });
});
