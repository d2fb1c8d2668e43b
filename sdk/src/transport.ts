import { ConnectionError, errorFor, TimeoutError, type Problem } from './errors';

export interface ClientOptions {
  /** `sk_test_…`, `sk_live_…`, an agency key, a citizen ID token or the admin token. */
  apiKey?: string;
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Milliseconds per attempt (default 60 000). */
  timeout?: number;
  /** Retries after the first attempt, for connection errors, 408, 429 and 5xx (default 2). */
  maxRetries?: number;
  defaultHeaders?: Record<string, string>;
  /** First backoff delay in ms (default 500; doubles up to 8 000, with jitter). */
  retryBaseDelayMs?: number;
}

export interface RequestOptions {
  timeout?: number;
  signal?: AbortSignal;
  maxRetries?: number;
  /** Overrides the automatic key of POST requests. */
  idempotencyKey?: string;
  headers?: Record<string, string>;
}

export interface Call {
  method: string;
  path: string;
  query?: Record<string, unknown>;
  body?: unknown;
  /** Return the raw Response (downloads) instead of parsed JSON. */
  raw?: boolean;
}

const RETRYABLE = (status: number) => status === 408 || status === 429 || status >= 500;

function retryAfterMs(headers: Headers): number | undefined {
  const value = headers.get('retry-after');
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });
}

export class Transport {
  readonly baseUrl: string;
  private readonly fetcher: typeof fetch;

  constructor(readonly options: ClientOptions) {
    this.baseUrl = (options.baseUrl ?? 'http://localhost:3000').replace(/\/$/, '');
    // Read lazily: test tools patch globalThis.fetch after the client is created.
    this.fetcher = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  url(path: string, query?: Record<string, unknown>): string {
    const url = new URL(this.baseUrl + path);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined || value === null) continue;
      url.searchParams.set(key, String(value));
    }
    return url.toString();
  }

  async request<T>(call: Call, options: RequestOptions = {}): Promise<T> {
    const headers = new Headers({ accept: 'application/json', ...this.options.defaultHeaders, ...options.headers });
    if (this.options.apiKey && !headers.has('authorization')) headers.set('authorization', `Bearer ${this.options.apiKey}`);
    let body: BodyInit | undefined;
    if (call.body instanceof FormData) body = call.body;
    else if (call.body !== undefined) {
      body = JSON.stringify(call.body);
      headers.set('content-type', 'application/json');
    }
    // The same key on every retry of this call, so the server executes it at most once.
    if (call.method === 'POST' && !headers.has('idempotency-key')) headers.set('idempotency-key', options.idempotencyKey ?? crypto.randomUUID());

    const maxRetries = options.maxRetries ?? this.options.maxRetries ?? 2;
    const timeout = options.timeout ?? this.options.timeout ?? 60_000;
    const base = this.options.retryBaseDelayMs ?? 500;
    for (let attempt = 0; ; attempt++) {
      const controller = new AbortController();
      const onAbort = () => controller.abort(options.signal?.reason);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, timeout);
      let response: Response;
      try {
        response = await this.fetcher(this.url(call.path, call.query), { method: call.method, headers, body, signal: controller.signal });
      } catch (error) {
        if (options.signal?.aborted) throw options.signal.reason ?? error;
        const failure = timedOut ? new TimeoutError(`Request timed out after ${timeout} ms`, { cause: error }) : new ConnectionError('Could not reach Puente', { cause: error });
        if (attempt >= maxRetries) throw failure;
        await sleep(this.backoff(attempt, base, undefined), options.signal);
        continue;
      } finally {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
      }
      if (response.ok) {
        if (call.raw) return response as T;
        if (response.status === 204) return undefined as T;
        const type = response.headers.get('content-type') ?? '';
        return (type.includes('json') ? await response.json() : await response.text()) as T;
      }
      if (RETRYABLE(response.status) && attempt < maxRetries) {
        await response.arrayBuffer().catch(() => undefined);
        await sleep(this.backoff(attempt, base, retryAfterMs(response.headers)), options.signal);
        continue;
      }
      let problem: Problem | undefined;
      try {
        problem = (await response.json()) as Problem;
      } catch {
        problem = undefined;
      }
      throw errorFor(response.status, problem, response.headers);
    }
  }

  private backoff(attempt: number, base: number, retryAfter: number | undefined): number {
    const exponential = Math.min(base * 2 ** attempt, 16 * base);
    const jittered = exponential * (0.75 + Math.random() * 0.5);
    return Math.max(jittered, retryAfter ?? 0);
  }
}
