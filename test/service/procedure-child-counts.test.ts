import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { applyMigrations } from '../../api/db/migrate';
import { begin } from '../../api/db/sql';
import { readMigrationFiles } from '../../api/node/migration-files';
import { createTestApp, type TestApp } from '../support/app';
import { expectJson, registerOrg } from '../support/fixtures';
import { consentHeaders, delegatedDraft, submitJub } from '../support/procedures';

/**
 * A procedure is read with the counts and summaries of its children that the database keeps on its
 * row (migrations 0100 and 0120): a summary that fell behind would hide a requirement from the
 * representative, so they are kept by triggers, whoever writes the rows, and computed for rows
 * that existed before.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

/** Undoes migration 0120: its columns and functions gone, the triggers of 0100 as they were (their function left as 0120 made it). */
const BEFORE_0120 = `
  alter table procedures drop column document_kinds, drop column requirements_json, drop column notifications_json;
  drop trigger documents_counted on documents; drop trigger requirements_counted on requirements;
  drop trigger notifications_counted on notifications;
  drop function procedure_document_kinds(text); drop function procedure_requirements_json(text);
  drop function procedure_notifications_json(text);
  drop trigger documents_no_truncate on documents; drop trigger requirements_no_truncate on requirements;
  drop trigger notifications_no_truncate on notifications; drop function procedure_children_not_truncated();
  delete from schema_migrations where name = '0120_procedure_child_summaries.sql';
  create trigger documents_counted after insert or delete on documents for each row execute function procedure_child_counted();
  create trigger requirements_counted after insert or delete on requirements for each row execute function procedure_child_counted();
  create trigger notifications_counted after insert or delete on notifications for each row execute function procedure_child_counted();`;

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
    // The database as it was before migration 0100 (and so before 0120), with the same rows.
    await t.sql.unsafe(`${BEFORE_0120}
      drop trigger documents_counted on documents; drop trigger requirements_counted on requirements;
      drop trigger notifications_counted on notifications; drop function procedure_child_counted();
      drop trigger documents_stay on documents; drop trigger requirements_stay on requirements;
      drop trigger notifications_stay on notifications; drop function procedure_child_stays();
      alter table procedures drop column document_count, drop column requirement_count, drop column notification_count;
      delete from schema_migrations where name = '0100_procedure_child_counts.sql';`);

    const report = await applyMigrations(t.sql, readMigrationFiles());
    expect(report.applied).toEqual(['0100_procedure_child_counts.sql', '0120_procedure_child_summaries.sql']);
    expect(await countsOf(id)).toEqual({ document_count: 2, requirement_count: 1, notification_count: 1 });
  });
});

interface Summaries {
  document_kinds: string[];
  requirements_json: Array<{ id: string; status: string; response_message: string | null }>;
  notifications_json: Array<{ id: string; accessed_on: string | null }>;
}

const summariesOf = async (id: string) =>
  (
    await t.sql<Summaries[]>`
      select document_kinds, requirements_json, notifications_json from procedures where id = ${id}`
  )[0]!;

describe("a procedure's summaries of its children", () => {
  it('follow every insert, update and delete, and a read answers them', async () => {
    const { org, token, id, requirementId } = await filedWithRequirement();
    const before = await summariesOf(id);
    expect(before.document_kinds).toEqual(['DNI_NIE', 'IBAN_CERT']);
    expect(before.requirements_json).toMatchObject([{ id: requirementId, status: 'open', response_message: null }]);
    expect(before.notifications_json).toMatchObject([{ id: `ntf_count${id}`, accessed_on: null }]);
    // Every field the API maps, as the read statement used to build them.
    expect(Object.keys(before.requirements_json[0]!).sort()).toEqual([
      'answered_at',
      'answered_on',
      'deadline',
      'extended',
      'id',
      'kinds',
      'message',
      'notified_at',
      'notified_on',
      'response_message',
      'status',
    ]);
    expect(Object.keys(before.notifications_json[0]!).sort()).toEqual([
      'accessed_at',
      'accessed_by_member_id',
      'accessed_on',
      'content',
      'deemed_rejected_at',
      'id',
      'kind',
      'made_available_at',
      'made_available_on',
      'requirement_id',
    ]);

    await t.sql`update requirements set status = 'answered', response_message = 'Aportado.' where id = ${requirementId}`;
    await t.sql`update notifications set accessed_at = now(), accessed_on = '2026-03-02' where procedure_id = ${id}`;
    await t.sql`update documents set kind = 'OTHER' where procedure_id = ${id} and kind = 'IBAN_CERT'`;
    const after = await summariesOf(id);
    expect(after.document_kinds).toEqual(['DNI_NIE', 'OTHER']);
    expect(after.requirements_json).toMatchObject([
      { id: requirementId, status: 'answered', response_message: 'Aportado.' },
    ]);
    expect(after.notifications_json).toMatchObject([{ id: `ntf_count${id}`, accessed_on: '2026-03-02' }]);

    const read = await expectJson(
      await t.request(`/v1/procedures/${id}`, { headers: consentHeaders(org.testKey, token) }),
      200,
    );
    expect(read.requirements).toMatchObject([{ id: requirementId, status: 'answered', response_message: 'Aportado.' }]);
    expect(read.missing_documents).toEqual([{ any_of: ['IBAN_CERT'] }]);

    await t.sql`delete from notifications where procedure_id = ${id}`;
    await t.sql`delete from requirements where procedure_id = ${id}`;
    expect(await summariesOf(id)).toMatchObject({ requirements_json: [], notifications_json: [] });
  });

  it('cannot be bypassed by truncating a child table', async () => {
    const { id } = await filedWithRequirement();
    for (const table of ['documents', 'requirements', 'notifications']) {
      await expect(t.sql.unsafe(`truncate ${table} cascade`)).rejects.toThrow(/deleted, not truncated/);
    }
    expect((await summariesOf(id)).document_kinds).toEqual(['DNI_NIE', 'IBAN_CERT']);
  });

  // Two transactions adding children to one procedure at once: the second waits for the first
  // and its summary includes the first one's row. The embedded database has one connection.
  it.skipIf(!process.env.DATABASE_URL)('include the children of concurrent transactions', async () => {
    const { id, requirementId } = await filedWithRequirement();
    const add = (tx: typeof t.sql, suffix: string) => tx`
      insert into requirements (id, procedure_id, kinds, message, notified_at, notified_on, deadline, issued_by, created_at)
      values (${requirementId + suffix}, ${id}, '{DNI_NIE}', 'Aporte el DNI en vigor.', now(), current_date, null, 'agency', now())`;
    let releaseFirst!: () => void;
    const firstHolds = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstAdded!: () => void;
    const added = new Promise<void>((resolve) => (firstAdded = resolve));
    const first = begin(t.sql, async (tx) => {
      await add(tx, '_a');
      firstAdded();
      await firstHolds;
    });
    await added;
    const second = begin(t.sql, async (tx) => {
      await add(tx, '_b');
    });
    // The second insert's trigger is waiting for the first transaction now; let the first commit.
    await new Promise((resolve) => setTimeout(resolve, 200));
    releaseFirst();
    await Promise.all([first, second]);
    const ids = (await summariesOf(id)).requirements_json.map((r) => r.id).sort();
    expect(ids).toEqual([requirementId, requirementId + '_a', requirementId + '_b'].sort());
    expect(await countsOf(id)).toMatchObject({ requirement_count: 3 });
  });

  it('are computed by the migration for the children already there', async () => {
    const { id, requirementId } = await filedWithRequirement();
    // The database as it was before migration 0120, with the same rows.
    await t.sql.unsafe(BEFORE_0120);

    const report = await applyMigrations(t.sql, readMigrationFiles());
    expect(report.applied).toEqual(['0120_procedure_child_summaries.sql']);
    const summaries = await summariesOf(id);
    expect(summaries.document_kinds).toEqual(['DNI_NIE', 'IBAN_CERT']);
    expect(summaries.requirements_json.map((r) => r.id)).toEqual([requirementId]);
    expect(summaries.notifications_json.map((n) => n.id)).toEqual([`ntf_count${id}`]);
  });
});
