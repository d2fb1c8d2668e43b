import type { Sql } from '../../db/sql';
import { newId } from '../../lib/ids';
import { insertEvent } from './queries';

export const EVENT_TYPES = [
  'delegation_request.accepted',
  'delegation_request.rejected',
  'delegation_request.expired',
  'delegation_request.cancelled',
  'delegation.revoked',
  'delegation.renounced',
  'delegation.expired',
  'delegation.suspended',
  'procedure.submitted',
  'procedure.status_changed',
  'procedure.requirement_issued',
  'procedure.requirement_deadline_approaching',
  'procedure.resolved',
  'procedure.presumed_denied',
  'webhook_endpoint.test',
  'notification.available',
  'notification.accessed',
  'notification.deemed_rejected',
  'notification.deemed_rejection_approaching',
  'requirement.expired',
  'procedure.withdrawal_declared',
  'procedure.lapse_warned',
  'procedure.lapsed',
  'calendar.holidays_changed',
  'delegation_request_batch.completed',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Records an event in the outbox, inside the transaction that made the change. Answers false for a duplicate dedupe key. */
export function emit(
  tx: Sql,
  event: {
    organizationId: string;
    livemode: boolean;
    type: EventType;
    data: Record<string, unknown>;
    at: Date;
    dedupeKey?: string;
  },
): Promise<boolean> {
  return insertEvent(
    tx,
    {
      id: newId('evt'),
      organizationId: event.organizationId,
      livemode: event.livemode,
      type: event.type,
      data: event.data,
      dedupeKey: event.dedupeKey ?? null,
      at: event.at,
    },
    () => newId('whd'),
  );
}
