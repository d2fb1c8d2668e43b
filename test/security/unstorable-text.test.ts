import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SESSION_COOKIE } from '../../api/http/auth';
import { csrfToken } from '../../api/modules/citizen/layout';
import { createTestApp, type TestApp } from '../support/app';
import { CSV_HEADER, csvLine } from '../support/batches';
import {
  ADMIN_TOKEN,
  auth,
  citizenToken,
  delegationRequestBody,
  dni,
  expectProblem,
  grantDelegation,
  issueAgencyKey,
  mintToken,
  type RegisteredOrg,
  registerOrg,
} from '../support/fixtures';
import { consentHeaders, createDraft, FORMS, PDF_BYTES, submitJub } from '../support/procedures';

/**
 * A NUL (U+0000) or a lone surrogate in any string a client sends cannot be stored as text: it is
 * refused as invalid, naming the field, before anything is written (never a 500 from the database,
 * never a U+FFFD stored in place of what was sent).
 */
let t: TestApp;
let org: RegisteredOrg;
let token: string;
let delegationId: string;
let agency: string;
beforeAll(async () => {
  t = await createTestApp({ config: { adminToken: ADMIN_TOKEN } });
  org = await registerOrg(t);
  const granted = await grantDelegation(t, org.testKey, {
    scope: { procedure_types: ['JUB'], subjects: [], capacities: ['consult', 'file', 'respond'] },
  });
  delegationId = granted.delegationId;
  token = await mintToken(t, org.testKey, delegationId, { lifetime_seconds: 3600 });
  agency = await issueAgencyKey(t);
});
afterAll(() => t.close());

const TABLES = [
  'members',
  'api_keys',
  'procedures',
  'procedure_timeline',
  'notifications',
  'organizations',
  'requirements',
  'delegations',
  'delegation_requests',
  'delegation_request_batches',
  'delegation_request_batch_rows',
  'documents',
  'webhook_endpoints',
  'agency_keys',
  'citizens',
  'events',
  'idempotency_keys',
] as const;

async function rowCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of TABLES) {
    const [row] = await t.sql.unsafe<{ n: number }[]>(`select count(*)::int as n from ${table}`);
    counts[table] = row!.n;
  }
  return counts;
}

/** Sends the request, expects a 400 naming `pointer` in the body, and checks that nothing was written. */
async function expectRefused(send: () => Promise<Response>, pointer: string): Promise<Record<string, any>> {
  const before = await rowCounts();
  const problem = await expectProblem(await send(), 400, 'validation_failed');
  expect(problem.errors).toContainEqual(expect.objectContaining({ pointer, in: 'body' }));
  expect(await rowCounts()).toEqual(before);
  return problem;
}

function withStreet(street: string) {
  const form = structuredClone(FORMS.JUB) as Record<string, any>;
  form.applicant.address.street = street;
  return form;
}

describe('strings that cannot be stored as text', () => {
  it('refuses a NUL in a JSON string, naming the field', async () => {
    const problem = await expectRefused(
      () =>
        t.request('/v1/members', {
          method: 'POST',
          headers: auth(org.testKey),
          json: { name: 'Ana\u0000Gil', id_number: dni(7501), role: 'agent' },
        }),
      '/name',
    );
    expect(problem.errors).toHaveLength(1);
    expect(problem.errors[0].detail).toMatch(/NUL/);
  });

  it('refuses a NUL or a lone surrogate in a form stored as jsonb, when created and when changed', async () => {
    for (const street of ['Calle Mayor\u0000 1', 'Calle \ud800', 'Calle \udc00 Mayor']) {
      await expectRefused(
        () =>
          t.request('/v1/procedures', {
            method: 'POST',
            headers: consentHeaders(org.testKey, token),
            json: { type: 'JUB', form: withStreet(street) },
          }),
        '/form/applicant/address/street',
      );
    }
    const draft = await createDraft(t, org.testKey, token, 'JUB', FORMS.JUB);
    await expectRefused(
      () =>
        t.request(`/v1/procedures/${draft.id}`, {
          method: 'PATCH',
          headers: consentHeaders(org.testKey, token),
          json: { form: withStreet('Calle \ud800') },
        }),
      '/form/applicant/address/street',
    );
  });

  it('refuses a lone surrogate in a text column instead of storing U+FFFD', async () => {
    await expectRefused(
      () => t.request('/v1/api-keys', { method: 'POST', headers: auth(org.testKey), json: { name: 'Sync \ud800' } }),
      '/name',
    );
    // A whole surrogate pair is text like any other.
    const res = await t.request('/v1/api-keys', {
      method: 'POST',
      headers: auth(org.testKey),
      json: { name: 'Sync 😀' },
    });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { name: string }).name).toBe('Sync 😀');
  });

  it('refuses them on every kind of write, with or without an Idempotency-Key', async () => {
    const draft = await createDraft(t, org.testKey, token, 'JUB', FORMS.JUB);
    await submitJub(t, org.testKey, token, draft.id);
    const other = await registerOrg(t);
    const writes: Array<[string, string, Record<string, string>, Record<string, unknown>, string]> = [
      [
        'POST',
        `/v1/agency/procedures/${draft.id}/requirements`,
        auth(agency),
        { kinds: ['DNI_NIE'], message: 'Aporte\u0000 un DNI vigente, por favor.' },
        '/message',
      ],
      [
        'POST',
        `/v1/agency/procedures/${draft.id}/lapse-warning`,
        auth(agency),
        { text: 'Advertencia\u0000 de caducidad.' },
        '/text',
      ],
      ['POST', `/v1/delegations/${delegationId}/renounce`, auth(org.testKey), { reason: 'Baja\u0000' }, '/reason'],
      ['POST', `/v1/admin/organizations/${other.id}/suspend`, auth(ADMIN_TOKEN), { reason: 'Impago\u0000' }, '/reason'],
      [
        'POST',
        '/v1/admin/agency-keys',
        auth(ADMIN_TOKEN),
        { managing_body: 'INSS', office: 'Madrid\u0000' },
        '/office',
      ],
      [
        'POST',
        `/v1/sandbox/procedures/${draft.id}/advance`,
        auth(org.testKey),
        { action: 'require', kinds: ['COMPANY_CERT'], message: 'Falta el certificado\u0000.' },
        '/message',
      ],
      [
        'POST',
        '/v1/webhook-endpoints',
        auth(org.testKey, { 'idempotency-key': 'unstorable-text-1' }),
        { url: 'https://hooks.example.com/x', description: 'Sync \ud83d', event_types: ['procedure.*'] },
        '/description',
      ],
      [
        'POST',
        '/v1/delegation-requests',
        auth(org.testKey),
        delegationRequestBody(dni(7502), { message: 'Hola\u0000' }),
        '/message',
      ],
    ];
    for (const [method, path, headers, json, pointer] of writes) {
      await expectRefused(() => t.request(path, { method, headers, json }), pointer);
    }
  });

  it('judges a body nested as deep as JSON allows, without failing', async () => {
    await expectRefused(
      () =>
        t.request('/v1/members', {
          method: 'POST',
          headers: auth(org.testKey, { 'content-type': 'application/json' }),
          body: '{"name":' + '['.repeat(40_000) + ']'.repeat(40_000) + '}',
        }),
      '/name',
    );
  });

  it('names a field whose name cannot be stored', async () => {
    const problem = await expectRefused(
      () =>
        t.request('/v1/delegation-requests/batches', {
          method: 'POST',
          headers: auth(org.testKey),
          json: { rows: [{ ...delegationRequestBody(dni(7503)), 'x\u0000': 1 }] },
        }),
      '/rows/0/x\u0000',
    );
    expect(problem.errors[0].detail).toMatch(/field name/);
  });

  it('refuses a batch with such a string in a JSON row, naming the row and field', async () => {
    const rows = [
      delegationRequestBody(dni(7504)),
      delegationRequestBody(dni(7505), {
        citizen: { id_number: dni(7505), name: 'Ana\u0000Gil', contact: 'ana@example.es' },
      }),
    ];
    await expectRefused(
      () =>
        t.request('/v1/delegation-requests/batches', {
          method: 'POST',
          headers: auth(org.testKey),
          json: { rows },
        }),
      '/rows/1/citizen/name',
    );
  });

  it('refuses a CSV batch with a NUL, naming its line, as text/csv and as a multipart file', async () => {
    const csv = [
      CSV_HEADER.join(','),
      csvLine([dni(7506), 'Luis Gil', 'luis@example.es', 'JUB', 'consult', '2027-12-31']),
      csvLine([dni(7507), 'Ana\u0000Gil', 'ana@example.es', 'JUB', 'consult', '2027-12-31']),
    ].join('\r\n');
    const asText = await expectRefused(
      () =>
        t.request('/v1/delegation-requests/batches', {
          method: 'POST',
          headers: auth(org.testKey, { 'content-type': 'text/csv' }),
          body: csv,
        }),
      '/file',
    );
    expect(asText.errors[0].detail).toMatch(/^Line 3: .*NUL/);
    const form = new FormData();
    form.set('file', new File([csv], 'clientes.csv', { type: 'text/csv' }));
    await expectRefused(
      () => t.request('/v1/delegation-requests/batches', { method: 'POST', headers: auth(org.testKey), body: form }),
      '/file',
    );
  });

  it('refuses such a string in a multipart text field', async () => {
    const draft = await createDraft(t, org.testKey, token, 'JUB', FORMS.JUB);
    const form = new FormData();
    form.set('kind', 'DNI_NIE\u0000');
    form.set('file', new File([PDF_BYTES as Uint8Array<ArrayBuffer>], 'dni.pdf', { type: 'application/pdf' }));
    const problem = await expectRefused(
      () =>
        t.request(`/v1/procedures/${draft.id}/documents`, {
          method: 'POST',
          headers: consentHeaders(org.testKey, token),
          body: form,
        }),
      '/kind',
    );
    expect(problem.errors).toHaveLength(1);
  });

  it('refuses it in the development identity provider too', async () => {
    await expectRefused(
      () => t.request('/dev-idp/token', { method: 'POST', json: { id_number: dni(7508), name: 'Ana\u0000Gil' } }),
      '/name',
    );
  });
});

describe('forms posted from the citizen pages', () => {
  it('answer a NUL in a contact address with the form again (400), storing nothing', async () => {
    const idToken = await citizenToken(t, dni(7509));
    const csrf = await csrfToken(t.config.secretKey, idToken);
    const cookie = `${SESSION_COOKIE}=${idToken}`;
    expect((await t.request('/ciudadania/avisos', { headers: { cookie } })).status).toBe(200);
    const before = await rowCounts();
    const aviso_count = await t.sql<{ n: number }[]>`select count(*)::int as n from avisos`;
    const answer = await t.request('/ciudadania/avisos/contacto/correo', {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf, value: 'carmen\u0000@correo.es' }).toString(),
    });
    expect(answer.status).toBe(400);
    expect(await answer.text()).toContain('correo');
    expect(await rowCounts()).toEqual(before);
    expect(await t.sql`select count(*)::int as n from avisos`).toEqual(aviso_count);
  });
});
