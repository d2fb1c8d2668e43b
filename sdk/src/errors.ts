/** The RFC 9457 problem every Puente error carries. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  request_id: string;
  errors?: Array<{ pointer: string; in: 'body' | 'query' | 'path' | 'header'; detail: string }>;
  [extension: string]: unknown;
}

export class PuenteError extends Error {
  override name = 'PuenteError';
}

/** An HTTP error answered by the API: switch on `code`, quote `requestId` to support. */
export class APIError extends PuenteError {
  override name = 'APIError';
  readonly status: number;
  readonly code: string;
  readonly requestId: string | undefined;
  readonly problem: Problem | undefined;
  readonly headers: Headers;

  constructor(status: number, problem: Problem | undefined, headers: Headers) {
    super(problem ? `${problem.title}: ${problem.detail}` : `HTTP ${status}`);
    this.status = status;
    this.code = problem?.code ?? 'unknown';
    this.requestId = problem?.request_id ?? headers.get('request-id') ?? undefined;
    this.problem = problem;
    this.headers = headers;
  }
}

export class BadRequestError extends APIError { override name = 'BadRequestError'; }
export class AuthenticationError extends APIError { override name = 'AuthenticationError'; }
export class PermissionDeniedError extends APIError { override name = 'PermissionDeniedError'; }
/** The delegation was revoked, renounced, suspended or expired: ask the client again. */
export class DelegationInactiveError extends PermissionDeniedError { override name = 'DelegationInactiveError'; }
export class NotFoundError extends APIError { override name = 'NotFoundError'; }
export class ConflictError extends APIError { override name = 'ConflictError'; }
export class PreconditionFailedError extends APIError { override name = 'PreconditionFailedError'; }
export class PayloadTooLargeError extends APIError { override name = 'PayloadTooLargeError'; }
export class UnsupportedMediaTypeError extends APIError { override name = 'UnsupportedMediaTypeError'; }
export class UnprocessableEntityError extends APIError { override name = 'UnprocessableEntityError'; }
export class RateLimitError extends APIError { override name = 'RateLimitError'; }
export class InternalServerError extends APIError { override name = 'InternalServerError'; }

export class ConnectionError extends PuenteError {
  override name = 'ConnectionError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
export class TimeoutError extends ConnectionError { override name = 'TimeoutError'; }
export class WebhookVerificationError extends PuenteError { override name = 'WebhookVerificationError'; }

export function errorFor(status: number, problem: Problem | undefined, headers: Headers): APIError {
  if (problem?.code === 'delegation_inactive') return new DelegationInactiveError(status, problem, headers);
  const classes: Record<number, typeof APIError> = {
    400: BadRequestError, 401: AuthenticationError, 403: PermissionDeniedError, 404: NotFoundError, 409: ConflictError,
    412: PreconditionFailedError, 413: PayloadTooLargeError, 415: UnsupportedMediaTypeError, 422: UnprocessableEntityError, 429: RateLimitError,
  };
  const ErrorClass = classes[status] ?? (status >= 500 ? InternalServerError : APIError);
  return new ErrorClass(status, problem, headers);
}
