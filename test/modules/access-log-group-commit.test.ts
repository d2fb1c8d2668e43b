import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { createSql } from '../../api/db/client';
import type { Sql } from '../../api/db/sql';
import { createTestApp, type TestApp } from '../support/app';
import { citizenToken, expectProblem, registerOrg } from '../support/fixtures';
import { consentHeaders, delegatedDraft } from '../support/procedures';

/**
 * The access log of consented reads. On PostgreSQL the read's one statement (on the request
 * pool) writes no entry: the entry joins a batch committed on the writer pool for many reads at
 * once, and the read answers only after that commit. On the embedded database the statement
 * writes the entry itself. Either way the entry is durable when the answer arrives, and no data
 * is ever served without it.
 */
let t: TestApp;
let queries = 0;
/** Another session than the app's, to judge durability (the same client on PGlite: one connection). */
let observer: Sql;
const grouped = () => t.deps!.accessLog !== undefined;

beforeAll(async () => {
  t = await createTestApp({
    config: { rateLimit: { limit: 100_000, windowSeconds: 60 } },
    // Every statement the app sends on the request pool; not the driver's own type lookup when it opens a connection.
    onQuery: (_connection, query) => {
      if (!query.includes('pg_catalog.pg_type')) queries++;
    },
  });
  const url = (t.database as { url?: string }).url;
  observer = url ? createSql(url, { max: 1 }) : t.sql;
});
afterAll(async () => {
  if (observer !== t.sql) await observer.end();
  await t.close();
});

async function world() {
  const org = await registerOrg(t);
  const { draft, ...granted } = await delegatedDraft(t, org.testKey);
  return { org, procedure: draft, ...granted };
}

const logged = async (requestId: string) =>
  observer<
    { action: string; resource_id: string; delegation_id: string }[]
  >`select action, resource_id, delegation_id from access_log where request_id = ${requestId}`;

/**
 * Runs `work` while the access log refuses entries whose request id is `requestId` or starts with
 * it when it ends in `%` (a failing batch, or a failing insert), and takes the refusal away after.
 */
async function whilePoisoned(requestId: string, work: () => Promise<void>): Promise<void> {
  const test = requestId.endsWith('%') ? 'like' : '=';
  await t.sql.unsafe(`
    create function poison_access_log() returns trigger language plpgsql as $$
    begin
      if new.request_id ${test} '${requestId}' then raise exception 'poisoned entry'; end if;
      return new;
    end $$;
    create trigger poison_access_log before insert on access_log for each row execute function poison_access_log();`);
  try {
    await work();
  } finally {
    await t.sql.unsafe('drop trigger poison_access_log on access_log; drop function poison_access_log();');
  }
}

describe('the access log of consented reads', () => {
  it('is chosen by the runtime: group-committed on PostgreSQL, in the statement on the embedded database', () => {
    expect(grouped()).toBe(t.database.kind === 'postgres');
  });

  it('has the entry durable, seen from another session, when the answer arrives; one statement on the request pool', async () => {
    const { org, token, procedure, delegationId } = await world();
    const commits = t.deps!.accessLog?.commits ?? 0;
    const before = queries;
    const res = await t.request(`/v1/procedures/${procedure.id}`, {
      headers: consentHeaders(org.testKey, token, { 'request-id': 'req_durable_0001' }),
    });
    const statements = queries - before;
    // Read at once, from another connection, before anything else runs.
    const entries = await logged('req_durable_0001');
    expect(res.status).toBe(200);
    expect(statements).toBe(1);
    expect(entries).toEqual([{ action: 'procedure.read', resource_id: procedure.id, delegation_id: delegationId }]);
    if (grouped()) expect(t.deps!.accessLog!.commits).toBe(commits + 1);
  });

  it.runIf(inject('databaseMode') === 'postgres')(
    'commits the entries of concurrent reads in fewer transactions than reads',
    async () => {
      const { org, token, procedure } = await world();
      const n = 40;
      const commits = t.deps!.accessLog!.commits;
      const before = queries;
      const answers = await Promise.all(
        Array.from({ length: n }, (_, i) =>
          t.request(`/v1/procedures/${procedure.id}`, {
            headers: consentHeaders(org.testKey, token, {
              'request-id': `req_concurrent_${String(i).padStart(3, '0')}`,
            }),
          }),
        ),
      );
      expect(answers.map((r) => r.status)).toEqual(Array(n).fill(200));
      expect(queries - before).toBe(n);
      const batches = t.deps!.accessLog!.commits - commits;
      expect(batches).toBeGreaterThan(0);
      expect(batches).toBeLessThan(n);
      const [row] = await observer<
        { count: number }[]
      >`select count(*)::int as count from access_log where request_id like 'req_concurrent_%'`;
      expect(row!.count).toBe(n);
    },
  );

  it.runIf(inject('databaseMode') === 'postgres')(
    'fails every read of a failed batch with 503 and serves none of its data',
    async () => {
      const { org, token, procedure } = await world();
      // A batch carrying a poisoned entry fails as a whole (its transaction rolls back).
      await whilePoisoned('req_poison%', async () => {
        const ids = Array.from({ length: 20 }, (_, i) =>
          i % 5 === 0 ? `req_poison_${String(i).padStart(3, '0')}` : `req_batchmate_${String(i).padStart(3, '0')}`,
        );
        const answers = await Promise.all(
          ids.map((id) =>
            t.request(`/v1/procedures/${procedure.id}`, {
              headers: consentHeaders(org.testKey, token, { 'request-id': id }),
            }),
          ),
        );
        let refused = 0;
        for (const [i, res] of answers.entries()) {
          const entries = await logged(ids[i]!);
          if (res.status === 200) {
            // Served: its entry is there.
            expect(entries).toHaveLength(1);
            continue;
          }
          refused++;
          // Worth sending again, soon (as the document says of every 503).
          expect(res.headers.get('retry-after')).toBe('1');
          expect(res.headers.get('puente-should-retry')).toBe('true');
          const problem = await expectProblem(res, 503, 'service_unavailable');
          expect(JSON.stringify(problem)).not.toContain(procedure.id);
          expect(problem).not.toHaveProperty('form');
          expect(entries).toEqual([]);
        }
        for (const [i, res] of answers.entries()) if (ids[i]!.startsWith('req_poison')) expect(res.status).toBe(503);
        expect(refused).toBeGreaterThanOrEqual(4);
        expect(t.logs.some((line) => line.includes('access log batch failed'))).toBe(true);
        expect(t.logs.join('\n')).not.toContain('poisoned entry');
      });
      // The next batch commits again.
      const res = await t.request(`/v1/procedures/${procedure.id}`, {
        headers: consentHeaders(org.testKey, token, { 'request-id': 'req_after_poison' }),
      });
      expect(res.status).toBe(200);
      expect(await logged('req_after_poison')).toHaveLength(1);
    },
  );

  it('refuses the very next read once the citizen revokes the delegation, and logs nothing for it', async () => {
    const { org, token, procedure, delegationId, idNumber } = await world();
    const read = (requestId: string) =>
      t.request(`/v1/procedures/${procedure.id}`, {
        headers: consentHeaders(org.testKey, token, { 'request-id': requestId }),
      });
    expect((await read('req_before_revoke')).status).toBe(200);
    const revoked = await t.request(`/v1/me/delegations/${delegationId}/revoke`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await citizenToken(t, idNumber)}` },
    });
    expect(revoked.status).toBe(200);
    await expectProblem(await read('req_after_revoke'), 403, 'delegation_inactive');
    expect(await logged('req_before_revoke')).toHaveLength(1);
    expect(await logged('req_after_revoke')).toEqual([]);
  });
});

describe('the access log of minted consent tokens', () => {
  const mint = (key: string, delegationId: string, requestId: string, headers: Record<string, string> = {}) =>
    t.request(`/v1/delegations/${delegationId}/consent-tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'request-id': requestId, ...headers },
    });

  it('has the entry durable when the token is answered, in the batch where the runtime has one', async () => {
    const { org, delegationId } = await world();
    const commits = t.deps!.accessLog?.commits ?? 0;
    const before = queries;
    const res = await mint(org.testKey, delegationId, 'req_mint_durable_01');
    const statements = queries - before;
    const entries = await logged('req_mint_durable_01');
    expect(res.status).toBe(201);
    expect(entries).toEqual([
      { action: 'consent_token.minted', resource_id: delegationId, delegation_id: delegationId },
    ]);
    if (grouped()) {
      // The key with the delegation in one statement on the request pool; the entry in a batch on the writer pool.
      expect(statements).toBe(1);
      expect(t.deps!.accessLog!.commits).toBe(commits + 1);
    }
  });

  it("with an Idempotency-Key, writes the entry in the request's own transaction: it commits with the stored response", async () => {
    const { org, delegationId } = await world();
    const commits = t.deps!.accessLog?.commits ?? 0;
    const before = queries;
    const res = await mint(org.testKey, delegationId, 'req_mint_keyed_01', { 'idempotency-key': 'mint-keyed-01' });
    const statements = queries - before;
    expect(res.status).toBe(201);
    expect(await logged('req_mint_keyed_01')).toEqual([
      { action: 'consent_token.minted', resource_id: delegationId, delegation_id: delegationId },
    ]);
    // The key; begin, the claim (the key's lock, then its record), the delegation, the entry, the
    // key's record with the response, commit. No batch.
    expect(statements).toBe(8);
    expect(t.deps!.accessLog?.commits ?? 0).toBe(commits);
    // A retry is answered the stored token, and mints (and logs) nothing more.
    const retried = await mint(org.testKey, delegationId, 'req_mint_keyed_02', { 'idempotency-key': 'mint-keyed-01' });
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(((await retried.json()) as { token: string }).token).toBe(((await res.json()) as { token: string }).token);
    expect(await logged('req_mint_keyed_02')).toEqual([]);
  });

  it.runIf(inject('databaseMode') === 'postgres')(
    'with an Idempotency-Key, answers no token and keeps nothing when its entry fails; the key then mints anew',
    async () => {
      const { org, delegationId } = await world();
      await whilePoisoned('req_mint_keyed_poison', async () => {
        // The entry is sent with the stored response, both settled before the commit: its failure fails them all.
        const res = await mint(org.testKey, delegationId, 'req_mint_keyed_poison', {
          'idempotency-key': 'mint-poison',
        });
        const problem = await expectProblem(res, 500, 'internal');
        expect(problem).not.toHaveProperty('token');
        expect(await logged('req_mint_keyed_poison')).toEqual([]);
        const stored = await t.sql`select 1 from idempotency_keys where key = 'mint-poison'`;
        expect(stored).toHaveLength(0);
      });
      const retried = await mint(org.testKey, delegationId, 'req_mint_keyed_retry', {
        'idempotency-key': 'mint-poison',
      });
      expect(retried.status).toBe(201);
      expect(retried.headers.get('idempotent-replayed')).toBeNull();
      expect(await logged('req_mint_keyed_retry')).toHaveLength(1);
    },
  );

  it.runIf(inject('databaseMode') === 'postgres')(
    'answers 503 and no token when the batch carrying its entry fails',
    async () => {
      const { org, delegationId } = await world();
      await whilePoisoned('req_mint_poison', async () => {
        const res = await mint(org.testKey, delegationId, 'req_mint_poison');
        const problem = await expectProblem(res, 503, 'service_unavailable');
        expect(problem).not.toHaveProperty('token');
        expect(await logged('req_mint_poison')).toEqual([]);
      });
      expect((await mint(org.testKey, delegationId, 'req_mint_after')).status).toBe(201);
    },
  );
});
