import { expect, it, onTestFinished } from 'vitest';

import { CalendarStore } from '../../api/modules/calendar/store';
import { runScheduler } from '../../api/modules/events/scheduler';
import { deliverDue } from '../../api/modules/webhooks/delivery';
import { createTestApp, deliveryDeps, type TestApp } from '../support/app';
import { auth, expectJson, expectProblem, mintToken, registerOrg } from '../support/fixtures';
import { consentHeaders, delegatedDraft, submitJub } from '../support/procedures';
import { startReceiver } from '../support/receiver';

/** An app of the test's own, its clock at `now`, closed when the test finishes. */
async function appAt(now: string): Promise<TestApp> {
  const t = await createTestApp({
    now,
    config: { webhooks: { requireHttps: false, allowPrivateTargets: true, timeoutMs: 2000, leaseSeconds: 60 } },
  });
  onTestFinished(() => t.close());
  return t;
}

/** An organisation with an endpoint that answers 200. */
async function orgWithEndpoint(t: TestApp) {
  const receiver = await startReceiver();
  onTestFinished(() => receiver.close());
  const org = await registerOrg(t);
  const hook = await expectJson<{ id: string }>(
    await t.request('/v1/webhook-endpoints', {
      method: 'POST',
      headers: auth(org.testKey),
      json: { url: receiver.url },
    }),
    201,
  );
  return { key: org.testKey, hook, receiver };
}

async function drain(t: TestApp) {
  while ((await deliverDue(t.sql, deliveryDeps(t))) > 0) {
    /* until nothing is due */
  }
}

const stored = async (t: TestApp, eventId: string) =>
  (
    await t.sql<{ events: number; deliveries: number; attempts: number }[]>`
      select (select count(*) from events where id = ${eventId})::int as events,
        (select count(*) from webhook_deliveries where event_id = ${eventId})::int as deliveries,
        (select count(*) from webhook_attempts a join webhook_deliveries d on d.id = a.delivery_id
         where d.event_id = ${eventId})::int as attempts`
  )[0]!;

it('reads, lists and logs an event for 30 days, then answers 404; the scheduler deletes it with its deliveries and attempts', async () => {
  const t = await appAt('2026-03-02T09:00:00Z');
  const { key, hook } = await orgWithEndpoint(t);
  const sendTest = async () =>
    expectJson<{ id: string; event_id: string }>(
      await t.request(`/v1/webhook-endpoints/${hook.id}/test`, { method: 'POST', headers: auth(key) }),
      202,
    );
  const old = await sendTest(); // created 2026-03-02T09:00Z
  await drain(t);
  t.clock.set('2026-03-20T09:00:00Z');
  const recent = await sendTest();
  await drain(t);
  const feedIds = async () =>
    ((await expectJson(await t.request('/v1/events', { headers: auth(key) }), 200)).data as any[]).map((e) => e.id);
  const logIds = async () =>
    (
      (await expectJson(await t.request(`/v1/webhook-endpoints/${hook.id}/deliveries`, { headers: auth(key) }), 200))
        .data as any[]
    ).map((d) => d.id);
  const retrieve = () => t.request(`/v1/events/${old.event_id}`, { headers: auth(key) });
  const retry = () =>
    t.request(`/v1/webhook-endpoints/${hook.id}/deliveries/${old.id}/retry`, { method: 'POST', headers: auth(key) });

  // 30 days after 2026-03-02T09:00Z is 2026-04-01T09:00Z: a minute before, it is still kept.
  t.clock.set('2026-04-01T08:59:00Z');
  expect((await expectJson(await retrieve(), 200)).id).toBe(old.event_id);
  expect(await feedIds()).toEqual([old.event_id, recent.event_id]);
  expect(await logIds()).toEqual([recent.id, old.id]);
  expect((await runScheduler(t.sql, t.clock.now(), new CalendarStore())).prunedEvents).toBe(0);
  expect(await stored(t, old.event_id)).toEqual({ events: 1, deliveries: 1, attempts: 1 });

  // A minute after: gone from every read, and not sent again.
  t.clock.set('2026-04-01T09:01:00Z');
  await expectProblem(await retrieve(), 404, 'not_found');
  expect(await feedIds()).toEqual([recent.event_id]);
  expect(await logIds()).toEqual([recent.id]);
  await expectProblem(await retry(), 404, 'not_found');

  const report = await runScheduler(t.sql, t.clock.now(), new CalendarStore());
  expect(report.prunedEvents).toBe(1);
  expect(await stored(t, old.event_id)).toEqual({ events: 0, deliveries: 0, attempts: 0 });
  expect(await stored(t, recent.event_id)).toEqual({ events: 1, deliveries: 1, attempts: 1 });
  expect((await expectJson(await t.request(`/v1/events/${recent.event_id}`, { headers: auth(key) }), 200)).id).toBe(
    recent.event_id,
  );
});

it('keeps an event whose delivery is being sent again past the 30 days, until it has settled', async () => {
  const t = await appAt('2026-03-02T09:00:00Z');
  const { key, hook, receiver } = await orgWithEndpoint(t);
  const delivery = await expectJson<{ id: string; event_id: string }>(
    await t.request(`/v1/webhook-endpoints/${hook.id}/test`, { method: 'POST', headers: auth(key) }),
    202,
  );
  await drain(t);
  // Retried by hand on its 30th day, the last it is kept; no worker has sent it yet when it ends.
  t.clock.set('2026-04-01T08:00:00Z');
  await expectJson(
    await t.request(`/v1/webhook-endpoints/${hook.id}/deliveries/${delivery.id}/retry`, {
      method: 'POST',
      headers: auth(key),
    }),
    202,
  );
  t.clock.set('2026-04-01T10:00:00Z');
  expect((await runScheduler(t.sql, t.clock.now(), new CalendarStore())).prunedEvents).toBe(0);
  expect(await stored(t, delivery.event_id)).toEqual({ events: 1, deliveries: 1, attempts: 1 });
  await drain(t);
  expect(receiver.received).toHaveLength(2);
  expect((await runScheduler(t.sql, t.clock.now(), new CalendarStore())).prunedEvents).toBe(1);
  expect(await stored(t, delivery.event_id)).toEqual({ events: 0, deliveries: 0, attempts: 0 });
});

it('does not emit a time-driven event again once the one that recorded it is deleted', async () => {
  const t = await appAt('2026-03-02T09:00:00Z');
  const org = await registerOrg(t);
  const { delegationId, token, draft } = await delegatedDraft(t, org.testKey);
  await submitJub(t, org.testKey, token, draft.id);
  const calendar = new CalendarStore();
  const silences = async () =>
    (
      (
        await expectJson(
          await t.request('/v1/events?type=procedure.presumed_denied', { headers: auth(org.testKey) }),
          200,
        )
      ).data as any[]
    ).filter((e) => e.data.procedure_id === draft.id);

  // Filed on Monday 2 March 2026: its 90 días hábiles end in July, and by 1 September it is silent.
  t.clock.set('2026-09-01T09:00:00Z');
  await runScheduler(t.sql, t.clock.now(), calendar);
  const [silence] = await silences();
  expect(silence).toMatchObject({ created_at: '2026-09-01T09:00:00.000Z' });

  // Past its 30 days (2026-10-01T09:00Z) the event is deleted; the silence is not recorded again.
  t.clock.set('2026-10-05T09:00:00Z');
  expect((await runScheduler(t.sql, t.clock.now(), calendar)).prunedEvents).toBeGreaterThanOrEqual(1);
  expect((await runScheduler(t.sql, t.clock.now(), calendar)).presumedDenials).toBe(0);
  expect(await stored(t, silence.id)).toMatchObject({ events: 0 });
  expect(await silences()).toEqual([]);
  const consent = consentHeaders(org.testKey, await mintToken(t, org.testKey, delegationId));
  const timeline = await expectJson(await t.request(`/v1/procedures/${draft.id}/timeline`, { headers: consent }), 200);
  expect((timeline.data as any[]).filter((e) => e.action === 'presumed_denied')).toHaveLength(1);
});
