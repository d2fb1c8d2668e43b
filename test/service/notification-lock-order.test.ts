import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { begin } from '../../api/db/sql';
import { recordDeemedRejection } from '../../api/modules/notifications/service';
import type { NotificationTerm } from '../../api/modules/notifications/terms';
import { procedureById } from '../../api/modules/procedures/queries';
import { createTestApp, type TestApp } from '../support/app';
import { registerOrg } from '../support/fixtures';
import { delegatedDraft, submitJub } from '../support/procedures';

/**
 * Every change to a notification locks its procedure first: opening it (in the consented write)
 * and the scheduler's deemed rejection. In the other order the two deadlocked, and PostgreSQL
 * aborted one of them. Two connections are needed, so PostgreSQL only.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe.skipIf(!process.env.DATABASE_URL)("a notification's changes", () => {
  it('take the procedure first, so an opening and a deemed rejection at once both go through', async () => {
    const org = await registerOrg(t);
    const { token, draft } = await delegatedDraft(t, org.testKey);
    await submitJub(t, org.testKey, token, draft.id);
    const id = draft.id as string;
    const notificationId = `ntf_lock${id}`;
    await t.sql`
      insert into notifications (id, organization_id, livemode, procedure_id, kind, content, made_available_at, made_available_on, created_at)
      values (${notificationId}, ${org.id}, false, ${id}, 'resolution', '{}'::jsonb, '2026-03-02T10:00:00Z', '2026-03-02', now())`;
    const row = await procedureById(t.sql, id);
    const n = row.notifications.find((x) => x.id === notificationId)!;
    const term = { deemedRejectedOn: '2026-03-12', deadline: null } as unknown as NotificationTerm;

    // An opening as `openNotification` makes it: the procedure locked, then the notification changed.
    let locked!: () => void;
    const procedureLocked = new Promise<void>((resolve) => (locked = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const opening = begin(t.sql, async (tx) => {
      await tx`select 1 from procedures where id = ${id} for update`;
      locked();
      await released;
      await tx`update notifications set accessed_at = now(), accessed_on = '2026-03-20' where id = ${notificationId}`;
    });
    await procedureLocked;
    const rejection = recordDeemedRejection(t.sql, { row, n, term, now: new Date('2026-03-13T00:05:00Z') });
    // Long enough for the scheduler's transaction to reach the first lock it waits for.
    await new Promise((resolve) => setTimeout(resolve, 300));
    release();

    await expect(Promise.all([opening, rejection])).resolves.toEqual([undefined, true]);
    const [after] = await t.sql<{ accessed_on: string; deemed_rejected_at: Date | null }[]>`
      select to_char(accessed_on, 'YYYY-MM-DD') as accessed_on, deemed_rejected_at from notifications where id = ${notificationId}`;
    expect(after!.accessed_on).toBe('2026-03-20');
    expect(after!.deemed_rejected_at).not.toBeNull();
  });
});
