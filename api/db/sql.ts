import type postgres from 'postgres';

export type Sql = postgres.Sql<Record<string, never>>;
export type TransactionSql = postgres.TransactionSql<Record<string, never>>;

/**
 * postgres.js 3.4 does not declare TransactionSql assignable to Sql although it supports the
 * same tagged-template calls; this is the one place that says so.
 */
export function asSql(tx: TransactionSql): Sql {
  return tx as unknown as Sql;
}

/** Runs `work` in a transaction; queries must use the handle it receives (PGlite has one connection). */
export function transaction<T>(sql: Sql, work: (tx: Sql) => Promise<T>): Promise<T> {
  return sql.begin((tx) => work(asSql(tx))) as Promise<T>;
}
