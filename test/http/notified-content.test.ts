import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { applyMigrations } from '../../api/db/migrate';
import { SESSION_COOKIE } from '../../api/http/auth';
import { readMigrationFiles } from '../../api/node/migration-files';
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
 * side only once its notification has taken effect: opened (the legal access, art. 43.2 LPAC, that
 * the record and the term rest on) or deemed rejected after 10 días naturales. Until then the
 * firm's consented read, the notification and the citizen's views show its state and dates, not its
 * text; the agency that issued it sees it all.
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

  it("a resolution's text and amount are withheld until its notification takes effect, and shown once it is deemed rejected", async () => {
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
    // The timeline says it was resolved, and how; the amount stays with the resolution.
    const timeline = await expectJson(
      await t.request(`/v1/procedures/${filed.id}/timeline`, { headers: await c.consent() }),
      200,
    );
    expect(timeline.data.find((e: { action: string }) => e.action === 'resolved').details).toEqual({
      outcome: 'approved',
    });

    // Made available on Wednesday 4 March: deemed rejected on the 14th, a Saturday, so on Monday
    // 16 March (arts. 43.2 and 30.5). On the 16th it still waits; from the 17th it has had its effect.
    t.clock.set('2026-03-16T20:00:00Z');
    expect((await read()).resolution).toEqual(withheld);
    const citizen = await citizenView(c.idNumber, filed.id);
    expect(citizen.json.resolution).toEqual(withheld);
    const myList = await expectJson(
      await t.request('/v1/me/procedures', { headers: auth(await citizenToken(t, c.idNumber)) }),
      200,
    );
    expect(myList.data.find((p: { id: string }) => p.id === filed.id).resolution).toEqual(withheld);
    expect(citizen.html).toContain('Aprobada');
    expect(citizen.html).not.toContain(RESOLUTION_TEXT);
    expect(citizen.html).not.toMatch(/1\.?412,50/);
    expect(citizen.html).toContain('El texto y el importe de la resolución se mostrarán');

    t.clock.set('2026-03-17T09:00:00Z');
    const notificationPath = `/v1/procedures/${filed.id}/notifications/${notificationId}`;
    expect(await expectJson(await t.request(notificationPath, { headers: await c.consent() }), 200)).toMatchObject({
      status: 'deemed_rejected',
      deemed_rejected_on: '2026-03-16',
      accessed_at: null,
      content: { outcome: 'approved', text: RESOLUTION_TEXT, amount: 1412.5 },
    });
    const shownResolution = { ...withheld, text: RESOLUTION_TEXT, amount: 1412.5, content_withheld: false };
    expect((await read()).resolution).toEqual(shownResolution);
    const shown = await citizenView(c.idNumber, filed.id);
    expect(shown.json.resolution).toEqual(shownResolution);
    expect(shown.html).toContain(RESOLUTION_TEXT);
    expect(shown.html).toMatch(/1\.?412,50/);
    expect(shown.html).not.toContain('se mostrarán');
  });

  it('the agency that issued an act sees it before the firm does', async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const agency = await issueAgencyKey(t);
    const org = await registerVerifiedOrg(t);
    const key = org.liveKey!;
    const granted = await grantDelegation(t, key, {
      scope: { procedure_types: ['JUB'], subjects: [], capacities: ['consult', 'file'] },
    });
    const token = await mintToken(t, key, granted.delegationId, { lifetime_seconds: 3600 });
    const filedLive = async () => {
      const draft = await createDraft(t, key, token, 'JUB', FORMS.JUB);
      await submitJub(t, key, token, draft.id);
      await expectJson(await act(draft.id, 'admit'), 200);
      return draft.id as string;
    };
    const act = (id: string, path: string, json?: Record<string, unknown>) =>
      t.request(`/v1/agency/procedures/${id}/${path}`, { method: 'POST', headers: auth(agency), json });
    const agencyRead = async (id: string) =>
      expectJson(await t.request(`/v1/agency/procedures/${id}`, { headers: auth(agency) }), 200);
    const firmRead = async (id: string) =>
      expectJson(await t.request(`/v1/procedures/${id}`, { headers: consentHeaders(key, token) }), 200);

    const required = await filedLive();
    await expectJson(await act(required, 'requirements', { kinds: ['COMPANY_CERT'], message: REQUIREMENT_TEXT }), 200);
    expect((await agencyRead(required)).requirements[0]).toMatchObject({
      message: REQUIREMENT_TEXT,
      content_withheld: false,
    });
    expect((await firmRead(required)).requirements[0]).toMatchObject({ message: null, content_withheld: true });

    const resolvedId = await filedLive();
    const resolved = await expectJson(
      await act(resolvedId, 'resolve', { outcome: 'approved', text: RESOLUTION_TEXT, amount: 1412.5 }),
      200,
    );
    const full = { text: RESOLUTION_TEXT, amount: 1412.5, content_withheld: false };
    expect(resolved.resolution).toMatchObject(full);
    expect((await agencyRead(resolvedId)).resolution).toMatchObject(full);
    const queue = await expectJson(
      await t.request('/v1/agency/procedures?status=approved&limit=100', { headers: auth(agency) }),
      200,
    );
    expect(queue.data.find((p: { id: string }) => p.id === resolvedId).resolution).toMatchObject(full);
    expect((await firmRead(resolvedId)).resolution).toMatchObject({ text: null, amount: null, content_withheld: true });
    await openNotification(t, key, token, resolvedId, 'resolution');
    expect((await firmRead(resolvedId)).resolution).toMatchObject(full);
  });

  it('migration 0164 takes the amount out of the timeline entries of earlier resolutions, and nothing else', async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const c = await citizenCase(t);
    const filed = await fileJub(t, c);
    await advance(t, c, filed.id, { action: 'approve', amount: 1412.5, message: RESOLUTION_TEXT });
    // As a resolution was recorded before: its amount copied into the timeline.
    await t.sql`update procedure_timeline set details = details || '{"amount": 1412.5}'::jsonb
      where procedure_id = ${filed.id} and action = 'resolved'`;
    const before = await t.sql<{ action: string; details: Record<string, unknown> }[]>`
      select action, details from procedure_timeline where procedure_id = ${filed.id} order by seq`;
    expect(before.find((e) => e.action === 'resolved')!.details).toEqual({ outcome: 'approved', amount: 1412.5 });

    await t.sql`delete from schema_migrations where name = '0164_timeline_resolution_amount.sql'`;
    expect((await applyMigrations(t.sql, readMigrationFiles())).applied).toEqual([
      '0164_timeline_resolution_amount.sql',
    ]);
    const after = await t.sql<{ action: string; details: Record<string, unknown> }[]>`
      select action, details from procedure_timeline where procedure_id = ${filed.id} order by seq`;
    expect(after).toEqual(
      before.map((e) => (e.action === 'resolved' ? { ...e, details: { outcome: 'approved' } } : e)),
    );
  });
});
