import { createHash } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { fileTestApp } from '../support/app';
import {
  ADMIN_TOKEN,
  auth,
  expectJson,
  expectProblem,
  grantDelegation,
  issueAgencyKey,
  mintToken,
  registerVerifiedOrg,
} from '../support/fixtures';
import { consentHeaders, FORMS, upload } from '../support/procedures';

/**
 * An agency key reaches the procedures its body decides, fixed when each is filed, and no other
 * body's: an ISM office does not see an ordinary INSS pension, a mutua or a region no reclamación
 * previa against the INSS, one community's body no other community's non-contributory pension.
 */
const t = await fileTestApp({ config: { adminToken: ADMIN_TOKEN }, now: '2026-03-02T09:00:00Z' });

/** One live client of a verified firm, whose delegation covers a retirement pension, a PNC and an RP, to file and answer. */
async function liveClient() {
  const org = await registerVerifiedOrg(t);
  const { delegationId, citizenToken } = await grantDelegation(t, org.liveKey, {
    scope: { procedure_types: ['JUB', 'PNC', 'RP'], subjects: [], capacities: ['consult', 'file', 'respond'] },
  });
  const token = await mintToken(t, org.liveKey, delegationId, { lifetime_seconds: 3600 });
  const headers = consentHeaders(org.liveKey, token);
  /** Creates, completes and files a procedure; answers it as filed. */
  const file = async (type: string, form: unknown, extra: Record<string, unknown> = {}) => {
    const draft = await expectJson(
      await t.request('/v1/procedures', { method: 'POST', headers, json: { type, form, ...extra } }),
      201,
    );
    for (const group of draft.missing_documents as Array<{ any_of: string[] }>)
      expect((await upload(t, org.liveKey, token, draft.id, group.any_of[0]!)).status).toBe(201);
    return expectJson(await t.request(`/v1/procedures/${draft.id}/submit`, { method: 'POST', headers }), 200);
  };
  return { org, headers, file, citizen: auth(citizenToken!) };
}

const sees = async (key: string, id: string) => {
  const res = await t.request(`/v1/agency/procedures/${id}`, { headers: auth(key) });
  if (res.status === 404) {
    await expectProblem(res, 404, 'not_found');
    const queue = await expectJson(await t.request('/v1/agency/procedures?limit=100', { headers: auth(key) }), 200);
    expect(queue.data.map((p: { id: string }) => p.id)).not.toContain(id);
    const acted = await t.request(`/v1/agency/procedures/${id}/admit`, { method: 'POST', headers: auth(key) });
    expect(acted.status).toBe(404);
    return false;
  }
  expect(res.status).toBe(200);
  return true;
};

describe('the body that decides a procedure', () => {
  it('is fixed at filing, shown to the firm and the citizen, and only its keys reach the procedure', async () => {
    const inss = await issueAgencyKey(t, { managing_body: 'INSS' });
    const ism = await issueAgencyKey(t, { managing_body: 'ISM', office: 'Dirección Provincial del ISM de Madrid' });
    const mutua = await issueAgencyKey(t, { managing_body: 'MUTUA', office: 'Mutua colaboradora' });
    const madrid = await issueAgencyKey(t, { managing_body: 'CCAA', office: 'Comunidad de Madrid', region: 'MD' });
    const catalonia = await issueAgencyKey(t, { managing_body: 'CCAA', office: 'Generalitat', region: 'CT' });
    const inssCatalonia = await issueAgencyKey(t, { managing_body: 'INSS', office: 'DP Barcelona', region: 'CT' });
    const { org, file, citizen } = await liveClient();

    // An ordinary retirement pension: the INSS, and only the INSS (not the ISM, not a mutua).
    const jub = await file('JUB', FORMS.JUB);
    expect(jub.managing_body).toBe('INSS');
    const listed = await expectJson(await t.request('/v1/procedures?limit=100', { headers: auth(org.liveKey) }), 200);
    expect(listed.data.find((p: { id: string }) => p.id === jub.id).managing_body).toBe('INSS');
    const mine = await expectJson(await t.request('/v1/me/procedures', { headers: citizen }), 200);
    expect(mine.data.find((p: { id: string }) => p.id === jub.id).managing_body).toBe('INSS');
    expect(await sees(inss, jub.id)).toBe(true);
    expect(await sees(ism, jub.id)).toBe(false);
    expect(await sees(mutua, jub.id)).toBe(false);
    expect(await sees(madrid, jub.id)).toBe(false);
    // An INSS key limited to Catalonia does not reach a Madrid applicant's procedure.
    expect(await sees(inssCatalonia, jub.id)).toBe(false);

    // Under the sea workers' regime: the ISM.
    const sea = await file('JUB', { ...FORMS.JUB, regime: 'mar' });
    expect(sea.managing_body).toBe('ISM');
    expect(await sees(ism, sea.id)).toBe(true);
    expect(await sees(inss, sea.id)).toBe(false);

    // A reclamación previa goes to the body that decided what it contests: the ISM denies, the firm contests.
    const denied = await t.request(`/v1/agency/procedures/${sea.id}/resolve`, {
      method: 'POST',
      headers: auth(ism),
      json: { outcome: 'denied', text: 'Se deniega la pensión por no acreditar el periodo mínimo de cotización.' },
    });
    expect(denied.status).toBe(200);
    const rpForm = {
      applicant: FORMS.JUB.applicant,
      resolution_date: '2026-03-02',
      grounds: 'La resolución no computa los periodos cotizados en Francia entre 1995 y 2001.',
    };
    const rp = await file('RP', { ...rpForm, original_procedure_id: sea.id }, { original_procedure_id: sea.id });
    expect(rp.managing_body).toBe('ISM');
    expect(await sees(ism, rp.id)).toBe(true);
    expect(await sees(inss, rp.id)).toBe(false);
    expect(await sees(mutua, rp.id)).toBe(false);
    expect(await sees(catalonia, rp.id)).toBe(false);

    // A non-contributory pension: the applicant's community (Madrid), not another's, not the INSS.
    const pnc = await file('PNC', {
      applicant: FORMS.JUB.applicant,
      modality: 'jubilacion',
      household_members: 1,
      annual_household_income: 3100,
    });
    expect(pnc.managing_body).toBe('CCAA');
    expect(await sees(madrid, pnc.id)).toBe(true);
    expect(await sees(catalonia, pnc.id)).toBe(false);
    expect(await sees(inss, pnc.id)).toBe(false);
  });

  it('is null on a draft, which no agency sees', async () => {
    const { org, headers } = await liveClient();
    const draft = await expectJson(
      await t.request('/v1/procedures', { method: 'POST', headers, json: { type: 'JUB', form: FORMS.JUB } }),
      201,
    );
    expect(draft.managing_body).toBe(null);
    expect(await sees(await issueAgencyKey(t), draft.id)).toBe(false);
    expect(org.liveKey).toMatch(/^sk_live_/);
  });
});

describe('agency keys', () => {
  const admin = (path: string, init: RequestInit & { json?: unknown } = {}) =>
    t.request(path, { ...init, headers: auth(ADMIN_TOKEN) });

  it("need a community for a regional body's key", async () => {
    const refused = await expectProblem(
      await admin('/v1/admin/agency-keys', { method: 'POST', json: { managing_body: 'CCAA', office: 'Junta' } }),
      400,
      'validation_failed',
    );
    expect(refused.errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/region']);
    await expectProblem(
      await admin('/v1/admin/agency-keys', {
        method: 'POST',
        json: { managing_body: 'CCAA', office: 'Junta', region: 'XX' },
      }),
      400,
      'validation_failed',
    );
  });

  it('are listed without their secrets, and revoked from the next request on', async () => {
    const issued = await expectJson(
      await admin('/v1/admin/agency-keys', {
        method: 'POST',
        json: { managing_body: 'IMSERSO', office: 'Dirección Territorial de Ceuta', region: 'CE' },
      }),
      201,
    );
    expect(issued).toMatchObject({ object: 'agency_key', managing_body: 'IMSERSO', region: 'CE', revoked_at: null });
    expect((await t.request('/v1/agency/procedures', { headers: auth(issued.secret) })).status).toBe(200);

    const listed = await expectJson(await admin('/v1/admin/agency-keys?managing_body=IMSERSO&limit=100'), 200);
    const entry = listed.data.find((k: { id: string }) => k.id === issued.id);
    expect(entry).toMatchObject({ id: issued.id, office: 'Dirección Territorial de Ceuta', revoked_at: null });
    expect(entry.last_used_at).not.toBe(null);
    expect(JSON.stringify(listed)).not.toContain(issued.secret);
    expect(listed.data.every((k: { managing_body: string }) => k.managing_body === 'IMSERSO')).toBe(true);

    t.clock.advance(60_000);
    const revoked = await expectJson(await admin(`/v1/admin/agency-keys/${issued.id}`, { method: 'DELETE' }), 200);
    expect(revoked.revoked_at).toBe(t.clock.now().toISOString());
    await expectProblem(
      await t.request('/v1/agency/procedures', { headers: auth(issued.secret) }),
      401,
      'unauthorized',
    );
    // Revoking twice is harmless: the first revocation's time stays.
    t.clock.advance(60_000);
    const again = await expectJson(await admin(`/v1/admin/agency-keys/${issued.id}`, { method: 'DELETE' }), 200);
    expect(again.revoked_at).toBe(revoked.revoked_at);
    await expectProblem(
      await admin('/v1/admin/agency-keys/agk_000000000000000000000', { method: 'DELETE' }),
      404,
      'not_found',
    );
    // Only the platform administrator manages them.
    expect((await t.request('/v1/admin/agency-keys', { headers: auth(issued.secret) })).status).toBe(401);
  });
});

describe("a caseworker's act on what they read", () => {
  it('is refused (412) if the procedure changed since, and changes nothing', async () => {
    const inss = await issueAgencyKey(t);
    const { file } = await liveClient();
    const jub = await file('JUB', FORMS.JUB);
    const read = await t.request(`/v1/agency/procedures/${jub.id}`, { headers: auth(inss) });
    const seen = read.headers.get('etag');
    expect(seen).toBe(`"${jub.id}.v${jub.version}"`);

    // A colleague admits it meanwhile.
    const admitted = await t.request(`/v1/agency/procedures/${jub.id}/admit`, {
      method: 'POST',
      headers: auth(inss, { 'if-match': seen! }),
    });
    expect(admitted.status).toBe(200);
    const now = admitted.headers.get('etag');
    expect(now).not.toBe(seen);
    expect(((await admitted.json()) as { version: number }).version).toBe(jub.version + 1);

    // The first caseworker's requirement, on the version they read, is refused and records nothing.
    const stale = await expectProblem(
      await t.request(`/v1/agency/procedures/${jub.id}/requirements`, {
        method: 'POST',
        headers: auth(inss, { 'if-match': seen! }),
        json: { kinds: ['IBAN_CERT'], message: 'Aporte un certificado de titularidad de la cuenta.' },
      }),
      412,
      'precondition_failed',
    );
    expect(stale.current_etag).toBe(now);
    const after = await expectJson(await t.request(`/v1/agency/procedures/${jub.id}`, { headers: auth(inss) }), 200);
    expect(after).toMatchObject({ status: 'in_review', requirements: [], version: jub.version + 1 });

    // On the version now current it goes through; without If-Match too.
    const required = await t.request(`/v1/agency/procedures/${jub.id}/requirements`, {
      method: 'POST',
      headers: auth(inss, { 'if-match': now! }),
      json: { kinds: ['IBAN_CERT'], message: 'Aporte un certificado de titularidad de la cuenta.' },
    });
    expect(required.status).toBe(200);
    expect(
      (await t.request(`/v1/agency/procedures/${jub.id}/lapse-warning`, { method: 'POST', headers: auth(inss) }))
        .status,
    ).toBe(200);
  });

  it('cannot warn of caducidad while the applicant has nothing to answer', async () => {
    const inss = await issueAgencyKey(t);
    const { file } = await liveClient();
    const jub = await file('JUB', FORMS.JUB);
    const warn = () =>
      t.request(`/v1/agency/procedures/${jub.id}/lapse-warning`, { method: 'POST', headers: auth(inss) });
    expect((await expectProblem(await warn(), 409, 'invalid_state_transition')).current_state).toBe('submitted');
    await t.request(`/v1/agency/procedures/${jub.id}/admit`, { method: 'POST', headers: auth(inss) });
    expect((await expectProblem(await warn(), 409, 'invalid_state_transition')).allowed_from).toEqual([
      'action_required',
    ]);
  });

  it("reads the representative's reason for asking more time", async () => {
    const inss = await issueAgencyKey(t);
    const { file, headers } = await liveClient();
    const jub = await file('JUB', FORMS.JUB);
    const required = await expectJson(
      await t.request(`/v1/agency/procedures/${jub.id}/requirements`, {
        method: 'POST',
        headers: auth(inss),
        json: { kinds: ['IBAN_CERT'], message: 'Aporte un certificado de titularidad de la cuenta.' },
      }),
      200,
    );
    const reason = 'El banco tarda diez días en emitir el certificado de titularidad.';
    const extended = await t.request(`/v1/procedures/${jub.id}/requirements/${required.requirements[0].id}/response`, {
      method: 'POST',
      headers,
      json: { request_extension: true, message: reason },
    });
    expect(extended.status).toBe(200);
    const timeline = await expectJson(await t.request(`/v1/procedures/${jub.id}/timeline`, { headers }), 200);
    const entry = timeline.data.find((e: { action: string }) => e.action === 'requirement_extended');
    expect(entry.details).toMatchObject({ requirement_id: required.requirements[0].id, message: reason });
  });
});

describe("a caseworker's reads", () => {
  it("are in the citizen's access log, naming the body and office, and documents can be opened", async () => {
    const inss = await issueAgencyKey(t, { office: 'Dirección Provincial del INSS de Madrid' });
    const { file, citizen, org } = await liveClient();
    const jub = await file('JUB', FORMS.JUB);
    const before = await expectJson(await t.request('/v1/me/access-log?limit=100', { headers: citizen }), 200);

    const seen = await expectJson(await t.request(`/v1/agency/procedures/${jub.id}`, { headers: auth(inss) }), 200);
    const document = seen.documents[0];
    const download = await t.request(`/v1/agency/procedures/${jub.id}/documents/${document.id}/content`, {
      headers: auth(inss),
    });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe(document.content_type);
    const bytes = new Uint8Array(await download.arrayBuffer());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(document.sha256);
    await expectProblem(
      await t.request(`/v1/agency/procedures/${jub.id}/documents/doc_000000000000000000000/content`, {
        headers: auth(inss),
      }),
      404,
      'not_found',
    );
    // Another body's key reads nothing, and nothing is logged for it.
    const ism = await issueAgencyKey(t, { managing_body: 'ISM' });
    expect(
      (await t.request(`/v1/agency/procedures/${jub.id}/documents/${document.id}/content`, { headers: auth(ism) }))
        .status,
    ).toBe(404);

    const after = await expectJson(await t.request('/v1/me/access-log?limit=100', { headers: citizen }), 200);
    const fresh = after.data.slice(0, after.data.length - before.data.length);
    expect(fresh.map((e: { action: string }) => e.action)).toEqual(['document.downloaded', 'procedure.read']);
    for (const entry of fresh) {
      expect(entry).toMatchObject({
        actor: 'agency',
        agency: { managing_body: 'INSS', office: 'Dirección Provincial del INSS de Madrid' },
        organization: { id: org.id },
        member: null,
      });
    }
    expect(fresh[0].resource).toEqual({ type: 'document', id: document.id });
    expect(fresh[1].resource).toEqual({ type: 'procedure', id: jub.id });

    // The queue shows each procedure whole: every one on the page is an access too.
    const queue = await expectJson(await t.request('/v1/agency/procedures?limit=100', { headers: auth(inss) }), 200);
    expect(queue.data.map((p: { id: string }) => p.id)).toContain(jub.id);
    const listed = await expectJson(await t.request('/v1/me/access-log?limit=1', { headers: citizen }), 200);
    expect(listed.data[0]).toMatchObject({ actor: 'agency', action: 'procedure.read', resource: { id: jub.id } });

    // The citizen's page says who read, in words.
    const page = await t.request('/ciudadania/registro', {
      headers: { cookie: `puente_citizen=${citizen.authorization!.slice('Bearer '.length)}` },
    });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Personal de INSS (Dirección Provincial del INSS de Madrid)');
  });
});
