import { equalsIfGiven, pageAfter, type PageArgs } from '../../db/fragments';
import type { Sql } from '../../db/sql';

export interface AgencyKeyRow {
  id: string;
  managing_body: string;
  office: string;
  region: string | null;
  display_prefix: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const AGENCY_KEY_COLUMNS = (sql: Sql) =>
  sql`id, managing_body, office, region, display_prefix, created_at, last_used_at, revoked_at`;

export async function insertAgencyKey(
  sql: Sql,
  k: {
    id: string;
    managing_body: string;
    office: string;
    region: string | null;
    secret_hash: string;
    display_prefix: string;
    created_at: Date;
    created_by: string;
  },
): Promise<AgencyKeyRow> {
  const [row] = await sql<AgencyKeyRow[]>`
    insert into agency_keys (id, managing_body, office, region, secret_hash, display_prefix, created_at, created_by)
    values (${k.id}, ${k.managing_body}, ${k.office}, ${k.region}, ${k.secret_hash}, ${k.display_prefix}, ${k.created_at}, ${k.created_by})
    returning ${AGENCY_KEY_COLUMNS(sql)}`;
  return row!;
}

export async function listAgencyKeys(sql: Sql, args: { managingBody?: string } & PageArgs): Promise<AgencyKeyRow[]> {
  return sql<AgencyKeyRow[]>`
    select ${AGENCY_KEY_COLUMNS(sql)} from agency_keys
    where true ${equalsIfGiven(sql, 'managing_body', args.managingBody)}
      ${pageAfter(sql, { at: 'created_at', id: 'id' }, args)}`;
}

/** Revokes the key (no-op if it already was): the key as it is now, or undefined if there is none. */
export async function revokeAgencyKey(sql: Sql, id: string, at: Date): Promise<AgencyKeyRow | undefined> {
  const [row] = await sql<AgencyKeyRow[]>`
    with revoked as (
      update agency_keys set revoked_at = ${at} where id = ${id} and revoked_at is null
      returning ${AGENCY_KEY_COLUMNS(sql)}
    )
    select * from revoked
    union all
    select ${AGENCY_KEY_COLUMNS(sql)} from agency_keys where id = ${id} and not exists (select 1 from revoked)`;
  return row;
}
