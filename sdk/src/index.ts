export { Puente, operationMethods } from './client';
export * from './errors';
export { PagePromise, type PageData } from './pagination';
export { VERSION } from './version';
export type { ClientOptions, RequestOptions } from './transport';
export type { Body, OperationId, Query, Result, Schemas, WebhookEventOf, WebhookEventType } from './types';
export { toFile, type Uploadable } from './uploads';
export { unwrap, type WebhookEvent, type WebhookHeaders } from './webhooks';
export type { components, operations, paths } from './generated/openapi';
export type {
  CompletedDelegationRequestBatch,
  CreateBatchOptions,
  DelegationRequestBatch,
  DelegationRequestBatchRow,
  DelegationRequestBatchRowResult,
} from './batches';
