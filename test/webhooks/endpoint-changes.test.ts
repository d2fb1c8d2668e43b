import { expect, it, onTestFinished } from 'vitest';

import { deliverDue } from '../../api/modules/webhooks/delivery';
import { claimDueDeliveries, disableEndpoint, findEndpoint } from '../../api/modules/webhooks/queries';
import { changeEndpoint } from '../../api/modules/webhooks/service';
import { deliveryDeps, fileTestApp } from '../support/app';
import { auth, expectJson, expectProblem, grantDelegation, registerOrg } from '../support/fixtures';
import { startReceiver } from '../support/receiver';

const t = await fileTestApp({
  config: { webhooks: { requireHttps: false, allowPrivateTargets: true, timeoutMs: 2000, leaseSeconds: 60 } },
});

async function endpoint(key: string) {
  return expectJson<{ id: string; url: string; event_types: string[] }>(
    await t.request('/v1/webhook-endpoints', {
      method: 'POST',
      headers: auth(key),
      json: { url: 'http://127.0.0.1:9/hooks', event_types: ['procedure.*', 'procedure.*'] },
    }),
    201,
  );
}

it('refuses an empty URL in a change as at creation, and changes nothing', async () => {
  const org = await registerOrg(t);
  const hook = await endpoint(org.testKey);
  const change = (url: string) =>
    t.request(`/v1/webhook-endpoints/${hook.id}`, {
      method: 'PATCH',
      headers: auth(org.testKey),
      json: { url, description: 'changed' },
    });
  const problem = await expectProblem(await change(''), 400, 'validation_failed');
  expect(problem.errors[0].pointer).toBe('/url');
  const seen = await expectJson<{ url: string; description: string | null }>(
    await t.request(`/v1/webhook-endpoints/${hook.id}`, { headers: auth(org.testKey) }),
    200,
  );
  expect(seen).toMatchObject({ url: hook.url, description: null });
});

it('keeps each event type once when they are changed, as at creation', async () => {
  const org = await registerOrg(t);
  const hook = await endpoint(org.testKey);
  expect(hook.event_types).toEqual(['procedure.*']);
  const changed = await expectJson<{ event_types: string[] }>(
    await t.request(`/v1/webhook-endpoints/${hook.id}`, {
      method: 'PATCH',
      headers: auth(org.testKey),
      json: { event_types: ['delegation.revoked', 'procedure.*', 'delegation.revoked'] },
    }),
    200,
  );
  expect(changed.event_types).toEqual(['delegation.revoked', 'procedure.*']);
});

it('does not queue again a delivery a worker is sending: it would be sent twice at once', async () => {
  const org = await registerOrg(t);
  const hook = await endpoint(org.testKey);
  const delivery = await expectJson<{ id: string }>(
    await t.request(`/v1/webhook-endpoints/${hook.id}/test`, { method: 'POST', headers: auth(org.testKey) }),
    202,
  );
  // A worker claims it and is sending it.
  const claimed = await claimDueDeliveries(t.sql, t.clock.now(), 60, 100);
  expect(claimed.map((d) => d.id)).toContain(delivery.id);
  const retry = () =>
    t.request(`/v1/webhook-endpoints/${hook.id}/deliveries/${delivery.id}/retry`, {
      method: 'POST',
      headers: auth(org.testKey),
    });
  await expectProblem(await retry(), 409, 'conflict');
  expect((await claimDueDeliveries(t.sql, t.clock.now(), 60, 100)).map((d) => d.id)).not.toContain(delivery.id);
  // Once its lease is over (the worker died), it may be queued again.
  t.clock.advance(61_000);
  expect((await retry()).status).toBe(202);
});

it('deletes an endpoint and gives up its pending deliveries together, or neither', async () => {
  const org = await registerOrg(t);
  const hook = await endpoint(org.testKey);
  await t.request(`/v1/webhook-endpoints/${hook.id}/test`, { method: 'POST', headers: auth(org.testKey) });
  // Giving up its deliveries fails, as a lost connection would make it fail.
  await t.sql.unsafe(`
    create or replace function refuse_give_up() returns trigger language plpgsql as $$
    begin raise exception 'the deliveries could not be given up'; end; $$`);
  await t.sql.unsafe(`
    create trigger refuse_give_up before update on webhook_deliveries
    for each row when (new.last_error = 'endpoint deleted') execute function refuse_give_up()`);
  try {
    const remove = () =>
      t.request(`/v1/webhook-endpoints/${hook.id}`, { method: 'DELETE', headers: auth(org.testKey) });
    await expectProblem(await remove(), 500, 'internal');
    expect((await t.request(`/v1/webhook-endpoints/${hook.id}`, { headers: auth(org.testKey) })).status).toBe(200);
    await t.sql.unsafe('drop trigger refuse_give_up on webhook_deliveries');
    expect((await remove()).status).toBe(200);
    const [delivery] = await t.sql<{ status: string }[]>`
      select status from webhook_deliveries where endpoint_id = ${hook.id}`;
    expect(delivery!.status).toBe('failed');
  } finally {
    await t.sql.unsafe('drop trigger if exists refuse_give_up on webhook_deliveries');
  }
});

it('answers an ETag, and applies a change sent with If-Match only while the endpoint is at that version', async () => {
  const org = await registerOrg(t);
  const created = await t.request('/v1/webhook-endpoints', {
    method: 'POST',
    headers: auth(org.testKey),
    json: { url: 'http://127.0.0.1:9/hooks' },
  });
  const hook = await expectJson<{ id: string }>(created, 201);
  expect(created.headers.get('etag')).toBe(`"${hook.id}.v1"`);
  const read = async () => {
    const res = await t.request(`/v1/webhook-endpoints/${hook.id}`, { headers: auth(org.testKey) });
    return { etag: res.headers.get('etag'), body: await expectJson<{ description: string | null }>(res, 200) };
  };
  expect((await read()).etag).toBe(`"${hook.id}.v1"`);
  const change = (description: string, ifMatch?: string) =>
    t.request(`/v1/webhook-endpoints/${hook.id}`, {
      method: 'PATCH',
      headers: auth(org.testKey, ifMatch ? { 'if-match': ifMatch } : {}),
      json: { description },
    });

  const first = await change('first', `"${hook.id}.v1"`);
  expect((await expectJson(first, 200)).description).toBe('first');
  expect(first.headers.get('etag')).toBe(`"${hook.id}.v2"`);
  // Someone else's change sent with the ETag read before the first one: refused, nothing written.
  const stale = await expectProblem(await change('second', `"${hook.id}.v1"`), 412, 'precondition_failed');
  expect(stale.current_etag).toBe(`"${hook.id}.v2"`);
  expect((await read()).body.description).toBe('first');
  // A rotation is a change too.
  const rotated = await t.request(`/v1/webhook-endpoints/${hook.id}/rotate-secret`, {
    method: 'POST',
    headers: auth(org.testKey),
  });
  expect(rotated.headers.get('etag')).toBe(`"${hook.id}.v3"`);
  await expectProblem(await change('third', `"${hook.id}.v2"`), 412, 'precondition_failed');
  // Without If-Match, a change applies as before.
  const blind = await change('fourth');
  expect((await expectJson(blind, 200)).description).toBe('fourth');
  expect(blind.headers.get('etag')).toBe(`"${hook.id}.v4"`);
});

it('refuses a change sent with If-Match when the endpoint moved between its read and its write', async () => {
  const org = await registerOrg(t);
  const hook = await endpoint(org.testKey);
  const read = (await findEndpoint(t.sql, { id: hook.id, organizationId: org.id, livemode: false }))!;
  // The endpoint answered 410 and was disabled (version 2) after the change read it at version 1.
  await disableEndpoint(t.sql, hook.id, 'The endpoint answered 410 Gone.', t.clock.now());
  await expect(changeEndpoint(t.sql, t.deps!, read, { description: 'late' }, t.clock.now(), 1)).rejects.toMatchObject({
    code: 'precondition_failed',
    extensions: { current_etag: `"${hook.id}.v2"` },
  });
  const seen = await expectJson<{ description: string | null; enabled: boolean }>(
    await t.request(`/v1/webhook-endpoints/${hook.id}`, { headers: auth(org.testKey) }),
    200,
  );
  expect(seen).toMatchObject({ description: null, enabled: false });
});

it('records when an endpoint was disabled, so what it missed can be read from the feed; enabling clears it', async () => {
  const receiver = await startReceiver(() => ({ status: 410 }));
  onTestFinished(() => receiver.close());
  const org = await registerOrg(t);
  const hook = await expectJson<{ id: string; disabled_at: string | null }>(
    await t.request('/v1/webhook-endpoints', {
      method: 'POST',
      headers: auth(org.testKey),
      json: { url: receiver.url },
    }),
    201,
  );
  expect(hook.disabled_at).toBeNull();
  const read = async () =>
    expectJson<{ enabled: boolean; disabled_reason: string | null; disabled_at: string | null }>(
      await t.request(`/v1/webhook-endpoints/${hook.id}`, { headers: auth(org.testKey) }),
      200,
    );
  const change = (json: Record<string, unknown>) =>
    t.request(`/v1/webhook-endpoints/${hook.id}`, { method: 'PATCH', headers: auth(org.testKey), json });

  // It answers 410 on Thursday 5 March at 10:00 UTC.
  t.clock.set('2026-03-05T10:00:00Z');
  await t.request(`/v1/webhook-endpoints/${hook.id}/test`, { method: 'POST', headers: auth(org.testKey) });
  while ((await deliverDue(t.sql, deliveryDeps(t))) > 0) {
    /* until nothing is due */
  }
  expect(await read()).toMatchObject({ enabled: false, disabled_at: '2026-03-05T10:00:00.000Z' });
  expect((await read()).disabled_reason).toContain('410');

  // An event an hour later is queued for no one, but the feed has it, after disabled_at.
  t.clock.set('2026-03-05T11:00:00Z');
  await grantDelegation(t, org.testKey);
  const feed = await expectJson(await t.request('/v1/events', { headers: auth(org.testKey) }), 200);
  const missed = (feed.data as any[]).filter((e) => e.created_at >= '2026-03-05T10:00:00.000Z');
  expect(missed.map((e) => e.type)).toContain('delegation_request.accepted');
  // A change that leaves it disabled keeps the time it was disabled.
  await expectJson(await change({ description: 'still off' }), 200);
  expect((await read()).disabled_at).toBe('2026-03-05T10:00:00.000Z');

  // Enabled again on Friday: the time and the reason are cleared, and nothing missed is sent.
  t.clock.set('2026-03-06T09:00:00Z');
  expect(await expectJson(await change({ enabled: true }), 200)).toMatchObject({
    enabled: true,
    disabled_reason: null,
    disabled_at: null,
  });
  const [queued] = await t.sql<{ n: number }[]>`
    select count(*)::int as n from webhook_deliveries where endpoint_id = ${hook.id} and status = 'pending'`;
  expect(queued!.n).toBe(0);

  // Disabled by a change: when, and no reason of Puente's.
  t.clock.set('2026-03-06T12:30:00Z');
  expect(await expectJson(await change({ enabled: false }), 200)).toMatchObject({
    enabled: false,
    disabled_reason: null,
    disabled_at: '2026-03-06T12:30:00.000Z',
  });
});
