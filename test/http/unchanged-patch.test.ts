import { describe, expect, it } from 'vitest';

import { fileServedApp, sendJson } from '../support/app';
import { auth, registerOrg } from '../support/fixtures';
import { consentHeaders, delegatedDraft, FORMS } from '../support/procedures';

/**
 * A PATCH that changes nothing (an empty body, or only values the resource already holds) writes
 * nothing: it answers the resource as it is, at its version, so the ETag others hold stays good.
 * Sent over a real socket, as clients send them.
 */
const { t, server } = await fileServedApp({
  config: { webhooks: { requireHttps: false, allowPrivateTargets: true, timeoutMs: 2000, leaseSeconds: 60 } },
});

/** A request to this file's served app (see `sendJson`). */
const send = (path: string, method: string, headers: Record<string, string>, json?: unknown) =>
  sendJson(server, path, method, headers, json);

/** The same JSON value with every object's keys in the reverse order. */
function reordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reordered);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([k, v]) => [k, reordered(v)]),
  );
}

describe('PATCH /v1/webhook-endpoints/{id} that changes nothing', () => {
  it('answers the endpoint as it is, with its ETag, and another client’s ETag stays good', async () => {
    const org = await registerOrg(t);
    const h = auth(org.testKey);
    const created = await send('/v1/webhook-endpoints', 'POST', h, {
      url: 'http://127.0.0.1:9/hooks',
      event_types: ['procedure.*', 'delegation.revoked'],
    });
    expect(created.status).toBe(201);
    const path = `/v1/webhook-endpoints/${created.body.id}`;
    const v1 = `"${created.body.id}.v1"`;
    const read = await send(path, 'GET', h);
    expect(read.etag).toBe(v1);

    const unchanged = [
      {},
      { description: null },
      { enabled: true },
      { url: 'HTTP://127.0.0.1:9/hooks', event_types: ['procedure.*', 'delegation.revoked', 'procedure.*'] },
    ];
    for (const body of unchanged) {
      const answer = await send(path, 'PATCH', { ...h, 'if-match': v1 }, body);
      expect(answer.status, JSON.stringify(body)).toBe(200);
      expect(answer.etag, JSON.stringify(body)).toBe(v1);
      expect(answer.body).toEqual(read.body);
    }
    expect(await send(path, 'GET', h)).toMatchObject({ etag: v1, body: read.body });

    // Another client still holding v1 changes it: the version moves once.
    const changed = await send(path, 'PATCH', { ...h, 'if-match': v1 }, { description: 'Avisos' });
    expect(changed).toMatchObject({ status: 200, etag: `"${created.body.id}.v2"`, body: { description: 'Avisos' } });
    // A change that changes nothing is still held to its If-Match.
    const stale = await send(path, 'PATCH', { ...h, 'if-match': v1 }, {});
    expect(stale).toMatchObject({ status: 412, body: { code: 'precondition_failed' } });

    // Disabling twice: the second writes nothing, and keeps when it was disabled.
    const disabled = await send(path, 'PATCH', h, { enabled: false });
    expect(disabled).toMatchObject({ etag: `"${created.body.id}.v3"`, body: { enabled: false } });
    t.clock.advance(60_000);
    const again = await send(path, 'PATCH', h, { enabled: false, description: 'Avisos' });
    expect(again).toMatchObject({ status: 200, etag: disabled.etag });
    expect(again.body).toEqual(disabled.body);
    // Enabling it is a change (it clears `disabled_at`).
    const enabled = await send(path, 'PATCH', h, { enabled: true });
    expect(enabled).toMatchObject({ etag: `"${created.body.id}.v4"`, body: { enabled: true, disabled_at: null } });
  });
});

describe('PATCH /v1/procedures/{id} that changes nothing', () => {
  it('answers the draft as it is, with its ETag, and adds nothing to its timeline', async () => {
    const org = await registerOrg(t);
    const { token, draft } = await delegatedDraft(t, org.testKey);
    const h = consentHeaders(org.testKey, token);
    const path = `/v1/procedures/${draft.id}`;
    const read = await send(path, 'GET', h);
    const etag = `"${draft.id}.v${draft.version}"`;
    expect(read.etag).toBe(etag);

    // The same form, its keys in another order (as a client may rebuild it).
    const same = await send(path, 'PATCH', { ...h, 'if-match': etag }, { form: reordered(FORMS.JUB) });
    expect(same).toMatchObject({ status: 200, etag });
    expect(same.body).toEqual(read.body);
    const timeline = async () => (await send(`${path}/timeline`, 'GET', h)).body.data.map((e: any) => e.action);
    expect(await timeline()).toEqual(['created']);

    // A form that differs is written: one version step, one timeline entry.
    const form = { ...FORMS.JUB, requested_start_date: '2026-07-01' };
    const changed = await send(path, 'PATCH', { ...h, 'if-match': etag }, { form });
    expect(changed).toMatchObject({ status: 200, etag: `"${draft.id}.v${draft.version + 1}"` });
    expect(changed.body.form.requested_start_date).toBe('2026-07-01');
    const sent = await send(path, 'PATCH', { ...h, 'if-match': changed.etag! }, { form });
    expect(sent).toMatchObject({ status: 200, etag: changed.etag });
    expect(await timeline()).toEqual(['created', 'form_updated']);
    // Held to its If-Match all the same.
    const stale = await send(path, 'PATCH', { ...h, 'if-match': etag }, { form });
    expect(stale).toMatchObject({ status: 412, body: { code: 'precondition_failed' } });
  });
});
