import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestApp, type TestApp } from '../support/app';
import { advance, answerRequirement, citizenCase, fileJub } from '../support/citizen-procedures';
import { auth, expectJson, grantDelegation, mintToken, registerOrg } from '../support/fixtures';
import { createDraft, FORMS, openNotification } from '../support/procedures';
import { statementRecorder } from '../support/statements';

/**
 * A page of the organisation's procedures is two statements: the key (with its rate limit) and
 * the page, which brings the calendar version its dates are computed with.
 */
let t: TestApp;
const statements = statementRecorder();
beforeAll(async () => {
  t = await createTestApp({ onQuery: statements.onQuery });
});
afterAll(() => t.close());

describe('the list of procedures', () => {
  it('costs the key and the page, nothing more, and pages on', async () => {
    const org = await registerOrg(t);
    const { delegationId } = await grantDelegation(t, org.testKey, {
      scope: { procedure_types: ['JUB'], subjects: [], capacities: ['consult', 'file'] },
    });
    const token = await mintToken(t, org.testKey, delegationId, { lifetime_seconds: 3600 });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await createDraft(t, org.testKey, token, 'JUB', FORMS.JUB)).id);
      t.clock.advance(1000);
    }
    // The calendar is loaded once per process; later pages only compare its version.
    await t.request('/v1/procedures?limit=2', { headers: auth(org.testKey) });

    statements.sent.length = 0;
    const first = await t.request('/v1/procedures?limit=2', { headers: auth(org.testKey) });
    expect(statements.sent).toHaveLength(2);
    // The type's terms and required documents come with the calendar, not joined on every row.
    expect(statements.sent[1]).not.toMatch(/(from|join) procedure_types/);
    expect(first.status).toBe(200);
    // The key's rate limit is answered in the headers, and its refusals hold.
    expect(first.headers.get('ratelimit')).toMatch(/^"credential";r=\d+;t=\d+$/);
    const page = (await first.json()) as { data: { id: string }[]; has_more: boolean; next_cursor: string };
    expect(page.data.map((p) => p.id)).toEqual([ids[2], ids[1]]);
    expect(page.has_more).toBe(true);

    statements.sent.length = 0;
    const next = await t.request(`/v1/procedures?limit=2&cursor=${page.next_cursor}`, { headers: auth(org.testKey) });
    expect(statements.sent).toHaveLength(2);
    const rest = (await next.json()) as { data: { id: string }[]; has_more: boolean };
    expect(rest.data.map((p) => p.id)).toEqual([ids[0]]);
    expect(rest.has_more).toBe(false);

    const empty = await registerOrg(t);
    statements.sent.length = 0;
    const none = await t.request('/v1/procedures', { headers: auth(empty.testKey) });
    expect(statements.sent).toHaveLength(2);
    expect(((await none.json()) as { data: unknown[] }).data).toEqual([]);

    const [key] = await t.sql<{ id: string }[]>`select id from api_keys where organization_id = ${org.id} limit 1`;
    await t.sql`update api_keys set revoked_at = now() where id = ${key!.id}`;
    const revoked = await t.request('/v1/procedures', { headers: auth(org.testKey) });
    expect(revoked.status).toBe(401);
    expect(((await revoked.json()) as { code: string }).code).toBe('unauthorized');
    const unknown = await t.request('/v1/procedures', { headers: auth(`sk_test_${'x'.repeat(43)}`) });
    expect(unknown.status).toBe(401);
  });

  it("shows each case's state and dates, and leaves its contents to a read the client's log records", async () => {
    const c = await citizenCase(t);
    const filed = await fileJub(t, c);
    await advance(t, c, filed.id, {
      action: 'require',
      kinds: ['COMPANY_CERT'],
      message: 'Falta el certificado de empresa.',
    });
    const required = await expectJson(
      await t.request(`/v1/procedures/${filed.id}`, { headers: await c.consent() }),
      200,
    );
    const requirementId = required.requirements[0].id as string;
    await answerRequirement(t, c, filed.id, requirementId, 'COMPANY_CERT');
    await advance(t, c, filed.id, {
      action: 'approve',
      amount: 1412.5,
      message: 'Se reconoce la pensión de jubilación.',
    });
    t.clock.advance(1000);
    const draft = await createDraft(t, c.orgKey, await c.token(), 'JUB', FORMS.JUB);
    const logged = async () =>
      (
        await t.sql<
          { n: number }[]
        >`select count(*)::int as n from access_log where resource_id in (${filed.id}, ${draft.id})`
      )[0]!.n;
    const before = await logged();

    statements.sent.length = 0;
    const page = await expectJson(await t.request('/v1/procedures', { headers: auth(c.orgKey) }), 200);
    // The page's statement does not even read the contents.
    expect(statements.sent[1]).not.toMatch(/p\.form|resolution_text|resolution_amount/);
    const [listedDraft, listedFiled] = page.data;
    expect([listedDraft.id, listedFiled.id]).toEqual([draft.id, filed.id]);
    for (const item of page.data) expect(item).not.toHaveProperty('form');
    expect(listedFiled).toMatchObject({
      object: 'procedure',
      status: 'approved',
      registry_entry_number: filed.registry_entry_number,
    });
    expect(listedFiled.resolution).toEqual({
      outcome: 'approved',
      resolved_at: expect.any(String),
      notification_id: expect.stringMatching(/^ntf_/),
    });
    expect(listedFiled.requirements).toHaveLength(1);
    expect(listedFiled.requirements[0]).toMatchObject({
      id: requirementId,
      kinds: ['COMPANY_CERT'],
      status: 'answered',
    });
    expect(listedFiled.requirements[0]).not.toHaveProperty('message');
    expect(listedFiled.requirements[0]).not.toHaveProperty('response_message');
    // Answered the day it was opened (answering opens it): it suspended nothing.
    expect(listedFiled.requirements[0].suspension).toEqual({ status: 'none', reason: 'answered_when_notified' });
    expect(listedDraft.missing_documents.length).toBeGreaterThan(0);
    // Listing reads none of a client's contents, so nothing is written to their log.
    expect(await logged()).toBe(before);

    // The same procedure read under the client's consent: its contents, and an entry in their log.
    // The resolution's text and amount wait for its notification to be opened (the requirement's was
    // opened by answering it).
    const read = await expectJson(await t.request(`/v1/procedures/${filed.id}`, { headers: await c.consent() }), 200);
    expect(read.form).toEqual(filed.form);
    expect(read.resolution).toEqual({ ...listedFiled.resolution, text: null, amount: null, content_withheld: true });
    expect(read.requirements[0]).toEqual({
      ...listedFiled.requirements[0],
      message: 'Falta el certificado de empresa.',
      content_withheld: false,
      response_message: 'Adjunto el certificado.',
    });
    const { form: _form, resolution: _resolution, requirements: _requirements, ...rest } = read;
    const { resolution: _r, requirements: _q, ...listedRest } = listedFiled;
    expect(listedRest).toEqual(rest);
    expect(await logged()).toBe(before + 1);
    await openNotification(t, c.orgKey, await c.token(), filed.id, 'resolution');
    const opened = await expectJson(await t.request(`/v1/procedures/${filed.id}`, { headers: await c.consent() }), 200);
    expect(opened.resolution).toEqual({
      ...listedFiled.resolution,
      text: 'Se reconoce la pensión de jubilación.',
      amount: 1412.5,
      content_withheld: false,
    });
  });
});
