import { expect, it } from 'vitest';

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
