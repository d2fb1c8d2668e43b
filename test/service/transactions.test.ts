import { describe, expect, it } from 'vitest';

import { afterCommit, begin, savepoint, transaction } from '../../api/db/sql';
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

  it('runs a hook at once outside a transaction', () => {
    let ran = false;
    afterCommit(t.sql, () => (ran = true));
    expect(ran).toBe(true);
  });
});
