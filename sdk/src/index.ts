export type {
  CompletedDelegationRequestBatch,
  CreateBatchOptions,
  DelegationRequestBatch,
  DelegationRequestBatchRow,
  DelegationRequestBatchRowResult,
} from './batches';
export { operationMethods, Puente } from './client';
export * from './errors';
export { etagOf } from './etag';
export type { components, operations, paths } from './generated/openapi';
export { type PageData, PagePromise } from './pagination';
export type { ClientOptions, RequestOptions } from './transport';
export type { Body, OperationId, Query, Result, Schemas, WebhookEventOf, WebhookEventType } from './types';
export { toFile, type Uploadable } from './uploads';
export { VERSION } from './version';
export { unwrap, type WebhookEvent, type WebhookHeaders } from './webhooks';
