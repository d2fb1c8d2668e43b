import { ConnectionError, errorFor, type Problem, TimeoutError } from './errors';
import { ifMatchHeader, rememberEtag } from './etag';
import { VERSION } from './version';

export interface ClientOptions {
  /** `sk_test_…` / `sk_live_…`, an agency key, a citizen ID token or the admin token. */
  apiKey?: string;
  /** Default `http://localhost:3000`. */
  baseUrl?: string;
  /** Default `globalThis.fetch`, looked up on every request. */
  fetch?: typeof fetch;
  /** Milliseconds per attempt; default 60 000. */
  timeout?: number;
  /** Retries after the first attempt, on connection errors, 408, 429 and 5xx; default 2. */
  maxRetries?: number;
  defaultHeaders?: Record<string, string>;
  /** @internal First backoff delay; default 500 ms, doubling up to 16× (8 s). */
  retryBaseDelayMs?: number;
}

export interface RequestOptions {
  /** Milliseconds per attempt. */
  timeout?: number;
  signal?: AbortSignal;
  maxRetries?: number;
  /** Every write (POST, PUT, PATCH, DELETE) gets a random one by default, kept across retries; pass your own to dedupe across processes. */
  idempotencyKey?: string;
  /**
   * The version your change is based on: the resource as the SDK returned it (its `ETag` is sent)
   * or an ETag string. The change fails with PreconditionFailedError (`currentEtag`) if it moved.
   * Present but undefined, null or empty (`etagOf` of a list item) throws a TypeError, sending
   * nothing; leave it out to change the resource unconditionally.
   */
  ifMatch?: string | object;
  headers?: Record<string, string>;
}

export interface Call {
  method: string;
  path: string;
  query?: Record<string, unknown>;
  body?: unknown;
  /** The media types the operation takes its body as; default JSON. See `encodeBody`. */
  contentTypes?: readonly string[];
  /** Resolve to the Response (for PDFs and images) instead of parsed JSON. */
  binary?: boolean;
}

/** Retry-After hints beyond this are ignored in favour of the usual backoff. */
const MAX_RETRY_AFTER_MS = 60_000;
const MAX_TIMER_MS = 2 ** 31 - 1;

const retryable = (status: number) => status === 408 || status === 429 || status >= 500;

/**
 * Whether to send again after an answer: the server's `Puente-Should-Retry` decides when present
 * (`false` on answers that must not be resent blindly, such as a request with the same
 * Idempotency-Key still in flight); otherwise 408, 429 and 5xx are retried.
 */
function shouldRetry(response: Response): boolean {
  const verdict = response.headers.get('puente-should-retry')?.trim().toLowerCase();
  if (verdict === 'true') return true;
  if (verdict === 'false') return false;
  return retryable(response.status);
}

function retryAfterMs(value: string | null): number | undefined {
  if (!value) return undefined;
  const ms = /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) * 1000 : Date.parse(value) - Date.now();
  return Number.isNaN(ms) ? undefined : Math.max(0, ms);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      signal?.removeEventListener('abort', abort);
      resolve();
    };
    const abort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', abort, { once: true });
  });
}

function toFormData(body: Record<string, unknown>): FormData {
  const form = new FormData();
  for (const [key, value] of Object.entries(body)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === undefined || item === null) continue;
      if (item instanceof Blob) form.append(key, item, (item as Partial<File>).name ?? key);
      else form.append(key, typeof item === 'object' ? JSON.stringify(item) : String(item));
    }
  }
  return form;
}

const isJson = (type: string) => type === 'application/json' || type.endsWith('+json');
const isMultipart = (type: string) => type === 'multipart/form-data';

/** Whether a body carries a file: a Blob (or File) as one of its fields, or among a field's items. */
const holdsFile = (body: object) =>
  Object.values(body).some(
    (value) => value instanceof Blob || (Array.isArray(value) && value.some((item) => item instanceof Blob)),
  );

/**
 * The body in the one of the operation's media types that fits what the caller passed, for an
 * operation that takes several (a batch: a CSV file in a multipart `file` part, CSV text, or JSON
 * rows): a string goes as the text type declared (`text/csv`), an object carrying a file as
 * multipart/form-data, any other object as JSON. An operation that takes only multipart gets
 * multipart, and one that takes only JSON gets JSON, whatever they are passed.
 */
function encodeBody(
  body: unknown,
  types: readonly string[] = ['application/json'],
): { body: BodyInit; contentType?: string } {
  const json = types.find(isJson);
  const multipart = types.find(isMultipart);
  const text = types.find((type) => !isJson(type) && !isMultipart(type));
  if (typeof body === 'string' && text)
    return { body, contentType: text.startsWith('text/') ? `${text}; charset=utf-8` : text };
  if (multipart && typeof body === 'object' && body !== null && (!json || holdsFile(body)))
    return { body: toFormData(body as Record<string, unknown>) }; // fetch sets the boundary
  return { body: JSON.stringify(body), contentType: json ?? 'application/json' };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export class Transport {
  private readonly options: ClientOptions;
  private readonly baseUrl: string;

  constructor(options: ClientOptions) {
    this.options = options;
    this.baseUrl = (options.baseUrl ?? 'http://localhost:3000').replace(/\/+$/, '');
  }

  private url(path: string, query?: Record<string, unknown>): string {
    const url = new URL(this.baseUrl + path);
    for (const [key, value] of Object.entries(query ?? {})) {
      for (const item of Array.isArray(value) ? value : [value]) {
        if (item !== undefined && item !== null) url.searchParams.append(key, String(item));
      }
    }
    return url.toString();
  }

  async request<T>(call: Call, options: RequestOptions = {}): Promise<T> {
    const { signal } = options;
    const headers = new Headers({
      accept: 'application/json',
      'puente-sdk-version': `typescript/${VERSION}`,
      ...this.options.defaultHeaders,
      ...options.headers,
    });
    if (this.options.apiKey && !headers.has('authorization'))
      headers.set('authorization', `Bearer ${this.options.apiKey}`);
    // An `ifMatch` key that holds no ETag (`etagOf` of a list item) throws: only its absence means no If-Match.
    if ('ifMatch' in options) headers.set('if-match', ifMatchHeader(options.ifMatch));
    let body: BodyInit | undefined;
    if (call.body !== undefined) {
      const encoded = encodeBody(call.body, call.contentTypes);
      body = encoded.body;
      if (encoded.contentType) headers.set('content-type', encoded.contentType);
    }
    // One key for every attempt of this write, so the server acts at most once: a retried PATCH
    // whose first answer was lost gets that answer replayed instead of failing its If-Match.
    const write = call.method !== 'GET' && call.method !== 'HEAD';
    if (write && !headers.has('idempotency-key'))
      headers.set('idempotency-key', options.idempotencyKey ?? crypto.randomUUID());

    const url = this.url(call.path, call.query);
    const fetcher = this.options.fetch ?? globalThis.fetch;
    const maxRetries = options.maxRetries ?? this.options.maxRetries ?? 2;
    const timeout = Math.min(options.timeout ?? this.options.timeout ?? 60_000, MAX_TIMER_MS);
    const baseDelay = this.options.retryBaseDelayMs ?? 500;
    const backoff = (attempt: number, hint?: number) =>
      hint !== undefined && hint <= MAX_RETRY_AFTER_MS
        ? hint
        : Math.min(baseDelay * 2 ** attempt, baseDelay * 16) * (1 - Math.random() * 0.25);

    for (let attempt = 0; ; attempt++) {
      signal?.throwIfAborted();
      const controller = new AbortController();
      const abort = () => controller.abort(signal?.reason);
      signal?.addEventListener('abort', abort, { once: true });
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, timeout);

      let response: Response;
      let text = '';
      headers.set('puente-retry-count', String(attempt));
      try {
        response = await fetcher(url, {
          method: call.method,
          headers: new Headers(headers),
          body,
          signal: controller.signal,
        });
        // The timeout covers reading the body too, except a binary one the caller streams.
        if (!(response.ok && call.binary)) text = await response.text();
      } catch (cause) {
        if (signal?.aborted) throw signal.reason;
        const error = timedOut
          ? new TimeoutError(`${call.method} ${call.path} timed out after ${timeout} ms`, { cause })
          : new ConnectionError(`${call.method} ${call.path}: could not reach the API`, { cause });
        if (attempt >= maxRetries) throw error;
        await sleep(backoff(attempt), signal);
        continue;
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener('abort', abort);
      }

      if (response.ok) {
        if (call.binary) return response as T;
        const json = (response.headers.get('content-type') ?? '').includes('json');
        const result: unknown = text === '' ? undefined : json ? JSON.parse(text) : text;
        rememberEtag(result, response.headers.get('etag'));
        return result as T;
      }
      if (attempt < maxRetries && shouldRetry(response)) {
        await sleep(backoff(attempt, retryAfterMs(response.headers.get('retry-after'))), signal);
        continue;
      }
      const problem = parseJson(text) as Problem | undefined;
      throw errorFor(
        response.status,
        problem && typeof problem === 'object' && 'code' in problem ? problem : undefined,
        response.headers,
      );
    }
  }
}
