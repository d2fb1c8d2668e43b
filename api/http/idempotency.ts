import type { MiddlewareHandler } from 'hono';

import { transaction } from '../db/sql';
import type { Sha256 } from '../deps';
import type { AppEnv } from './context';
import { ProblemError } from './problem';
import { claimIdempotencyKey, completeIdempotencyKey, releaseIdempotencyKey } from './queries';

const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;
const RETENTION_MS = 24 * 3600_000;

/**
 * The headers of the first response that a replay repeats: they describe the result (the
 * version to send as `If-Match`, where it lives, whether to resend). Headers about the request
 * itself (its id, the rate limit's count) are this request's own and set around the replay.
 */
const REPLAYED_HEADERS = ['etag', 'location', 'content-disposition', 'puente-should-retry'] as const;

/**
 * `Idempotency-Key` for writes: the first response is stored (scoped to the credential) and
 * replayed to retries; the same key with another request is refused. Server errors are not
 * stored, so they can be retried with the same key.
 */
export function idempotency(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = c.req.header('idempotency-key');
    if (key === undefined) return next();
    if (!KEY_FORMAT.test(key)) {
      throw new ProblemError('validation_failed', 'Idempotency-Key must be 1 to 255 printable ASCII characters.', {
        errors: [
          {
            pointer: '/Idempotency-Key',
            in: 'header',
            detail: 'Use 1 to 255 printable ASCII characters, such as a UUID.',
          },
        ],
      });
    }
    const principal = c.get('principal');
    const credentialId = principal?.credentialId ?? 'anonymous';
    const sql = c.get('sql');
    const now = c.get('deps').clock.now();
    const fingerprint = await requestFingerprint(c.get('deps').sha256, {
      method: c.req.method,
      path: c.req.path,
      contentType: c.req.header('content-type'),
      body: new Uint8Array(await c.req.arrayBuffer()),
    });

    const existing = await claimIdempotencyKey(sql, {
      credentialId,
      key,
      fingerprint,
      now,
      lockedUntil: new Date(now.getTime() + c.get('deps').config.idempotencyLeaseSeconds * 1000),
      expiresAt: new Date(now.getTime() + RETENTION_MS),
    });
    if (existing) {
      if (existing.fingerprint !== fingerprint) {
        throw new ProblemError(
          'idempotency_conflict',
          'This Idempotency-Key was already used with a different request.',
        );
      }
      if (existing.state === 'in_flight') {
        throw new ProblemError(
          'idempotency_in_flight',
          'A request with this Idempotency-Key is still being processed.',
          {
            headers: { 'retry-after': '1' },
          },
        );
      }
      const stored = existing.response_body ? await c.get('deps').secretBox.open(existing.response_body) : '';
      return c.body(stored, existing.response_status as 200, {
        ...existing.response_headers,
        'content-type': existing.response_content_type ?? 'application/json',
        'idempotent-replayed': 'true',
      });
    }

    // The handler's writes and the stored response commit in one transaction: a process that dies
    // in between leaves neither, and a retry after the lease executes the request exactly once.
    const deps = c.get('deps');
    try {
      await transaction(sql, async (tx) => {
        c.set('sql', tx);
        await next();
        if (c.res.status >= 500 || c.error) throw new Rollback();
        const response = c.res;
        const text = await response.text();
        // Answered from the text just read rather than from a clone (which tees the body's
        // stream). Cleared first: replacing a response would wrap its body in a stream again.
        c.res = undefined;
        c.res = new Response(text, response);
        await completeIdempotencyKey(tx, {
          credentialId,
          key,
          status: response.status,
          body: await deps.secretBox.seal(text),
          contentType: response.headers.get('content-type'),
          headers: replayedHeaders(response.headers),
        });
      });
    } catch (error) {
      await releaseIdempotencyKey(sql, credentialId, key);
      if (!(error instanceof Rollback)) throw error;
    } finally {
      c.set('sql', sql);
    }
  };
}

/**
 * What makes two requests the same: method, path and body, a multipart body's boundary left out
 * (a client's retry draws a new one). Fingerprints are stored with their keys, so these bytes must
 * not change between releases.
 */
export function requestFingerprint(
  sha256: Sha256,
  request: { method: string; path: string; contentType: string | undefined; body: Uint8Array },
): Promise<string> {
  const head = new TextEncoder().encode(`${request.method} ${request.path}\n`);
  const body = withoutBoundary(request.body, request.contentType);
  // Joined with set, never by spreading: a spread makes a JS array of one number per byte (about
  // 8 ms per 100 kB uploaded, and a second the size of the cap).
  const data = new Uint8Array(head.length + body.length);
  data.set(head);
  data.set(body, head.length);
  return sha256(data);
}

/**
 * A multipart body with its boundary taken out: clients draw a new boundary for every request, so
 * a retry of the same upload would otherwise never match its first attempt. Each byte is read as
 * the character of the same number (U+0000 to U+00FF), the boundary removed, and the text UTF-8
 * encoded: the bytes the first releases hashed. They read the body with a `windows-1252`
 * TextDecoder, which only Node decodes that way (WHATWG decoders turn 0x80–0x9F into other
 * characters), so the same upload retried on a Worker, or on a later Node, would not have matched.
 */
function withoutBoundary(body: Uint8Array, contentType: string | undefined): Uint8Array {
  const boundary = /^multipart\/[^;]+;.*\bboundary="?([^";]+)"?/i.exec(contentType ?? '')?.[1];
  if (!boundary) return body;
  let text = '';
  for (let at = 0; at < body.length; at += 8192) {
    text += String.fromCharCode.apply(null, body.subarray(at, at + 8192) as unknown as number[]);
  }
  return new TextEncoder().encode(text.replaceAll(boundary, ''));
}

function replayedHeaders(headers: Headers): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const value = headers.get(name);
    if (value !== null) kept[name] = value;
  }
  return kept;
}

/** Undoes the handler's writes when it answered with an error (nothing is stored for replay). */
class Rollback extends Error {}
