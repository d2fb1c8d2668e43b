import type { components } from './generated/openapi';

/** The RFC 9457 problem the API answers with on every error. */
export type Problem = components['schemas']['Problem'];
/** The stable error codes; switch on these, never on messages. */
export type ProblemCode = Problem['code'];

export class PuenteError extends Error {
  override name = 'PuenteError';
}

/** An error answered by the API. Quote `requestId` when asking for support. */
export class APIError extends PuenteError {
  override name = 'APIError';
  readonly status: number;
  /** The problem's stable `code`; `unknown` when the body was not a problem (e.g. a proxy's page). */
  readonly code: ProblemCode | (string & {});
  readonly requestId: string | undefined;
  readonly problem: Problem | undefined;
  readonly headers: Headers;

  constructor(status: number, problem: Problem | undefined, headers: Headers) {
    super(problem ? `${status} ${problem.code}: ${problem.detail}` : `${status} status code (no problem body)`);
    this.status = status;
    this.code = problem?.code ?? 'unknown';
    this.requestId = headers.get('request-id') ?? problem?.request_id;
    this.problem = problem;
    this.headers = headers;
  }
}

export class BadRequestError extends APIError {
  override name = 'BadRequestError';
}
export class AuthenticationError extends APIError {
  override name = 'AuthenticationError';
}
export class PermissionDeniedError extends APIError {
  override name = 'PermissionDeniedError';
}
/** The delegation was revoked, renounced, suspended or has expired: ask the citizen again. */
export class DelegationInactiveError extends PermissionDeniedError {
  override name = 'DelegationInactiveError';
}
export class NotFoundError extends APIError {
  override name = 'NotFoundError';
}
export class ConflictError extends APIError {
  override name = 'ConflictError';
}
/** The resource moved since the version sent as `ifMatch`: read it again and reapply your change. */
export class PreconditionFailedError extends APIError {
  override name = 'PreconditionFailedError';
  /** The resource's current `ETag` (the problem's `current_etag`). */
  readonly currentEtag: string | undefined;

  constructor(status: number, problem: Problem | undefined, headers: Headers) {
    super(status, problem, headers);
    this.currentEtag = problem?.current_etag;
  }
}
export class PayloadTooLargeError extends APIError {
  override name = 'PayloadTooLargeError';
}
export class UnsupportedMediaTypeError extends APIError {
  override name = 'UnsupportedMediaTypeError';
}
export class UnprocessableEntityError extends APIError {
  override name = 'UnprocessableEntityError';
}
export class RateLimitError extends APIError {
  override name = 'RateLimitError';
}
export class InternalServerError extends APIError {
  override name = 'InternalServerError';
}

/** The API could not be reached, or the connection broke before an answer. */
export class ConnectionError extends PuenteError {
  override name = 'ConnectionError';
}
export class TimeoutError extends ConnectionError {
  override name = 'TimeoutError';
}
export class WebhookVerificationError extends PuenteError {
  override name = 'WebhookVerificationError';
}

const BY_STATUS: Record<number, typeof APIError> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  412: PreconditionFailedError,
  413: PayloadTooLargeError,
  415: UnsupportedMediaTypeError,
  422: UnprocessableEntityError,
  429: RateLimitError,
};

export function errorFor(status: number, problem: Problem | undefined, headers: Headers): APIError {
  if (problem?.code === 'delegation_inactive') return new DelegationInactiveError(status, problem, headers);
  const ErrorClass = BY_STATUS[status] ?? (status >= 500 ? InternalServerError : APIError);
  return new ErrorClass(status, problem, headers);
}
