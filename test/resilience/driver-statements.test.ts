// The driver prepares each statement once per connection and finds it again, on every later
// execution, by what the statement is made of rather than by its text (patched in
// api/db/patches/postgres+3.4.9.patch): a call site's template, the fragments, identifiers and
// unsafe text nested in it, and the parameters' types. These tests hold that key to the text it
// stands for: whatever varies between two executions of one call site must give a different
// statement, never the one prepared for the other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createSql } from '../../api/db/client';
import type { Sql } from '../../api/db/sql';
import { openTestDatabase } from '../support/database';

const postgresUrl = process.env.DATABASE_URL;
let db: Awaited<ReturnType<typeof openTestDatabase>>;
let sql: Sql;
const sent: string[] = [];
beforeAll(async () => {
  db = await openTestDatabase({ debug: (_connection, query) => sent.push(query) });
  // One connection: every execution below meets the statements the earlier ones prepared.
  sql = postgresUrl ? createSql(db.url!, { max: 1, debug: (_connection, query) => sent.push(query) }) : db.sql;
});
afterAll(async () => {
  if (sql !== db.sql) await sql.end();
  await db.close();
});

type V = { v: unknown }[];

describe('statements found again by their shape', () => {
  it('an identifier that changes between executions of one call site changes the statement', async () => {
    const pick = (column: string) => sql<V>`select ${sql(column)} as v from (select 1 as a, 2 as b) t`;
    const seen = [];
    for (const column of ['a', 'b', 'a', 'b']) seen.push((await pick(column))[0]!.v);
    expect(seen).toEqual([1, 2, 1, 2]);
  });

  it('a nested fragment chosen per execution is the one executed', async () => {
    const value = (two: boolean) => sql<V>`select ${two ? sql`2` : sql`1`}::int as v`;
    const seen = [];
    for (const two of [false, true, false, true]) seen.push((await value(two))[0]!.v);
    expect(seen).toEqual([1, 2, 1, 2]);
  });

  it('an empty fragment and a fragment with a condition give different statements', async () => {
    const count = (odd: boolean) =>
      sql<V>`select count(*)::int as v from generate_series(1, 5) n where true ${odd ? sql`and n % 2 = 1` : sql``}`;
    const seen = [];
    for (const odd of [true, false, true, false]) seen.push((await count(odd))[0]!.v);
    expect(seen).toEqual([3, 5, 3, 5]);
  });

  it("unsafe text nested in a statement is part of it (a page's limit)", async () => {
    const firstN = (n: number) =>
      sql<V>`select count(*)::int as v from (select 1 from generate_series(1, 9) limit ${sql.unsafe(String(n))}) t`;
    const seen = [];
    for (const n of [2, 7, 2, 3]) seen.push((await firstN(n))[0]!.v);
    expect(seen).toEqual([2, 7, 2, 3]);
  });

  it("a parameter's type is part of the statement", async () => {
    // Sent as a timestamp, a boolean or untyped text, the same parameter comes back as what it was.
    const echo = (x: unknown) => sql<V>`select ${x as string} as v`;
    const seen = [];
    const values = [new Date('2026-01-01T00:00:00Z'), 'text', true, sql.json({ a: 1 }), 'text'];
    for (const x of values) seen.push((await echo(x))[0]!.v);
    expect(seen).toEqual([new Date('2026-01-01T00:00:00Z'), 'text', true, { a: 1 }, 'text']);
  });

  it('a list of fragments of changing length, and a helper whose text depends on its values after a parameter', async () => {
    // Fragments without parameters: the parameters' types alone would not tell the lengths apart.
    const sum = (parts: number[]) => sql<V>`select (0 ${parts.map(() => sql`+ 1`)})::int as v`;
    expect([(await sum([1, 2]))[0]!.v, (await sum([1]))[0]!.v, (await sum([1, 2, 3]))[0]!.v]).toEqual([2, 1, 3]);
    const among = (xs: number[]) =>
      sql<V>`select count(*)::int as v from generate_series(1, ${9}) n where n in ${sql(xs as unknown as string[])}`;
    expect([(await among([1, 2]))[0]!.v, (await among([4]))[0]!.v, (await among([1, 5, 9]))[0]!.v]).toEqual([2, 1, 3]);
  });

  it('one fragment used twice in a statement (as the consent gate uses its capacity) numbers its parameters apart', async () => {
    const twice = (x: number) => {
      const f = sql`${x}::int`;
      return sql<V>`select (${f} * 10 + ${f} + ${x + 1}::int)::int as v`;
    };
    expect([(await twice(1))[0]!.v, (await twice(2))[0]!.v, (await twice(3))[0]!.v]).toEqual([13, 25, 37]);
  });

  it('a statement the server no longer has is prepared again, and one with an undefined value fails alone', async () => {
    const value = (x: number) => sql<V>`select ${x}::int + 1 as v`;
    expect((await value(1))[0]!.v).toBe(2);
    await sql`deallocate all`;
    expect((await value(2))[0]!.v).toBe(3);
    await expect(sql`select ${undefined as unknown as string}::int as v`).rejects.toMatchObject({
      code: 'UNDEFINED_VALUE',
    });
    expect((await value(3))[0]!.v).toBe(4);
  });

  it('a describe reads the statement afresh, and executions after it still answer', async () => {
    const statement = (x: number) => sql<V>`select ${x}::int as v, 'x'::text as w`;
    expect((await statement(1))[0]!.v).toBe(1);
    const described = await statement(2).describe();
    expect(described.columns.map((c) => c.name)).toEqual(['v', 'w']);
    expect((await statement(3))[0]!.v).toBe(3);
  });

  it('the text observed on a repeated execution is the text that was prepared', async () => {
    const statement = (id: string) =>
      sql<V>`select ${id}::text as v from (select 1 as x) t ${sql`where ${sql('x')} is not null`}`;
    sent.length = 0;
    for (const id of ['p1', 'p2', 'p3']) {
      expect((await statement(id))[0]!.v).toBe(id);
      await sql`select 1 as x`; // a statement of another shape in between
    }
    const texts = sent.filter((s) => s.includes('::text as v'));
    expect(texts).toHaveLength(3);
    expect(new Set(texts).size).toBe(1);
    expect(texts[0]).toContain('where "x" is not null');
  });
});

describe.skipIf(!postgresUrl)('on PostgreSQL', () => {
  it('statements are known by their call site: one text from two call sites is two prepared statements', async () => {
    for (let i = 0; i < 3; i++) {
      await sql`select ${i}::int as puente_same_text`;
      await sql`select ${i}::int as puente_same_text`;
    }
    const [row] = await sql<{ n: number }[]>`
      select count(*)::int as n from pg_prepared_statements
      where statement like '%as puente_same_text' and statement not like '%pg_prepared_statements%'`;
    expect(row!.n).toBe(2);
  });

  it('a statement with nested fragments is prepared once and then only executed', async () => {
    const byName = (name: string) =>
      sql`select count(*) from pg_class where ${sql`relname = ${name}`} ${sql`and relkind = ${'r'}`}`;
    for (let i = 0; i < 6; i++) await byName(`puente_shape_${i}`);
    const rows = await sql<{ generic_plans: string }[]>`
      select generic_plans::text from pg_prepared_statements
      where statement like '%from pg_class where relname%relkind%' and statement not like '%pg_prepared_statements%'`;
    expect(rows).toEqual([{ generic_plans: '6' }]);
  });
});
