import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ProblemError } from '../../api/http/problem';
import { addBusinessDays, type CalendarSnapshot, type Place } from '../../api/lib/calendar';
import { readSnapshot } from '../../api/modules/calendar/store';
import { addDocument } from '../../api/modules/documents/service';
import { placesOf } from '../../api/modules/procedures/deadlines';
import { createTestApp, type TestApp } from '../support/app';
import {
  ADMIN_TOKEN,
  auth,
  citizenToken,
  expectJson,
  expectProblem,
  grantDelegation,
  issueAgencyKey,
  mintToken,
  registerOrg,
  registerVerifiedOrg,
} from '../support/fixtures';
import { pdfText } from '../support/pdf';
import {
  consentHeaders,
  createDraft,
  delegatedDraft,
  FORMS,
  openNotification,
  PDF_BYTES,
  PNG_BYTES,
  submitJub,
  upload,
  uploadAll,
} from '../support/procedures';

let t: TestApp;
let agencyKey: string;
let cal: CalendarSnapshot;
// The forms' applicant lives in Madrid (28079); the deciding office sits in Madrid too.
let MD: Place[];
beforeAll(async () => {
  // Monday 2 March 2026, 10:00 in Madrid.
  t = await createTestApp({ config: { adminToken: ADMIN_TOKEN }, now: '2026-03-02T09:00:00Z' });
  agencyKey = await issueAgencyKey(t);
  cal = await readSnapshot(t.sql);
  MD = placesOf(cal, { region: 'MD', applicant_municipality: '28079', office_municipality: '28079' });
});
afterAll(() => t.close());

const day = 86_400_000;
const get = async (path: string, headers: Record<string, string>) =>
  (await (await t.request(path, { headers })).json()) as Record<string, any>;

describe('pension family (JUB) through the sandbox', () => {
  it('files, is required, answers, is denied, and gets the prior-claim deadline', async () => {
    const start = t.clock.now();
    const org = await registerOrg(t);
    const granted = await grantDelegation(t, org.testKey, {
      scope: { procedure_types: ['JUB', 'RP'], subjects: [], capacities: ['consult', 'file', 'respond', 'withdraw'] },
    });
    let token = await mintToken(t, org.testKey, granted.delegationId, { lifetime_seconds: 3600 });
    let h = consentHeaders(org.testKey, token);
    // Consent tokens live minutes; after each jump of the clock the firm mints a fresh one.
    const refresh = async () => {
      token = await mintToken(t, org.testKey, granted.delegationId, { lifetime_seconds: 3600 });
      h = consentHeaders(org.testKey, token);
    };

    const draft = await createDraft(t, org.testKey, token, 'JUB', { applicant: FORMS.JUB.applicant });
    expect(draft).toMatchObject({ status: 'draft', type: 'JUB', deadlines: { clock: 'not_started' } });
    expect(draft.missing_documents).toEqual([{ any_of: ['DNI_NIE'] }, { any_of: ['IBAN_CERT'] }]);

    // Incomplete: 422 listing the form fields and the missing documents; the draft is untouched.
    const early = await t.request(`/v1/procedures/${draft.id}/submit`, { method: 'POST', headers: h });
    const problem = await expectProblem(early, 422, 'unprocessable');
    const pointers = problem.errors.map((e: any) => e.pointer);
    expect(pointers).toContain('/form/regime');
    expect(pointers.filter((p: string) => p === '/documents')).toHaveLength(2);
    expect((await get(`/v1/procedures/${draft.id}`, h)).version).toBe(draft.version);

    // PATCH with a stale ETag is refused; with the current one it applies.
    const read = await t.request(`/v1/procedures/${draft.id}`, { headers: h });
    const etag = read.headers.get('etag')!;
    const patched = await t.request(`/v1/procedures/${draft.id}`, {
      method: 'PATCH',
      headers: { ...h, 'if-match': etag },
      json: { form: FORMS.JUB },
    });
    expect(patched.status).toBe(200);
    await expectProblem(
      await t.request(`/v1/procedures/${draft.id}`, {
        method: 'PATCH',
        headers: { ...h, 'if-match': etag },
        json: { form: FORMS.JUB },
      }),
      412,
      'precondition_failed',
    );

    const submitted = await submitJub(t, org.testKey, token, draft.id);
    expect(submitted.status).toBe('submitted');
    expect(submitted.registry_entry_number).toMatch(/^REG-2026-\d{8}$/);
    expect(submitted.registered_on).toBe('2026-03-02');
    const base = addBusinessDays(cal, '2026-03-02', 90, MD).deadline;
    expect(submitted.deadlines).toMatchObject({ clock: 'running', max_resolution_date: base });
    // JUB's 90 días hábiles are confirmed by an official text: no warning about the term.
    expect(submitted.deadlines.basis.max_resolution_date.warnings).not.toContainEqual(
      expect.objectContaining({ code: 'term_unconfirmed' }),
    );

    // The caseworker (sandbox) asks for a company certificate on Tuesday 10 March.
    t.clock.set('2026-03-10T09:00:00Z');
    const required = (await (
      await t.request(`/v1/sandbox/procedures/${draft.id}/advance`, {
        method: 'POST',
        headers: auth(org.testKey),
        json: { action: 'require', kinds: ['COMPANY_CERT'], message: 'Falta el certificado de empresa.' },
      })
    ).json()) as any;
    expect(required.status).toBe('action_required');
    // An electronic notification (art. 43): no deadline until it is opened or deemed rejected (10 March + 10 días naturales = Friday 20 March).
    // Until then the term is not suspended (art. 22.1.a counts from the notification): the clock runs,
    // and the maximum date stands where filing put it.
    expect(required.deadlines).toMatchObject({
      clock: 'running',
      requirement_deadline: null,
      max_resolution_date: base,
      awaiting_notification: {
        kind: 'requirement',
        term_starts: 'on_access_or_deemed_rejection',
        deemed_rejected_on: '2026-03-20',
      },
    });
    const requirementId = required.requirements[0].id;
    // Opened the same day: 10 días hábiles from 10 March, no holidays in between in Madrid.
    await refresh();
    await openNotification(t, org.testKey, token, draft.id, 'requirement');
    expect((await get(`/v1/procedures/${draft.id}`, h)).deadlines).toMatchObject({
      clock: 'suspended',
      requirement_deadline: '2026-03-24',
      max_resolution_date: null,
      awaiting_notification: null,
    });

    // Answering without the document is refused; with it, the clock resumes, extended by the 5 working days lost.
    t.clock.set('2026-03-17T09:00:00Z');
    await refresh();
    await expectProblem(
      await t.request(`/v1/procedures/${draft.id}/requirements/${requirementId}/response`, {
        method: 'POST',
        headers: h,
        json: { message: 'Adjunto.' },
      }),
      422,
      'unprocessable',
    );
    // While a requirement is open a document answers it: that needs the respond capacity, and
    // the document names the requirement it answers.
    const fileOnly = await mintToken(t, org.testKey, granted.delegationId, { capacities: ['consult', 'file'] });
    const refused = await expectProblem(
      await upload(t, org.testKey, fileOnly, draft.id, 'COMPANY_CERT'),
      403,
      'scope_insufficient',
    );
    expect(refused.required_capacity).toBe('respond');
    const certificate = await expectJson<{ requirement_id: string | null }>(
      await upload(t, org.testKey, token, draft.id, 'COMPANY_CERT'),
      201,
    );
    expect(certificate.requirement_id).toBe(requirementId);
    // A procedure that has moved, since the gate read it, to a state needing another capacity is
    // refused under its lock, and nothing is stored.
    const before = await t.sql<
      { n: number }[]
    >`select count(*)::int as n from documents where procedure_id = ${draft.id}`;
    const moved = await addDocument(t.sql, t.deps!, {
      procedureId: draft.id,
      gatedStatus: 'draft',
      capBytes: 1_000_000,
      kind: 'COMPANY_CERT',
      file: new File([PDF_BYTES], 'certificado.pdf', { type: 'application/pdf' }),
      declaredType: 'application/pdf',
      memberId: org.ownerId,
      now: t.clock.now(),
    }).catch((error: unknown) => error);
    expect(moved).toBeInstanceOf(ProblemError);
    expect((moved as ProblemError).code).toBe('conflict');
    expect(await t.sql`select count(*)::int as n from documents where procedure_id = ${draft.id}`).toEqual(before);
    const answered = (await (
      await t.request(`/v1/procedures/${draft.id}/requirements/${requirementId}/response`, {
        method: 'POST',
        headers: h,
        json: { message: 'Adjunto el certificado.' },
      })
    ).json()) as any;
    expect(answered.status).toBe('in_review');
    expect(answered.deadlines.max_resolution_date).toBe(addBusinessDays(cal, base, 5, MD).deadline);

    t.clock.set('2026-04-01T09:00:00Z');
    await refresh();
    const denied = (await (
      await t.request(`/v1/sandbox/procedures/${draft.id}/advance`, {
        method: 'POST',
        headers: auth(org.testKey),
        json: { action: 'deny', message: 'No reúne el periodo mínimo de cotización.' },
      })
    ).json()) as any;
    expect(denied.status).toBe('denied');
    expect(denied.resolution).toMatchObject({ outcome: 'denied' });
    // The resolution is notified too: the prior-claim term starts once it is opened, here the same day.
    expect(denied.deadlines).toMatchObject({
      prior_claim_deadline: null,
      awaiting_notification: { kind: 'resolution' },
    });
    await openNotification(t, org.testKey, token, draft.id, 'resolution');
    Object.assign(denied, await get(`/v1/procedures/${draft.id}`, h));
    // 30 días hábiles from 1 April in Madrid: Holy Thursday, Good Friday, 1 May and 15 May (San Isidro,
    // a local day of Madrid city, the applicant's municipality and the office's seat) do not count.
    expect(denied.deadlines.prior_claim_deadline).toBe(addBusinessDays(cal, '2026-04-01', 30, MD).deadline);
    expect(denied.deadlines.prior_claim_deadline).toBe('2026-05-19');

    // The reclamación previa is a new RP procedure linked to the original.
    const rp = await t.request('/v1/procedures', {
      method: 'POST',
      headers: h,
      json: { type: 'RP', form: {}, original_procedure_id: draft.id },
    });
    expect(rp.status, await rp.clone().text()).toBe(201);
    expect(((await rp.json()) as any).original_procedure_id).toBe(draft.id);

    const timeline = await get(`/v1/procedures/${draft.id}/timeline`, h);
    expect(timeline.data.map((e: any) => e.action)).toEqual([
      'created',
      'form_updated',
      'document_added',
      'document_added',
      'submitted',
      'requirement_issued',
      'notification_accessed',
      'document_added',
      'requirement_answered',
      'resolved',
      'notification_accessed',
    ]);
    expect(timeline.data[0].actor).toMatchObject({ type: 'member', id: org.ownerId, name: 'Lucía Martínez Pardo' });
    expect(timeline.data[5].actor.type).toBe('caseworker');
    t.clock.set(start);
  });
});

describe('live filing through the agency back office', () => {
  for (const [type, docs, region] of [
    ['NCM', ['DNI_NIE', 'BIRTH_CERT', 'MEDICAL_REPORT', 'COMPANY_CERT', 'IBAN_CERT'], 'MD'],
    ['IMV', ['DNI_NIE', 'RESIDENCE_PROOF', 'EMPADRONAMIENTO', 'LIBRO_FAMILIA'], 'MD'],
  ] as const) {
    it(`${type}: files on a Saturday, is admitted, required, answered and approved`, async () => {
      t.clock.set('2026-03-07T10:00:00Z'); // Saturday
      const org = await registerVerifiedOrg(t);
      const granted = await grantDelegation(t, org.liveKey, {
        scope: { procedure_types: [type], subjects: [], capacities: ['consult', 'file', 'respond'] },
      });
      let token = await mintToken(t, org.liveKey, granted.delegationId, { lifetime_seconds: 3600 });
      let h = consentHeaders(org.liveKey, token);
      const draft = await createDraft(t, org.liveKey, token, type, FORMS[type]);
      await uploadAll(t, org.liveKey, token, draft.id, [...docs]);
      const submitted = (await (
        await t.request(`/v1/procedures/${draft.id}/submit`, { method: 'POST', headers: h })
      ).json()) as any;
      // Filed on a Saturday: counts from Monday.
      expect(submitted.registered_on).toBe('2026-03-09');
      const expectedMax =
        type === 'IMV' ? '2026-09-09' : addBusinessDays(cal, '2026-03-09', 30, region === 'MD' ? MD : []).deadline;
      expect(submitted.deadlines.max_resolution_date).toBe(expectedMax);

      const queue = await get('/v1/agency/procedures', auth(agencyKey));
      expect(queue.data.map((p: any) => p.id)).toContain(draft.id);
      const seen = await get(`/v1/agency/procedures/${draft.id}`, auth(agencyKey));
      expect(seen.documents).toHaveLength(docs.length);

      t.clock.set('2026-03-10T09:00:00Z');
      token = await mintToken(t, org.liveKey, granted.delegationId, { lifetime_seconds: 3600 });
      h = consentHeaders(org.liveKey, token);
      expect(
        (await t.request(`/v1/agency/procedures/${draft.id}/admit`, { method: 'POST', headers: auth(agencyKey) }))
          .status,
      ).toBe(200);
      const required = (await (
        await t.request(`/v1/agency/procedures/${draft.id}/requirements`, {
          method: 'POST',
          headers: auth(agencyKey),
          json: { kinds: ['DNI_NIE'], message: 'El DNI aportado está caducado; aporte uno vigente.' },
        })
      ).json()) as any;
      // Not running until the notification is opened; opened the same day (10 March), it ends on 24 March.
      expect(required.deadlines.requirement_deadline).toBe(null);
      await openNotification(t, org.liveKey, token, draft.id, 'requirement');
      expect((await get(`/v1/procedures/${draft.id}`, h)).deadlines.requirement_deadline).toBe('2026-03-24');
      const requirementId = required.requirements[0].id;

      // One extension of 5 días hábiles, once.
      const extended = (await (
        await t.request(`/v1/procedures/${draft.id}/requirements/${requirementId}/response`, {
          method: 'POST',
          headers: h,
          json: { request_extension: true },
        })
      ).json()) as any;
      expect(extended.requirements[0]).toMatchObject({ extended: true, deadline: '2026-03-31' });
      await expectProblem(
        await t.request(`/v1/procedures/${draft.id}/requirements/${requirementId}/response`, {
          method: 'POST',
          headers: h,
          json: { request_extension: true },
        }),
        409,
        'conflict',
      );

      expect((await upload(t, org.liveKey, token, draft.id, 'DNI_NIE')).status).toBe(201);
      const answered = await t.request(`/v1/procedures/${draft.id}/requirements/${requirementId}/response`, {
        method: 'POST',
        headers: h,
        json: { message: 'Se aporta DNI vigente.' },
      });
      expect(answered.status).toBe(200);
      const approved = (await (
        await t.request(`/v1/agency/procedures/${draft.id}/resolve`, {
          method: 'POST',
          headers: auth(agencyKey),
          json: { outcome: 'approved', text: 'Se reconoce la prestación solicitada.', amount: 658.81 },
        })
      ).json()) as any;
      expect(approved).toMatchObject({ status: 'approved', resolution: { outcome: 'approved', amount: 658.81 } });
      await expectProblem(
        await t.request(`/v1/agency/procedures/${draft.id}/admit`, { method: 'POST', headers: auth(agencyKey) }),
        409,
        'invalid_state_transition',
      );

      const citizen = auth(await citizenToken(t, granted.idNumber));
      const citizenView = await get('/v1/me/procedures', citizen);
      expect(citizenView.data.map((p: any) => p.id)).toContain(draft.id);
      const citizenTimeline = await get(`/v1/me/procedures/${draft.id}/timeline`, citizen);
      expect(citizenTimeline.data.at(-1).action).toBe('resolved');
    });
  }
});

describe('documents', () => {
  it('checks real content, size caps and returns exact bytes; refusals store nothing', async () => {
    const org = await registerOrg(t);
    const granted = await grantDelegation(t, org.testKey, {
      scope: { procedure_types: ['NCM'], subjects: [], capacities: ['consult', 'file'] },
    });
    const token = await mintToken(t, org.testKey, granted.delegationId);
    const draft = await createDraft(t, org.testKey, token, 'NCM', FORMS.NCM);

    await expectProblem(
      await upload(t, org.testKey, token, draft.id, 'DNI_NIE', PNG_BYTES, { type: 'application/pdf', name: 'dni.pdf' }),
      415,
      'unsupported_media_type',
    );
    await expectProblem(
      await upload(t, org.testKey, token, draft.id, 'DNI_NIE', new TextEncoder().encode('MZ\x90\x00 not a document')),
      415,
      'unsupported_media_type',
    );
    const big = new Uint8Array(4 * 1024 * 1024 + 1);
    big.set(PDF_BYTES.slice(0, 5));
    await expectProblem(await upload(t, org.testKey, token, draft.id, 'DNI_NIE', big), 413, 'payload_too_large');
    const [count] = await t.sql<
      { n: number }[]
    >`select (select count(*) from documents where procedure_id = ${draft.id})::int + (select count(*) from document_blobs where storage_key like ${draft.id + '/%'})::int as n`;
    expect(count!.n).toBe(0);

    const ok = await upload(t, org.testKey, token, draft.id, 'DNI_NIE', PNG_BYTES, {
      type: 'image/png',
      name: '../../etc/dni\u0000\u0007.png',
    });
    expect(ok.status).toBe(201);
    const doc = (await ok.json()) as any;
    expect(doc).toMatchObject({ content_type: 'image/png', size_bytes: PNG_BYTES.length, filename: 'dni.png' });
    const content = await t.request(`/v1/procedures/${draft.id}/documents/${doc.id}/content`, {
      headers: consentHeaders(org.testKey, token),
    });
    expect(content.headers.get('content-type')).toBe('image/png');
    expect(content.headers.get('content-disposition')).toContain('dni.png');
    expect(new Uint8Array(await content.arrayBuffer())).toEqual(PNG_BYTES);
  });
});

describe('submission', () => {
  it('two concurrent submits of one draft: exactly one succeeds; entry numbers never repeat', async () => {
    const org = await registerOrg(t);
    const granted = await grantDelegation(t, org.testKey);
    const token = await mintToken(t, org.testKey, granted.delegationId);
    const h = consentHeaders(org.testKey, token);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const draft = await createDraft(t, org.testKey, token, 'JUB', FORMS.JUB);
      await uploadAll(t, org.testKey, token, draft.id, ['DNI_NIE', 'IBAN_CERT']);
      ids.push(draft.id);
    }
    const results = await Promise.all(
      [ids[0], ids[0], ids[1], ids[2]].map((id) =>
        t.request(`/v1/procedures/${id}/submit`, { method: 'POST', headers: h }),
      ),
    );
    const firstTwo = results
      .slice(0, 2)
      .map((r) => r.status)
      .sort();
    expect(firstTwo).toEqual([200, 409]);
    const entries = (await Promise.all(ids.map((id) => get(`/v1/procedures/${id}`, h)))).map(
      (p) => p.registry_entry_number,
    );
    expect(new Set(entries).size).toBe(3);
  });

  it('produces a receipt PDF with the entry number and document hashes', async () => {
    const org = await registerOrg(t);
    const { token, draft } = await delegatedDraft(t, org.testKey);
    const h = consentHeaders(org.testKey, token);
    await expectProblem(
      await t.request(`/v1/procedures/${draft.id}/receipt`, { headers: h }),
      409,
      'invalid_state_transition',
    );
    const submitted = await submitJub(t, org.testKey, token, draft.id);
    const docs = (await get(`/v1/procedures/${draft.id}/documents`, h)).data;
    const receipt = await t.request(`/v1/procedures/${draft.id}/receipt`, { headers: h });
    expect(receipt.status).toBe(200);
    expect(receipt.headers.get('content-type')).toBe('application/pdf');
    const bytes = new Uint8Array(await receipt.arrayBuffer());
    const raw = new TextDecoder('latin1').decode(bytes);
    expect(raw.startsWith('%PDF-')).toBe(true);
    expect(raw.trimEnd().endsWith('%%EOF')).toBe(true);
    const { text, title } = await pdfText(bytes);
    expect(title).toBe(`Justificante ${submitted.registry_entry_number}`);
    expect(text).toContain('Justificante de presentación');
    expect(text).toContain(submitted.registry_entry_number);
    // Hashes are broken across lines in their table cell; the whole hash is there once the breaks go.
    for (const d of docs) expect(text.replace(/\s+/g, '')).toContain(d.sha256);
  });
});

describe('revocation hides procedures and blocks every action', () => {
  it('the list drops the client and every consented call answers delegation_inactive', async () => {
    const org = await registerVerifiedOrg(t);
    const granted = await delegatedDraft(t, org.liveKey, { capacities: ['consult', 'file', 'respond'] });
    const { token, draft } = granted;
    const h = consentHeaders(org.liveKey, token);
    expect((await get('/v1/procedures', auth(org.liveKey))).data.map((p: any) => p.id)).toContain(draft.id);

    const revoked = await t.request(`/v1/me/delegations/${granted.delegationId}/revoke`, {
      method: 'POST',
      headers: auth(granted.citizenToken!),
    });
    expect(revoked.status, await revoked.clone().text()).toBe(200);
    expect((await get('/v1/procedures', auth(org.liveKey))).data.map((p: any) => p.id)).not.toContain(draft.id);
    for (const [method, path] of [
      ['GET', `/v1/procedures/${draft.id}`],
      ['GET', `/v1/procedures/${draft.id}/timeline`],
      ['GET', `/v1/procedures/${draft.id}/documents`],
      ['POST', `/v1/procedures/${draft.id}/submit`],
    ] as const) {
      await expectProblem(await t.request(path, { method, headers: h }), 403, 'delegation_inactive');
    }
    await expectProblem(
      await t.request(`/v1/procedures/${draft.id}`, { method: 'PATCH', headers: h, json: { form: FORMS.JUB } }),
      403,
      'delegation_inactive',
    );
    await expectProblem(await upload(t, org.liveKey, token, draft.id, 'DNI_NIE'), 403, 'delegation_inactive');
  });
});

describe('capacities', () => {
  it('withdrawing needs the withdraw capacity; a JUB token cannot file an IMV', async () => {
    const org = await registerOrg(t);
    const { token, draft } = await delegatedDraft(t, org.testKey, { capacities: ['consult', 'file', 'respond'] });
    await expectProblem(
      await t.request(`/v1/procedures/${draft.id}/withdraw`, {
        method: 'POST',
        headers: consentHeaders(org.testKey, token),
      }),
      403,
      'scope_insufficient',
    );
    await expectProblem(
      await t.request('/v1/procedures', {
        method: 'POST',
        headers: consentHeaders(org.testKey, token),
        json: { type: 'IMV', form: {} },
      }),
      403,
      'scope_insufficient',
    );
  });
});
describe('the agency sees only what was filed', () => {
  it('a draft the firm withdrew before filing never reaches the back office', async () => {
    const org = await registerVerifiedOrg(t);
    const { token, draft } = await delegatedDraft(t, org.liveKey!, {
      capacities: ['consult', 'file', 'withdraw'],
    });
    const withdrawn = await expectJson(
      await t.request(`/v1/procedures/${draft.id}/withdraw`, {
        method: 'POST',
        headers: consentHeaders(org.liveKey!, token),
      }),
      200,
    );
    expect(withdrawn).toMatchObject({ status: 'withdrawn', registry_entry_number: null });
    await expectProblem(
      await t.request(`/v1/agency/procedures/${draft.id}`, { headers: auth(agencyKey) }),
      404,
      'not_found',
    );
    const queue = await get('/v1/agency/procedures?status=withdrawn&limit=100', auth(agencyKey));
    expect(queue.data.map((p: any) => p.id)).not.toContain(draft.id);
    await expectProblem(
      await t.request(`/v1/agency/procedures/${draft.id}/lapse-warning`, { method: 'POST', headers: auth(agencyKey) }),
      404,
      'not_found',
    );
  });
});

describe('resolutions', () => {
  it('a denial carries no amount: refused naming the field, and nothing is resolved', async () => {
    const org = await registerVerifiedOrg(t);
    const { token, draft } = await delegatedDraft(t, org.liveKey!);
    await submitJub(t, org.liveKey!, token, draft.id);
    const resolve = (json: Record<string, unknown>) =>
      t.request(`/v1/agency/procedures/${draft.id}/resolve`, { method: 'POST', headers: auth(agencyKey), json });
    const problem = await expectProblem(
      await resolve({ outcome: 'denied', text: 'No reúne el periodo mínimo de cotización.', amount: 1200 }),
      400,
      'validation_failed',
    );
    expect(problem.errors).toEqual([expect.objectContaining({ pointer: '/amount', in: 'body' })]);
    const seen = await get(`/v1/agency/procedures/${draft.id}`, auth(agencyKey));
    expect(seen).toMatchObject({ status: 'submitted', resolution: null });
    const notifications = await get(`/v1/procedures/${draft.id}/notifications`, consentHeaders(org.liveKey!, token));
    expect(notifications.data).toEqual([]);

    const denied = await expectJson(
      await resolve({ outcome: 'denied', text: 'No reúne el periodo mínimo de cotización.' }),
      200,
    );
    expect(denied.resolution).toMatchObject({ outcome: 'denied', amount: null });
  });
});

describe('reclamación previa', () => {
  it('contests a silence only once it has arisen: from the day after the maximum date', async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const org = await registerVerifiedOrg(t);
    const { token, draft, delegationId } = await delegatedDraft(t, org.liveKey!, {
      procedure_types: ['JUB', 'RP'],
    });
    await submitJub(t, org.liveKey!, token, draft.id);
    const claim = async () =>
      t.request('/v1/procedures', {
        method: 'POST',
        headers: consentHeaders(
          org.liveKey!,
          await mintToken(t, org.liveKey!, delegationId, { lifetime_seconds: 3600 }),
        ),
        json: { type: 'RP', form: {}, original_procedure_id: draft.id },
      });
    // Filed Monday 2 March in Madrid: 90 días hábiles (2 and 3 April, 1 and 15 May skipped) → Friday 10 July.
    const early = await expectProblem(await claim(), 422, 'unprocessable');
    expect(early.errors).toEqual([expect.objectContaining({ pointer: '/original_procedure_id', in: 'body' })]);
    t.clock.set('2026-07-10T08:00:00Z');
    await expectProblem(await claim(), 422, 'unprocessable');
    // Saturday 11 July: presumed denied.
    t.clock.set('2026-07-11T08:00:00Z');
    const rp = await expectJson(await claim(), 201);
    expect(rp).toMatchObject({ type: 'RP', status: 'draft', original_procedure_id: draft.id });
    t.clock.set('2026-03-02T09:00:00Z');
  });
});

/**
 * A JUB filed with a test key on Monday 2 March 2026 in Madrid, under a delegation that covers RP
 * too. The clock jumps in these tests and consent tokens live minutes: `headers()` mints a fresh one.
 */
async function filedJubCoveringRp(capacities?: string[]) {
  t.clock.set('2026-03-02T09:00:00Z');
  const org = await registerOrg(t);
  const { token, draft, delegationId } = await delegatedDraft(t, org.testKey, {
    procedure_types: ['JUB', 'RP'],
    ...(capacities && { capacities }),
  });
  await submitJub(t, org.testKey, token, draft.id);
  const headers = async () =>
    consentHeaders(org.testKey, await mintToken(t, org.testKey, delegationId, { lifetime_seconds: 3600 }));
  /** The sandbox caseworker's act on one of the organisation's test-mode procedures. */
  const advance = async (id: string, body: Record<string, unknown>) =>
    expectJson(
      await t.request(`/v1/sandbox/procedures/${id}/advance`, {
        method: 'POST',
        headers: auth(org.testKey),
        json: body,
      }),
      200,
    );
  /** The form of an RP contesting the JUB's resolution of 1 April. */
  const rpForm = {
    applicant: FORMS.JUB.applicant,
    original_procedure_id: draft.id,
    resolution_date: '2026-04-01',
    grounds: 'La resolución no computa los periodos cotizados en Francia entre 1995 y 2001.',
  };
  /** That RP, its documents attached, still a draft. */
  const rpDraft = async () => {
    const rp = await expectJson(
      await t.request('/v1/procedures', {
        method: 'POST',
        headers: await headers(),
        json: { type: 'RP', original_procedure_id: draft.id, form: rpForm },
      }),
      201,
    );
    for (const group of rp.missing_documents as Array<{ any_of: string[] }>) {
      const uploaded = await upload(t, org.testKey, (await headers())['puente-consent']!, rp.id, group.any_of[0]!);
      expect(uploaded.status).toBe(201);
    }
    return rp.id as string;
  };
  return { org, draft, headers, advance, rpForm, rpDraft };
}

describe('a requirement against the maximum term', () => {
  it('suspends it only from its notification taking effect, and not at all once the term has ended', async () => {
    const { org, draft, headers, advance } = await filedJubCoveringRp(['consult', 'file', 'respond']);
    const deadlines = async () => (await get(`/v1/procedures/${draft.id}`, await headers())).deadlines;
    // Filed Monday 2 March in Madrid: 90 días hábiles (2 and 3 April, 1 and 15 May skipped) → Friday 10 July.
    // The requirement comes on that last day, made available and not opened.
    t.clock.set('2026-07-10T09:00:00Z');
    await advance(draft.id, { action: 'require', kinds: ['COMPANY_CERT'] });
    expect(await deadlines()).toMatchObject({ clock: 'running', max_resolution_date: '2026-07-10' });
    // Monday 13 July, still unopened: the term ran out on the 10th, silence from Saturday the 11th.
    t.clock.set('2026-07-13T09:00:00Z');
    expect(await deadlines()).toMatchObject({
      clock: 'running',
      max_resolution_date: '2026-07-10',
      presumed_denied_at: '2026-07-11',
      awaiting_notification: { kind: 'requirement', deemed_rejected_on: '2026-07-20' },
    });
    // Opened now, after the term: it suspends nothing, the silence stands, and it may be contested.
    await openNotification(t, org.testKey, (await headers())['puente-consent']!, draft.id, 'requirement');
    expect(await deadlines()).toMatchObject({
      clock: 'running',
      max_resolution_date: '2026-07-10',
      presumed_denied_at: '2026-07-11',
      requirement_deadline: '2026-07-27',
    });
    const rp = await t.request('/v1/procedures', {
      method: 'POST',
      headers: await headers(),
      json: { type: 'RP', form: {}, original_procedure_id: draft.id },
    });
    expect(rp.status, await rp.clone().text()).toBe(201);
    t.clock.set('2026-03-02T09:00:00Z');
  });
});

describe('reclamación previa filed after its term', () => {
  it('is refused naming the deadline, and filed only with a reason in its form, which the history keeps', async () => {
    const { org, draft, headers, advance, rpForm, rpDraft } = await filedJubCoveringRp();
    // Denied on Wednesday 1 April, its notification opened the same day.
    t.clock.set('2026-04-01T09:00:00Z');
    await advance(draft.id, { action: 'deny' });
    await openNotification(t, org.testKey, (await headers())['puente-consent']!, draft.id, 'resolution');
    // 30 días hábiles from 2 April in Madrid, without 2 and 3 April (Holy Thursday, Good Friday),
    // 1 May and 15 May (San Isidro): Tuesday 19 May.
    expect((await get(`/v1/procedures/${draft.id}`, await headers())).deadlines.prior_claim_deadline).toBe(
      '2026-05-19',
    );

    t.clock.set('2026-05-18T09:00:00Z');
    const inTime = await rpDraft();
    const late = await rpDraft();
    const submit = async (id: string) =>
      t.request(`/v1/procedures/${id}/submit`, { method: 'POST', headers: await headers() });

    // On the last day: filed.
    t.clock.set('2026-05-19T16:00:00Z');
    expect((await expectJson(await submit(inTime), 200)).status).toBe('submitted');
    // The next day: refused, naming the deadline, and nothing changes.
    t.clock.set('2026-05-20T09:00:00Z');
    const refused = await expectProblem(await submit(late), 422, 'out_of_time');
    expect(refused).toMatchObject({ deadline: '2026-05-19', registered_on: '2026-05-20' });
    expect(refused.errors).toEqual([expect.objectContaining({ pointer: '/form/late_filing_reason', in: 'body' })]);
    expect(refused.detail).toContain(draft.id);
    expect((await get(`/v1/procedures/${late}`, await headers())).status).toBe('draft');
    // Filed all the same once its form says why it should be admitted; its history says it was out of time.
    const reasoned = await t.request(`/v1/procedures/${late}`, {
      method: 'PATCH',
      headers: await headers(),
      json: {
        form: {
          ...rpForm,
          late_filing_reason: 'La resolución se notificó sin indicar los recursos procedentes (art. 40.3 LPAC).',
        },
      },
    });
    expect(reasoned.status, await reasoned.clone().text()).toBe(200);
    expect((await expectJson(await submit(late), 200)).status).toBe('submitted');
    const timeline = await get(`/v1/procedures/${late}/timeline`, await headers());
    expect(timeline.data.find((e: any) => e.action === 'submitted').details.out_of_time).toEqual({
      prior_claim_deadline: '2026-05-19',
    });
    const onTime = await get(`/v1/procedures/${inTime}/timeline`, await headers());
    expect(onTime.data.find((e: any) => e.action === 'submitted').details.out_of_time).toBeUndefined();
    t.clock.set('2026-03-02T09:00:00Z');
  });
});

describe("a reclamación previa's own denial", () => {
  it('states no prior-claim date, by silence or expressly: it is contested in court', async () => {
    const { org, draft, headers, advance, rpDraft } = await filedJubCoveringRp();
    t.clock.set('2026-04-01T09:00:00Z');
    await advance(draft.id, { action: 'deny' });
    await openNotification(t, org.testKey, (await headers())['puente-consent']!, draft.id, 'resolution');

    // The RP, filed on Monday 6 April in Madrid.
    t.clock.set('2026-04-06T09:00:00Z');
    const rp = await rpDraft();
    await expectJson(await t.request(`/v1/procedures/${rp}/submit`, { method: 'POST', headers: await headers() }), 200);

    // 45 días hábiles from Tuesday 7 April, in Madrid without 1 May (national) and 15 May (San
    // Isidro): Wednesday 10 June. Silence from Thursday 11 June, and no reclamación previa follows.
    t.clock.set('2026-06-12T09:00:00Z');
    const silent = await get(`/v1/procedures/${rp}`, await headers());
    expect(silent.deadlines).toMatchObject({
      max_resolution_date: '2026-06-10',
      presumed_denied_at: '2026-06-11',
      prior_claim_deadline: null,
      basis: { prior_claim_deadline: null },
    });

    // Denied expressly and notified: neither the procedure nor its notification states a term.
    await advance(rp, { action: 'deny' });
    const opened = await openNotification(t, org.testKey, (await headers())['puente-consent']!, rp, 'resolution');
    expect(opened.term).toBeNull();
    const denied = await get(`/v1/procedures/${rp}`, await headers());
    expect(denied.status).toBe('denied');
    // Nor can another reclamación previa contest it.
    const again = await expectProblem(
      await t.request('/v1/procedures', {
        method: 'POST',
        headers: await headers(),
        json: { type: 'RP', original_procedure_id: rp, form: {} },
      }),
      422,
      'unprocessable',
    );
    expect(again.errors).toEqual([expect.objectContaining({ pointer: '/original_procedure_id', in: 'body' })]);
    expect(denied.deadlines).toMatchObject({ prior_claim_deadline: null, basis: { prior_claim_deadline: null } });
    // The original claim keeps its own: 30 días hábiles from 2 April in Madrid (2 and 3 April, 1 and 15 May skipped).
    expect((await get(`/v1/procedures/${draft.id}`, await headers())).deadlines.prior_claim_deadline).toBe(
      '2026-05-19',
    );
    t.clock.set('2026-03-02T09:00:00Z');
  });
});

describe('a procedure that ends while a requirement is open', () => {
  it('withdrawn by the firm: the requirement closes with it, and no clock or term is shown running', async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const org = await registerVerifiedOrg(t);
    const { token, draft, delegationId } = await delegatedDraft(t, org.liveKey!, {
      capacities: ['consult', 'file', 'respond', 'withdraw'],
    });
    await submitJub(t, org.liveKey!, token, draft.id);
    t.clock.set('2026-03-10T09:00:00Z');
    const h = consentHeaders(org.liveKey!, await mintToken(t, org.liveKey!, delegationId, { lifetime_seconds: 3600 }));
    await expectJson(
      await t.request(`/v1/agency/procedures/${draft.id}/requirements`, {
        method: 'POST',
        headers: auth(agencyKey),
        json: { kinds: ['COMPANY_CERT'], message: 'Falta el certificado de empresa con la fecha de cese.' },
      }),
      200,
    );
    const withdrawn = await expectJson(
      await t.request(`/v1/procedures/${draft.id}/withdraw`, { method: 'POST', headers: h }),
      200,
    );
    expect(withdrawn.status).toBe('withdrawn');
    expect(withdrawn.deadlines).toMatchObject({
      clock: 'stopped',
      requirement_deadline: null,
      awaiting_notification: null,
    });
    expect(withdrawn.requirements[0].status).not.toBe('open');
    const seen = await get(`/v1/agency/procedures/${draft.id}`, auth(agencyKey));
    expect(seen.requirements[0].status).not.toBe('open');
    t.clock.set('2026-03-02T09:00:00Z');
  });
});

void day;
