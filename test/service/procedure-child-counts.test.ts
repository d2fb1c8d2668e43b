import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { applyMigrations } from '../../api/db/migrate';
import { readMigrationFiles } from '../../api/node/migration-files';
import { createTestApp, type TestApp } from '../support/app';
import { expectJson, registerOrg } from '../support/fixtures';
import { consentHeaders, delegatedDraft, submitJub } from '../support/procedures';

/**
 * A procedure is read with its children only when the database's counts say it has some (migration
 * 0100): a count that fell behind would hide a requirement from the representative, so the counts
 * are kept by triggers, whoever writes the rows, and computed for rows that existed before.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

interface Counts {
  document_count: number;
  requirement_count: number;
  notification_count: number;
}

const countsOf = async (id: string) =>
  (
    await t.sql<Counts[]>`
      select document_count, requirement_count, notification_count from procedures where id = ${id}`
  )[0]!;

/** A filed JUB with its two documents, and a requirement notified for it written straight into the tables: the triggers count rows whoever writes them. */
async function filedWithRequirement() {
  const org = await registerOrg(t);
  const { token, draft } = await delegatedDraft(t, org.testKey);
  await submitJub(t, org.testKey, token, draft.id);
  const requirementId = `req_count${draft.id}`;
  await t.sql`
    insert into requirements (id, procedure_id, kinds, message, notified_at, notified_on, deadline, issued_by, created_at)
    values (${requirementId}, ${draft.id}, '{DNI_NIE}', 'Aporte el DNI en vigor.', now(), current_date, null, 'agency', now())`;
  await t.sql`
    insert into notifications (id, organization_id, livemode, procedure_id, kind, requirement_id, content, made_available_at, made_available_on, created_at)
    values (${`ntf_count${draft.id}`}, ${org.id}, false, ${draft.id}, 'requirement', ${requirementId},
            '{}'::jsonb, now(), current_date, now())`;
  return { org, token, id: draft.id as string, requirementId };
}

describe("a procedure's counts of its children", () => {
  it('follow every insert and delete, and a read shows the children they count', async () => {
    const { org, token, id, requirementId } = await filedWithRequirement();
    expect(await countsOf(id)).toEqual({ document_count: 2, requirement_count: 1, notification_count: 1 });

    const read = await expectJson(
      await t.request(`/v1/procedures/${id}`, { headers: consentHeaders(org.testKey, token) }),
      200,
    );
    expect(read.requirements.map((r: { id: string }) => r.id)).toEqual([requirementId]);
    expect(read.missing_documents).toEqual([]);

    await t.sql`delete from notifications where procedure_id = ${id}`;
    expect(await countsOf(id)).toEqual({ document_count: 2, requirement_count: 1, notification_count: 0 });
  });

  it('refuse a child moved to another procedure', async () => {
    const first = await filedWithRequirement();
    const second = await filedWithRequirement();
    await expect(
      t.sql`update requirements set procedure_id = ${second.id} where id = ${first.requirementId}`,
    ).rejects.toThrow(/never move/);
    expect(await countsOf(first.id)).toMatchObject({ requirement_count: 1 });
  });

  it('are computed by the migration for the children already there', async () => {
    const { id } = await filedWithRequirement();
    // The database as it was before migration 0100, with the same rows.
    await t.sql.unsafe(`
      drop trigger documents_counted on documents; drop trigger requirements_counted on requirements;
      drop trigger notifications_counted on notifications; drop function procedure_child_counted();
      drop trigger documents_stay on documents; drop trigger requirements_stay on requirements;
      drop trigger notifications_stay on notifications; drop function procedure_child_stays();
      alter table procedures drop column document_count, drop column requirement_count, drop column notification_count;
      delete from schema_migrations where name = '0100_procedure_child_counts.sql';`);

    const report = await applyMigrations(t.sql, readMigrationFiles());
    expect(report.applied).toEqual(['0100_procedure_child_counts.sql']);
    expect(await countsOf(id)).toEqual({ document_count: 2, requirement_count: 1, notification_count: 1 });
  });
});
