import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { routePath } from 'hono/route';

import type { Deps } from '../deps';
import { newId } from '../lib/ids';
import type { AppEnv } from './context';
import { errorFields } from './logger';
import { toPointer, validationProblem } from './openapi';
import { ProblemError, type ProblemFieldError, problemResponse } from './problem';

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
      return new ProblemError('validation_failed', 'The multipart body could not be parsed.', {
        errors: [
          {
            pointer: '',
            in: 'body',
            detail: 'Not a multipart/form-data body with the boundary its Content-Type names.',
          },
        ],
      });
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
    deps.logger.log('error', 'unhandled error', { request_id: requestId, ...errorFields(error) });
    // A write without an Idempotency-Key may have taken effect before it failed: not to be resent blindly.
    const unsafe = !['GET', 'HEAD'].includes(c.req.method) && c.req.header('idempotency-key') === undefined;
    return problemResponse(
      new ProblemError('internal', 'Something failed on our side. Quote the request id if you contact support.'),
      requestId,
      unsafe ? 'false' : undefined,
    );
  };
}

/** One percent-encoded part of a URL decoded, or undefined when it is not validly encoded. */
function decodePart(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

/** What is wrong with a decoded part of a URL (see `refuseNulCharacters`), if anything. */
function partFault(decoded: string | undefined): string | undefined {
  if (decoded === undefined) return 'Not validly percent-encoded.';
  return decoded.includes('\u0000') ? 'NUL characters are not allowed.' : undefined;
}

/**
 * The faulty segments of the path, each named as its route's parameter (`/id` for the segment
 * `:id` of `/v1/members/:id`), or as the whole path (`''`) where the segment is no parameter.
 */
function pathErrors(c: Context<AppEnv>, pathname: string): ProblemFieldError[] {
  const route = routePath(c, -1).split('/');
  return pathname.split('/').flatMap((segment, i) => {
    const detail = partFault(decodePart(segment));
    if (!detail) return [];
    const param = /^:([^{?]+)/.exec(route[i] ?? '')?.[1];
    return [{ pointer: param ? toPointer([param]) : '', in: 'path' as const, detail }];
  });
}

/** The faulty parameters of the query, each named by its name (as sent, when the name itself is not decodable). */
function queryErrors(search: string): ProblemFieldError[] {
  return search
    .slice(1)
    .split('&')
    .flatMap((pair) => {
      const [rawName = '', ...rest] = pair.replace(/\+/g, ' ').split('=');
      const name = decodePart(rawName);
      const detail = partFault(name) ?? partFault(decodePart(rest.join('=')));
      return detail ? [{ pointer: toPointer([name ?? rawName]), in: 'query' as const, detail }] : [];
    });
}

/**
 * PostgreSQL text cannot hold NUL characters; refuse them in the path and query up front, as a
 * validation error naming the parameter (in the path or in the query), rather than let a query
 * fail. Malformed percent-encoding is refused the same way.
 */
export function refuseNulCharacters(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    // Only percent-encoding can smuggle a NUL (or be malformed); most URLs have none.
    if (!c.req.url.includes('%')) return next();
    const url = new URL(c.req.url);
    const errors = [...pathErrors(c, url.pathname), ...queryErrors(url.search)];
    if (errors.length > 0) throw validationProblem(errors);
    await next();
  };
}
