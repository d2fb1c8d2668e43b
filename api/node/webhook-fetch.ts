import { Agent as HttpAgent, type IncomingMessage, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isIPv6, type LookupFunction } from 'node:net';

import type { WebhookFetch } from '../modules/webhooks/delivery';

/**
 * Kept-alive connections to receivers. No cap of their own: the delivery pipeline bounds how many
 * deliveries are in flight, in all and to each endpoint. An idle connection is closed after 4 s,
 * before the 5 s after which common servers close theirs.
 */
const agents = {
  'http:': new HttpAgent({ keepAlive: true, timeout: 4000 }),
  'https:': new HttpsAgent({ keepAlive: true, timeout: 4000 }),
};

/** More of an answer's body than this is not read: its connection is closed instead. */
const DRAINED_BODY_BYTES = 64 * 1024;

/**
 * Webhook deliveries through `node:http(s)` with kept-alive connections: the request and the
 * answer the delivery worker uses (status, headers), at a fraction of the CPU of the global
 * `fetch`, which builds a web Request, Response and streams for each. Like the worker's `fetch`:
 * - it follows no redirect, sends the body with its Content-Length, and refuses a URL with
 *   credentials;
 * - given `addresses`, it connects to the host at those only, never looking the name up again;
 * - it answers once the headers are in, and rejects with the signal's reason (a `TimeoutError`)
 *   if the signal aborts before.
 *
 * The answer's body is read and dropped so that the connection can serve the next delivery, but
 * only until the signal aborts and up to 64 KiB; past either, the connection is closed. A request
 * whose kept-alive connection the receiver closed before answering anything is sent once more on
 * a new one (receivers deduplicate by `webhook-id` in any case); once answered, never.
 */
export const nodeWebhookFetch: WebhookFetch = (input, init) =>
  new Promise((resolve, reject) => {
    const url = new URL(input);
    const protocol = url.protocol as keyof typeof agents;
    const send = protocol === 'https:' ? httpsRequest : protocol === 'http:' ? httpRequest : undefined;
    if (!send) return reject(new TypeError(`Unsupported protocol ${url.protocol}`));
    if (url.username || url.password) return reject(new TypeError('The URL includes credentials'));
    const { signal, body } = init;
    const headers = { ...init.headers, 'content-length': String(Buffer.byteLength(body)) };
    const lookup = init.addresses ? checkedAddresses(init.addresses) : undefined;
    const options = { method: init.method, headers, agent: agents[protocol], lookup };
    const attempt = (again: boolean) => {
      if (signal.aborted) return reject(signal.reason);
      let answered = false;
      const req = send(url, options, (res: IncomingMessage) => {
        answered = true;
        resolve({
          status: res.statusCode!,
          ok: res.statusCode! >= 200 && res.statusCode! < 300,
          headers: { get: (name) => headerValue(res.headers[name.toLowerCase()]) },
          body: null,
        });
        let drained = 0;
        res.on('data', (chunk: Buffer) => {
          drained += chunk.length;
          if (drained > DRAINED_BODY_BYTES) req.destroy();
        });
        res.on('close', () => signal.removeEventListener('abort', abort));
        res.on('error', () => undefined);
      });
      // Before an answer the delivery fails with the signal's reason; after, the connection goes.
      const abort = () => {
        reject(signal.reason);
        req.destroy();
      };
      signal.addEventListener('abort', abort, { once: true });
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (answered) return;
        signal.removeEventListener('abort', abort);
        if (signal.aborted) return reject(signal.reason);
        if (again && req.reusedSocket && error.code === 'ECONNRESET') return attempt(false);
        reject(error);
      });
      req.end(body);
    };
    attempt(true);
  });

/** A lookup that answers these addresses (of the family asked for) whatever the name, and fails when none is left. */
function checkedAddresses(addresses: readonly string[]): LookupFunction {
  return (hostname, options, callback) => {
    const found = addresses
      .map((address) => ({ address, family: isIPv6(address) ? 6 : 4 }))
      .filter((a) => !options.family || a.family === options.family);
    if (found.length === 0) {
      const error: NodeJS.ErrnoException = new Error(`No checked address for ${hostname}`);
      error.code = 'ENOTFOUND';
      return callback(error, '', 0);
    }
    if (options.all) return callback(null, found);
    callback(null, found[0]!.address, found[0]!.family);
  };
}

function headerValue(value: string | string[] | undefined): string | null {
  return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
}
