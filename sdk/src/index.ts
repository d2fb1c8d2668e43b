export { Puente, operationMethods } from './client';
export type { Body, Delegation, DelegationRequest, Event, Procedure, Query, Result, Schemas, Uploadable } from './client';
export type { ClientOptions, RequestOptions } from './transport';
export type { PageData, PagePromise } from './pagination';
export { unwrap, type EventType, type WebhookEvent } from './webhooks';
export * from './errors';
export type { components, operations, paths } from './generated/openapi';
