import { createHash, randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { readSettlingKey } from '../../api/http/queries';
import { createTestApp, type TestApp } from '../support/app';
import {
  ADMIN_TOKEN,
  expectJson,
  expectProblem,
  grantDelegation,
  registerOrg,
  registerVerifiedOrg,
} from '../support/fixtures';
import { consentHeaders, delegatedDraft, FORMS, upload } from '../support/procedures';
import { statementRecorder } from '../support/statements';

/**
 * The round trips of a filing's writes, as the SDK sends them (each with an Idempotency-Key).
 * Every statement costs both processes CPU: these counts keep a write from quietly growing one.
 */
let t: TestApp;
const statements = statementRecorder();
beforeAll(async () => {
  t = await createTestApp({ onQuery: statements.onQuery, config: { adminToken: ADMIN_TOKEN } });
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
    // The key; in one transaction the claim (the key's lock, then its record, sent together), the
    // gate (which reads the calendar version too), the procedure, its timeline entry, the procedure
    // as answered, the key's record with the response (sent with the commit): one commit.
    expect(statements.sent.filter((s) => s.startsWith('select version'))).toEqual([]);
    expect(statements.sent).toHaveLength(10);
    expect(statements.sent[1]).toBe('begin');
    expect(statements.sent[2]).toContain('pg_try_advisory_xact_lock');
    expect(statements.sent[3]).toContain('from idempotency_keys');
    expect(statements.sent.at(-2)).toContain('insert into idempotency_keys');
    expect(statements.sent.at(-1)).toBe('commit');
    expect(statements.sent.filter((s) => s.startsWith('update idempotency_keys'))).toEqual([]);

    statements.sent.length = 0;
    await expectJson(
      await upload(t, org.testKey, token, created.id, 'DNI_NIE', undefined, {
        headers: { 'idempotency-key': randomUUID() },
      }),
      201,
    );
    // The key; in one transaction the claim (two statements sent together), the gate (which judges
    // the capacity on the status it reads), the procedure locked (not read whole), the bytes, the
    // document with the procedure's new version, its timeline entry, the key's record: one commit.
    expect(statements.sent.filter((s) => s.startsWith('update procedures set updated_at'))).toEqual([]);
    expect(statements.sent.filter((s) => s.startsWith('select p.status from procedures'))).toEqual([]);
    expect(statements.sent.filter((s) => s.includes('for update') && s.includes('document_kinds'))).toEqual([]);
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
    // The key; the claim (two statements), the gate, the procedure locked, the filing, its timeline
    // entry, two events (each written with the lookup of the endpoints it goes to) and the
    // citizen's avisos, the procedure as answered, the key's record.
    const events = statements.sent.filter((s) => s.includes('insert into events'));
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((s) => s.includes('join webhook_endpoints'))).toBe(true);
    expect(statements.sent.filter((s) => s.startsWith('select id from webhook_endpoints'))).toEqual([]);
    expect(statements.sent).toHaveLength(14);
  });
});

describe('minting a consent token', () => {
  const mint = (key: string, delegationId: string, headers: Record<string, string> = {}, json?: unknown) =>
    t.request(`/v1/delegations/${delegationId}/consent-tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, ...headers },
      ...(json === undefined ? {} : { json }),
    });
  const keyStatements = () => statements.sent.filter((s) => s.includes('from api_keys'));

  it('settles the key in the statement that reads the delegation, unless it carries an Idempotency-Key', async () => {
    const org = await registerOrg(t);
    const granted = await grantDelegation(t, org.testKey);

    statements.sent.length = 0;
    const minted = await expectJson<{ delegation_id: string }>(await mint(org.testKey, granted.delegationId), 201);
    expect(minted.delegation_id).toBe(granted.delegationId);
    // One round trip: the key, its organisation and member, and the delegation.
    expect(keyStatements()).toHaveLength(1);
    expect(keyStatements()[0]).toContain('from delegations d');
    expect(statements.sent.filter((s) => s.includes('from delegations d'))).toHaveLength(1);

    // The Idempotency-Key is scoped to the key, so a keyed mint settles the key first.
    statements.sent.length = 0;
    await expectJson(await mint(org.testKey, granted.delegationId, { 'idempotency-key': randomUUID() }), 201);
    expect(keyStatements()).toHaveLength(1);
    expect(keyStatements()[0]).not.toContain('from delegations d');
    expect(statements.sent.filter((s) => s.includes('from delegations d'))).toHaveLength(1);
  });

  it("refuses as the key's middleware does, and reads no delegation for a revoked key", async () => {
    const org = await registerOrg(t);
    const granted = await grantDelegation(t, org.testKey);
    await expectProblem(await mint(org.testKey, 'dlg_000000000000000000000'), 404, 'not_found');
    await expectProblem(
      await mint(org.testKey, granted.delegationId, {}, { capacities: ['withdraw'] }),
      403,
      'scope_insufficient',
    );
    // Another organisation's key does not see the delegation.
    const other = await registerOrg(t);
    await expectProblem(await mint(other.testKey, granted.delegationId), 404, 'not_found');
    // Nor does the same organisation's live key (another mode).
    const verified = await registerVerifiedOrg(t);
    const live = await grantDelegation(t, verified.testKey);
    await expectProblem(await mint(verified.liveKey, live.delegationId), 404, 'not_found');

    const unknown = `sk_test_${'x'.repeat(43)}`;
    const refused = await mint(unknown, granted.delegationId);
    await expectProblem(refused, 401, 'unauthorized');
    expect(refused.headers.get('www-authenticate')).toContain('Bearer');

    const [key] = await t.sql<{ id: string }[]>`select id from api_keys where organization_id = ${org.id} limit 1`;
    await t.sql`update api_keys set revoked_at = now() where id = ${key!.id}`;
    statements.sent.length = 0;
    await expectProblem(await mint(org.testKey, granted.delegationId), 401, 'unauthorized');
    expect(keyStatements()).toHaveLength(1);
    expect(keyStatements()[0]).toContain('not principal.revoked');
  });

  it('answers the rate limit with its headers, and 429 past it', async () => {
    const limited = await createTestApp({ config: { rateLimit: { limit: 3, windowSeconds: 60 } } });
    try {
      const org = await registerOrg(limited);
      const granted = await grantDelegation(limited, org.testKey);
      const send = () =>
        limited.request(`/v1/delegations/${granted.delegationId}/consent-tokens`, {
          method: 'POST',
          headers: { authorization: `Bearer ${org.testKey}` },
        });
      // Registering and granting used the key's budget: spend what is left, then one more.
      let res = await send();
      while (res.status === 201) {
        expect(res.headers.get('ratelimit-policy')).toBe('"credential";q=3;w=60');
        expect(res.headers.get('ratelimit')).toMatch(/^"credential";r=\d+;t=\d+$/);
        res = await send();
      }
      await expectProblem(res, 429, 'rate_limited');
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    } finally {
      await limited.close();
    }
  });
});

describe('a statement that settles the key with the data', () => {
  it('runs the data only for a key it accepts, and counts requests refused for their input', async () => {
    const limited = await createTestApp({ config: { rateLimit: { limit: 3, windowSeconds: 60 } } });
    try {
      const org = await registerOrg(limited);
      const lookup = (minimumRank: number) => ({
        secretHash: createHash('sha256').update(org.testKey).digest('hex'),
        now: limited.clock.now(),
        recordUse: false,
        rateLimit: { windowStart: new Date(0), shard: 0, write: 0, held: 0, known: 0 },
        accepts: { limit: 3, roles: ['viewer', 'agent', 'admin', 'owner'].slice(minimumRank) },
      });
      // A payload that fails if it runs: it runs for an accepted key, and for no other.
      const failing = limited.sql`select 1 / (random() * 0)::int as never`;
      await expect(readSettlingKey(limited.sql, lookup(0), failing)).rejects.toThrow(/division by zero/);
      const [member] = await limited.sql<{ id: string }[]>`
        select member_id as id from api_keys where organization_id = ${org.id} limit 1`;
      await limited.sql`update members set role = 'viewer' where id = ${member!.id}`;
      const refused = await readSettlingKey(
        limited.sql,
        lookup(1),
        limited.sql`select 1 / (random() * 0)::int as never`,
      );
      expect(refused.rows).toEqual([]);
      expect(refused.principal?.member_role).toBe('viewer');
      await limited.sql`update members set role = 'owner' where id = ${member!.id}`;
      await limited.sql`update api_keys set revoked_at = now() where organization_id = ${org.id}`;
      const revoked = await readSettlingKey(
        limited.sql,
        lookup(0),
        limited.sql`select 1 / (random() * 0)::int as never`,
      );
      expect(revoked.rows).toEqual([]);
      expect(revoked.principal?.revoked).toBe(true);

      // Requests refused for their input before any statement still count against the limit.
      const other = await registerOrg(limited);
      const granted = await grantDelegation(limited, other.testKey);
      const mint = (json: unknown) =>
        limited.request(`/v1/delegations/${granted.delegationId}/consent-tokens`, {
          method: 'POST',
          headers: { authorization: `Bearer ${other.testKey}` },
          json,
        });
      for (let i = 0; i < 3; i++) expect((await mint({ capacities: 'all' })).status).toBe(400);
      await expectProblem(await mint({}), 429, 'rate_limited');
    } finally {
      await limited.close();
    }
  });
});
