import { createHmac, randomBytes } from 'node:crypto';

import { describe, expect, expectTypeOf, it } from 'vitest';

import { Puente, type WebhookEventOf, type WebhookEventType, WebhookVerificationError } from '../src';

const key = randomBytes(32);
const secret = `whsec_${key.toString('base64')}`;
const body = JSON.stringify({
  type: 'procedure.status_changed',
  timestamp: '2026-03-10T09:00:00.000Z',
  data: { procedure_id: 'prc_1', status: 'action_required' },
});
const now = () => Math.floor(Date.now() / 1000);

function sign(payload: string, { id = 'msg_1', timestamp = now(), with: signingKey = key } = {}) {
  const signature = createHmac('sha256', signingKey).update(`${id}.${timestamp}.${payload}`).digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': `v1,${signature}` };
}

describe('webhooks.unwrap', () => {
  const { webhooks } = new Puente();

  it('verifies a delivery signed with node:crypto and returns the event', async () => {
    const event = await webhooks.unwrap(body, sign(body), secret);
    expect(event).toEqual(JSON.parse(body));
    expect(event.type).toBe('procedure.status_changed');
  });

  it('accepts Headers, any header case, and any one of several signatures (secret rotation)', async () => {
    const headers = sign(body);
    const other = sign(body, { with: randomBytes(32) })['webhook-signature'];
    await expect(
      webhooks.unwrap(
        body,
        new Headers({ ...headers, 'webhook-signature': `${other} ${headers['webhook-signature']}` }),
        secret,
      ),
    ).resolves.toBeTruthy();
    await expect(
      webhooks.unwrap(
        body,
        {
          'Webhook-Id': headers['webhook-id'],
          'Webhook-Timestamp': headers['webhook-timestamp'],
          'Webhook-Signature': headers['webhook-signature'],
        },
        secret,
      ),
    ).resolves.toBeTruthy();
  });

  it('refuses a tampered body, a wrong secret, another message id and a missing header', async () => {
    const headers = sign(body);
    await expect(webhooks.unwrap(body.replace('prc_1', 'prc_2'), headers, secret)).rejects.toBeInstanceOf(
      WebhookVerificationError,
    );
    await expect(webhooks.unwrap(body, headers, `whsec_${randomBytes(32).toString('base64')}`)).rejects.toBeInstanceOf(
      WebhookVerificationError,
    );
    await expect(webhooks.unwrap(body, { ...headers, 'webhook-id': 'msg_2' }, secret)).rejects.toBeInstanceOf(
      WebhookVerificationError,
    );
    await expect(
      webhooks.unwrap(body, { ...headers, 'webhook-signature': 'v1,bm90IGEgc2lnbmF0dXJl' }, secret),
    ).rejects.toBeInstanceOf(WebhookVerificationError);
    await expect(
      webhooks.unwrap(body, { 'webhook-id': 'msg_1', 'webhook-timestamp': String(now()) }, secret),
    ).rejects.toThrow(/Missing/);
  });

  it('refuses stale and future timestamps beyond the tolerance', async () => {
    const stale = sign(body, { timestamp: now() - 301 });
    await expect(webhooks.unwrap(body, stale, secret)).rejects.toThrow(/tolerance/);
    await expect(webhooks.unwrap(body, sign(body, { timestamp: now() + 301 }), secret)).rejects.toThrow(/tolerance/);
    await expect(webhooks.unwrap(body, stale, secret, { toleranceSeconds: 600 })).resolves.toBeTruthy();
  });
});

describe('typed webhook events (from the document’s webhooks section)', () => {
  it('narrows data by type', async () => {
    const payload = JSON.stringify({
      id: 'evt_1',
      type: 'procedure.resolved',
      timestamp: '2026-03-10T09:00:00.000Z',
      livemode: false,
      data: { procedure_id: 'prc_1', type: 'JUB', status: 'approved', outcome: 'approved' },
    });
    const event = await new Puente().webhooks.unwrap(payload, sign(payload), secret);
    expectTypeOf(event.type).toEqualTypeOf<WebhookEventType>();
    if (event.type === 'procedure.resolved') {
      expectTypeOf(event.data.outcome).toEqualTypeOf<'approved' | 'partially_approved' | 'denied'>();
      expect(event.data.outcome).toBe('approved');
    } else expect.unreachable();
    expectTypeOf<WebhookEventOf<'delegation.revoked'>['data']['delegation_id']>().toEqualTypeOf<string>();
  });
});
