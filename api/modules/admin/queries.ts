import type { Sql } from '../../db/sql';

export async function insertAgencyKey(
  sql: Sql,
  k: {
    id: string;
    managing_body: string;
    office: string;
    secret_hash: string;
    display_prefix: string;
    created_at: Date;
    created_by: string;
  },
): Promise<{ id: string; managing_body: string; office: string; display_prefix: string; created_at: Date }> {
  const [row] = await sql<
    { id: string; managing_body: string; office: string; display_prefix: string; created_at: Date }[]
  >`
    insert into agency_keys (id, managing_body, office, secret_hash, display_prefix, created_at, created_by)
    values (${k.id}, ${k.managing_body}, ${k.office}, ${k.secret_hash}, ${k.display_prefix}, ${k.created_at}, ${k.created_by})
    returning id, managing_body, office, display_prefix, created_at`;
  return row!;
}
