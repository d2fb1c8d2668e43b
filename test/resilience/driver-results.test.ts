// Every query's rows come back in the driver's result array. postgres.js 3.4.9 built it as a
// subclass of Array, whose constructor V8 (Node 20) kept trying to optimize and never could: each
// attempt was dropped ("Bailed out due to dependency change") and retried for as long as queries
// ran, a compiler thread busy beside the server on every request. Patched in
// api/db/patches/postgres+3.4.9.patch: a plain array with the same fields.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createSql } from '../../api/db/client';
import type { Sql } from '../../api/db/sql';
import { openEmbedded } from '../../api/node/database';

const postgresUrl = process.env.DATABASE_URL;
let sql: Sql;
let close: () => Promise<void>;
beforeAll(async () => {
  if (postgresUrl) {
    const pool = createSql(postgresUrl, { max: 2 });
    sql = pool;
    close = () => pool.end({ timeout: 1 });
  } else {
    const db = await openEmbedded();
    sql = db.sql;
    close = () => db.close();
  }
});
afterAll(() => close());

describe("the driver's result", () => {
  it('is an array of the rows, with the command and the count beside them', async () => {
    const rows = await sql<{ n: number }[]>`select n from generate_series(1, 3) n`;
    expect(Array.isArray(rows)).toBe(true);
    expect(rows.map((r) => r.n)).toEqual([1, 2, 3]);
    expect(rows.command).toBe('SELECT');
    expect(rows.count).toBe(3);
    expect(rows.columns.map((c) => c.name)).toEqual(['n']);
    // The fields are not the rows': a response that serialises the rows shows only them.
    expect(Object.keys(rows)).toEqual(['0', '1', '2']);
    expect(JSON.stringify(rows)).toBe('[{"n":1},{"n":2},{"n":3}]');
    expect(rows.slice(1)).toEqual([{ n: 2 }, { n: 3 }]);
  });

  it.skipIf(!postgresUrl)(
    'is built by code the compiler optimizes once, not over and over',
    async () => {
      // 50 concurrent callers for 3 s, as a server under load, with V8's optimizer traced.
      const script = `
      import postgres from 'postgres';
      const sql = postgres(process.env.DATABASE_URL, { max: 10 });
      const until = performance.now() + 3000;
      let n = 0;
      await Promise.all(Array.from({ length: 50 }, async () => {
        while (performance.now() < until) { await sql\`select \${n}::int as n\`; n++; }
      }));
      await sql.end();
      console.log('queries ' + n);`;
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--trace-opt', '--input-type=module', '-e', script],
        { cwd: process.cwd(), env: { ...process.env, DATABASE_URL: postgresUrl }, maxBuffer: 64 * 1024 * 1024 },
      );
      expect(Number(/queries (\d+)/.exec(stdout)?.[1])).toBeGreaterThan(2_000);
      const dropped = stdout
        .split('\n')
        .filter((l) => /aborted optimizing .*<JSFunction (Result|ReadyForQuery) /.test(l));
      expect(dropped).toEqual([]);
    },
    30_000,
  );
});
