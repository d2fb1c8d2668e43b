import type { IncomingMessage } from 'node:http';

import type { Context } from 'hono';

/** Node's request, which `@hono/node-server` passes as the environment. */
function incomingOf(c: Context): IncomingMessage | undefined {
  return (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
}

/**
 * Told from the headers, never from `c.req.raw.body` (which would build the request's stream):
 * an HTTP/1 request without Content-Length or Transfer-Encoding has no body. Requests that did not
 * come through the Node server (`app.request` in tests) count as bodyless only with `Content-Length: 0`.
 */
export function nodeRequestIsBodyless(c: Context): boolean {
  if (c.req.header('content-length') === '0') return true;
  const incoming = incomingOf(c);
  return (
    incoming !== undefined &&
    incoming.httpVersionMajor === 1 &&
    incoming.headers['content-length'] === undefined &&
    incoming.headers['transfer-encoding'] === undefined
  );
}

/**
 * An HTTP/1 body with a Content-Length, read from Node's request into one buffer of exactly that
 * size. Through `c.req.raw` every body became an undici `Request` over a web stream of the socket's
 * chunks, then a second `Response` to turn the cached bytes into text or form data. The bytes are
 * also left as the request's `rawBody`, which `@hono/node-server` serves should anything still
 * build the web `Request`. Answers undefined for anything else (chunked, HTTP/2, a body already
 * being read, a request that did not come through the Node server); that is read as before.
 * Node's parser delivers no more than the declared length; a body that ends short (the client
 * went away) rejects.
 */
export function nodeReadBody(c: Context): Promise<Uint8Array> | undefined {
  const incoming = incomingOf(c);
  if (!incoming || incoming.httpVersionMajor !== 1 || incoming.headers['transfer-encoding'] !== undefined) return;
  const length = Number(incoming.headers['content-length']);
  if (!Number.isSafeInteger(length) || length < 0) return;
  if ('rawBody' in incoming || incoming.readableDidRead || incoming.readableFlowing !== null) return;
  return readExactly(incoming, length);
}

async function readExactly(incoming: IncomingMessage, length: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of incoming as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    received += chunk.length;
  }
  if (received !== length) throw new Error(`request body ended after ${received} of ${length} bytes`);
  // Its own ArrayBuffer of exactly the body (not a slice of Node's shared pool), since Hono's body
  // cache hands out the ArrayBuffer itself.
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  (incoming as IncomingMessage & { rawBody?: Buffer }).rawBody = Buffer.from(bytes.buffer, 0, length);
  return bytes;
}
