import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Puente, WebhookVerificationError } from '../src';

const secretBytes = randomBytes(32);
const secret = `whsec_${secretBytes.toString('base64')}`;
const body = JSON.stringify({ id: 'evt_1', type: 'delegation.revoked', timestamp: '2026-03-02T10:00:00.000Z', livemode: true, data: { delegation_id: 'dlg_1' } });

function sign(id: string, timestamp: number, payload: string, key = secretBytes) {
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${payload}`).digest('base64')}`;
}

describe('webhooks.unwrap', () => {
  const puente = new Puente();
  const now = Math.floor(Date.now() / 1000);

  it('verifies a genuine delivery and returns the typed event', async () => {
    const event = await puente.webhooks.unwrap(body, { 'webhook-id': 'evt_1', 'webhook-timestamp': String(now), 'webhook-signature': sign('evt_1', now, body) }, secret);
    expect(event.type).toBe('delegation.revoked');
    expect(event.data).toEqual({ delegation_id: 'dlg_1' });
  });

  it('accepts any of several signatures (secret rotation)', async () => {
    const header = `${sign('evt_1', now, body, randomBytes(32))} ${sign('evt_1', now, body)}`;
    await expect(puente.webhooks.unwrap(body, new Headers({ 'webhook-id': 'evt_1', 'webhook-timestamp': String(now), 'webhook-signature': header }), secret)).resolves.toBeTruthy();
  });

  it('refuses a tampered body, a wrong secret and a stale timestamp', async () => {
    const headers = { 'webhook-id': 'evt_1', 'webhook-timestamp': String(now), 'webhook-signature': sign('evt_1', now, body) };
    await expect(puente.webhooks.unwrap(body.replace('dlg_1', 'dlg_2'), headers, secret)).rejects.toBeInstanceOf(WebhookVerificationError);
    await expect(puente.webhooks.unwrap(body, headers, `whsec_${randomBytes(32).toString('base64')}`)).rejects.toBeInstanceOf(WebhookVerificationError);
    const old = now - 600;
    await expect(
      puente.webhooks.unwrap(body, { 'webhook-id': 'evt_1', 'webhook-timestamp': String(old), 'webhook-signature': sign('evt_1', old, body) }, secret),
    ).rejects.toThrow(/tolerance/);
  });
});
