import { createHash } from 'node:crypto';

import { describe, expect, inject, it } from 'vitest';

import { createApp } from '../../api/app';
import { configFromEnv } from '../../api/config';
import { legacyFingerprint, requestFingerprint } from '../../api/http/idempotency';
import { memoryLogger } from '../../api/http/logger';
import { claimIdempotencyKey } from '../../api/http/queries';
import { HitBuffer } from '../../api/http/rate-limit';
import { CalendarStore } from '../../api/modules/calendar/store';
import { runScheduler } from '../../api/modules/events/scheduler';
import { nodeDeps } from '../../api/node/runtime';
import { createTestApp, fileTestApp } from '../support/app';
import {
  auth,
  dni,
  expectProblem,
  grantDelegation,
  mintToken,
  registerOrg,
  registrationBody,
} from '../support/fixtures';
import { consentHeaders, delegatedDraft, FORMS, PDF_BYTES, PNG_BYTES, upload } from '../support/procedures';

const t = await fileTestApp();

describe('Idempotency-Key', () => {
  it('replays the first response for the same key and body, creating one row', async () => {
    const org = await registerOrg(t);
    const send = () =>
      t.request('/v1/members', {
        method: 'POST',
        headers: auth(org.testKey, { 'idempotency-key': 'member-5001' }),
        json: { name: 'Ana Gil', id_number: dni(5001), role: 'agent' },
      });
    const first = await send();
    const second = await send();
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(await second.text()).toBe(await first.text());
    expect(first.headers.get('content-type')).toBe('application/json');
    expect(second.headers.get('content-type')).toBe('application/json');
    const [row] = await t.sql<
      { n: number }[]
    >`select count(*)::int as n from members where organization_id = ${org.id} and name = 'Ana Gil'`;
    expect(row!.n).toBe(1);
  });

  it('commits nothing when the response cannot be stored: the request fails, and the key runs it anew', async () => {
    const org = await registerOrg(t);
    // The completion of this one key is refused, as a full disk or a lost connection would refuse it.
    await t.sql.unsafe(`
      create or replace function refuse_completion() returns trigger language plpgsql as $$
      begin raise exception 'the response could not be stored'; end; $$`);
    await t.sql.unsafe(`
      create trigger refuse_completion before insert or update on idempotency_keys
      for each row when (new.key = 'member-5002' and new.state = 'completed') execute function refuse_completion()`);
    try {
      const send = () =>
        t.request('/v1/members', {
          method: 'POST',
          headers: auth(org.testKey, { 'idempotency-key': 'member-5002' }),
          json: { name: 'Eva Ruiz', id_number: dni(5002), role: 'agent' },
        });
      await expectProblem(await send(), 500, 'internal');
      const members = await t.sql`select 1 from members where organization_id = ${org.id} and name = 'Eva Ruiz'`;
      const keys = await t.sql`select 1 from idempotency_keys where key = 'member-5002'`;
      expect([members.length, keys.length]).toEqual([0, 0]);
      // Nothing was claimed either: once the response can be stored, the same key runs the request.
      await t.sql.unsafe('drop trigger refuse_completion on idempotency_keys');
      expect((await send()).status).toBe(201);
    } finally {
      await t.sql.unsafe('drop trigger if exists refuse_completion on idempotency_keys');
    }
  });

  it('refuses the same key with a different body (422)', async () => {
    const org = await registerOrg(t);
    const headers = auth(org.testKey, { 'idempotency-key': 'member-5002' });
    expect(
      (
        await t.request('/v1/members', {
          method: 'POST',
          headers,
          json: { name: 'Ana Gil', id_number: dni(5002), role: 'agent' },
        })
      ).status,
    ).toBe(201);
    const other = await t.request('/v1/members', {
      method: 'POST',
      headers,
      json: { name: 'Ana Gil', id_number: dni(5003), role: 'agent' },
    });
    await expectProblem(other, 422, 'idempotency_conflict');
    expect(other.headers.get('puente-should-retry')).toBe('false');
  });

  it('are deleted by the scheduler once 24 hours old, after which the same key runs its request anew', async () => {
    const org = await registerOrg(t);
    const send = () =>
      t.request('/v1/members', {
        method: 'POST',
        headers: auth(org.testKey, { 'idempotency-key': 'member-5010' }),
        json: { name: 'Eva Ruiz', id_number: dni(5010), role: 'agent' },
      });
    expect((await send()).status).toBe(201);
    const sentAt = t.clock.now();
    const stored = async () =>
      (
        await t.sql<{ n: number }[]>`
          select count(*)::int as n from idempotency_keys where key = 'member-5010'`
      )[0]!.n;
    await runScheduler(t.sql, new Date(sentAt.getTime() + 24 * 3600_000 - 1000), new CalendarStore());
    expect(await stored()).toBe(1);
    const report = await runScheduler(t.sql, new Date(sentAt.getTime() + 24 * 3600_000 + 1000), new CalendarStore());
    expect(report.prunedIdempotencyKeys).toBeGreaterThanOrEqual(1);
    expect(await stored()).toBe(0);
    // The member exists now, so the request runs and is refused instead of being replayed.
    const again = await send();
    expect(again.headers.get('idempotent-replayed')).toBeNull();
    expect(again.status).toBe(409);
  });

  it('scopes keys to the credential', async () => {
    const a = await registerOrg(t);
    const b = await registerOrg(t);
    const body = { name: 'Ana Gil', id_number: dni(5004), role: 'agent' };
    expect(
      (
        await t.request('/v1/members', {
          method: 'POST',
          headers: auth(a.testKey, { 'idempotency-key': 'shared' }),
          json: body,
        })
      ).status,
    ).toBe(201);
    const res = await t.request('/v1/members', {
      method: 'POST',
      headers: auth(b.testKey, { 'idempotency-key': 'shared' }),
      json: body,
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('idempotent-replayed')).toBeNull();
  });

  it('lets exactly one of many parallel duplicates execute', async () => {
    const org = await registerOrg(t);
    const body = registrationBody();
    const responses = await Promise.all(
      Array.from({ length: 8 }, () =>
        t.request('/v1/organizations', {
          method: 'POST',
          headers: { 'idempotency-key': `reg-${body.nif}` },
          json: body,
        }),
      ),
    );
    const executed = responses.filter((r) => r.status === 201 && r.headers.get('idempotent-replayed') === null);
    const others = responses.filter((r) => !executed.includes(r));
    expect(executed).toHaveLength(1);
    for (const r of others) {
      expect([201, 409]).toContain(r.status);
      if (r.status === 201) expect(r.headers.get('idempotent-replayed')).toBe('true');
      else {
        expect(((await r.json()) as any).code).toBe('idempotency_in_flight');
        // Its outcome is not known yet: clients must not resend it blindly.
        expect(r.headers.get('puente-should-retry')).toBe('false');
      }
    }
    const [row] = await t.sql<{ n: number }[]>`select count(*)::int as n from organizations where nif = ${body.nif}`;
    expect(row!.n).toBe(1);
    void org;
  });

  it.runIf(inject('databaseMode') === 'postgres')(
    'holds a key only while its request runs: a duplicate meanwhile is told 409, a retry after its rollback runs at once',
    async () => {
      const org = await registerOrg(t);
      const body = { name: 'Luz Mora', id_number: dni(5020), role: 'agent' };
      const send = () =>
        t.request('/v1/members', {
          method: 'POST',
          headers: auth(org.testKey, { 'idempotency-key': 'member-5020' }),
          json: body,
        });
      const [key] = await t.sql<{ id: string }[]>`select id from api_keys where organization_id = ${org.id} limit 1`;
      // A first request still running: its transaction has claimed the key and not committed.
      const running = await t.sql.reserve();
      try {
        await running`begin`;
        const now = t.clock.now();
        const claim = await claimIdempotencyKey(running as unknown as typeof t.sql, {
          credentialId: key!.id,
          key: 'member-5020',
          now,
        });
        expect(claim).toBe('claimed');
        const duplicate = await send();
        await expectProblem(duplicate, 409, 'idempotency_in_flight');
        expect(duplicate.headers.get('retry-after')).toBe('1');
        // Its process dies: the transaction rolls back, and with it the claim. No lease to wait out.
        await running`rollback`;
      } finally {
        running.release();
      }
      const retry = await send();
      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBeNull();
      const [stored] = await t.sql<{ state: string }[]>`
        select state from idempotency_keys where credential_id = ${key!.id} and key = 'member-5020'`;
      expect(stored!.state).toBe('completed');

      // A replay holds the key briefly too: a retry sent meanwhile is answered from the record, not 409.
      const replaying = await t.sql.reserve();
      try {
        await replaying`begin`;
        await replaying`select pg_advisory_xact_lock(hashtextextended(${key!.id}::text || ' ' || 'member-5020', 0))`;
        const retried = await send();
        expect(retried.status).toBe(201);
        expect(retried.headers.get('idempotent-replayed')).toBe('true');
        await replaying`rollback`;
      } finally {
        replaying.release();
      }
    },
  );

  it('replays a retried upload, whose multipart boundary is new, and refuses another file under its key', async () => {
    const org = await registerOrg(t);
    const { token, draft } = await delegatedDraft(t, org.testKey);
    // A 100 kB PDF, as a firm's SDK sends it: every write with an Idempotency-Key.
    const pdf = new Uint8Array(100 * 1024);
    pdf.set(PDF_BYTES);
    const send = (bytes: Uint8Array, type: string) =>
      upload(t, org.testKey, token, draft.id, 'DNI_NIE', bytes, {
        type,
        headers: { 'idempotency-key': 'upload-dni-1' },
      });
    const first = await send(pdf, 'application/pdf');
    const retry = await send(pdf, 'application/pdf');
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await retry.text()).toBe(await first.text());
    const [row] = await t.sql<
      { n: number }[]
    >`select count(*)::int as n from documents where procedure_id = ${draft.id}`;
    expect(row!.n).toBe(1);
    await expectProblem(await send(PNG_BYTES, 'image/png'), 422, 'idempotency_conflict');
  });

  it("replays the first response's ETag, so a retried update can be followed by the next If-Match", async () => {
    const org = await registerOrg(t);
    const granted = await grantDelegation(t, org.testKey, {
      scope: { procedure_types: ['JUB'], subjects: [], capacities: ['consult', 'file'] },
    });
    const token = await mintToken(t, org.testKey, granted.delegationId);
    const create = () =>
      t.request('/v1/procedures', {
        method: 'POST',
        headers: consentHeaders(org.testKey, token, { 'idempotency-key': 'draft-etag-1' }),
        json: { type: 'JUB', form: {} },
      });
    const created = await create();
    const createdAgain = await create();
    expect(createdAgain.headers.get('idempotent-replayed')).toBe('true');
    const draft = (await created.json()) as { id: string; version: number };
    expect(created.headers.get('etag')).toBe(`"${draft.id}.v${draft.version}"`);
    expect(createdAgain.headers.get('etag')).toBe(created.headers.get('etag'));

    const update = () =>
      t.request(`/v1/procedures/${draft.id}`, {
        method: 'PATCH',
        headers: consentHeaders(org.testKey, token, {
          'idempotency-key': 'draft-etag-2',
          'if-match': created.headers.get('etag')!,
        }),
        json: { form: FORMS.JUB },
      });
    const updated = await update();
    expect(updated.status).toBe(200);
    // The retry is answered from the stored response (its If-Match no longer matches the procedure).
    const retried = await update();
    expect(retried.status).toBe(200);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(retried.headers.get('etag')).toBe(`"${draft.id}.v${draft.version + 1}"`);
    // A fresh request id and rate-limit count are this request's own, not the stored ones.
    expect(retried.headers.get('request-id')).not.toBe(updated.headers.get('request-id'));
    const next = await t.request(`/v1/procedures/${draft.id}`, {
      method: 'PATCH',
      headers: consentHeaders(org.testKey, token, { 'if-match': retried.headers.get('etag')! }),
      json: { form: FORMS.JUB },
    });
    expect(next.status).toBe(200);
  });

  it('fingerprints a request byte for byte: method, path and body, the multipart boundary left out', async () => {
    const sha256 = async (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');
    const boundary = 'XyZ123';
    // 0x80 and 0x9F are the bytes text decoders disagree on; here they are bytes like any other.
    const body = new Uint8Array([
      ...new TextEncoder().encode(`--${boundary}\r\nA`),
      0xe9,
      0xff,
      0x80,
      0x9f,
      ...new TextEncoder().encode(`\r\n--${boundary}--`),
    ]);
    const request = { method: 'POST', path: '/v1/x', contentType: `multipart/form-data; boundary=${boundary}`, body };
    const expected = new Uint8Array([
      ...new TextEncoder().encode('POST /v1/x\n--\r\nA'),
      0xe9,
      0xff,
      0x80,
      0x9f,
      ...new TextEncoder().encode('\r\n----'),
    ]);
    expect(await requestFingerprint(sha256, request)).toBe(await sha256(expected));
    // Keys stored by earlier releases (each byte read as U+0000–U+00FF, UTF-8 encoded) still match.
    const legacy = new Uint8Array([
      ...new TextEncoder().encode('POST /v1/x\n--\r\nA'),
      0xc3,
      0xa9,
      0xc3,
      0xbf,
      0xc2,
      0x80,
      0xc2,
      0x9f,
      ...new TextEncoder().encode('\r\n----'),
    ]);
    expect(await legacyFingerprint(sha256, request)).toBe(await sha256(legacy));
    // Without bytes from 0x80, or without a boundary, the two never differed.
    expect(await legacyFingerprint(sha256, { ...request, body: body.subarray(0, 10) })).toBeUndefined();
    expect(await legacyFingerprint(sha256, { ...request, contentType: 'application/pdf' })).toBeUndefined();
  });

  it('replays an upload whose key was stored with the earlier fingerprint', async () => {
    const org = await registerOrg(t);
    const { token, draft } = await delegatedDraft(t, org.testKey);
    const pdf = Buffer.from([...PDF_BYTES, 0x80, 0xe9, 0x9f, 0x0a]);
    const parts = (boundary: string, file: Buffer) => [
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nDNI_NIE\r\n--${boundary}\r\n` +
          'Content-Disposition: form-data; name="file"; filename="dni.pdf"\r\nContent-Type: application/pdf\r\n\r\n',
      ),
      file,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ];
    const send = (boundary: string, file = pdf) =>
      t.request(`/v1/procedures/${draft.id}/documents`, {
        method: 'POST',
        headers: consentHeaders(org.testKey, token, {
          'idempotency-key': 'upload-legacy-1',
          'content-type': `multipart/form-data; boundary=${boundary}`,
        }),
        body: Buffer.concat(parts(boundary, file)),
      });
    const first = await send('first-boundary');
    expect(first.status).toBe(201);
    // The key as an earlier release stored it: the body without its boundary, each byte as the
    // character U+0000–U+00FF, UTF-8 encoded.
    const text = parts('', pdf)
      .map((part) => part.toString('latin1'))
      .join('');
    const earlier = createHash('sha256')
      .update(Buffer.concat([Buffer.from(`POST /v1/procedures/${draft.id}/documents\n`), Buffer.from(text, 'utf8')]))
      .digest('hex');
    await t.sql`update idempotency_keys set fingerprint = ${earlier} where key = 'upload-legacy-1'`;
    const retry = await send('retry-boundary');
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await retry.text()).toBe(await first.text());
    // Another file under the key is still another request.
    await expectProblem(await send('third-boundary', Buffer.from([...PDF_BYTES, 0x81])), 422, 'idempotency_conflict');
  });

  it('refuses keys longer than 255 characters', async () => {
    const res = await t.request('/v1/organizations', {
      method: 'POST',
      headers: { 'idempotency-key': 'k'.repeat(256) },
      json: registrationBody(),
    });
    const body = await expectProblem(res, 400, 'validation_failed');
    expect(body.errors[0]).toMatchObject({ in: 'header' });
  });
});

describe('rate limiting', () => {
  it('answers 429 with Retry-After and RateLimit headers, counted across instances', async () => {
    const limited = await createTestApp({
      database: t.database,
      config: { rateLimit: { limit: 3, windowSeconds: 60 } },
    });
    const other = createApp(
      nodeDeps(
        configFromEnv({ PUENTE_ENV: 'test' }, { rateLimit: { limit: 3, windowSeconds: 60 } }),
        t.database,
        memoryLogger(),
        limited.clock,
      ),
    );
    const org = await registerOrg(limited);
    const ok = await limited.request('/v1/organization', { headers: auth(org.testKey) });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('ratelimit-policy')).toContain('q=3');
    expect(ok.headers.get('ratelimit')).toMatch(/r=2/);
    expect((await other.request('/v1/organization', { headers: auth(org.testKey) })).status).toBe(200);
    expect((await limited.request('/v1/organization', { headers: auth(org.testKey) })).status).toBe(200);
    const refused = await other.request('/v1/organization', { headers: auth(org.testKey) });
    await expectProblem(refused, 429, 'rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('puente-should-retry')).toBe('true');
    limited.clock.advance(61_000);
    expect((await limited.request('/v1/organization', { headers: auth(org.testKey) })).status).toBe(200);
  });

  it('holds back at most a twentieth of a large limit per instance, yet refuses exactly past the limit', async () => {
    const limited = await createTestApp({
      database: t.database,
      config: { rateLimit: { limit: 100, windowSeconds: 60 } },
    });
    const org = await registerOrg(limited);
    limited.clock.advance(60_000); // a fresh window
    for (let i = 0; i < 100; i++) {
      const res = await limited.request('/v1/organization', { headers: auth(org.testKey) });
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit')).toContain(`r=${99 - i};`);
    }
    await expectProblem(await limited.request('/v1/organization', { headers: auth(org.testKey) }), 429, 'rate_limited');
    const [{ written }] = (await t.sql`
      select coalesce(sum(r.hits), 0)::int as written from rate_limit_windows r join api_keys k on r.bucket = 'credential:' || k.id
      where k.organization_id = ${org.id} and r.window_start = ${new Date(Math.floor(limited.clock.now().getTime() / 60_000) * 60_000)}`) as unknown as [
      { written: number },
    ];
    // Written in batches of five (a twentieth of 100); the refused 101st is still held by the instance.
    expect(written).toBe(100);
  });
});

describe('HitBuffer', () => {
  it('writes every hit when the limit is small, batches under a large one, and never holds a hit over a second', () => {
    const buffer = new HitBuffer();
    const window = new Date('2026-03-02T09:00:00Z');
    expect(buffer.take('small', window, 10, 0)).toEqual({ write: 1, held: 0 });
    const takes = Array.from({ length: 60 }, (_, i) => buffer.take('large', window, 1200, i));
    expect(takes.slice(0, 59).every((t, i) => t.write === 0 && t.held === i + 1)).toBe(true);
    expect(takes[59]).toEqual({ write: 60, held: 0 });
    expect(buffer.take('slow', window, 1200, 0)).toEqual({ write: 0, held: 1 });
    expect(buffer.take('slow', window, 1200, 1000)).toEqual({ write: 2, held: 0 });
    // A new window starts over: hits held for the old one no longer count.
    buffer.take('turn', window, 1200, 0);
    expect(buffer.take('turn', new Date(window.getTime() + 60_000), 1200, 10)).toEqual({ write: 0, held: 1 });
  });
});

describe('stored responses', () => {
  it('keeps replayable responses encrypted: a new key secret is never stored in the clear', async () => {
    const org = await registerOrg(t);
    const res = await t.request('/v1/api-keys', {
      method: 'POST',
      headers: auth(org.testKey, { 'idempotency-key': 'secret-key-1' }),
      json: { name: 'ci' },
    });
    const secret = ((await res.json()) as { secret: string }).secret;
    const rows = await t.sql`select response_body from idempotency_keys where key = 'secret-key-1'`;
    expect(JSON.stringify(rows)).not.toContain(secret);
    const replay = await t.request('/v1/api-keys', {
      method: 'POST',
      headers: auth(org.testKey, { 'idempotency-key': 'secret-key-1' }),
      json: { name: 'ci' },
    });
    expect(((await replay.json()) as { secret: string }).secret).toBe(secret);
  });
});
