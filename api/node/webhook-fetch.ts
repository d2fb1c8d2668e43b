import { Agent as HttpAgent, type IncomingMessage, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

import type { WebhookFetch } from '../modules/webhooks/delivery';

/** Kept-alive connections to receivers, as many per receiver as the worker sends to it at once. */
const agents = {
  'http:': new HttpAgent({ keepAlive: true, maxSockets: 64 }),
  'https:': new HttpsAgent({ keepAlive: true, maxSockets: 64 }),
};

/**
 * Webhook deliveries through `node:http(s)` with kept-alive connections: the request and the
 * answer the delivery worker uses (status, headers; the body is discarded), at a fraction of the
 * CPU of the global `fetch`, which builds a web Request, Response and streams for each. Like the
 * worker's `fetch`, it follows no redirect, sends the body with its Content-Length, and rejects
 * with the signal's reason (a `TimeoutError`) when the signal aborts. A kept-alive connection the
 * receiver closed just as it was reused is tried once more on a new one (receivers deduplicate
 * by `webhook-id` in any case).
 */
export const nodeWebhookFetch: WebhookFetch = (input, init) =>
  new Promise((resolve, reject) => {
    const url = new URL(input);
    const protocol = url.protocol as keyof typeof agents;
    const send = protocol === 'https:' ? httpsRequest : protocol === 'http:' ? httpRequest : undefined;
    if (!send) return reject(new TypeError(`Unsupported protocol ${url.protocol}`));
    const { signal, body } = init;
    const headers = { ...init.headers, 'content-length': String(Buffer.byteLength(body)) };
    const attempt = (again: boolean) => {
      if (signal.aborted) return reject(signal.reason);
      const req = send(url, { method: init.method, headers, agent: agents[protocol] }, (res: IncomingMessage) => {
        signal.removeEventListener('abort', abort);
        res.resume();
        resolve({
          status: res.statusCode!,
          ok: res.statusCode! >= 200 && res.statusCode! < 300,
          headers: { get: (name) => headerValue(res.headers[name.toLowerCase()]) },
          body: null,
        });
      });
      const abort = () => req.destroy(signal.reason as Error);
      signal.addEventListener('abort', abort, { once: true });
      req.on('error', (error: NodeJS.ErrnoException) => {
        signal.removeEventListener('abort', abort);
        if (signal.aborted) return reject(signal.reason);
        if (again && req.reusedSocket && error.code === 'ECONNRESET') return attempt(false);
        reject(error);
      });
      req.end(body);
    };
    attempt(true);
  });

function headerValue(value: string | string[] | undefined): string | null {
  return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
}
