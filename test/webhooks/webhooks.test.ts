import { createHmac } from 'node:crypto';
import dns from 'node:dns';

import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFinished } from 'vitest';

import { createApp } from '../../api/app';
import { configFromEnv } from '../../api/config';
import { begin } from '../../api/db/sql';
import { memoryLogger } from '../../api/http/logger';
import { deliverDue } from '../../api/modules/webhooks/delivery';
import { claimDueDeliveries, recordAttempts, rotateSecret } from '../../api/modules/webhooks/queries';
import { startBackgroundWork } from '../../api/node/background';
import { nodeDeps } from '../../api/node/runtime';
import { nodeWebhookFetch } from '../../api/node/webhook-fetch';
import { createTestApp, deliveryDeps, type TestApp } from '../support/app';
import {
  ADMIN_TOKEN,
  auth,
  createRequest,
  delegationRequestBody,
  expectJson,
  expectProblem,
  grantDelegation,
  newCitizenId,
  registerOrg,
  registerVerifiedOrg,
} from '../support/fixtures';
import { startReceiver } from '../support/receiver';

let t: TestApp;
/** Statements that recorded delivery attempts, counted by the driver's debug hook. */
let attemptWrites = 0;
beforeAll(async () => {
  // Signatures are checked against the real time by the standardwebhooks package.
  t = await createTestApp({
    onQuery: (_connection, query) => {
      if (/insert into webhook_attempts/.test(query)) attemptWrites++;
    },
    now: new Date().toISOString(),
    config: {
      adminToken: ADMIN_TOKEN,
      webhooks: { requireHttps: false, allowPrivateTargets: true, timeoutMs: 2000, leaseSeconds: 60 },
      // More organisations sign up here than the hourly limit of one address allows.
      registrationRateLimit: { limit: 10_000, windowSeconds: 3600 },
    },
  });
});
afterAll(() => t.close());

const deps = () => deliveryDeps(t);

async function endpoint(key: string, url: string, eventTypes: string[] = []) {
  const res = await t.request('/v1/webhook-endpoints', {
    method: 'POST',
    headers: auth(key),
    json: { url, event_types: eventTypes },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { id: string; secret: string };
}

function verifyAll(secret: string, received: Array<{ headers: Record<string, unknown>; body: string }>) {
  const wh = new Webhook(secret);
  return received.map(
    (r) => wh.verify(r.body, r.headers as Record<string, string>) as { type: string; data: Record<string, unknown> },
  );
}

/** A receiver for the running test only: closed when the test finishes, whether it passed or not. */
async function receiverForTest(respond?: Parameters<typeof startReceiver>[0]) {
  const receiver = await startReceiver(respond);
  onTestFinished(() => receiver.close());
  return receiver;
}

/** An organisation, an endpoint answering with `respond`, and one test event queued for it. */
async function queuedTestEvent(respond?: Parameters<typeof startReceiver>[0]) {
  const receiver = await receiverForTest(respond);
  const org = await registerOrg(t);
  const hook = await endpoint(org.testKey, receiver.url);
  await t.request(`/v1/webhook-endpoints/${hook.id}/test`, { method: 'POST', headers: auth(org.testKey) });
  return { receiver, org, hook };
}

/** `times` workers in turn claim the one due delivery and die before sending it; each lease (1 s) runs out. */
async function deadWorkerClaims(times: number) {
  for (let i = 0; i < times; i++) {
    expect(await claimDueDeliveries(t.sql, t.clock.now(), 1, 100)).toHaveLength(1);
    t.clock.advance(1_001);
  }
}

/** The delivery log of an endpoint. */
const deliveries = async (key: string, endpointId: string) =>
  (await (await t.request(`/v1/webhook-endpoints/${endpointId}/deliveries`, { headers: auth(key) })).json()) as any;

async function drain() {
  while ((await deliverDue(t.sql, deps())) > 0) {
    /* until nothing is due */
  }
}

describe('events and webhooks', () => {
  it('delivers every event signed per Standard Webhooks, verifiable with the standardwebhooks package', async () => {
    const receiver = await receiverForTest();
    const org = await registerOrg(t);
    const hook = await endpoint(org.testKey, receiver.url);
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const granted = await grantDelegation(t, org.testKey);
    await t.request(`/v1/delegations/${granted.delegationId}/renounce`, {
      method: 'POST',
      headers: auth(org.testKey),
    });
    await drain();
    // Deliveries are concurrent and at least once: receivers must not rely on their order (the feed has it).
    const events = verifyAll(hook.secret, receiver.received);
    expect(events.map((e) => e.type).sort()).toEqual(['delegation.renounced', 'delegation_request.accepted']);
    expect(events.find((e) => e.type === 'delegation.renounced')!.data).toMatchObject({
      delegation_id: granted.delegationId,
      status: 'renounced',
    });
    expect(receiver.received[0]!.headers['webhook-id']).toMatch(/^evt_/);

    const feed = (await (await t.request('/v1/events', { headers: auth(org.testKey) })).json()) as any;
    expect(feed.data.map((e: any) => e.type)).toEqual(['delegation_request.accepted', 'delegation.renounced']);
    // The feed's item and the event read by id carry the body delivered, field for field (timestamp too).
    for (const r of receiver.received) {
      const delivered = JSON.parse(r.body);
      expect(Object.keys(delivered).sort()).toEqual(['data', 'id', 'livemode', 'timestamp', 'type']);
      const listed = feed.data.find((e: any) => e.id === delivered.id);
      expect(listed).toMatchObject({ ...delivered, object: 'event', created_at: delivered.timestamp });
      const read = await (await t.request(`/v1/events/${delivered.id}`, { headers: auth(org.testKey) })).json();
      expect(read).toEqual(listed);
    }
    const more = (await (
      await t.request(`/v1/events?cursor=${feed.next_cursor}`, { headers: auth(org.testKey) })
    ).json()) as any;
    expect(more.data).toEqual([]);
    const log = await deliveries(org.testKey, hook.id);
    expect(log.data.every((d: any) => d.status === 'succeeded' && d.attempts[0].status_code === 200)).toBe(true);
  });

  it("seals the feed's cursor: it tells nothing of the platform's sequence, and still resumes", async () => {
    const org = await registerOrg(t);
    const granted = await grantDelegation(t, org.testKey);
    await t.request(`/v1/delegations/${granted.delegationId}/renounce`, { method: 'POST', headers: auth(org.testKey) });
    const page = async (cursor?: string) => {
      const query = cursor ? `?limit=1&cursor=${encodeURIComponent(cursor)}` : '?limit=1';
      return expectJson<{ data: Array<{ id: string; type: string }>; next_cursor: string }>(
        await t.request(`/v1/events${query}`, { headers: auth(org.testKey) }),
        200,
      );
    };
    const first = await page();
    expect(first.data.map((e) => e.type)).toEqual(['delegation_request.accepted']);
    const [{ feed_seq }] =
      (await t.sql`select feed_seq::text from events where id = ${first.data[0]!.id}`) as never as [
        { feed_seq: string },
      ];
    // Neither the cursor nor any part of it decodes to the position it holds, the event's place in
    // the platform's feed (before, it was base64url of ["events", feed_seq]).
    for (const part of [first.next_cursor, ...first.next_cursor.split('.')]) {
      const decoded = Buffer.from(part, 'base64url').toString('latin1');
      expect(decoded).not.toContain('events');
      expect(() => JSON.parse(decoded)).toThrow();
    }
    // The same position sealed twice reads differently, so cursors cannot be compared either.
    expect((await page()).next_cursor).not.toBe(first.next_cursor);

    const second = await page(first.next_cursor);
    expect(second.data.map((e) => e.type)).toEqual(['delegation.renounced']);

    const refused = async (key: string, cursor: string) => {
      const problem = await expectProblem(
        await t.request(`/v1/events?cursor=${encodeURIComponent(cursor)}`, { headers: auth(key) }),
        400,
        'invalid_cursor',
      );
      expect(problem.errors).toEqual([expect.objectContaining({ pointer: '/cursor', in: 'query' })]);
    };
    // A cursor the client writes, as the feed's cursors read before they were sealed, is refused:
    // otherwise any position could be tried, and the sequence searched for the place of each event.
    await refused(org.testKey, Buffer.from(JSON.stringify(['events', feed_seq])).toString('base64url'));
    // So is an altered one, and one given to another organisation's feed.
    const last = first.next_cursor.at(-2) === 'A' ? 'B' : 'A';
    await refused(org.testKey, `${first.next_cursor.slice(0, -2)}${last}${first.next_cursor.at(-1)}`);
    await refused((await registerOrg(t)).testKey, first.next_cursor);
  });

  it('filters by event type and keeps test and live events apart', async () => {
    const receiver = await receiverForTest();
    const org = await registerOrg(t);
    await endpoint(org.testKey, receiver.url, ['delegation.*']);
    const granted = await grantDelegation(t, org.testKey);
    await t.request(`/v1/delegations/${granted.delegationId}/renounce`, {
      method: 'POST',
      headers: auth(org.testKey),
    });
    await drain();
    expect(receiver.received.map((r) => JSON.parse(r.body).type)).toEqual(['delegation.renounced']);
  });

  it('retries with backoff honouring Retry-After, and logs every attempt', async () => {
    const receiver = await receiverForTest((_, n) =>
      n === 1 ? { status: 503, headers: { 'retry-after': '120' } } : { status: 200 },
    );
    const org = await registerOrg(t);
    const hook = await endpoint(org.testKey, receiver.url);
    await t.request(`/v1/webhook-endpoints/${hook.id}/test`, { method: 'POST', headers: auth(org.testKey) });
    await drain();
    expect(receiver.received).toHaveLength(1);
    let log = await deliveries(org.testKey, hook.id);
    expect(log.data[0].status).toBe('pending');
    expect(new Date(log.data[0].next_attempt_at).getTime() - t.clock.now().getTime()).toBeGreaterThanOrEqual(119_000);
    t.clock.advance(121_000);
    await drain();
    log = await deliveries(org.testKey, hook.id);
    expect(log.data[0].status).toBe('succeeded');
    expect(log.data[0].attempts.map((a: any) => a.status_code)).toEqual([503, 200]);
    // The same message id on every attempt, so receivers can deduplicate.
    expect(receiver.received[0]!.headers['webhook-id']).toBe(receiver.received[1]!.headers['webhook-id']);
  });

  it('disables the endpoint when it answers 410 Gone', async () => {
    const receiver = await receiverForTest(() => ({ status: 410 }));
    const org = await registerOrg(t);
    const hook = await endpoint(org.testKey, receiver.url);
    await t.request(`/v1/webhook-endpoints/${hook.id}/test`, { method: 'POST', headers: auth(org.testKey) });
    await drain();
    const seen = (await (
      await t.request(`/v1/webhook-endpoints/${hook.id}`, { headers: auth(org.testKey) })
    ).json()) as any;
    expect(seen).toMatchObject({ enabled: false });
    expect(seen.disabled_reason).toContain('410');
  });

  it('signs with the old secret too for 24 hours after a rotation', async () => {
    const receiver = await receiverForTest();
    const org = await registerOrg(t);
    const hook = await endpoint(org.testKey, receiver.url);
    const rotated = (await (
      await t.request(`/v1/webhook-endpoints/${hook.id}/rotate-secret`, {
        method: 'POST',
        headers: auth(org.testKey),
      })
    ).json()) as any;
    expect(rotated.secret).not.toBe(hook.secret);
    await t.request(`/v1/webhook-endpoints/${hook.id}/test`, { method: 'POST', headers: auth(org.testKey) });
    await drain();
    expect(verifyAll(hook.secret, receiver.received)).toHaveLength(1);
    expect(verifyAll(rotated.secret, receiver.received)).toHaveLength(1);
    expect(String(receiver.received[0]!.headers['webhook-signature']).split(' ')).toHaveLength(2);
    t.clock.advance(25 * 3600_000);
    await t.request(`/v1/webhook-endpoints/${hook.id}/test`, { method: 'POST', headers: auth(org.testKey) });
    await drain();
    t.clock.advance(-25 * 3600_000);
    // After 24 hours only the new secret signs.
    expect(String(receiver.received[1]!.headers['webhook-signature']).split(' ')).toHaveLength(1);
  });

  it('keeps every secret rotated out signing until its own end, however many rotations; 0 stops them all (a leak)', async () => {
    const receiver = await receiverForTest();
    const org = await registerOrg(t);
    const hook = await endpoint(org.testKey, receiver.url);
    const start = t.clock.now().getTime();
    const rotate = async (json?: unknown) =>
      t.request(`/v1/webhook-endpoints/${hook.id}/rotate-secret`, {
        method: 'POST',
        headers: auth(org.testKey),
        ...(json === undefined ? {} : { json }),
      });
    // Signed by `secret` (Standard Webhooks), checked by hand: the clock here is hours from the real one.
    const verifies = (secret: string, r: { headers: Record<string, unknown>; body: string }) => {
      const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
      const signed = `${String(r.headers['webhook-id'])}.${String(r.headers['webhook-timestamp'])}.${r.body}`;
      const expected = `v1,${createHmac('sha256', key).update(signed).digest('base64')}`;
      return String(r.headers['webhook-signature']).split(' ').includes(expected);
    };
    const sendTest = async () => {
      await t.request(`/v1/webhook-endpoints/${hook.id}/test`, { method: 'POST', headers: auth(org.testKey) });
      await drain();
      return receiver.received.at(-1)!;
    };
    const iso = (hours: number) => new Date(start + hours * 3600_000).toISOString();
    try {
      const b = await expectJson<any>(await rotate(), 200);
      t.clock.advance(6 * 3600_000);
      // Six hours later, a second rotation: the first secret still signs until its own end (24 h after the first).
      const c = await expectJson<any>(await rotate(), 200);
      expect(c.secret_rotation).toEqual({
        previous_secret_valid_until: iso(30),
        previous_secrets: [{ valid_until: iso(30) }, { valid_until: iso(24) }],
      });
      let delivered = await sendTest();
      expect(String(delivered.headers['webhook-signature']).split(' ')).toHaveLength(3);
      expect([hook.secret, b.secret, c.secret].map((secret) => verifies(secret, delivered))).toEqual([
        true,
        true,
        true,
      ]);
      // Past the first secret's end, only the other two sign.
      t.clock.set(iso(25));
      delivered = await sendTest();
      expect([hook.secret, b.secret, c.secret].map((secret) => verifies(secret, delivered))).toEqual([
        false,
        true,
        true,
      ]);
      // Four secrets rotated out may sign at once; a fifth rotation is refused, naming their ends.
      const d = await expectJson<any>(await rotate({ previous_secret_valid_seconds: 3600 }), 200);
      expect(d.secret_rotation.previous_secrets[0]).toEqual({ valid_until: iso(26) });
      await expectJson(await rotate(), 200);
      const f = await expectJson<any>(await rotate(), 200);
      expect(f.secret_rotation.previous_secrets).toHaveLength(4);
      const refused = await expectProblem(await rotate(), 409, 'conflict');
      expect(refused.previous_secrets_valid_until).toHaveLength(4);
      await expectProblem(await rotate({ previous_secret_valid_seconds: 90_000 }), 400, 'validation_failed');
      // A rotation with no body is one, whatever Content-Type the client sends with every POST.
      for (const type of ['application/json', 'application/x-www-form-urlencoded']) {
        const bodyless = await t.request(`/v1/webhook-endpoints/${hook.id}/rotate-secret`, {
          method: 'POST',
          headers: auth(org.testKey, { 'content-type': type, 'content-length': '0' }),
        });
        await expectProblem(bodyless, 409, 'conflict');
      }
      delivered = await sendTest();
      expect(verifies(f.secret, delivered)).toBe(true);
      // A leaked secret: rotated with 0, nothing but the new secret signs from now on.
      const g = await expectJson<any>(await rotate({ previous_secret_valid_seconds: 0 }), 200);
      expect(g.secret_rotation).toBeNull();
      delivered = await sendTest();
      expect(String(delivered.headers['webhook-signature']).split(' ')).toHaveLength(1);
      expect(verifies(g.secret, delivered)).toBe(true);
      expect(verifies(f.secret, delivered)).toBe(false);
    } finally {
      t.clock.set(new Date(start).toISOString());
    }
  });

  it.runIf(inject('databaseMode') === 'postgres')(
    'keeps what a concurrent rotation rotated out: the second rotation reads the list once the first has committed',
    async () => {
      const org = await registerOrg(t);
      const hook = await endpoint(org.testKey, 'https://hooks.example.es/concurrent');
      const [before] = await t.sql<{ secret_encrypted: string }[]>`
        select secret_encrypted from webhook_endpoints where id = ${hook.id}`;
      const at = t.clock.now();
      const rotation = (sealed: string) => ({
        id: hook.id,
        newSecretEncrypted: sealed,
        previousUntil: new Date(at.getTime() + 3600_000),
        at,
        maxPrevious: 4,
      });
      let second: Promise<unknown> | undefined;
      await begin(t.sql, async (tx) => {
        await rotateSecret(tx, rotation('sealed-first'));
        // The second rotation waits on the row until the first commits.
        second = rotateSecret(t.sql, rotation('sealed-second'));
        await new Promise((resolve) => setTimeout(resolve, 200));
      });
      await second;
      const [row] = await t.sql<{ secret_encrypted: string; previous_secrets: Array<{ secret_encrypted: string }> }[]>`
        select secret_encrypted, previous_secrets from webhook_endpoints where id = ${hook.id}`;
      expect(row!.secret_encrypted).toBe('sealed-second');
      expect(row!.previous_secrets.map((p) => p.secret_encrypted)).toEqual(['sealed-first', before!.secret_encrypted]);
    },
  );

  it('redelivers what a worker claimed but never finished (it died): nothing is lost', async () => {
    const receiver = await receiverForTest();
    const org = await registerOrg(t);
    await endpoint(org.testKey, receiver.url);
    await createRequest(t, org.testKey, delegationRequestBody(newCitizenId())).then((r) =>
      t.request(`/v1/sandbox/delegation-requests/${r.id}/accept`, { method: 'POST', headers: auth(org.testKey) }),
    );
    // A worker claims the delivery and dies before sending it.
    const claimed = await claimDueDeliveries(t.sql, t.clock.now(), 60, 100);
    expect(claimed.length).toBeGreaterThan(0);
    await drain();
    expect(receiver.received).toHaveLength(0);
    t.clock.advance(61_000);
    await drain();
    expect(receiver.received.length).toBe(claimed.length);
  });

  it("does not count a dead worker's claim as an attempt: the first refusal after it is retried in seconds", async () => {
    const { receiver, org, hook } = await queuedTestEvent((_, n) => (n === 1 ? { status: 503 } : { status: 200 }));
    await deadWorkerClaims(1);
    await drain();
    expect(receiver.received).toHaveLength(1);
    const [pending] = (await deliveries(org.testKey, hook.id)).data;
    expect(pending.status).toBe('pending');
    // The schedule's first step (5 s, jittered by ±20 %), not its second (300 s): the endpoint saw one attempt.
    const wait = new Date(pending.next_attempt_at).getTime() - t.clock.now().getTime();
    expect(wait).toBeGreaterThanOrEqual(4_000);
    expect(wait).toBeLessThanOrEqual(6_000);
    t.clock.advance(6_000);
    await drain();
    expect((await deliveries(org.testKey, hook.id)).data[0].attempts.map((a: any) => a.status_code)).toEqual([
      503, 200,
    ]);
  });

  it('gives up, unsent, a delivery whose workers died holding it five times in a row', async () => {
    const { receiver, org, hook } = await queuedTestEvent();
    await deadWorkerClaims(5);
    await drain();
    expect(receiver.received).toHaveLength(0);
    const [given] = (await deliveries(org.testKey, hook.id)).data;
    expect(given.status).toBe('exhausted');
    expect(given.attempts).toEqual([
      expect.objectContaining({ status_code: null, error: 'interrupted 5 times before an answer was recorded' }),
    ]);
    // A retry asked for by the organisation sends it.
    const retried = await t.request(`/v1/webhook-endpoints/${hook.id}/deliveries/${given.id}/retry`, {
      method: 'POST',
      headers: auth(org.testKey),
    });
    expect(retried.status).toBe(202);
    await drain();
    expect(receiver.received).toHaveLength(1);
    expect((await deliveries(org.testKey, hook.id)).data[0].status).toBe('succeeded');
  });

  it('counts interrupted claims in a row only: a recorded attempt starts the count again', async () => {
    const { receiver, org, hook } = await queuedTestEvent((_, n) => (n === 1 ? { status: 503 } : { status: 200 }));
    await deadWorkerClaims(4);
    await drain();
    expect(receiver.received).toHaveLength(1);
    t.clock.advance(6_000);
    await deadWorkerClaims(4);
    await drain();
    const [delivered] = (await deliveries(org.testKey, hook.id)).data;
    expect(delivered.status).toBe('succeeded');
    expect(delivered.attempts.map((a: any) => a.status_code)).toEqual([503, 200]);
  });

  it("does not let a late attempt's retry undo another worker's success", async () => {
    const { receiver, org, hook } = await queuedTestEvent();
    await drain();
    expect(receiver.received).toHaveLength(1);
    const [delivered] = (await deliveries(org.testKey, hook.id)).data;
    // A worker whose lease ran out records its failed attempt after the success.
    await recordAttempts(t.sql, [
      {
        deliveryId: delivered.id,
        at: t.clock.now(),
        statusCode: null,
        latencyMs: 1500,
        error: 'timed out',
        outcome: 'retry',
        nextAttemptAt: new Date(t.clock.now().getTime() + 5_000),
        sent: true,
      },
    ]);
    const [after] = (await deliveries(org.testKey, hook.id)).data;
    expect(after.status).toBe('succeeded');
    expect(after.attempts).toHaveLength(2);
  });

  it('two workers never deliver the same attempt at the same time', async () => {
    const receiver = await receiverForTest(() => ({ status: 200, delayMs: 50 }));
    const org = await registerOrg(t);
    await endpoint(org.testKey, receiver.url);
    for (let i = 0; i < 6; i++) await grantDelegation(t, org.testKey);
    await Promise.all([deliverDue(t.sql, deps()), deliverDue(t.sql, deps()), deliverDue(t.sql, deps())]);
    await drain();
    const ids = receiver.received.map((r) => r.headers['webhook-id']);
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
  });

  it("delivers a citizen's revocation to the firm within seconds", async () => {
    const receiver = await receiverForTest();
    const work = startBackgroundWork(t.sql, deps(), { scheduler: false });
    try {
      const org = await registerVerifiedOrg(t);
      const hook = await endpoint(org.liveKey, receiver.url, ['delegation.revoked']);
      const granted = await grantDelegation(t, org.liveKey);
      const revokedAt = Date.now();
      await t.request(`/v1/me/delegations/${granted.delegationId}/revoke`, {
        method: 'POST',
        headers: auth(granted.citizenToken!),
      });
      for (let i = 0; i < 50 && receiver.received.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
      expect(receiver.received).toHaveLength(1);
      expect(receiver.received[0]!.at - revokedAt).toBeLessThan(5000);
      expect(verifyAll(hook.secret, receiver.received)[0]).toMatchObject({
        type: 'delegation.revoked',
        data: { delegation_id: granted.delegationId },
      });
    } finally {
      await work.stop();
    }
  });
});

describe('delivery worker', () => {
  it.skipIf(!process.env.DATABASE_URL)(
    'wakes on the commit of an event: an idle worker delivers it well within its poll interval (PostgreSQL)',
    async () => {
      const receiver = await receiverForTest();
      const work = startBackgroundWork(t.sql, deps(), { scheduler: false, listen: true });
      try {
        const org = await registerOrg(t);
        const hook = await endpoint(org.testKey, receiver.url);
        const latencies: number[] = [];
        for (let i = 0; i < 5; i++) {
          // Idle long enough for the worker to be asleep in its one-second poll.
          await new Promise((r) => setTimeout(r, 400));
          const res = await t.request(`/v1/webhook-endpoints/${hook.id}/test`, {
            method: 'POST',
            headers: auth(org.testKey),
          });
          expect(res.status).toBe(202);
          const committed = Date.now();
          for (let j = 0; j < 200 && receiver.received.length <= i; j++) await new Promise((r) => setTimeout(r, 5));
          expect(receiver.received).toHaveLength(i + 1);
          latencies.push(receiver.received[i]!.at - committed);
        }
        // Polling alone would take half a second on average; five in a row under 400 ms would be chance below 1 %.
        expect(Math.max(...latencies), `commit to receipt: ${latencies.join(', ')} ms`).toBeLessThan(400);
      } finally {
        await work.stop();
      }
    },
  );

  it('sends to different endpoints at once, and at most the per-endpoint limit to one endpoint', async () => {
    let concurrent = 0;
    let peak = 0;
    const slow = await receiverForTest(() => {
      concurrent++;
      peak = Math.max(peak, concurrent);
      setTimeout(() => concurrent--, 300);
      return { status: 200, delayMs: 300 };
    });
    const fast = await receiverForTest();
    const limited = {
      ...deps(),
      config: { ...t.config, webhooks: { ...t.config.webhooks, concurrency: 64, perEndpointConcurrency: 3 } },
    };
    const org = await registerOrg(t);
    const slowHook = await endpoint(org.testKey, slow.url);
    const fastHook = await endpoint(org.testKey, fast.url);
    for (let i = 0; i < 12; i++)
      await t.request(`/v1/webhook-endpoints/${slowHook.id}/test`, { method: 'POST', headers: auth(org.testKey) });
    await t.request(`/v1/webhook-endpoints/${fastHook.id}/test`, { method: 'POST', headers: auth(org.testKey) });
    const started = Date.now();
    const work = startBackgroundWork(t.sql, limited, { scheduler: false });
    try {
      for (let i = 0; i < 100 && fast.received.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      // The fast endpoint is not queued behind the slow one's backlog (12 × 300 ms / 3 at a time).
      expect(fast.received).toHaveLength(1);
      expect(fast.received[0]!.at - started).toBeLessThan(1000);
      for (let i = 0; i < 200 && slow.received.length < 12; i++) await new Promise((r) => setTimeout(r, 25));
      expect(slow.received).toHaveLength(12);
      expect(peak).toBe(3);
    } finally {
      await work.stop();
    }
  });

  it('commits the attempts of deliveries that finish together in one statement, each recorded once', async () => {
    // Every answer comes after the same pause, so the deliveries in flight finish at about the same time.
    const receiver = await receiverForTest(() => ({ status: 200, delayMs: 100 }));
    const org = await registerOrg(t);
    const hook = await endpoint(org.testKey, receiver.url);
    for (let i = 0; i < 16; i++)
      await t.request(`/v1/webhook-endpoints/${hook.id}/test`, { method: 'POST', headers: auth(org.testKey) });
    const writesBefore = attemptWrites;
    const work = startBackgroundWork(t.sql, deps(), { scheduler: false });
    try {
      for (let i = 0; i < 200 && receiver.received.length < 16; i++) await new Promise((r) => setTimeout(r, 25));
      expect(receiver.received).toHaveLength(16);
    } finally {
      await work.stop();
    }
    const page = await deliveries(org.testKey, hook.id);
    expect(page.data).toHaveLength(16);
    for (const d of page.data) {
      expect(d.status).toBe('succeeded');
      expect(d.attempts).toEqual([expect.objectContaining({ status_code: 200, error: null })]);
    }
    const [recorded] = await t.sql<{ attempts: number; deliveries: number }[]>`
      select count(*)::int as attempts, count(distinct a.delivery_id)::int as deliveries
      from webhook_attempts a join webhook_deliveries d on d.id = a.delivery_id where d.endpoint_id = ${hook.id}`;
    expect(recorded).toEqual({ attempts: 16, deliveries: 16 });
    // 16 deliveries at the per-endpoint limit, answered together: at most half as many commits as
    // attempts (one each before), with room for answers that a loaded machine spreads out.
    expect(attemptWrites - writesBefore).toBeLessThanOrEqual(8);
  });
});

describe('webhook URL policy', () => {
  it('refuses loopback, private and metadata targets in production, literally or through DNS', async () => {
    const config = configFromEnv({
      PUENTE_ENV: 'production',
      PUENTE_SECRET_KEY: 'a-production-secret-of-at-least-32-chars',
      PUENTE_BASE_URL: 'http://puente.test',
    });
    const prod = createApp({
      ...nodeDeps(config, t.database, memoryLogger(), t.clock),
      resolveHost: async (host) =>
        host === 'internal.example.com'
          ? ['10.1.2.3']
          : host === 'v6.example.com'
            ? ['fd00:ec2::254']
            : ['93.184.216.34'],
    });
    const org = await registerOrg(t);
    for (const url of [
      'https://127.0.0.1/hook',
      'https://169.254.169.254/latest/meta-data',
      'https://[::1]/hook',
      'https://[::ffff:127.0.0.1]/hook',
      'https://[::ffff:0:a9fe:a9fe]/latest/meta-data',
      'https://[2002:7f00:1::]/hook',
      'https://[64:ff9b::a9fe:a9fe]/hook',
      'https://[64:ff9b:1::1]/hook',
      'https://[fec0::1]/hook',
      'https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/hook',
      'https://[100::1]/hook',
      'https://10.0.0.8/x',
      'https://internal.example.com/hook',
      'https://v6.example.com/hook',
      'https://localhost/hook',
      'http://hooks.example.com/x',
    ]) {
      const res = await prod.request('/v1/webhook-endpoints', {
        method: 'POST',
        headers: { ...auth(org.testKey), 'content-type': 'application/json' },
        body: JSON.stringify({ url }),
      });
      const problem = await expectProblem(res, 400, 'validation_failed');
      expect(problem.errors[0].pointer, url).toBe('/url');
    }
    const ok = await prod.request('/v1/webhook-endpoints', {
      method: 'POST',
      headers: { ...auth(org.testKey), 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'https://hooks.example.com/puente' }),
    });
    expect(ok.status).toBe(201);
  });

  it('connects only to the addresses it checked: a name that answers a loopback address at connection time is not reached', async () => {
    const receiver = await receiverForTest();
    const org = await registerOrg(t);
    const port = new URL(receiver.url).port;
    const hook = await endpoint(org.testKey, `http://rebind.example.com:${port}/hooks`);
    await t.request(`/v1/webhook-endpoints/${hook.id}/test`, { method: 'POST', headers: auth(org.testKey) });
    // The name answered a public address when checked, and loopback when the connection looks it up.
    const lookup = dns.lookup;
    dns.lookup = ((_host: string, options: unknown, callback: (...args: unknown[]) => void) =>
      (options as { all?: boolean }).all
        ? callback(null, [{ address: '127.0.0.1', family: 4 }])
        : callback(null, '127.0.0.1', 4)) as typeof dns.lookup;
    onTestFinished(() => void (dns.lookup = lookup));
    const production = {
      ...deps(),
      config: { ...t.config, webhooks: { ...t.config.webhooks, allowPrivateTargets: false, timeoutMs: 500 } },
      resolveHost: async () => ['93.184.216.34'],
    };
    await deliverDue(t.sql, production, { fetch: nodeWebhookFetch });
    expect(receiver.received).toHaveLength(0);
    const log = await deliveries(org.testKey, hook.id);
    expect(log.data[0].attempts).toHaveLength(1);
  });
});

describe('test events', () => {
  it('answers the queued delivery of each of many concurrent test events', async () => {
    const org = await registerOrg(t);
    const hook = await endpoint(org.testKey, 'http://127.0.0.1:9/unused');
    const answers = await Promise.all(
      Array.from({ length: 12 }, () =>
        t.request(`/v1/webhook-endpoints/${hook.id}/test`, { method: 'POST', headers: auth(org.testKey) }),
      ),
    );
    const ids = await Promise.all(
      answers.map(
        async (r) => (
          expect(r.status, await r.clone().text()).toBe(202),
          ((await r.json()) as { id: string; status: string }).id
        ),
      ),
    );
    expect(new Set(ids).size).toBe(12);
  });
});
