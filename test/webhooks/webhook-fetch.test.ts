import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { WebhookFetch } from '../../api/modules/webhooks/delivery';
import { nodeWebhookFetch } from '../../api/node/webhook-fetch';

/**
 * The Node sender of webhook deliveries must answer the delivery worker as the global `fetch`
 * does, for everything the worker uses: each case runs against both, over real HTTP.
 */
let server: Server;
let base: string;
const seen: { method: string; headers: IncomingMessage['headers']; body: string }[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      seen.push({ method: req.method!, headers: req.headers, body });
      if (req.url === '/slow') return; // never answers
      if (req.url === '/stalled') {
        // Headers at once, then a body that never ends.
        res.writeHead(200, { 'content-length': '1000000' });
        return res.write('x');
      }
      if (req.url === '/reset') {
        // Answered, then the connection is reset while the body is still coming.
        res.writeHead(200, { 'content-length': '100' });
        res.write('partial');
        return setTimeout(() => req.socket.resetAndDestroy(), 50);
      }
      if (req.url === '/busy') {
        res.writeHead(503, { 'retry-after': '120' });
        return res.end('try later');
      }
      if (req.url === '/moved') {
        res.writeHead(301, { location: '/elsewhere' });
        return res.end();
      }
      res.writeHead(204);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const senders: [string, WebhookFetch][] = [
  ['global fetch', fetch],
  ['node:http', nodeWebhookFetch],
];
const init = (signal = AbortSignal.timeout(5000)) => ({
  method: 'POST' as const,
  redirect: 'manual' as const,
  signal,
  headers: { 'content-type': 'application/json', 'webhook-id': 'evt_1', 'webhook-signature': 'v1,abc' },
  body: JSON.stringify({ type: 'procedure.submitted', data: { name: 'Núñez' } }),
});

describe.each(senders)('webhook sender: %s', (_name, send) => {
  it('posts the body with its length and the headers, and answers the status', async () => {
    seen.length = 0;
    const res = await send(`${base}/hooks`, init());
    expect(res.status).toBe(204);
    expect(res.ok).toBe(true);
    await res.body?.cancel();
    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request!.method).toBe('POST');
    expect(request!.body).toBe(init().body);
    expect(request!.headers['content-length']).toBe(String(Buffer.byteLength(init().body)));
    expect(request!.headers['transfer-encoding']).toBeUndefined();
    expect(request!.headers['webhook-id']).toBe('evt_1');
    expect(request!.headers['webhook-signature']).toBe('v1,abc');
    expect(request!.headers['content-type']).toBe('application/json');
  });

  it('answers an error status with its headers, and follows no redirect', async () => {
    const busy = await send(`${base}/busy`, init());
    expect([busy.status, busy.ok, busy.headers.get('Retry-After')]).toEqual([503, false, '120']);
    await busy.body?.cancel();
    const moved = await send(`${base}/moved`, init());
    expect([moved.status, moved.ok]).toEqual([301, false]);
    await moved.body?.cancel();
  });

  it('rejects with a TimeoutError when the receiver does not answer in time', async () => {
    const error = await send(`${base}/slow`, init(AbortSignal.timeout(150))).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.name).toBe('TimeoutError');
  });

  it('refuses a URL with credentials', async () => {
    const error = await send(`${base.replace('http://', 'http://user:secret@')}/hooks`, init()).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error).toBeInstanceOf(TypeError);
  });

  it('rejects, not as a timeout, when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await send(`http://127.0.0.1:${port}/hooks`, init()).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error?.name).not.toBe('TimeoutError');
  });
});

describe('webhook sender: node:http, its connections', () => {
  const connections = () => new Promise<number>((resolve) => server.getConnections((_, n) => resolve(n)));

  it('answers at the headers, and closes connections whose body does not end once the time is up', async () => {
    // Connections other cases left open (kept alive, or the other sender's).
    const before = await connections();
    // More than any connection cap would allow at once: none of them waits for another.
    const answers = await Promise.all(
      Array.from({ length: 70 }, () => nodeWebhookFetch(`${base}/stalled`, init(AbortSignal.timeout(300)))),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(70).fill(200));
    expect(await connections()).toBeGreaterThanOrEqual(70);
    await expect.poll(connections, { timeout: 2000 }).toBeLessThanOrEqual(before);
    const next = await nodeWebhookFetch(`${base}/hooks`, init(AbortSignal.timeout(1000)));
    expect(next.status).toBe(204);
  });

  it('never sends an answered delivery again, even when its connection is reset afterwards', async () => {
    // A kept-alive connection first, so that the second delivery reuses it.
    expect((await nodeWebhookFetch(`${base}/hooks`, init())).status).toBe(204);
    seen.length = 0;
    expect((await nodeWebhookFetch(`${base}/reset`, init())).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(seen).toHaveLength(1);
  });
});
