import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';

import { type HmacSha256, webCryptoHmac } from '../../api/lib/hmac';
import { importSigningKey, newWebhookSecret, signPayload } from '../../api/modules/webhooks/signing';
import { nodeHmac } from '../../api/node/hmac';

const toHex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');

describe.each<[string, HmacSha256]>([
  ['node:crypto', nodeHmac],
  ['WebCrypto', webCryptoHmac],
])('HMAC-SHA256 through %s', (_name, hmac) => {
  it('matches RFC 4231 test case 2 (published vector, not computed here)', async () => {
    const key = await hmac(new TextEncoder().encode('Jefe'));
    expect(toHex(await key.sign('what do ya want for nothing?'))).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('signs webhooks that the standardwebhooks package verifies', async () => {
    const secret = newWebhookSecret();
    const body = JSON.stringify({ id: 'evt_1', type: 'procedure.submitted', data: { ok: true } });
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = await signPayload(await importSigningKey(secret, hmac), 'evt_1', timestamp, body);
    const headers = { 'webhook-id': 'evt_1', 'webhook-timestamp': String(timestamp), 'webhook-signature': signature };
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });
});
