import type { components, operations } from './generated/openapi';

export type OperationId = keyof operations;
export type Schemas = components['schemas'];

/** How the client calls one operation (generated from the document). */
export interface OperationSpec {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  body?: 'json' | 'multipart';
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
/** The request body of an operation (JSON, or multipart with Blob/File parts). */
export type Body<O extends OperationId> = Content<NonNullable<operations[O]['requestBody']>>;
/** The query parameters of an operation. */
export type Query<O extends OperationId> = NonNullable<operations[O]['parameters']['query']>;
