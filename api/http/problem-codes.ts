/**
 * Every problem `code` the API can answer, with its HTTP status. This table is the contract:
 * the OpenAPI document and the README are generated from it, and clients switch on `code`.
 */
export const PROBLEM_CODES = {
  validation_failed: {
    status: 400,
    title: 'The request is not valid',
    description: 'A parameter or body field failed validation; `errors` points at each one.',
  },
  malformed_json: {
    status: 400,
    title: 'The body is not valid JSON',
    description: 'The request body could not be parsed as JSON.',
  },
  csv_invalid: {
    status: 400,
    title: 'The file is not valid CSV',
    description:
      'The upload could not be read as CSV, or its header line names unknown, missing or repeated columns; `line` says where.',
  },
  invalid_cursor: {
    status: 400,
    title: 'The cursor is not valid',
    description: 'The `cursor` query parameter was not produced by this list.',
  },
  citizen_token_invalid: {
    status: 401,
    title: 'The citizen ID token is not valid',
    description: 'It is expired, from an untrusted issuer, or does not verify.',
  },
  unauthorized: {
    status: 401,
    title: 'Authentication required',
    description: 'No credential, or a credential that is unknown, revoked or malformed.',
  },
  forbidden: {
    status: 403,
    title: 'Not allowed',
    description: 'The credential is valid but may not perform this action.',
  },
  organization_suspended: {
    status: 403,
    title: 'The organisation is suspended',
    description: 'Keys of a suspended organisation are refused until it is reinstated.',
  },
  organization_not_practising: {
    status: 403,
    title: 'The organisation is not practising',
    description:
      'Its professional standing is non-practising (no ejerciente), and only practising professionals may represent: no delegation can be granted to it or acted under.',
  },
  live_mode_unavailable: {
    status: 403,
    title: 'Live mode is not available yet',
    description: 'Live keys exist only once the organisation has been verified.',
  },
  consent_required: {
    status: 403,
    title: 'A consent token is required',
    description: "Operations on a client's data need a `Puente-Consent` header.",
  },
  consent_invalid: {
    status: 403,
    title: 'The consent token is not valid',
    description: 'The token is malformed or lacks required claims.',
  },
  consent_signature_invalid: {
    status: 403,
    title: 'The consent token signature does not verify',
    description: 'The token was altered or forged.',
  },
  consent_key_unknown: {
    status: 403,
    title: 'The consent token was signed with an unknown key',
    description: 'Its `kid` is not one of the keys published at /.well-known/jwks.json.',
  },
  consent_algorithm_not_allowed: {
    status: 403,
    title: 'The consent token uses a forbidden algorithm',
    description: 'Only EdDSA-signed tokens are accepted (never `none` or HMAC).',
  },
  consent_issuer_mismatch: {
    status: 403,
    title: 'The consent token has another issuer',
    description: 'The token `iss` is not this Puente.',
  },
  consent_mode_mismatch: {
    status: 403,
    title: 'The consent token is for the other mode',
    description: 'Test tokens work only with test keys, live tokens with live keys.',
  },
  consent_expired: {
    status: 403,
    title: 'The consent token has expired',
    description: 'Mint a new token from the delegation.',
  },
  consent_not_yet_valid: {
    status: 403,
    title: 'The consent token is not valid yet',
    description: 'Its `iat`/`nbf` lies in the future.',
  },
  consent_audience_mismatch: {
    status: 403,
    title: 'The consent token is for another audience',
    description: 'The token `aud` does not name this API.',
  },
  consent_actor_mismatch: {
    status: 403,
    title: 'The consent token belongs to another organisation',
    description: 'The token `act` does not match the calling organisation.',
  },
  delegation_inactive: {
    status: 403,
    title: 'The delegation is no longer active',
    description: 'It was revoked, renounced, suspended or has expired.',
  },
  scope_insufficient: {
    status: 403,
    title: 'The delegation does not cover this action',
    description: "The capacity or procedure type is outside the delegation's scope.",
  },
  not_found: {
    status: 404,
    title: 'Not found',
    description: 'No such resource, or it is not visible to this credential.',
  },
  method_not_allowed: {
    status: 405,
    title: 'Method not allowed',
    description: 'The path exists but does not accept this method; see the `Allow` header.',
  },
  conflict: {
    status: 409,
    title: 'Conflict',
    description: 'The request conflicts with the current state of a resource.',
  },
  invalid_state_transition: {
    status: 409,
    title: 'Invalid state transition',
    description: 'The resource is in a state that does not allow this action.',
  },
  duplicate: {
    status: 409,
    title: 'Already exists',
    description: 'An equivalent resource already exists; `existing_id` names it.',
  },
  idempotency_in_flight: {
    status: 409,
    title: 'A request with this Idempotency-Key is in progress',
    description: 'Retry after the first request finishes.',
  },
  precondition_failed: {
    status: 412,
    title: 'Precondition failed',
    description: 'The `If-Match` version does not match the current one.',
  },
  payload_too_large: {
    status: 413,
    title: 'Payload too large',
    description: 'The body or file exceeds the allowed size.',
  },
  unsupported_media_type: {
    status: 415,
    title: 'Unsupported media type',
    description: "The Content-Type (or the file's real type) is not accepted here.",
  },
  idempotency_conflict: {
    status: 422,
    title: 'Idempotency-Key reused with another request',
    description: 'The same key was used with a different method, path or body.',
  },
  delegation_request_expired: {
    status: 409,
    title: 'The delegation request has expired',
    description: 'Ask the organisation for a new request.',
  },
  term_not_elapsed: {
    status: 409,
    title: 'The legal term has not passed yet',
    description:
      'The act is allowed only once the term it depends on has ended; `earliest_on` gives the first day it may be done, or is null while the term has not started.',
  },
  calendar_unavailable: {
    status: 422,
    title: 'No calendar data for that year',
    description: 'Deadlines cannot be computed for years without published holiday data.',
  },
  contact_code_invalid: {
    status: 422,
    title: 'The confirmation code does not match',
    description:
      'The code sent to the new email or phone is not the one given; each wrong try counts towards the limit.',
  },
  contact_code_expired: {
    status: 422,
    title: 'No confirmation code is waiting',
    description: 'None was asked for, it expired, or it was tried too many times: ask for a new code.',
  },
  too_many_rows: {
    status: 422,
    title: 'Too many rows',
    description: 'A batch takes at most `limit` rows; split the file.',
  },
  out_of_time: {
    status: 422,
    title: 'The term to file it has ended',
    description:
      'The legal term to file this ended on `deadline`. Filed now, the body may reject it as late; to file it all the same (the term did not start as computed, say), give the reason in the field the error names.',
  },
  unprocessable: {
    status: 422,
    title: 'Domain rule broken',
    description: 'The request is well-formed but breaks a business rule.',
  },
  rate_limited: { status: 429, title: 'Too many requests', description: 'Slow down; see `Retry-After`.' },
  internal: {
    status: 500,
    title: 'Internal error',
    description: 'Something failed on our side. Quote the request id when reporting it.',
  },
  configuration_invalid: {
    status: 500,
    title: 'The service is misconfigured',
    description:
      'A setting of this deployment is missing or invalid; `variable` names it. Only the operator can fix it.',
  },
  service_unavailable: {
    status: 503,
    title: 'Service unavailable',
    description: 'A dependency (such as the database) is unavailable.',
  },
} as const satisfies Record<string, { status: number; title: string; description: string }>;

export type ProblemCode = keyof typeof PROBLEM_CODES;
