import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

import type { AppEnv } from './context';
import { ProblemError } from './problem';

const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json\s*(;|$)/i;
/**
 * Bodies up to this size are read at once, as the web stream over Node's request pulled them
 * before; larger ones when something first needs them (after authentication). A body left unread
 * is lost if the client half-closes its connection meanwhile, which some clients do once their
 * request is sent.
 */
const READ_AT_ONCE_BYTES = 64 * 1024;
const utf8 = new TextDecoder();

/**
 * A limit on the request body, refused with 413 `payload_too_large` and `detail`. It must come
 * before anything reads the body (the idempotency fingerprint does).
 * - A body with a Content-Length over the limit is refused before any byte is read; one within it
 *   is never read past its length. Where the runtime reads bodies itself (`Deps.readBody`: Node),
 *   that read fills Hono's body cache: the bytes, and for JSON the text.
 * - A chunked body is counted while it streams, and refused once it passes the limit.
 */
export function limitBody(maxBytes: number, detail: string): MiddlewareHandler<AppEnv> {
  const tooLarge = (): never => {
    throw new ProblemError('payload_too_large', detail);
  };
  const streamed = bodyLimit({ maxSize: maxBytes, onError: tooLarge });
  return async (c, next) => {
    const declared = c.req.header('content-length');
    if (declared === undefined || c.req.header('transfer-encoding') !== undefined) return streamed(c, next);
    const length = Number.parseInt(declared, 10);
    if (length > maxBytes) tooLarge();
    const readBody = c.get('deps').readBody;
    if (readBody) {
      const bytes = cacheOnFirstUse(c, () => readBody(c));
      // Started now; a failure is answered to whatever reads the body.
      if (length <= READ_AT_ONCE_BYTES) bytes().catch(() => undefined);
    }
    return next();
  };
}

/**
 * Hono's body cache, filled by `read` the first time anything asks for the body: its bytes, and
 * for JSON its text decoded as `Request.text()` decodes it. Where `read` cannot (the web `Request`
 * was already built), the bytes come from that request. Answers the function that starts the read.
 */
function cacheOnFirstUse(c: Context<AppEnv>, read: () => Promise<Uint8Array> | undefined): () => Promise<ArrayBuffer> {
  // Hono keeps promises in its body cache (its type names the settled values).
  const cache = c.req.bodyCache as Record<string, Promise<unknown>>;
  let bytes: Promise<ArrayBuffer> | undefined;
  const arrayBuffer = () => (bytes ??= read()?.then(ownBuffer, incomplete) ?? c.req.raw.arrayBuffer());
  let text: Promise<string> | undefined;
  const entries: Record<string, () => Promise<unknown>> = { arrayBuffer };
  if (JSON_MEDIA_TYPE.test(c.req.header('content-type') ?? ''))
    entries.text = () => (text ??= arrayBuffer().then((buffer) => textOf(new Uint8Array(buffer))));
  for (const [key, get] of Object.entries(entries)) {
    Object.defineProperty(cache, key, {
      get,
      set: (value: unknown) => Object.defineProperty(cache, key, { value, writable: true, enumerable: true }),
      enumerable: true,
      configurable: true,
    });
  }
  return arrayBuffer;
}

/** The bytes' own ArrayBuffer (Hono's cache hands out the ArrayBuffer itself). */
function ownBuffer(bytes: Uint8Array): ArrayBuffer {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return (whole ? bytes.buffer : bytes.slice().buffer) as ArrayBuffer;
}

function incomplete(): never {
  throw new ProblemError('validation_failed', 'The connection closed before the request body could be read.', {
    errors: [{ pointer: '', in: 'body', detail: 'The body could not be read.' }],
  });
}

/** The text `Request.text()` answers for these bytes: a UTF-8 BOM dropped, then decoded (which drops one more). */
function textOf(bytes: Uint8Array): string {
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  return utf8.decode(bom ? bytes.subarray(3) : bytes);
}
