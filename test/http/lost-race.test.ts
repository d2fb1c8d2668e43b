import { describe, expect, inject, it } from 'vitest';

import { begin } from '../../api/db/sql';
import { fileServedApp, sendJson } from '../support/app';
import { lockWaiters } from '../support/database';
import { auth, registerOrg } from '../support/fixtures';
import { consentHeaders, delegatedDraft, FORMS } from '../support/procedures';

/**
 * A change whose If-Match held when it was read, but that lost the race to another change
 * committed before its own write: the 412 names the version the database holds now
 * (`current_etag`), as a stale If-Match refused at the read does. Sent over a real socket.
 */
const { t, server } = await fileServedApp({
  config: { webhooks: { requireHttps: false, allowPrivateTargets: true, timeoutMs: 2000, leaseSeconds: 60 } },
});

/** A request to this file's served app (see `sendJson`). */
const send = (path: string, method: string, headers: Record<string, string>, json?: unknown) =>
  sendJson(server, path, method, headers, json);

/**
 * Runs `change` in another transaction and holds it uncommitted while `request` is sent: the
 * request reads the resource as it was, then waits at its write for the row `change` locked.
 * Commits once the request waits, and answers what the request was answered.
 */
async function racing<T>(change: string, request: () => Promise<T>): Promise<T> {
  let changed!: () => void;
  const changing = new Promise<void>((resolve) => (changed = resolve));
  let commit!: () => void;
  const committing = new Promise<void>((resolve) => (commit = resolve));
  const other = begin(t.sql, async (tx) => {
    await tx.unsafe(change);
    changed();
    await committing;
  });
  await changing;
  const answer = request();
  try {
    await lockWaiters(t.sql, 1);
  } finally {
    commit();
    await other;
  }
  return answer;
}

// Two transactions at once need two connections: PostgreSQL only.
describe.runIf(inject('databaseMode') === 'postgres')('a change that lost the race to another', () => {
  it('PATCH /v1/webhook-endpoints/{id}: 412 with the ETag of the change that won', async () => {
    const org = await registerOrg(t);
    const h = auth(org.testKey);
    const created = await send('/v1/webhook-endpoints', 'POST', h, { url: 'http://127.0.0.1:9/hooks' });
    expect(created.etag).toBe(`"${created.body.id}.v1"`);
    const path = `/v1/webhook-endpoints/${created.body.id}`;

    const lost = await racing(
      `update webhook_endpoints set description = 'won', version = version + 1 where id = '${created.body.id}'`,
      () => send(path, 'PATCH', { ...h, 'if-match': created.etag! }, { description: 'lost' }),
    );
    expect(lost.status).toBe(412);
    expect(lost.body).toMatchObject({
      code: 'precondition_failed',
      current_etag: `"${created.body.id}.v2"`,
      detail: expect.stringContaining('changed while you were editing it'),
    });
    expect(await send(path, 'GET', h)).toMatchObject({
      etag: lost.body.current_etag,
      body: { description: 'won' },
    });
  });

  it('PATCH /v1/procedures/{id}: 412 with the ETag of the change that won, with If-Match or without', async () => {
    const org = await registerOrg(t);
    const { token, draft } = await delegatedDraft(t, org.testKey);
    const h = consentHeaders(org.testKey, token);
    const path = `/v1/procedures/${draft.id}`;
    const bump = `update procedures set version = version + 1 where id = '${draft.id}'`;

    for (const [version, headers] of [
      [draft.version, { ...h, 'if-match': `"${draft.id}.v${draft.version}"` }],
      [draft.version + 1, h],
    ] as const) {
      const form = { ...FORMS.JUB, requested_start_date: `2026-0${version + 6}-01` };
      const lost = await racing(bump, () => send(path, 'PATCH', headers, { form }));
      expect(lost.status).toBe(412);
      expect(lost.body).toMatchObject({
        code: 'precondition_failed',
        current_etag: `"${draft.id}.v${version + 1}"`,
        detail: expect.stringContaining('changed while you were editing it'),
      });
      const read = await send(path, 'GET', h);
      expect(read.etag).toBe(lost.body.current_etag);
      expect(read.body.form).toEqual(draft.form);
    }
  });
});
