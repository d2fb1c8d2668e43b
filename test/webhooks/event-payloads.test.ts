import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { EventType } from '../../api/modules/events/emit';
import { EVENT_PAYLOADS } from '../../api/modules/events/payloads';
import { runScheduler } from '../../api/modules/events/scheduler';
import { createTestApp, type TestApp } from '../support/app';
import { advance, answerRequirement, citizenCase, fileJub } from '../support/citizen-procedures';
import { consentHeaders, openNotification } from '../support/procedures';

/**
 * The document's `webhooks` section and the SDK's typed events promise each event type's `data`
 * (api/modules/events/payloads.ts). Integrators decode webhooks and the feed with those types, so
 * what Puente actually emits must match them exactly: no field missing, none of another type,
 * none undeclared. The procedure's life is driven through the API and the scheduler, and every
 * event it wrote is checked against its declared schema.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

/** Every event of the organisation, as stored (the feed shows only the last 30 days). */
function eventsOf(delegationId: string) {
  return t.sql<Array<{ id: string; type: EventType; data: Record<string, unknown> }>>`
    select e.id, e.type, e.data from events e join delegations d on d.organization_id = e.organization_id
    where d.id = ${delegationId} order by e.feed_seq`;
}

describe('every event emitted', () => {
  it("matches the payload its type declares, through a procedure's whole life", async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const c = await citizenCase(t);
    const store = t.deps!.calendar;
    // The scheduler deletes events past their 30 days: what was emitted is kept here before each pass.
    const emitted = new Map<string, { type: EventType; data: Record<string, unknown> }>();
    const collect = async () => {
      for (const e of await eventsOf(c.delegationId)) emitted.set(e.id, e);
    };
    const schedule = async () => {
      await collect();
      await runScheduler(t.sql, t.clock.now(), store);
    };

    // Filed, required, opened, extended, answered, approved.
    const filed = await fileJub(t, c);
    t.clock.set('2026-03-03T09:00:00Z');
    const required = await advance(t, c, filed.id, { action: 'require', kinds: ['COMPANY_CERT'] });
    const requirementId = required.requirements[0].id as string;
    t.clock.set('2026-03-04T09:00:00Z');
    await openNotification(t, c.orgKey, await c.token(), filed.id, 'requirement');
    const extended = await t.request(`/v1/procedures/${filed.id}/requirements/${requirementId}/response`, {
      method: 'POST',
      headers: consentHeaders(c.orgKey, await c.token()),
      json: { request_extension: true },
    });
    expect(extended.status, await extended.clone().text()).toBe(200);
    await answerRequirement(t, c, filed.id, requirementId, 'COMPANY_CERT');
    await advance(t, c, filed.id, { action: 'approve', amount: 1412.5 });

    // Required and left unopened: the scheduler warns, counts it rejected, and the term runs out.
    t.clock.set('2026-03-05T09:00:00Z');
    const ignored = await fileJub(t, c);
    await advance(t, c, ignored.id, { action: 'require', kinds: ['COMPANY_CERT'] });
    for (const day of ['2026-03-12', '2026-03-16', '2026-03-25', '2026-03-30', '2026-04-06']) {
      t.clock.set(`${day}T08:00:00Z`);
      await schedule();
    }
    await advance(t, c, ignored.id, { action: 'declare_withdrawal' });

    // Warned of lapse, then lapsed; and one left without a decision until silence.
    const lapsing = await fileJub(t, c);
    await advance(t, c, lapsing.id, { action: 'admit' });
    await advance(t, c, lapsing.id, { action: 'require', kinds: ['COMPANY_CERT'] });
    await advance(t, c, lapsing.id, { action: 'warn_lapse' });
    // 90 días hábiles in Madrid from 6 April end on 12 August: silence from the 13th.
    await fileJub(t, c);
    t.clock.set('2026-08-13T08:00:00Z');
    await schedule();
    await advance(t, c, lapsing.id, { action: 'declare_lapse' });

    await collect();
    const events = [...emitted.values()];
    const seen = new Set(events.map((e) => e.type));
    for (const type of [
      'procedure.submitted',
      'procedure.status_changed',
      'procedure.requirement_issued',
      'procedure.requirement_extended',
      'notification.available',
      'notification.accessed',
      'procedure.resolved',
      'notification.deemed_rejection_approaching',
      'notification.deemed_rejected',
      'procedure.requirement_deadline_approaching',
      'requirement.expired',
      'procedure.withdrawal_declared',
      'procedure.lapse_warned',
      'procedure.lapsed',
      'procedure.presumed_denied',
    ] as const) {
      expect(seen, `an event ${type} was emitted`).toContain(type);
    }
    for (const event of events) {
      const parsed = EVENT_PAYLOADS[event.type].schema.strict().safeParse(event.data);
      expect(parsed.success ? null : parsed.error.issues, `${event.type} ${JSON.stringify(event.data)}`).toBeNull();
    }
  });
});
