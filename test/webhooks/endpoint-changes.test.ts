import { expect, it } from 'vitest';

import { claimDueDeliveries } from '../../api/modules/webhooks/queries';
import { fileTestApp } from '../support/app';
import { auth, expectJson, expectProblem, registerOrg } from '../support/fixtures';

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
