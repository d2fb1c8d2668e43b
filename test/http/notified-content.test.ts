import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SESSION_COOKIE } from '../../api/http/auth';
import { createTestApp, type TestApp } from '../support/app';
import { advance, citizenCase, fileJub } from '../support/citizen-procedures';
import {
  ADMIN_TOKEN,
  auth,
  citizenToken,
  expectJson,
  grantDelegation,
  issueAgencyKey,
  mintToken,
  registerVerifiedOrg,
} from '../support/fixtures';
import { consentHeaders, createDraft, FORMS, openNotification, submitJub } from '../support/procedures';

/**
 * An act notified electronically (a requirement, a resolution) is read by the interested party's
 * side only after its notification is opened: the opening is the legal access (art. 43.2 LPAC) that
 * the record and the term rest on. Until then the firm's consented read, the notification and the
 * citizen's view show its state and dates, not its text; the agency that issued it sees it all.
 */
let t: TestApp;
beforeAll(async () => {
  // Monday 2 March 2026, 10:00 in Madrid.
  t = await createTestApp({ now: '2026-03-02T09:00:00Z', config: { adminToken: ADMIN_TOKEN } });
});
afterAll(() => t.close());

const REQUIREMENT_TEXT = 'Aporte el certificado de empresa con la fecha de cese.';
const RESOLUTION_TEXT = 'Se reconoce la pensión de jubilación.';

async function citizenView(idNumber: string, id: string) {
  const headers = auth(await citizenToken(t, idNumber));
  const json = await expectJson(await t.request(`/v1/me/procedures/${id}`, { headers }), 200);
  const page = await t.request(`/ciudadania/tramites/${id}?lang=es`, {
    headers: { cookie: `${SESSION_COOKIE}=${await citizenToken(t, idNumber)}` },
  });
  expect(page.status).toBe(200);
  return { json, html: await page.text() };
}

describe("a notified act's text", () => {
  it("a requirement's message is withheld until its notification is opened, from the firm and the citizen alike", async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const c = await citizenCase(t);
    const filed = await fileJub(t, c);
    t.clock.set('2026-03-04T09:00:00Z');
    await advance(t, c, filed.id, { action: 'require', kinds: ['COMPANY_CERT'], message: REQUIREMENT_TEXT });

    const before = await expectJson(await t.request(`/v1/procedures/${filed.id}`, { headers: await c.consent() }), 200);
    const [requirement] = before.requirements;
    expect(requirement).toMatchObject({
      kinds: ['COMPANY_CERT'],
      message: null,
      content_withheld: true,
      deadline: null,
      term_starts: 'on_access_or_deemed_rejection',
    });
    const notificationPath = `/v1/procedures/${filed.id}/notifications/${requirement.notification_id}`;
    const notification = await expectJson(await t.request(notificationPath, { headers: await c.consent() }), 200);
    expect(notification).toMatchObject({ status: 'available', content: null });
    const citizen = await citizenView(c.idNumber, filed.id);
    expect(citizen.json.requirements[0]).toMatchObject({ message: null, content_withheld: true });
    expect(citizen.json.open_requirement).toMatchObject({ message: null, content_withheld: true });
    expect(citizen.html).not.toContain(REQUIREMENT_TEXT);
    expect(citizen.html).toContain('se mostrará cuando su representante abra la notificación');

    // Opened on Wednesday 4 March: the message is shown, and the 10 días hábiles run from the 5th
    // (5, 6, 9–13, 16–18 March; Madrid has no holiday among them).
    await expectJson(
      await t.request(`${notificationPath}/access`, { method: 'POST', headers: await c.consent() }),
      200,
    );
    const after = await expectJson(await t.request(`/v1/procedures/${filed.id}`, { headers: await c.consent() }), 200);
    expect(after.requirements[0]).toMatchObject({
      message: REQUIREMENT_TEXT,
      content_withheld: false,
      deadline: '2026-03-18',
    });
    const shown = await citizenView(c.idNumber, filed.id);
    expect(shown.json.open_requirement).toMatchObject({ message: REQUIREMENT_TEXT, content_withheld: false });
    expect(shown.html).toContain(REQUIREMENT_TEXT);
  });

  it("a resolution's text and amount are withheld until it is opened, even once it is deemed rejected", async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const c = await citizenCase(t);
    const filed = await fileJub(t, c);
    t.clock.set('2026-03-04T09:00:00Z');
    const advanced = await advance(t, c, filed.id, { action: 'approve', amount: 1412.5, message: RESOLUTION_TEXT });
    const notificationId = advanced.resolution.notification_id as string;
    expect(notificationId).toMatch(/^ntf_/);

    const read = async () =>
      expectJson(await t.request(`/v1/procedures/${filed.id}`, { headers: await c.consent() }), 200);
    const withheld = {
      outcome: 'approved',
      resolved_at: '2026-03-04T09:00:00.000Z',
      notification_id: notificationId,
      text: null,
      amount: null,
      content_withheld: true,
    };
    expect((await read()).resolution).toEqual(withheld);
    const listed = await expectJson(await t.request('/v1/procedures', { headers: auth(c.orgKey) }), 200);
    expect(listed.data.find((p: { id: string }) => p.id === filed.id).resolution).toEqual({
      outcome: 'approved',
      resolved_at: '2026-03-04T09:00:00.000Z',
      notification_id: notificationId,
    });

    // Made available on 4 March: deemed rejected on the 14th, a Saturday, so on Monday 16 March
    // (arts. 43.2 and 30.5). The rejection has effect in law; it reveals nothing.
    t.clock.set('2026-03-20T09:00:00Z');
    const notificationPath = `/v1/procedures/${filed.id}/notifications/${notificationId}`;
    expect(await expectJson(await t.request(notificationPath, { headers: await c.consent() }), 200)).toMatchObject({
      status: 'deemed_rejected',
      deemed_rejected_on: '2026-03-16',
      content: null,
    });
    expect((await read()).resolution).toEqual(withheld);
    const citizen = await citizenView(c.idNumber, filed.id);
    expect(citizen.json.resolution).toEqual(withheld);
    expect(citizen.html).toContain('Aprobada');
    expect(citizen.html).not.toContain(RESOLUTION_TEXT);
    expect(citizen.html).toContain('El texto y el importe de la resolución se mostrarán');

    await expectJson(
      await t.request(`${notificationPath}/access`, { method: 'POST', headers: await c.consent() }),
      200,
    );
    const opened = { ...withheld, text: RESOLUTION_TEXT, amount: 1412.5, content_withheld: false };
    expect((await read()).resolution).toEqual(opened);
    const shown = await citizenView(c.idNumber, filed.id);
    expect(shown.json.resolution).toEqual(opened);
    expect(shown.html).toContain(RESOLUTION_TEXT);
    expect(shown.html).toMatch(/1412,50|1\.412,50/);
  });

  it('the agency that issued the act sees it before the firm opens it', async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const agency = await issueAgencyKey(t);
    const org = await registerVerifiedOrg(t);
    const key = org.liveKey!;
    const granted = await grantDelegation(t, key, {
      scope: { procedure_types: ['JUB'], subjects: [], capacities: ['consult', 'file'] },
    });
    const token = await mintToken(t, key, granted.delegationId, { lifetime_seconds: 3600 });
    const draft = await createDraft(t, key, token, 'JUB', FORMS.JUB);
    await submitJub(t, key, token, draft.id);
    const act = (path: string, json?: Record<string, unknown>) =>
      t.request(`/v1/agency/procedures/${draft.id}/${path}`, { method: 'POST', headers: auth(agency), json });
    await expectJson(await act('admit'), 200);
    const resolved = await expectJson(
      await act('resolve', { outcome: 'approved', text: RESOLUTION_TEXT, amount: 1412.5 }),
      200,
    );
    expect(resolved.resolution).toMatchObject({ text: RESOLUTION_TEXT, amount: 1412.5, content_withheld: false });
    const firm = await expectJson(
      await t.request(`/v1/procedures/${draft.id}`, { headers: consentHeaders(key, token) }),
      200,
    );
    expect(firm.resolution).toMatchObject({ text: null, amount: null, content_withheld: true });
    await openNotification(t, key, token, draft.id, 'resolution');
    const opened = await expectJson(
      await t.request(`/v1/procedures/${draft.id}`, { headers: consentHeaders(key, token) }),
      200,
    );
    expect(opened.resolution).toMatchObject({ text: RESOLUTION_TEXT, amount: 1412.5, content_withheld: false });
  });
});
