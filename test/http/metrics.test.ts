import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { deliverDue } from '../../api/modules/webhooks/delivery';
import { createTestApp, type TestApp } from '../support/app';
import { auth, expectProblem, registerOrg } from '../support/fixtures';
import { startReceiver } from '../support/receiver';

const TOKEN = 'metrics-token-for-tests-0123';

let t: TestApp;
let plain: TestApp;

beforeAll(async () => {
  t = await createTestApp({ config: { metricsToken: TOKEN } });
  t.config.webhooks.allowPrivateTargets = true;
  plain = await createTestApp();
});
afterAll(async () => {
  await t.close();
  await plain.close();
});

const scrape = (headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) =>
  t.request('/metrics', { headers });

describe('GET /metrics', () => {
  it('does not exist without PUENTE_METRICS_TOKEN', async () => {
    await expectProblem(
      await plain.request('/metrics', { headers: { authorization: `Bearer ${TOKEN}` } }),
      404,
      'not_found',
    );
  });

  it('answers 401 without the token or with another one', async () => {
    await expectProblem(await scrape({}), 401, 'unauthorized');
    await expectProblem(await scrape({ authorization: 'Bearer not-the-metrics-token-000' }), 401, 'unauthorized');
  });

  it('serves every family in the Prometheus text format, requests under their route pattern only', async () => {
    const receiver = await startReceiver();
    try {
      const org = await registerOrg(t);
      const read = await t.request('/v1/procedure-types/JUB');
      expect(read.status).toBe(200);
      const hook = await t.request('/v1/webhook-endpoints', {
        method: 'POST',
        headers: auth(org.testKey),
        json: { url: receiver.url },
      });
      expect(hook.status).toBe(201);
      const { id } = (await hook.json()) as { id: string };
      await t.request(`/v1/webhook-endpoints/${id}/test`, { method: 'POST', headers: auth(org.testKey) });

      const before = await (await scrape()).text();
      expect(before).toMatch(/^puente_outbox_backlog 1$/m);
      expect(before).toMatch(/^puente_outbox_oldest_undelivered_seconds \d/m);
      expect(await deliverDue(t.sql, t.deps!)).toBe(1);
      t.deps!.metrics.schedulerRun(1.5);

      const res = await scrape();
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/plain');
      const text = await res.text();
      for (const family of [
        'puente_http_requests_total',
        'puente_http_request_duration_seconds',
        'puente_db_connections',
        'puente_outbox_backlog',
        'puente_outbox_oldest_undelivered_seconds',
        'puente_webhook_delivery_attempts_total',
        'puente_webhook_delivery_failures_total',
        'puente_scheduler_lag_seconds',
        'puente_avisos_sent_total',
        'puente_avisos_failed_total',
      ]) {
        expect(text).toContain(`# TYPE ${family} `);
      }
      expect(text).toMatch(
        /^puente_http_requests_total\{route="\/v1\/procedure-types\/:code",method="GET",status="200"\} 1$/m,
      );
      expect(text).toMatch(
        /^puente_http_request_duration_seconds_count\{route="\/v1\/procedure-types\/:code",method="GET"\} 1$/m,
      );
      expect(text).toMatch(/^puente_webhook_delivery_attempts_total\{outcome="succeeded"\} 1$/m);
      expect(text).toMatch(/^puente_outbox_backlog 0$/m);
      expect(text).toMatch(/^puente_scheduler_lag_seconds 1.5$/m);
      // Never a concrete path or an id in a label.
      expect(text).not.toContain('/v1/procedure-types/JUB');
      expect(text).not.toContain(id);
      expect(text).not.toContain(org.id);
    } finally {
      await receiver.close();
    }
  });
});
