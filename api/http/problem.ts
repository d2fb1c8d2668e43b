import { PROBLEM_CODES, type ProblemCode } from './problem-codes';

export type ParameterLocation = 'body' | 'query' | 'path' | 'header';

export interface ProblemFieldError {
  /** JSON pointer (RFC 6901) to the field at fault, relative to `in`. */
  pointer: string;
  in: ParameterLocation;
  detail: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ProblemCode;
  request_id: string;
  errors?: ProblemFieldError[];
  [extension: string]: unknown;
}

export const PROBLEM_TYPE_BASE = 'https://docs.puente.es/problems/';

/** Thrown anywhere in a request; the error handler turns it into an RFC 9457 response. */
export class ProblemError extends Error {
  readonly code: ProblemCode;
  readonly status: number;
  readonly errors?: ProblemFieldError[];
  readonly extensions: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(
    code: ProblemCode,
    detail?: string,
    options: {
      errors?: ProblemFieldError[];
      extensions?: Record<string, unknown>;
      headers?: Record<string, string>;
    } = {},
  ) {
    const entry = PROBLEM_CODES[code];
    super(detail ?? entry.description);
    this.name = 'ProblemError';
    this.code = code;
    this.status = entry.status;
    this.errors = options.errors;
    this.extensions = options.extensions ?? {};
    this.headers = options.headers ?? {};
  }
}

/** A shorthand for the common case of one invalid field. */
export function fieldProblem(pointer: string, detail: string, where: ParameterLocation = 'body'): ProblemError {
  return new ProblemError('validation_failed', detail, { errors: [{ pointer, in: where, detail }] });
}

export function problemBody(error: ProblemError, requestId: string): ProblemBody {
  const entry = PROBLEM_CODES[error.code];
  return {
    ...error.extensions,
    type: PROBLEM_TYPE_BASE + error.code,
    title: entry.title,
    status: error.status,
    detail: error.message,
    code: error.code,
    request_id: requestId,
    ...(error.errors ? { errors: error.errors } : {}),
  };
}

/**
 * `Puente-Should-Retry` for a problem: `true` when the same request may simply be sent again
 * (after `Retry-After`), `false` when sending it again as it is cannot succeed or must not happen
 * blindly: client errors, and a request with the same Idempotency-Key still in flight (its
 * outcome is not known yet). Absent when the client's own rules apply (server errors).
 */
export function shouldRetry(code: ProblemCode): 'true' | 'false' | undefined {
  if (code === 'rate_limited' || code === 'service_unavailable') return 'true';
  const status = PROBLEM_CODES[code].status;
  return status >= 400 && status < 500 ? 'false' : undefined;
}

/** A problem answers this request only: no cache keeps it (a refusal may be lifted on the next request). */
export function problemResponse(error: ProblemError, requestId: string, retry = shouldRetry(error.code)): Response {
  return new Response(JSON.stringify(problemBody(error, requestId)), {
    status: error.status,
    headers: {
      'content-type': 'application/problem+json',
      'request-id': requestId,
      'cache-control': 'no-store',
      ...(retry ? { 'puente-should-retry': retry } : {}),
      ...error.headers,
    },
  });
}
