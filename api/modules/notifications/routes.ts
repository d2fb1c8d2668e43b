import type { Context } from 'hono';

import type { App, AppEnv } from '../../http/context';
import { get, ok, post, routesOf } from '../../http/openapi';
import { legalToday } from '../../lib/legal-day';
import type { AccessAction } from '../access-log/actions';
import { consentedRead, consentedWrite, type ConsentNeed } from '../consent/gate';
import { ProcedureParams } from '../procedures/schemas';
import { toNotification, toNotificationList } from './mappers';
import { notificationExists, notificationsPayload, type NotificationsRow } from './queries';
import { NotificationListSchema, NotificationParams, NotificationSchema } from './schemas';
import { openNotification } from './service';

const routes = routesOf('Notifications', {
  list: get('/v1/procedures/{id}/notifications', {
    operationId: 'listProcedureNotifications',
    summary: 'The electronic notifications of a procedure',
    description:
      'Every agency act that opens a term (requirement, resolution, declared withdrawal, lapse warning, declared lapse), oldest first. Listing does not open them: ' +
      'a notification takes effect when a member opens it, or when it is deemed rejected after 10 días naturales unopened (art. 43.2), and its term runs from the next day.',
    auth: 'orgConsentedRead',
    params: ProcedureParams,
    responses: ok('The notifications.', NotificationListSchema),
  }),
  retrieve: get('/v1/procedures/{id}/notifications/{notification_id}', {
    operationId: 'retrieveProcedureNotification',
    summary: 'A notification, without opening it',
    description:
      'Its state and dates; the content stays withheld until it takes effect: opened with `POST …/access`, or deemed rejected after 10 días naturales.',
    auth: 'orgConsentedRead',
    params: NotificationParams,
    responses: ok('The notification.', NotificationSchema),
  }),
  access: post('/v1/procedures/{id}/notifications/{notification_id}/access', {
    operationId: 'accessProcedureNotification',
    summary: 'Open a notification (comparecencia)',
    description:
      "Answers the notification with its content. The first opening is the legal access (art. 43.2): it is recorded with the member and in the citizen's access log, and " +
      'the term it opens runs from the next day. Opening it again returns the same notification and changes no date. Needs the `consult` capacity.',
    auth: 'orgConsentedWrite',
    role: 'viewer',
    params: NotificationParams,
    responses: ok('The opened notification.', NotificationSchema),
  }),
});

export function registerNotifications(app: App): void {
  const today = (c: Context<AppEnv>) => legalToday(c.get('deps').clock);
  const calendar = (c: Context<AppEnv>, version: number) => c.get('deps').calendar.ensure(c.get('sql'), version);
  /** One notification of the procedure: the gate refuses (404, nothing logged) one that is not there. */
  const one = (c: Context<AppEnv>, action: AccessAction, id: string, notificationId: string): ConsentNeed => ({
    capacity: 'consult',
    action,
    procedureId: id,
    resource: { type: 'notification', id: notificationId },
    resourceExists: notificationExists(c.get('sql'), id, notificationId),
  });
  const shown = (row: NotificationsRow, id: string) => row.notifications.find((n) => n.id === id)!;

  app.openapi(routes.list, async (c) => {
    const id = c.req.valid('param').id;
    const sql = c.get('sql');
    const { row } = await consentedRead<NotificationsRow>(
      c,
      { capacity: 'consult', action: 'notifications.listed', procedureId: id },
      notificationsPayload(sql, id),
    );
    return c.json(toNotificationList(await calendar(c, row!.calendar_version), row!, today(c)), 200);
  });

  app.openapi(routes.retrieve, async (c) => {
    const { id, notification_id } = c.req.valid('param');
    const sql = c.get('sql');
    const { row } = await consentedRead<NotificationsRow>(
      c,
      one(c, 'notification.read', id, notification_id),
      notificationsPayload(sql, id),
    );
    return c.json(
      toNotification(await calendar(c, row!.calendar_version), row!, shown(row!, notification_id), today(c)),
      200,
    );
  });

  app.openapi(routes.access, async (c) => {
    const { id, notification_id } = c.req.valid('param');
    const [row, cal] = await consentedWrite<NotificationsRow, [NotificationsRow, Awaited<ReturnType<typeof calendar>>]>(
      c,
      one(c, 'notification.accessed', id, notification_id),
      (tx) => notificationsPayload(tx, id),
      async (tx, gated, consent) => {
        const cal = await c.get('deps').calendar.ensure(tx, gated.calendar_version);
        const opened = await openNotification(tx, {
          procedureId: id,
          notificationId: notification_id,
          memberId: consent.principal.memberId,
          now: c.get('deps').clock.now(),
          calendar: cal,
        });
        return [opened, cal];
      },
    );
    return c.json(toNotification(cal, row, shown(row, notification_id), today(c)), 200);
  });
}
