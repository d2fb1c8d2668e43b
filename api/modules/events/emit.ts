import type { Sql } from '../../db/sql';
import { transaction } from '../../db/sql';
import { newId } from '../../lib/ids';
import { AVISO_EVENT_TYPES, queueAvisosForEvent } from '../avisos/service';
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
  'procedure.requirement_extended',
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

/**
 * Records an event in the outbox, inside the transaction that made the change, with the avisos it
 * causes the citizen (api/modules/avisos). Answers false for a duplicate dedupe key.
 */
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
  const id = newId('evt');
  const record = (sql: Sql) =>
    insertEvent(
      sql,
      {
        id,
        organizationId: event.organizationId,
        livemode: event.livemode,
        type: event.type,
        data: event.data,
        dedupeKey: event.dedupeKey ?? null,
        at: event.at,
      },
      () => newId('whd'),
    );
  if (!AVISO_EVENT_TYPES.has(event.type)) return record(tx);
  // The event and its avisos commit together (in the caller's transaction, or one of their own).
  return transaction(tx, async (t) => {
    if (!(await record(t))) return false;
    await queueAvisosForEvent(t, { id, type: event.type, livemode: event.livemode, data: event.data, at: event.at });
    return true;
  });
}
