import type { z } from '@hono/zod-openapi';

import type { CalendarSnapshot } from '../../lib/calendar';
import type { NotificationJson } from '../procedures/queries';
import type { NotificationSchema } from './schemas';
import { termOrNull } from './service';
import { actShown, TERM_ARTICLES, type TermRow } from './terms';

/** A procedure as its notifications are shown with (a `NotificationsRow` or a `ProcedureRow`). */
type NotifiedRow = TermRow & { id: string; livemode: boolean; notifications: NotificationJson[] };

type Notification = z.infer<typeof NotificationSchema>;

function iso(value: string | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}

export function toNotification(
  cal: CalendarSnapshot,
  row: NotifiedRow,
  n: NotificationJson,
  today: string,
): Notification {
  const term = termOrNull(cal, row, n, today);
  return {
    id: n.id,
    object: 'notification',
    livemode: row.livemode,
    procedure_id: row.id,
    kind: n.kind,
    requirement_id: n.requirement_id,
    status: term?.deemedRejected ? 'deemed_rejected' : n.accessed_at !== null ? 'accessed' : 'available',
    made_available_at: iso(n.made_available_at)!,
    deemed_rejected_on: term?.deemedRejectedOn ?? null,
    accessed_at: iso(n.accessed_at),
    accessed_by_member_id: n.accessed_by_member_id,
    deemed_rejected_at: iso(n.deemed_rejected_at),
    term: term?.basis
      ? {
          basis: term.basis,
          article: TERM_ARTICLES[term.basis],
          starts: term.starts,
          counting_from: term.countingFrom,
          deadline: term.deadline,
        }
      : null,
    content: actShown(cal, row, n, today) ? n.content : null,
  };
}

/** Every notification of the procedure, oldest first, as one page (there are few). */
export function toNotificationList(cal: CalendarSnapshot, row: NotifiedRow, today: string) {
  return {
    data: row.notifications.map((n) => toNotification(cal, row, n, today)),
    has_more: false as const,
    next_cursor: null,
  };
}
