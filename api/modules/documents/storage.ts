import type { DocumentStorage } from '../../deps';

export type { DocumentStorage } from '../../deps';

/** Document bytes in PostgreSQL (`document_blobs`), written in the caller's transaction. */
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
