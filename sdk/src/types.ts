import type { components, operations, webhooks } from './generated/openapi';

/** The API's operations (the document's webhooks, `…Webhook`, are what Puente sends, not calls). */
export type OperationId = Exclude<keyof operations, `${string}Webhook`>;
export type Schemas = components['schemas'];

/** How the client calls one operation (generated from the document). */
export interface OperationSpec {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  /** The media types its body may be sent as (`application/json`, `multipart/form-data`, `text/csv`…). */
  body?: readonly string[];
  query?: true;
  /** A cursor-paginated list: the method returns a PagePromise. */
  paginated?: true;
  /** The success body is not JSON (a PDF, an image): the method returns the Response. */
  binary?: true;
  /** Needs a `Puente-Consent` token (sent by clients from `forClient`). */
  consent?: true;
}

type Content<R> = R extends { content: infer C } ? C[keyof C] : undefined;
type Success<R> = R[Extract<keyof R, 200 | 201 | 202 | 203 | 204>];

/** The success body of an operation. */
export type Result<O extends OperationId> = Content<Success<operations[O]['responses']>>;
/** The request body of an operation (JSON, multipart with Blob/File parts, or text such as a CSV). */
export type Body<O extends OperationId> = Content<NonNullable<operations[O]['requestBody']>>;
/** The query parameters of an operation. */
export type Query<O extends OperationId> = NonNullable<operations[O]['parameters']['query']>;

/** The event types Puente delivers to webhook endpoints. */
export type WebhookEventType = keyof webhooks;
/** The body delivered for one event type, e.g. `WebhookEventOf<'procedure.resolved'>`. */
export type WebhookEventOf<T extends WebhookEventType> = Content<
  NonNullable<NonNullable<webhooks[T]['post']>['requestBody']>
>;
/** Any delivered event: switch on `type` to narrow `data`. */
export type WebhookEvent = { [T in WebhookEventType]: WebhookEventOf<T> }[WebhookEventType];
