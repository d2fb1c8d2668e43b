import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestApp, type TestApp } from '../support/app';
import { expectJson, registerOrg } from '../support/fixtures';
import { consentHeaders, delegatedDraft, FORMS, upload } from '../support/procedures';
import { statementRecorder } from '../support/statements';

/**
 * The round trips of a filing's writes, as the SDK sends them (each with an Idempotency-Key).
 * Every statement costs both processes CPU: these counts keep a write from quietly growing one.
 */
let t: TestApp;
const statements = statementRecorder();
beforeAll(async () => {
  t = await createTestApp({ onQuery: statements.onQuery });
});
afterAll(() => t.close());

const keyed = (key: string, token: string) => consentHeaders(key, token, { 'idempotency-key': randomUUID() });

describe("a filing's writes", () => {
  it('create, upload and submit in the statements they need', async () => {
    const org = await registerOrg(t);
    const { token } = await delegatedDraft(t, org.testKey, { capacities: ['consult', 'file'] });

    statements.sent.length = 0;
    const created = await expectJson(
      await t.request('/v1/procedures', {
        method: 'POST',
        headers: keyed(org.testKey, token),
        json: { type: 'JUB', form: FORMS.JUB },
      }),
      201,
    );
    // The key; in one transaction the claim, the gate (which reads the calendar version too), the
    // procedure, its timeline entry, the procedure as answered, the completed key: one commit.
    expect(statements.sent.filter((s) => s.startsWith('select version'))).toEqual([]);
    expect(statements.sent).toHaveLength(9);
    expect(statements.sent[1]).toBe('begin');
    expect(statements.sent[2]).toContain('pg_try_advisory_xact_lock');
    expect(statements.sent.at(-1)).toBe('commit');

    statements.sent.length = 0;
    await expectJson(
      await upload(t, org.testKey, token, created.id, 'DNI_NIE', undefined, {
        headers: { 'idempotency-key': randomUUID() },
      }),
      201,
    );
    // The document and the procedure's new version are one statement.
    expect(statements.sent.filter((s) => s.startsWith('update procedures set updated_at'))).toEqual([]);
    expect(statements.sent).toHaveLength(11);
    const [after] = await t.sql<{ version: number; updated_at: Date }[]>`
      select version, updated_at from procedures where id = ${created.id}`;
    expect(after!.version).toBe(created.version + 1);
    expect(after!.updated_at.toISOString()).toBe(t.clock.now().toISOString());
    await upload(t, org.testKey, token, created.id, 'IBAN_CERT');

    statements.sent.length = 0;
    await expectJson(
      await t.request(`/v1/procedures/${created.id}/submit`, { method: 'POST', headers: keyed(org.testKey, token) }),
      200,
    );
    // The key; the claim, the gate, the procedure locked, the filing, its timeline entry, two events
    // (each written with the lookup of the endpoints it goes to) and the citizen's avisos, the
    // procedure as answered, the completed key.
    const events = statements.sent.filter((s) => s.includes('insert into events'));
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((s) => s.includes('from webhook_endpoints'))).toBe(true);
    expect(statements.sent.filter((s) => s.startsWith('select id from webhook_endpoints'))).toEqual([]);
    expect(statements.sent).toHaveLength(13);
  });
});
