import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { actionText } from '../../api/modules/citizen/access-log-view';
import { MESSAGES } from '../../api/modules/citizen/i18n';
import { createTestApp, type TestApp } from '../support/app';
import { ADMIN_TOKEN, auth, expectJson, expectProblem, mintToken, registerVerifiedOrg } from '../support/fixtures';
import { consentHeaders, delegatedDraft, upload } from '../support/procedures';

/**
 * A replayed response is the write's data (the form, with the client's DNI and IBAN) served
 * again: the replay passes the consent gate as a fresh request would, with its own token and for
 * what the write was allowed, and is logged once for the citizen; refused, it logs nothing.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ config: { adminToken: ADMIN_TOKEN } });
});
afterAll(() => t.close());

const ALL = ['consult', 'file', 'respond', 'withdraw'];

async function logged(
  requestId: string,
): Promise<Array<{ action: string; resource_type: string; resource_id: string }>> {
  return t.sql<{ action: string; resource_type: string; resource_id: string }[]>`
    select action, resource_type, resource_id from access_log where request_id = ${requestId}`;
}

/** A live client's draft, and a PATCH of it sent with one Idempotency-Key (and a token of choice). */
async function keyedUpdate() {
  const org = await registerVerifiedOrg(t);
  const g = await delegatedDraft(t, org.liveKey, { capacities: ALL });
  const key = randomUUID();
  const send = (token = g.token, requestId = `req_${randomUUID()}`) =>
    t.request(`/v1/procedures/${g.draft.id}`, {
      method: 'PATCH',
      headers: consentHeaders(org.liveKey, token, { 'idempotency-key': key, 'request-id': requestId }),
      json: { form: g.draft.form },
    });
  const first = await send();
  expect(first.status).toBe(200);
  return { org, g, key, send, first: await first.text() };
}

describe('a replayed consented write', () => {
  it('is refused once the citizen revokes the delegation, and logs nothing', async () => {
    const { g, send } = await keyedUpdate();
    await expectJson(
      await t.request(`/v1/me/delegations/${g.delegationId}/revoke`, {
        method: 'POST',
        headers: auth(g.citizenToken!),
      }),
      200,
    );

    const res = await send(g.token, 'req_replay_revoked_01');
    expect(res.headers.get('idempotent-replayed')).toBeNull();
    const problem = await expectProblem(res, 403, 'delegation_inactive');
    expect(JSON.stringify(problem)).not.toContain('iban');
    expect(await logged('req_replay_revoked_01')).toEqual([]);
  });

  it('is refused to a token of the delegation without the capacity the write needed', async () => {
    const { org, g, send } = await keyedUpdate();
    const consultOnly = await mintToken(t, org.liveKey, g.delegationId, { capacities: ['consult'] });

    const res = await send(consultOnly, 'req_replay_scope_0001');
    expect(res.headers.get('idempotent-replayed')).toBeNull();
    const problem = await expectProblem(res, 403, 'scope_insufficient');
    expect(problem.required_capacity).toBe('file');
    expect(await logged('req_replay_scope_0001')).toEqual([]);
  });

  it("is refused to another client's token of the same organisation, as a fresh request is", async () => {
    const { org, g, send } = await keyedUpdate();
    const other = await delegatedDraft(t, org.liveKey, { capacities: ALL });

    const res = await send(other.token, 'req_replay_other_0001');
    expect(res.headers.get('idempotent-replayed')).toBeNull();
    await expectProblem(res, 404, 'not_found');
    expect(await logged('req_replay_other_0001')).toEqual([]);
    expect(g.draft.id).not.toBe(other.draft.id);
  });

  it('serves the stored response while the consent holds, logged once as a replay', async () => {
    const { g, send, first } = await keyedUpdate();

    const res = await send(g.token, 'req_replay_allowed_01');
    expect(res.status).toBe(200);
    expect(res.headers.get('idempotent-replayed')).toBe('true');
    expect(await res.text()).toBe(first);
    expect(await logged('req_replay_allowed_01')).toEqual([
      { action: 'procedure.updated.replayed', resource_type: 'procedure', resource_id: g.draft.id },
    ]);
    // The write itself happened once.
    const [updates] = await t.sql<{ n: number }[]>`
      select count(*)::int as n from access_log where action = 'procedure.updated' and resource_id = ${g.draft.id}`;
    expect(updates!.n).toBe(1);
  });

  it('of a new draft is allowed for the same procedure type only', async () => {
    const org = await registerVerifiedOrg(t);
    const g = await delegatedDraft(t, org.liveKey, { capacities: ALL, procedure_types: ['JUB', 'IMV'] });
    const key = randomUUID();
    const create = (token: string, requestId: string) =>
      t.request('/v1/procedures', {
        method: 'POST',
        headers: consentHeaders(org.liveKey, token, { 'idempotency-key': key, 'request-id': requestId }),
        json: { type: 'JUB', form: g.draft.form },
      });
    const created = await expectJson(await create(g.token, 'req_create_first_001'), 201);

    const replay = await create(g.token, 'req_create_replay_01');
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await logged('req_create_replay_01')).toEqual([
      { action: 'procedure.created.replayed', resource_type: 'procedure', resource_id: created.id },
    ]);

    const imvOnly = await mintToken(t, org.liveKey, g.delegationId, { procedure_types: ['IMV'] });
    const otherType = await expectProblem(await create(imvOnly, 'req_create_imvonly_1'), 403, 'scope_insufficient');
    expect(otherType.procedure_type).toBe('JUB');
    expect(await logged('req_create_imvonly_1')).toEqual([]);

    // Another client's token, covering the same type: the draft created is the first client's,
    // so it is not served (nor logged for the other client), as a fresh request on it would not be.
    const other = await delegatedDraft(t, org.liveKey, { capacities: ALL, procedure_types: ['JUB'] });
    const foreign = await create(other.token, 'req_create_other_001');
    expect(foreign.headers.get('idempotent-replayed')).toBeNull();
    await expectProblem(foreign, 404, 'not_found');
    expect(await logged('req_create_other_001')).toEqual([]);

    await t.request(`/v1/me/delegations/${g.delegationId}/revoke`, { method: 'POST', headers: auth(g.citizenToken!) });
    await expectProblem(await create(g.token, 'req_create_revoked_1'), 403, 'delegation_inactive');
    expect(await logged('req_create_revoked_1')).toEqual([]);
  });

  it('of an upload (multipart) is checked the same way', async () => {
    const org = await registerVerifiedOrg(t);
    const g = await delegatedDraft(t, org.liveKey, { capacities: ALL });
    const key = randomUUID();
    const send = (requestId: string, token = g.token) =>
      upload(t, org.liveKey, token, g.draft.id, 'DNI_NIE', undefined, {
        headers: { 'idempotency-key': key, 'request-id': requestId },
      });
    const first = await expectJson(await send('req_upload_first_001'), 201);

    const replay = await send('req_upload_replay_01');
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await replay.json()).toEqual(first);
    expect(await logged('req_upload_replay_01')).toEqual([
      { action: 'document.uploaded.replayed', resource_type: 'procedure', resource_id: g.draft.id },
    ]);
    const [documents] = await t.sql<{ n: number }[]>`
      select count(*)::int as n from documents where procedure_id = ${g.draft.id}`;
    expect(documents!.n).toBe(1);

    const consultOnly = await mintToken(t, org.liveKey, g.delegationId, { capacities: ['consult'] });
    await expectProblem(await send('req_upload_scope_001', consultOnly), 403, 'scope_insufficient');
    expect(await logged('req_upload_scope_001')).toEqual([]);

    await t.request(`/v1/me/delegations/${g.delegationId}/revoke`, { method: 'POST', headers: auth(g.citizenToken!) });
    const revoked = await send('req_upload_revoked_1');
    expect(revoked.headers.get('idempotent-replayed')).toBeNull();
    await expectProblem(revoked, 403, 'delegation_inactive');
    expect(await logged('req_upload_revoked_1')).toEqual([]);
  });

  it('stored before what it was allowed was kept is not served again', async () => {
    const { g, key, send } = await keyedUpdate();
    await t.sql`update idempotency_keys set granted = null where key = ${key}`;

    const res = await send(g.token, 'req_replay_legacy_001');
    expect(res.headers.get('idempotent-replayed')).toBeNull();
    await expectProblem(res, 422, 'idempotency_conflict');
    expect(await logged('req_replay_legacy_001')).toEqual([]);
  });

  it("reads in the citizen's access log as the write's answer sent again", () => {
    expect(actionText(MESSAGES.es, 'procedure.updated.replayed')).toBe(
      'Guardó el formulario de un expediente (respuesta enviada de nuevo, sin cambios)',
    );
    expect(actionText(MESSAGES.en, 'document.uploaded.replayed')).toBe(
      'Added a document (answer sent again, nothing changed)',
    );
    expect(actionText(MESSAGES.en, 'unknown.replayed')).toBe('Other action (unknown.replayed)');
  });
});
