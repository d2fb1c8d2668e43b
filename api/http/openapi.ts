import type { Hook } from '@hono/zod-openapi';
import { createRoute, type RouteConfig, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';

import { textFaults } from '../lib/text';
import type { MemberRole } from './auth';
import type { App, AppEnv } from './context';
import { type ParameterLocation, ProblemError, type ProblemFieldError } from './problem';
import { PROBLEM_CODES, type ProblemCode } from './problem-codes';
import { ROUTE_AUTH, type RouteAuth } from './route-auth';

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: 'https://docs.puente.es/problems/validation_failed' }),
    title: z.string().openapi({ example: 'The request is not valid' }),
    status: z.number().int().openapi({ example: 400 }),
    detail: z.string().openapi({ example: 'The request has 1 invalid field.' }),
    code: z.enum(Object.keys(PROBLEM_CODES) as [ProblemCode, ...ProblemCode[]]),
    request_id: z.string().openapi({ example: 'rid_3kTMd9Qx1uWv8ZbNcE4fGh' }),
    errors: z
      .array(
        z.object({
          pointer: z.string().openapi({ description: 'JSON pointer to the field at fault.', example: '/nif' }),
          in: z.enum(['body', 'query', 'path', 'header']),
          detail: z.string().openapi({ example: 'The check letter should be Z for 12345678.' }),
        }),
      )
      .optional(),
    current_etag: z.string().optional().openapi({
      description:
        "With `precondition_failed`: the resource's current `ETag`. Read the resource again, apply your change to it, and send that one as `If-Match`.",
      example: '"prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0.v5"',
    }),
  })
  .passthrough()
  .openapi('Problem', { description: 'An RFC 9457 problem. Switch on `code`, which is stable.' });

/**
 * A required JSON request body (`request.body` of a route), with an example of this operation's
 * own where the schema's would not fit it (one schema taken by several operations).
 */
export function jsonBody<T extends z.ZodType>(schema: T, example?: unknown) {
  return { content: { 'application/json': { schema, ...(example !== undefined && { example }) } }, required: true };
}

/** An optional JSON request body (`request.body` of a route whose body may be left out), as `jsonBody`. */
export function optionalJsonBody<T extends z.ZodType>(schema: T, example?: unknown) {
  return {
    content: { 'application/json': { schema, ...(example !== undefined && { example }) } },
    required: false as const,
  };
}

/** A JSON response with its description (one entry of a route's `responses`). */
export function jsonResponse<T extends z.ZodType>(description: string, schema: T) {
  return { description, content: { 'application/json': { schema } } };
}

/** The `responses` of an operation that answers 200 with JSON. */
export function ok<T extends z.ZodType>(description: string, schema: T) {
  return { 200: jsonResponse(description, schema) };
}

/** The `responses` of an operation that answers 201 (created) with JSON. */
export function created<T extends z.ZodType>(description: string, schema: T) {
  return { 201: jsonResponse(description, schema) };
}

/** The `responses` of an operation that answers 202 (queued for later) with JSON. */
export function accepted<T extends z.ZodType>(description: string, schema: T) {
  return { 202: jsonResponse(description, schema) };
}

/** A response whose body is a file's bytes, in one of the media types named. */
export function fileResponse<const M extends string>(description: string, ...mediaTypes: M[]) {
  const content = Object.fromEntries(
    mediaTypes.map((type) => [type, { schema: { type: 'string', format: 'binary' } }]),
  );
  return { description, content: content as Record<M, { schema: { type: 'string'; format: 'binary' } }> };
}

type RouteOptions = {
  /** How the route authenticates: the security requirement, middleware and auth problems follow from it. */
  auth: RouteAuth;
  /** The least member role for organisation routes (defaults: viewer for reads, agent for writes). */
  role?: MemberRole;
  /** Middleware that must run before authentication (e.g. an upload's size limit, before anything reads the body). */
  before?: MiddlewareHandler<AppEnv>[];
  /** Further problems the operation can answer; those that follow from the request's shape are added. */
  problems?: readonly ProblemCode[];
  /** Its successful answer carries an `ETag` of the resource's version (to send as `If-Match`). */
  etag?: boolean;
  /** It takes `If-Match` (optimistic concurrency: 412 when the version moved). */
  ifMatch?: boolean;
};

/** The fields of a request part's object schema (path parameters, query). */
function shapeOf(schema: unknown): Record<string, unknown> {
  return schema instanceof z.ZodObject ? schema.shape : {};
}

/**
 * createRoute from a route that declares its auth once, plus the problems the operation can
 * answer, so every operation documents each `code` a client may have to handle. Common ones are
 * added from the route's shape.
 */
export function defineRoute<const R extends Omit<RouteConfig, 'security'>>(
  route: R & RouteOptions,
): R & { security: Record<string, string[]>[] } {
  const { problems = [], auth, role, before = [], etag = false, ifMatch = false, ...config } = route;
  const kind = ROUTE_AUTH[auth];
  // A read is never stored for replay: an Idempotency-Key only means something on a write.
  const idempotent = kind.problems.includes('idempotency_conflict') && config.method !== 'get';
  const codes = new Set<ProblemCode>(
    [...kind.problems, ...problems].filter((code) => idempotent || !code.startsWith('idempotency_')),
  );
  const request = config.request;
  // A path parameter with a free value (an id, a year) may name nothing that exists; an enum one cannot.
  if (request?.params && Object.values(shapeOf(request.params)).some((param) => !(param instanceof z.ZodEnum)))
    codes.add('not_found');
  // A cursor comes from a client, and may be stale or from another list.
  if (request?.query && 'cursor' in shapeOf(request.query)) codes.add('invalid_cursor');
  if (request?.params || request?.query || request?.body || request?.headers) codes.add('validation_failed');
  if (request?.body) {
    codes.add('unsupported_media_type');
    codes.add('payload_too_large');
    if (Object.keys(request.body.content).some((t) => t.includes('json'))) codes.add('malformed_json');
  }
  if (kind.security.length > 0) codes.add('unauthorized');
  if (ifMatch) codes.add('precondition_failed');
  codes.add('internal');
  const rateLimited = codes.has('rate_limited');

  const byStatus = new Map<number, ProblemCode[]>();
  for (const code of codes) {
    const status = PROBLEM_CODES[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses = { ...config.responses } as Record<string, Record<string, unknown>>;
  for (const [status, list] of [...byStatus].sort((a, b) => a[0] - b[0])) {
    if (responses[String(status)]) continue;
    responses[String(status)] = {
      description: `Problem. Possible codes: ${list.map((c) => `\`${c}\``).join(', ')}.`,
      content: { 'application/problem+json': { schema: ProblemSchema } },
    };
  }
  // The headers an answer carries, as the middleware and handlers set them. On a problem, only
  // those that say whether and when to retry (its `request_id` is in the body); a 500 has none.
  for (const [status, response] of Object.entries(responses)) {
    const problem = 'application/problem+json' in ((response.content as object | undefined) ?? {});
    const names = status.startsWith('2')
      ? [
          'Request-Id',
          ...(rateLimited ? ['RateLimit', 'RateLimit-Policy'] : []),
          ...(idempotent ? ['Idempotent-Replayed'] : []),
          ...(etag ? ['ETag'] : []),
        ]
      : !problem || status === '500'
        ? []
        : [
            'Puente-Should-Retry',
            ...(status === '429' || status === '503' || (status === '409' && idempotent) ? ['Retry-After'] : []),
            ...(status === '429' ? ['RateLimit', 'RateLimit-Policy'] : []),
          ];
    if (names.length > 0) responses[status] = { ...response, headers: headerRefs(names) };
  }
  const parameters = [
    ...(idempotent ? [{ $ref: '#/components/parameters/IdempotencyKey' }] : []),
    ...(ifMatch ? [{ $ref: '#/components/parameters/IfMatch' }] : []),
  ];
  const extra = (config.middleware ?? []) as MiddlewareHandler<AppEnv>[] | MiddlewareHandler<AppEnv>;
  const middleware = [
    ...(request?.body && request.body.required === false ? [emptyBodyIsNone] : []),
    ...before,
    ...kind.middleware(role ?? kind.defaultRole ?? 'viewer'),
    ...(Array.isArray(extra) ? extra : [extra]),
  ];
  return createRoute({
    ...config,
    ...(parameters.length > 0 && { parameters }),
    security: kind.security,
    middleware,
    responses,
  } as unknown as R) as unknown as R & {
    security: Record<string, string[]>[];
  };
}

/** The response headers (`DOCUMENT_HEADERS`) by reference. */
function headerRefs(names: readonly string[]): Record<string, { $ref: string }> {
  return Object.fromEntries(names.map((name) => [name, { $ref: `#/components/headers/${name}` }]));
}

/** The request headers the document's operations refer to (`parameters`). */
const DOCUMENT_PARAMETERS = {
  IdempotencyKey: {
    name: 'Idempotency-Key',
    in: 'header',
    required: false,
    description:
      'Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.',
    schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' },
    example: '5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64',
  },
  IfMatch: {
    name: 'If-Match',
    in: 'header',
    required: false,
    description:
      'The `ETag` of your last read: the change applies only if the resource is still at that version (412 `precondition_failed` otherwise).',
    schema: { type: 'string' },
    example: '"prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0.v4"',
  },
} as const;

/** The response headers the document's operations refer to. */
const DOCUMENT_HEADERS = {
  'Request-Id': {
    description: 'The id of this request (also `request_id` in a problem): quote it to support.',
    schema: { type: 'string' },
  },
  RateLimit: {
    description:
      'The requests left in the current window and the seconds until it resets (IETF RateLimit header fields), e.g. `"credential";r=97;t=42`.',
    schema: { type: 'string' },
  },
  'RateLimit-Policy': {
    description: 'The limit and its window in seconds, e.g. `"credential";q=100;w=60`.',
    schema: { type: 'string' },
  },
  'Retry-After': {
    description: 'Seconds to wait before retrying (on 429, 409 `idempotency_in_flight` and 503).',
    schema: { type: 'integer' },
  },
  'Puente-Should-Retry': {
    description:
      '`true` when sending the same request again may succeed (429, 503), `false` when it will fail the same way until something changes (every other 4xx, including 409 `idempotency_in_flight`, whose outcome is not known yet). Absent on a 500: retry with the same `Idempotency-Key`.',
    schema: { type: 'string', enum: ['true', 'false'] },
  },
  'Idempotent-Replayed': {
    description: '`true` when this is the stored response of an earlier request with the same `Idempotency-Key`.',
    schema: { type: 'string', enum: ['true'] },
  },
  ETag: {
    description: "The resource's version, to send as `If-Match` with a change.",
    schema: { type: 'string' },
  },
} as const;

/** Declares the request and response headers the operations refer to. */
export function registerDocumentHeaders(app: App): void {
  for (const [name, parameter] of Object.entries(DOCUMENT_PARAMETERS))
    app.openAPIRegistry.registerComponent('parameters', name, parameter as never);
  for (const [name, header] of Object.entries(DOCUMENT_HEADERS))
    app.openAPIRegistry.registerComponent('headers', name, header as never);
}

/**
 * Where a body is optional, a request that sends none is read as sending none whatever its
 * Content-Type says (clients often send one with every POST): the validator would otherwise
 * answer 415 for a type the route does not take, or 400 for an empty JSON document.
 */
const emptyBodyIsNone: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.header('content-type') !== undefined && c.get('deps').requestIsBodyless(c)) {
    const headers = new Headers(c.req.raw.headers);
    headers.delete('content-type');
    c.req.raw = new Request(c.req.raw.url, { method: c.req.method, headers });
  }
  await next();
};

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type RequestBody = NonNullable<NonNullable<RouteConfig['request']>['body']>;

/** A route as a module declares it: its request parts as schemas, its auth and problems, and its responses. */
type RouteSpec = RouteOptions & {
  operationId: string;
  summary: string;
  description: string;
  /** Path parameters. */
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** A schema for a required JSON body, or a whole request body (another media type, or an optional body). */
  body?: z.ZodType | RequestBody;
  responses: RouteConfig['responses'];
};

type JsonBody<T extends z.ZodType> = ReturnType<typeof jsonBody<T>>;
type RequestOf<S extends RouteSpec> = {
  [K in keyof S & ('params' | 'query' | 'body')]: K extends 'body'
    ? S[K] extends z.ZodType
      ? JsonBody<S[K]>
      : S[K]
    : S[K];
};
type RouteOf<M extends Method, P extends string, S extends RouteSpec> = {
  method: M;
  path: P;
  operationId: string;
  tags: string[];
  summary: string;
  description: string;
  request: RequestOf<S>;
  responses: S['responses'];
  security: Record<string, string[]>[];
};

/** A route declared by `get`, `post`…, waiting for the tag `routesOf` gives it. */
type Declared<M extends Method = Method, P extends string = string, S extends RouteSpec = RouteSpec> = {
  method: M;
  path: P;
  spec: S;
};

function declare<M extends Method>(method: M) {
  return <const P extends string, const S extends RouteSpec>(path: P, spec: S): Declared<M, P, S> => ({
    method,
    path,
    spec,
  });
}

export const get = declare('get');
export const post = declare('post');
export const put = declare('put');
export const patch = declare('patch');
/** `delete`, a reserved word. */
export const del = declare('delete');

function toRoute(tag: string, { method, path, spec }: Declared) {
  const { operationId, summary, description, params, query, body, responses, ...options } = spec;
  const request = {
    ...(params && { params }),
    ...(query && { query }),
    ...(body && { body: body instanceof z.ZodType ? jsonBody(body) : body }),
  };
  return defineRoute({
    method,
    path,
    operationId,
    tags: [tag],
    summary,
    description,
    ...(Object.keys(request).length > 0 && { request }),
    responses,
    ...options,
  });
}

/**
 * The routes of one part of the API, under its tag: `routesOf('Members', { list: get('/v1/members', { … }) })`
 * is `defineRoute` for each, with the method, path and tag, and the request parts (`params`, `query`,
 * `body`) given as schemas.
 */
export function routesOf<const T extends Record<string, Declared>>(
  tag: string,
  routes: T,
): { [K in keyof T]: T[K] extends Declared<infer M, infer P, infer S> ? RouteOf<M, P, S> : never } {
  return Object.fromEntries(Object.entries(routes).map(([name, route]) => [name, toRoute(tag, route)])) as never;
}

const TARGET_LOCATION: Record<string, ParameterLocation> = {
  json: 'body',
  form: 'body',
  query: 'query',
  param: 'path',
  header: 'header',
  cookie: 'header',
};

function escapePointerToken(token: PropertyKey): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function toPointer(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '' : '/' + path.map(escapePointerToken).join('/');
}

export function zodIssuesToErrors(issues: readonly z.core.$ZodIssue[], where: ParameterLocation): ProblemFieldError[] {
  const errors: ProblemFieldError[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        errors.push({
          pointer: toPointer([...issue.path, key]),
          in: where,
          detail: 'Unknown field; it is not part of this request.',
        });
      }
      continue;
    }
    errors.push({ pointer: toPointer(issue.path), in: where, detail: issue.message });
  }
  return errors;
}

export function validationProblem(errors: ProblemFieldError[]): ProblemError {
  const detail =
    errors.length === 1
      ? `Invalid ${errors[0]!.in} field ${errors[0]!.pointer || '(root)'}: ${errors[0]!.detail}`
      : `The request has ${errors.length} invalid fields.`;
  return new ProblemError('validation_failed', detail, { errors });
}

/** Every string of a body that cannot be stored as text (see `textFault`), as field errors. */
function textErrors(value: unknown, where: ParameterLocation): ProblemFieldError[] {
  return textFaults(value).map(({ path, detail }) => ({ pointer: toPointer(path), in: where, detail }));
}

/** A request part as zod judged it: its output, or the issues (and the input, which the validator passes along). */
type Judged = { success: true; data: unknown } | { success: false; data?: unknown; error: z.ZodError };

/**
 * Refuses a request part with one 400 problem with pointers: zod's issues and, in a body, every
 * string that cannot be stored as text. Only bodies are searched: a URL cannot carry such a string
 * past `refuseNulCharacters`, nor a header at all.
 */
function refuseInvalid(result: Judged, where: ParameterLocation): void {
  const text = where === 'body' ? textErrors(result.data, where) : [];
  if (result.success && text.length === 0) return;
  const schema = result.success ? [] : zodIssuesToErrors(result.error.issues, where);
  throw validationProblem([...text, ...schema.filter((e) => !text.some((t) => t.pointer === e.pointer))]);
}

/** Turns validation failures of any request part into one 400 problem with pointers (see `refuseInvalid`). */
export const validationHook: Hook<unknown, any, string, unknown> = (result) => {
  refuseInvalid(result, TARGET_LOCATION[result.target] ?? 'body');
};

/** A JSON body a handler reads itself, judged as the routes' hook judges theirs: its output, or a 400. */
export function parseJsonBody<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  refuseInvalid(result.success ? result : { success: false, data: value, error: result.error }, 'body');
  return result.data as z.output<S>;
}
