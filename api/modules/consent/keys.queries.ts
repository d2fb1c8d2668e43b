import type { Sql } from '../../db/sql';
import type { KeyPurpose } from '../../deps';

export interface SigningKeyRow {
  kid: string;
  purpose: KeyPurpose;
  public_jwk: Record<string, unknown>;
  private_jwk_encrypted: string;
  created_at: Date;
  retired_at: Date | null;
}

export async function findCurrentKey(sql: Sql, purpose: KeyPurpose): Promise<SigningKeyRow | undefined> {
  const [row] = await sql<
    SigningKeyRow[]
  >`select * from signing_keys where purpose = ${purpose} and retired_at is null`;
  return row;
}

export async function findKey(sql: Sql, kid: string): Promise<SigningKeyRow | undefined> {
  const [row] = await sql<SigningKeyRow[]>`select * from signing_keys where kid = ${kid}`;
  return row;
}

/** The current key and the one before it: what verifiers need to accept tokens still in flight. */
export function listPublishedKeys(sql: Sql, purpose: KeyPurpose): Promise<SigningKeyRow[]> {
  return sql<
    SigningKeyRow[]
  >`select * from signing_keys where purpose = ${purpose} order by retired_at is not null, created_at desc, retired_at desc limit 2`;
}

/** Inserts a new current key unless one exists (another instance may have won the race: then undefined). */
export async function insertCurrentKey(
  sql: Sql,
  row: Omit<SigningKeyRow, 'retired_at'>,
): Promise<SigningKeyRow | undefined> {
  const [inserted] = await sql<SigningKeyRow[]>`
    insert into signing_keys (kid, purpose, alg, public_jwk, private_jwk_encrypted, created_at)
    values (${row.kid}, ${row.purpose}, 'EdDSA', ${sql.json(row.public_jwk as never)}, ${row.private_jwk_encrypted}, ${row.created_at})
    on conflict (purpose) where retired_at is null do nothing
    returning *`;
  return inserted;
}

export async function retireCurrentKey(sql: Sql, purpose: KeyPurpose, at: Date): Promise<void> {
  await sql`update signing_keys set retired_at = ${at} where purpose = ${purpose} and retired_at is null`;
}
