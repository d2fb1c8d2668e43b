import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createSql } from '../../api/db/client';
import { GroupCommit, GroupCommitClosedError, GroupCommitOverloadedError } from '../../api/db/group-commit';
import type { Sql } from '../../api/db/sql';
import { openTestDatabase } from '../support/database';

/**
 * The group commit against this run's database (PGlite, or PostgreSQL with DATABASE_URL): rows
 * of concurrent callers share transactions, each caller is answered only after its row is
 * committed, and a failed batch fails every caller in it and writes none of its rows.
 */
let db: Awaited<ReturnType<typeof openTestDatabase>>;
/** A second client on PostgreSQL, so visibility is judged from another session; the same client on PGlite. */
let observer: Sql;

beforeAll(async () => {
  db = await openTestDatabase();
  await db.sql`create table gc_rows (id text primary key, n integer not null check (n >= 0))`;
  observer = db.url ? createSql(db.url, { max: 1 }) : db.sql;
});
afterAll(async () => {
  if (db.url) await observer.end();
  await db.close();
});

interface Row {
  id: string;
  n: number;
}

function batcher(
  options: {
    maxBatch?: number;
    maxInFlight?: number;
    maxPending?: number;
    before?: (rows: Row[]) => Promise<void>;
  } = {},
) {
  const batches: number[] = [];
  const gc = new GroupCommit<Row>({
    sql: db.sql,
    ...options,
    async write(tx, rows) {
      batches.push(rows.length);
      await tx`insert into gc_rows ${tx(rows as never, 'id', 'n')}`;
      await options.before?.(rows);
    },
  });
  return { gc, batches };
}

async function stored(prefix: string): Promise<string[]> {
  const rows = await observer<{ id: string }[]>`select id from gc_rows where id like ${prefix + '%'} order by id`;
  return rows.map((r) => r.id);
}

describe('GroupCommit', () => {
  it('answers a caller only after the transaction carrying its row has committed', async () => {
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    let inserted!: () => void;
    const insertedOnce = new Promise<void>((r) => (inserted = r));
    const { gc } = batcher({
      async before() {
        inserted();
        await gate;
      },
    });
    let answered = false;
    const added = gc.add({ id: 'durable-1', n: 1 }).then(() => (answered = true));
    await insertedOnce;
    await new Promise((r) => setTimeout(r, 50));
    // Inserted but not committed: the caller waits, and (on PostgreSQL) no other session sees the row yet.
    expect(answered).toBe(false);
    if (db.url) expect(await stored('durable-')).toEqual([]);
    open();
    await added;
    expect(answered).toBe(true);
    expect(await stored('durable-')).toEqual(['durable-1']);
  });

  it('commits a lone row at once on an idle system', async () => {
    const { gc, batches } = batcher();
    const t0 = performance.now();
    await gc.add({ id: 'lone-1', n: 1 });
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(batches).toEqual([1]);
  });

  it('groups the rows of concurrent callers into few bounded batches, each committed once', async () => {
    const { gc, batches } = batcher({ maxBatch: 50, maxInFlight: 2 });
    const ids = Array.from({ length: 600 }, (_, i) => `many-${String(i).padStart(4, '0')}`);
    await Promise.all(ids.map((id, i) => gc.add({ id, n: i })));
    expect(await stored('many-')).toEqual(ids);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(600);
    expect(Math.max(...batches)).toBeLessThanOrEqual(50);
    expect(batches.length).toBeLessThanOrEqual(600 / 50 + 2);
  });

  it('fails every caller of a failing batch, writes none of its rows, and keeps serving later batches', async () => {
    const { gc, batches } = batcher({ maxBatch: 100 });
    const good = Array.from({ length: 9 }, (_, i) => gc.add({ id: `fail-${i}`, n: i }));
    const bad = gc.add({ id: 'fail-bad', n: -1 }); // violates the check constraint
    const outcomes = await Promise.allSettled([...good, bad]);
    expect(batches).toEqual([10]);
    expect(outcomes.every((o) => o.status === 'rejected')).toBe(true);
    expect(String((outcomes[0] as PromiseRejectedResult).reason)).toMatch(/check constraint/);
    expect(await stored('fail-')).toEqual([]);
    await gc.add({ id: 'fail-after', n: 1 });
    expect(await stored('fail-')).toEqual(['fail-after']);
  });

  it('refuses at once beyond the pending bound, and after close; close commits what was added', async () => {
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const { gc } = batcher({ maxBatch: 1, maxInFlight: 1, maxPending: 3, before: () => gate });
    const first = gc.add({ id: 'bound-0', n: 0 });
    await new Promise((r) => setTimeout(r, 20)); // the first batch is committing, holding the only slot
    const queued = [1, 2, 3].map((i) => gc.add({ id: `bound-${i}`, n: i }));
    await expect(gc.add({ id: 'bound-4', n: 4 })).rejects.toBeInstanceOf(GroupCommitOverloadedError);
    expect(gc.waiting).toBe(3);
    const closing = gc.close();
    await expect(gc.add({ id: 'bound-5', n: 5 })).rejects.toBeInstanceOf(GroupCommitClosedError);
    open();
    await Promise.all([first, ...queued, closing]);
    expect(await stored('bound-')).toEqual(['bound-0', 'bound-1', 'bound-2', 'bound-3']);
  });
});
