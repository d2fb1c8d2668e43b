import type { App } from '../../http/context';
import { defineRoute, SECURITY } from '../../http/openapi';
import { organizationPrincipal } from '../../http/auth';
import { stacks } from '../../http/stacks';
import { ProblemError } from '../../http/problem';
import { isoDay } from '../../lib/dates';
import { procedureUnderConsent } from '../procedures/access';
import { findProcedure, type ProcedureRow } from '../procedures/queries';
import { NotificationListSchema, NotificationParams, NotificationSchema } from './schemas';
import { toNotification, toNotificationList } from './mappers';
import { openNotification } from './service';
import { ProcedureParams } from '../procedures/schemas';

const TAG = 'Notifications';
const AUTH = ['organization_suspended', 'live_mode_unavailable', 'forbidden'] as const;
const CONSENT = [
  'consent_required', 'consent_invalid', 'consent_signature_invalid', 'consent_key_unknown', 'consent_algorithm_not_allowed',
  'consent_expired', 'consent_not_yet_valid', 'consent_audience_mismatch', 'consent_issuer_mismatch', 'consent_actor_mismatch',
  'consent_mode_mismatch', 'delegation_inactive', 'scope_insufficient',
] as const;

const listRoute = defineRoute({
  method: 'get',
  path: '/v1/procedures/{id}/notifications',
  operationId: 'listProcedureNotifications',
  tags: [TAG],
  summary: 'The electronic notifications of a procedure',
  description:
    'Every agency act that opens a term (requirement, resolution, declared withdrawal, lapse warning, declared lapse), oldest first. Listing does not open them: ' +
    'a notification takes effect when a member opens it, or when it is deemed rejected after 10 días naturales unopened (art. 43.2), and its term runs from the next day.',
  security: SECURITY.apiKeyWithConsent,
  middleware: stacks.orgRead(),
  request: { params: ProcedureParams },
  problems: [...AUTH, ...CONSENT, 'not_found'],
  responses: { 200: { description: 'The notifications.', content: { 'application/json': { schema: NotificationListSchema } } } },
});

const retrieveRoute = defineRoute({
  method: 'get',
  path: '/v1/procedures/{id}/notifications/{notification_id}',
  operationId: 'retrieveProcedureNotification',
  tags: [TAG],
  summary: 'A notification, without opening it',
  description: 'Its state and dates; the content stays withheld until it is opened with `POST …/access`.',
  security: SECURITY.apiKeyWithConsent,
  middleware: stacks.orgRead(),
  request: { params: NotificationParams },
  problems: [...AUTH, ...CONSENT, 'not_found'],
  responses: { 200: { description: 'The notification.', content: { 'application/json': { schema: NotificationSchema } } } },
});

const accessRoute = defineRoute({
  method: 'post',
  path: '/v1/procedures/{id}/notifications/{notification_id}/access',
  operationId: 'accessProcedureNotification',
  tags: [TAG],
  summary: 'Open a notification (comparecencia)',
  description:
    'Answers the notification with its content. The first opening is the legal access (art. 43.2): it is recorded with the member and in the citizen\'s access log, and ' +
    'the term it opens runs from the next day. Opening it again returns the same notification and changes no date. Needs the `consult` capacity.',
  security: SECURITY.apiKeyWithConsent,
  middleware: stacks.orgWrite('viewer'),
  request: { params: NotificationParams },
  problems: [...AUTH, ...CONSENT, 'not_found', 'idempotency_conflict', 'idempotency_in_flight'],
  responses: { 200: { description: 'The opened notification.', content: { 'application/json': { schema: NotificationSchema } } } },
});

export function registerNotifications(app: App): void {
  const today = (c: { get(k: 'deps'): { clock: { now(): Date } } }) => isoDay(c.get('deps').clock.now());
  const find = (row: ProcedureRow, id: string) => {
    const n = row.notifications.find((x) => x.id === id);
    if (!n) throw new ProblemError('not_found', 'No such notification.');
    return n;
  };

  app.openapi(listRoute, async (c) => {
    const { row } = await procedureUnderConsent(c, c.req.valid('param').id, 'consult', 'notifications.listed');
    return c.json(toNotificationList(row, today(c)), 200);
  });

  app.openapi(retrieveRoute, async (c) => {
    const { id, notification_id } = c.req.valid('param');
    const { row } = await procedureUnderConsent(c, id, 'consult', 'notification.read');
    return c.json(toNotification(row, find(row, notification_id), today(c)), 200);
  });

  app.openapi(accessRoute, async (c) => {
    const { id, notification_id } = c.req.valid('param');
    const { row } = await procedureUnderConsent(c, id, 'consult', 'notification.accessed');
    await openNotification(c.get('sql'), { row, notificationId: notification_id, memberId: organizationPrincipal(c).memberId, now: c.get('deps').clock.now() });
    const updated = (await findProcedure(c.get('sql'), { id: row.id }))!;
    return c.json(toNotification(updated, find(updated, notification_id), today(c)), 200);
  });
}
