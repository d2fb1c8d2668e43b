import { describe, expect, inject, it } from 'vitest';

import { createSql } from '../../api/db/client';
import { afterCommit, begin, inOrder, savepoint, settledAtCommit, transaction } from '../../api/db/sql';
import { fileTestApp } from '../support/app';

const t = await fileTestApp();

describe('transactions (api/db/sql.ts)', () => {
  it('a nested transaction joins the enclosing one: its hooks run when the outermost commits, not before', async () => {
    const ran: string[] = [];
    await begin(t.sql, async (tx) => {
      await transaction(tx, async (inner) => {
        afterCommit(inner, () => ran.push('inner'));
      });
      expect(ran).toEqual([]);
      afterCommit(tx, () => ran.push('outer'));
    });
    expect(ran).toEqual(['inner', 'outer']);
  });

  it('runs no hook of a transaction that rolls back', async () => {
    const ran: string[] = [];
    await expect(
      begin(t.sql, async (tx) => {
        afterCommit(tx, () => ran.push('rolled back'));
        throw new Error('the work failed');
      }),
    ).rejects.toThrow('the work failed');
    expect(ran).toEqual([]);
  });

  it('drops the hooks of a savepoint rolled back, and keeps the rest', async () => {
    const ran: string[] = [];
    await begin(t.sql, async (tx) => {
      afterCommit(tx, () => ran.push('before'));
      await expect(
        savepoint(tx, async (sp) => {
          afterCommit(sp, () => ran.push('undone'));
          throw new Error('this row is refused');
        }),
      ).rejects.toThrow('this row is refused');
      await savepoint(tx, async (sp) => afterCommit(sp, () => ran.push('kept')));
    });
    expect(ran).toEqual(['before', 'kept']);
  });

  it("runs the work's first statement inside the transaction, sent with its begin: a rollback undoes it", async () => {
    await t.sql`create table if not exists transaction_probe (id text primary key)`;
    await expect(
      begin(t.sql, async (tx) => {
        await tx`insert into transaction_probe (id) values ('first statement')`;
        throw new Error('the work failed');
      }),
    ).rejects.toThrow('the work failed');
    expect(await t.sql`select id from transaction_probe`).toHaveLength(0);

    const [first, last] = await begin(t.sql, async (tx) => {
      const [a] = await tx<{ at: Date }[]>`select transaction_timestamp() as at`;
      await tx`select pg_sleep(0.01)`;
      await tx`insert into transaction_probe (id) values ('committed')`;
      const [b] = await tx<{ at: Date }[]>`select transaction_timestamp() as at`;
      return [a!.at, b!.at];
    });
    // One transaction from the first statement on (each statement would otherwise start its own).
    expect(last.getTime()).toBe(first.getTime());
    expect((await t.sql`select id from transaction_probe`).map((r) => r.id)).toEqual(['committed']);
  });

  it('answers the error of a first statement that fails, and leaves the connection usable', async () => {
    await expect(begin(t.sql, async (tx) => tx`select 1 / 0`)).rejects.toThrow(/division by zero/);
    expect(await begin(t.sql, async (tx) => (await tx`select 2 as two`)[0]!.two)).toBe(2);
  });

  it('runs a hook at once outside a transaction', () => {
    let ran = false;
    afterCommit(t.sql, () => (ran = true));
    expect(ran).toBe(true);
  });

  it('runs statements sent together in the order they were made, and answers the first failure', async () => {
    await t.sql`create table if not exists in_order_probe (id text primary key, n int not null)`;
    const [, , read] = await begin(t.sql, (tx) =>
      inOrder(
        tx`insert into in_order_probe (id, n) values ('a', 1)`,
        tx`update in_order_probe set n = n + 1 where id = 'a'`,
        tx<{ n: number }[]>`select n from in_order_probe where id = 'a'`,
      ),
    );
    expect(read[0]!.n).toBe(2);

    // The second fails (a duplicate key); the third, after it in an aborted transaction, fails too.
    const failed = await begin(t.sql, (tx) =>
      inOrder(
        tx`insert into in_order_probe (id, n) values ('b', 1)`,
        tx`insert into in_order_probe (id, n) values ('a', 1)`,
        tx`insert into in_order_probe (id, n) values ('c', 1)`,
      ),
    ).then(
      () => undefined,
      (error: { code?: string }) => error,
    );
    expect(failed?.code).toBe('23505');
    expect((await t.sql<{ id: string }[]>`select id from in_order_probe order by id`).map((r) => r.id)).toEqual(['a']);
    // The connection is usable afterwards.
    expect(await begin(t.sql, (tx) => tx`select 1 as one`)).toEqual([{ one: 1 }]);
  });
  it('sends a write settled at commit without waiting for it; its failure rolls the transaction back with its error', async () => {
    await t.sql`create table if not exists settled_probe (id text primary key)`;
    const ran: string[] = [];
    await begin(t.sql, async (tx) => {
      await settledAtCommit(tx, tx`insert into settled_probe (id) values ('a')`);
      afterCommit(tx, () => ran.push('committed'));
    });
    expect(ran).toEqual(['committed']);

    // It fails (a duplicate key) after the work is done: nothing of the transaction commits.
    const failed = await begin(t.sql, async (tx) => {
      await tx`insert into settled_probe (id) values ('b')`;
      await settledAtCommit(tx, tx`insert into settled_probe (id) values ('a')`);
      afterCommit(tx, () => ran.push('rolled back'));
      return 'answered';
    }).then(
      () => undefined,
      (error: { code?: string }) => error,
    );
    expect(failed?.code).toBe('23505');
    expect(ran).toEqual(['committed']);

    // A statement of the work sent after it fails as the transaction is aborted; the cause is answered.
    const cause = await begin(t.sql, async (tx) => {
      await settledAtCommit(tx, tx`insert into settled_probe (id) values ('a')`);
      await tx`insert into settled_probe (id) values ('c')`;
    }).then(
      () => undefined,
      (error: { code?: string }) => error,
    );
    expect(cause?.code).toBe('23505');
    expect((await t.sql<{ id: string }[]>`select id from settled_probe order by id`).map((r) => r.id)).toEqual(['a']);

    // Inside a savepoint it is the savepoint's: its failure undoes that part only.
    await begin(t.sql, async (tx) => {
      await expect(
        savepoint(tx, async (sp) => {
          await settledAtCommit(sp, sp`insert into settled_probe (id) values ('a')`);
        }),
      ).rejects.toMatchObject({ code: '23505' });
      await settledAtCommit(tx, tx`insert into settled_probe (id) values ('d')`);
    });
    expect((await t.sql<{ id: string }[]>`select id from settled_probe order by id`).map((r) => r.id)).toEqual([
      'a',
      'd',
    ]);
    // Outside a transaction it is the statement itself.
    await expect(settledAtCommit(t.sql, t.sql`insert into settled_probe (id) values ('a')`)).rejects.toMatchObject({
      code: '23505',
    });
  });
  it('fails a transaction whose work carried on past a failed statement: the server answered its commit as a rollback', async () => {
    await t.sql`create table if not exists swallowed_probe (id text primary key)`;
    const outcome = await begin(t.sql, async (tx) => {
      await tx`insert into swallowed_probe (id) values ('lost')`;
      await tx`select 1 / 0`.catch(() => undefined);
      return 'answered';
    }).then(
      (value) => value,
      (error: Error) => error.message,
    );
    expect(outcome).toMatch(/ROLLBACK, not COMMIT/);
    expect(await t.sql`select id from swallowed_probe`).toHaveLength(0);
  });

  it.runIf(inject('databaseMode') === 'postgres')(
    'never lets a write settled at commit run outside its transaction when the server has lost its prepared statement',
    async () => {
      await t.sql`create table if not exists resent_probe (id text primary key, at text)`;
      const write = (tx: typeof t.sql, id: string) => tx`insert into resent_probe (id, at) values (${id}, 'x')`;
      // Prepared on every connection of the pool first, then deallocated inside the transaction:
      // the driver resends the statement after the server's error.
      for (let i = 0; i < 12; i++) await begin(t.sql, (tx) => write(tx, `warm-${i}`));
      const outcome = await begin(t.sql, async (tx) => {
        await tx`insert into resent_probe (id, at) values ('work', 'y')`;
        await tx.unsafe('deallocate all');
        await settledAtCommit(tx, write(tx, 'settled'));
        return 'answered';
      }).then(
        (value) => value,
        (error: { code?: string }) => error.code ?? 'failed',
      );
      const rows = (await t.sql<{ id: string }[]>`select id from resent_probe where id in ('work', 'settled')`).map(
        (r) => r.id,
      );
      // Either both committed or neither did: never the settled write alone.
      expect(outcome === 'answered' ? rows.sort() : rows).toEqual(outcome === 'answered' ? ['settled', 'work'] : []);
    },
  );
  it.runIf(inject('databaseMode') === 'postgres')(
    'keeps out of the pool a connection the server ended while the work failed',
    async () => {
      const sql = createSql(process.env.DATABASE_URL!, { max: 1 });
      try {
        const failed = await begin(sql, async (tx) => {
          const [row] = await tx<{ pid: number }[]>`select pg_backend_pid() as pid`;
          const pid = row!.pid;
          await t.sql`select pg_terminate_backend(${pid})`;
          // The work fails a moment later, for a reason of its own.
          await new Promise((resolve) => setTimeout(resolve, 50));
          throw new Error('the work failed');
        }).then(
          () => undefined,
          (error: Error) => error.message,
        );
        expect(failed).toBe('the work failed');
        // The pool's one connection is opened anew, not handed out dead.
        expect(await sql`select 1 as one`).toEqual([{ one: 1 }]);
      } finally {
        await sql.end({ timeout: 1 });
      }
    },
  );
});
