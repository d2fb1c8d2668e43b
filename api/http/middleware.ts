import type { MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { routePath } from 'hono/route';

import type { Deps } from '../deps';
import { newId } from '../lib/ids';
import type { AppEnv } from './context';
import { ProblemError, problemResponse } from './problem';

const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * First middleware of every request: request id, the request's database handle, and one
 * structured log line with the route pattern (never the concrete path, which may hold personal
 * data such as an id number).
 */
export function requestContext(deps: Deps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    const supplied = c.req.header('request-id');
    const requestId = supplied && CLIENT_REQUEST_ID.test(supplied) ? supplied : newId('rid');
    c.set('requestId', requestId);
    c.set('deps', deps);
    c.set('sql', deps.db(c));
    // Set before the response exists, so every `c.json`/`c.body` is built with it (setting it
    // afterwards copies the whole response); problem responses carry it themselves.
    c.header('Request-Id', requestId);
    await next();
    const status = c.res.status;
    const route = routePath(c);
    const ms = performance.now() - started;
    deps.metrics.request(route, c.req.method, status, ms / 1000);
    deps.logger.log(status >= 500 ? 'error' : 'info', 'request', {
      request_id: requestId,
      method: c.req.method,
      route,
      status,
      duration_ms: Math.round(ms * 10) / 10,
    });
  };
}

const HTTP_EXCEPTION_CODES: Record<number, ProblemError['code']> = {
  400: 'validation_failed',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  412: 'precondition_failed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

/** Maps anything thrown to a problem; unexpected errors are logged in full and answered as 500 with no internals. */
export function toProblem(error: unknown): ProblemError | undefined {
  if (error instanceof ProblemError) return error;
  if (error instanceof HTTPException) {
    if (error.status === 400 && /json/i.test(error.message)) {
      return new ProblemError('malformed_json', 'The request body is not valid JSON.');
    }
    if (error.status === 400 && /formdata/i.test(error.message)) {
      return new ProblemError('validation_failed', 'The multipart body could not be parsed.');
    }
    const code = HTTP_EXCEPTION_CODES[error.status];
    if (code) return new ProblemError(code);
  }
  return undefined;
}

export function errorHandler(deps: Deps) {
  return (error: Error, c: Parameters<MiddlewareHandler<AppEnv>>[0]): Response => {
    const requestId = c.get('requestId') ?? newId('rid');
    const problem = toProblem(error);
    if (problem) return problemResponse(problem, requestId);
    deps.logger.log('error', 'unhandled error', {
      request_id: requestId,
      error: error.name,
      message: error.message,
      stack: error.stack,
    });
    // A write without an Idempotency-Key may have taken effect before it failed: not to be resent blindly.
    const unsafe = !['GET', 'HEAD'].includes(c.req.method) && c.req.header('idempotency-key') === undefined;
    return problemResponse(
      new ProblemError('internal', 'Something failed on our side. Quote the request id if you contact support.'),
      requestId,
      unsafe ? 'false' : undefined,
    );
  };
}

/**
 * PostgreSQL text cannot hold NUL characters; refuse them in the path and query up front, as a
 * validation error, rather than let a query fail.
 */
export function refuseNulCharacters(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    // Only percent-encoding can smuggle a NUL (or be malformed); most URLs have none.
    if (!c.req.url.includes('%')) return next();
    let decoded: string;
    try {
      const url = new URL(c.req.url);
      decoded = decodeURIComponent(url.pathname + url.search);
    } catch {
      throw new ProblemError('validation_failed', 'The URL is not validly percent-encoded.');
    }
    if (decoded.includes('\u0000')) {
      throw new ProblemError('validation_failed', 'The URL contains a NUL character.', {
        errors: [{ pointer: '', in: 'query', detail: 'NUL characters are not allowed.' }],
      });
    }
    await next();
  };
}
