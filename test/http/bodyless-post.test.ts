import { connect } from 'node:net';

import { describe, expect, it } from 'vitest';

import { fileServedApp } from '../support/app';
import { grantDelegation, registerOrg } from '../support/fixtures';

/**
 * A POST without a body through the real Node server, byte for byte as clients send it: with no
 * Content-Length at all (curl -X POST, load tools), with `Content-Length: 0` (fetch), and a
 * chunked body, which must still be read.
 */
const { t, server } = await fileServedApp();

/** Sends `head` (and `body`) on a fresh connection and answers the status and the JSON body. */
function raw(head: string, body = ''): Promise<{ status: number; json: Record<string, any> }> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1', () => socket.write(`${head}\r\nconnection: close\r\n\r\n${body}`));
    let data = '';
    socket.on('data', (d) => (data += d));
    socket.on('error', reject);
    socket.on('end', () => {
      const [headers, ...rest] = data.split('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(headers!)?.[1]);
      let text = rest.join('\r\n\r\n');
      if (/transfer-encoding: chunked/i.test(headers!)) {
        let out = '';
        for (let i = 0; ;) {
          const end = text.indexOf('\r\n', i);
          const size = parseInt(text.slice(i, end), 16);
          if (!size) break;
          out += text.slice(end + 2, end + 2 + size);
          i = end + 2 + size + 2;
        }
        text = out;
      }
      resolve({ status, json: text ? JSON.parse(text) : {} });
    });
  });
}

describe('a POST without a body', () => {
  it('is served alike with no Content-Length, with Content-Length: 0, and a chunked body is still read', async () => {
    const org = await registerOrg(t);
    const { delegationId } = await grantDelegation(t, org.testKey);
    const mint = `POST /v1/delegations/${delegationId}/consent-tokens HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${org.testKey}`;
    const none = await raw(mint);
    expect(none.status, JSON.stringify(none.json)).toBe(201);
    expect(typeof none.json.token).toBe('string');
    const zero = await raw(`${mint}\r\ncontent-length: 0`);
    expect(zero.status).toBe(201);
    const chunk = JSON.stringify({ lifetime_seconds: 120 });
    const chunked = await raw(
      `${mint}\r\ncontent-type: application/json\r\ntransfer-encoding: chunked`,
      `${chunk.length.toString(16)}\r\n${chunk}\r\n0\r\n\r\n`,
    );
    expect(chunked.status).toBe(201);
    const lifetime = (json: Record<string, any>) => (Date.parse(json.expires_at) - t.clock.now().getTime()) / 1000;
    expect(lifetime(chunked.json)).toBe(120);
    expect(lifetime(none.json)).not.toBe(120);
    // A route whose body is required still says so when there is none.
    const create = await raw(`POST /v1/procedures HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${org.testKey}`);
    expect(create.status).toBeGreaterThanOrEqual(400);
    expect(create.status).toBeLessThan(500);
  });
});
