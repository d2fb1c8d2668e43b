import type { Sql, SqlFragment } from '../../db/sql';

/**
 * Where document bytes live. PostgreSQL by default (written in the caller's transaction, so a
 * failed upload leaves nothing behind); an object store can implement the same three calls.
 */
export interface DocumentStorage {
  put(sql: Sql, key: string, bytes: Uint8Array): Promise<void>;
  get(sql: Sql, key: string): Promise<Uint8Array | undefined>;
  /** When the bytes live in the database: an expression for those of the document row `d`, read in the same statement. */
  contentOf?(sql: Sql): SqlFragment;
}

export const postgresStorage: DocumentStorage = {
  async put(sql, key, bytes) {
    await sql`insert into document_blobs (storage_key, content) values (${key}, ${bytes})`;
  },
  async get(sql, key) {
    const [row] = await sql<{ content: Uint8Array }[]>`select content from document_blobs where storage_key = ${key}`;
    return row ? new Uint8Array(row.content) : undefined;
  },
  contentOf(sql) {
    return sql`(select b.content from document_blobs b where b.storage_key = d.storage_key)`;
  },
};
