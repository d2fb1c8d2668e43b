import type { Context, MiddlewareHandler } from 'hono';

import { settledAtCommit, type Sql, transaction } from '../db/sql';
import type { Sha256 } from '../deps';
import type { AppEnv } from './context';
import { ProblemError } from './problem';
import { claimIdempotencyKey, completeIdempotencyKey, type IdempotencyRow } from './queries';

const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;
const RETENTION_MS = 24 * 3600_000;

/**
 * The headers of the first response that a replay repeats: they describe the result (the
 * version to send as `If-Match`, where to follow it, whether to resend). Headers about the request
 * itself (its id, the rate limit's count) are this request's own and set around the replay.
 */
const REPLAYED_HEADERS = ['etag', 'location', 'puente-should-retry'] as const;

/**
 * What a replay must be allowed again, for routes whose response is only served under a
 * condition checked in the database (a consented write's consent, `consentedReplay`): what the
 * first request was allowed is stored with its response, and checked before that response is
 * replayed.
 */
export interface ReplayCheck {
  /** What the request that just ran was allowed, as JSON to store with its response (undefined: nothing). */
  granted(c: Context<AppEnv>): unknown;
  /**
   * Throws the refusal a fresh request would get when this one is not allowed `granted` now (null
   * for a response stored without it). It runs in `tx`, before the response is read back: what it
   * writes commits before the replay is answered, and nothing of a refused replay commits.
   */
  recheck(c: Context<AppEnv>, tx: Sql, granted: unknown): Promise<void>;
}

/**
 * `Idempotency-Key` for writes: the first response is stored (scoped to the credential) and
 * replayed to retries; the same key with another request is refused. Server errors are not
 * stored, so they can be retried with the same key. With `check`, a replay is served only when
 * it passes (see `ReplayCheck`).
 */
export function idempotency(check?: ReplayCheck): MiddlewareHandler<AppEnv> {
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
    const sql = c.get('sql');
    const deps = c.get('deps');
    const credentialId = principal?.credentialId ?? (await anonymousScope(c));
    const now = deps.clock.now();
    const request = {
      method: c.req.method,
      path: c.req.path,
      contentType: c.req.header('content-type'),
      body: deps.requestIsBodyless(c) ? new Uint8Array() : new Uint8Array(await c.req.arrayBuffer()),
    };
    const fingerprint = await requestFingerprint(deps.sha256, request);

    // The claim, the handler's writes and the stored response commit in one transaction: a
    // process that dies in between leaves none of them, and a retry executes the request once.
    let replay: Response | undefined;
    try {
      await transaction(sql, async (tx) => {
        const claim = await claimIdempotencyKey(tx, { credentialId, key, now });
        if (claim !== 'claimed') {
          replay = await answerClaimed(c, tx, claim, fingerprint, request, check);
          return;
        }
        c.set('sql', tx);
        const answered = recordJson(c);
        await next();
        if (c.res.status >= 500 || c.error) throw new Rollback();
        const response = c.res;
        let text: string;
        if (answered.response === response) {
          // The handler's JSON as it was serialised: nothing to read back out of the response.
          text = answered.text;
        } else {
          text = await response.text();
          // Answered from the text just read rather than from a clone (which tees the body's
          // stream). Cleared first: replacing a response would wrap its body in a stream again. A
          // plain init, not the response itself: on Node the adapter then writes the text as it is,
          // where a response as init made a second full Response whose body it had to stream.
          c.res = undefined;
          c.res = new Response(text, { status: response.status, headers: response.headers });
        }
        // Not waited for: settled, with the access-log entry of a mint, just before the commit.
        await settledAtCommit(
          tx,
          completeIdempotencyKey(tx, {
            credentialId,
            key,
            fingerprint,
            now,
            expiresAt: new Date(now.getTime() + RETENTION_MS),
            status: response.status,
            body: await deps.secretBox.seal(text),
            contentType: response.headers.get('content-type'),
            headers: replayedHeaders(response.headers),
            granted: check?.granted(c) ?? null,
          }),
        );
      });
    } catch (error) {
      // The handler answered an error: its writes and the claim are rolled back (nothing is stored).
      if (!(error instanceof Rollback)) throw error;
    } finally {
      c.set('sql', sql);
    }
    return replay;
  };
}

/**
 * The scope of a key sent without a credential (the sign-up, whose answer holds the new keys'
 * secrets): the client's address, digested. Shared by every anonymous caller, a key and body
 * guessed or reused by someone else would replay the first caller's secrets to them.
 */
async function anonymousScope(c: Context<AppEnv>): Promise<string> {
  const deps = c.get('deps');
  return `anonymous:${await deps.sha256(new TextEncoder().encode(deps.clientAddress(c)))}`;
}

/**
 * Keeps the text of the JSON the handler answers with `c.json`, as it serialises it, so that the
 * response to store need not be read back out of its body (on Node that builds a second Response
 * and reads its stream). Anything else the handler answers is read from the response.
 */
function recordJson(c: Context<AppEnv>): { response?: Response; text: string } {
  const answered: { response?: Response; text: string } = { text: '' };
  c.json = ((object: unknown, arg?: number | ResponseInit, headers?: Record<string, string>) => {
    answered.text = JSON.stringify(object);
    // As Hono's own `c.json` answers: its content type unless the headers say otherwise.
    answered.response = c.body(answered.text, arg as never, { 'Content-Type': 'application/json', ...headers });
    return answered.response;
  }) as typeof c.json;
  return answered;
}

/**
 * What a request whose key is taken gets: 409 while the first request is still running, 422 when
 * the key was used with another request, the refusal of the route's `check` when it is not
 * allowed what the first one was, else the stored response, replayed.
 */
async function answerClaimed(
  c: Context<AppEnv>,
  tx: Sql,
  claim: 'in_flight' | IdempotencyRow,
  fingerprint: string,
  request: FingerprintedRequest,
  check: ReplayCheck | undefined,
): Promise<Response> {
  const deps = c.get('deps');
  if (
    claim !== 'in_flight' &&
    claim.fingerprint !== fingerprint &&
    claim.fingerprint !== (await legacyFingerprint(deps.sha256, request))
  ) {
    throw new ProblemError('idempotency_conflict', 'This Idempotency-Key was already used with a different request.');
  }
  if (claim === 'in_flight' || claim.state === 'in_flight') {
    throw new ProblemError('idempotency_in_flight', 'A request with this Idempotency-Key is still being processed.', {
      headers: { 'retry-after': '1' },
    });
  }
  if (check) await check.recheck(c, tx, claim.granted);
  const stored = claim.response_body ? await deps.secretBox.open(claim.response_body) : '';
  return c.body(stored, claim.response_status as 200, {
    ...claim.response_headers,
    'content-type': claim.response_content_type ?? 'application/json',
    'idempotent-replayed': 'true',
  });
}

/**
 * What makes two requests the same: method, path and body bytes, with a multipart body's boundary
 * left out wherever it occurs (a client's retry draws a new one). Byte for byte, with no text
 * decoding, so every runtime computes the same digest. Fingerprints are stored with their keys
 * for 24 hours, so these bytes must not change between releases without `legacyFingerprint`.
 */
export function requestFingerprint(sha256: Sha256, request: FingerprintedRequest): Promise<string> {
  const head = new TextEncoder().encode(`${request.method} ${request.path}\n`);
  const boundary = multipartBoundary(request.contentType);
  const kept = boundary ? segmentsWithout(request.body, boundary) : [request.body];
  // Joined with set, never by spreading (a spread makes a JS array of one number per byte).
  const data = new Uint8Array(head.length + kept.reduce((n, part) => n + part.length, 0));
  data.set(head);
  let at = head.length;
  for (const part of kept) {
    data.set(part, at);
    at += part.length;
  }
  return sha256(data);
}

interface FingerprintedRequest {
  method: string;
  path: string;
  contentType: string | undefined;
  body: Uint8Array;
}

/**
 * The fingerprint of keys stored by earlier releases, for a retry that arrives within their 24
 * hours: each byte of a multipart body read as the character of the same number, the boundary
 * removed, the text UTF-8 encoded. It differs from `requestFingerprint` only for multipart bodies
 * with bytes from 0x80 (elsewhere the digest is undefined); it costs a text transform of the
 * whole body, so it is only computed when the current fingerprint did not match.
 */
export async function legacyFingerprint(sha256: Sha256, request: FingerprintedRequest): Promise<string | undefined> {
  const boundary = multipartBoundary(request.contentType);
  if (!boundary || !request.body.some((byte) => byte >= 0x80)) return undefined;
  let text = '';
  for (let at = 0; at < request.body.length; at += 8192) {
    text += String.fromCharCode.apply(null, request.body.subarray(at, at + 8192) as unknown as number[]);
  }
  const body = new TextEncoder().encode(text.replaceAll(boundary, ''));
  return requestFingerprint(sha256, { ...request, contentType: undefined, body });
}

function multipartBoundary(contentType: string | undefined): string | undefined {
  return /^multipart\/[^;]+;.*\bboundary="?([^";]+)"?/i.exec(contentType ?? '')?.[1];
}

/** The parts of `body` between the occurrences of `boundary` (a header value: one byte per character). */
function segmentsWithout(body: Uint8Array, boundary: string): Uint8Array[] {
  const needle = new Uint8Array(boundary.length);
  for (let i = 0; i < boundary.length; i++) {
    const code = boundary.charCodeAt(i);
    // A wider character is not a byte of any body: the boundary occurs nowhere.
    if (code > 0xff) return [body];
    needle[i] = code;
  }
  const kept: Uint8Array[] = [];
  let from = 0;
  for (let at = indexOfBytes(body, needle, 0); at !== -1; at = indexOfBytes(body, needle, from)) {
    kept.push(body.subarray(from, at));
    from = at + needle.length;
  }
  kept.push(body.subarray(from));
  return kept;
}

/** Where `needle` first occurs in `haystack` at or after `from`, or -1. */
function indexOfBytes(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  const last = haystack.length - needle.length;
  for (
    let at = haystack.indexOf(needle[0]!, from);
    at !== -1 && at <= last;
    at = haystack.indexOf(needle[0]!, at + 1)
  ) {
    let i = 1;
    while (i < needle.length && haystack[at + i] === needle[i]) i++;
    if (i === needle.length) return at;
  }
  return -1;
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
