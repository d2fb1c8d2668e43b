import { equalsIfGiven, pageAfter, type PageArgs } from '../../db/fragments';
import type { Sql } from '../../db/sql';

export interface OrganizationRow {
  id: string;
  legal_name: string;
  nif: string;
  kind: string;
  status: string;
  colegio: string | null;
  registry: string | null;
  registration_number: string;
  practising: boolean | null;
  statutes_allow_representation: boolean | null;
  contact_email: string;
  verified_at: Date | null;
  verified_by: string | null;
  verification_note: string | null;
  suspended_at: Date | null;
  suspension_reason: string | null;
  created_at: Date;
}

export type NewOrganization = Omit<
  OrganizationRow,
  'status' | 'verified_at' | 'verified_by' | 'verification_note' | 'suspended_at' | 'suspension_reason'
>;

/** Inserts unless the NIF is taken; answers undefined on a duplicate. */
export async function insertOrganization(sql: Sql, org: NewOrganization): Promise<OrganizationRow | undefined> {
  const rows = await sql<OrganizationRow[]>`
    insert into organizations (id, legal_name, nif, kind, colegio, registry, registration_number, practising,
      statutes_allow_representation, contact_email, created_at, updated_at)
    values (${org.id}, ${org.legal_name}, ${org.nif}, ${org.kind}, ${org.colegio}, ${org.registry}, ${org.registration_number},
      ${org.practising}, ${org.statutes_allow_representation}, ${org.contact_email}, ${org.created_at}, ${org.created_at})
    on conflict (nif) do nothing
    returning *`;
  return rows[0];
}

export async function findOrganization(sql: Sql, id: string): Promise<OrganizationRow | undefined> {
  const [row] = await sql<OrganizationRow[]>`select * from organizations where id = ${id}`;
  return row;
}

/**
 * The organisation, share-locked until the transaction ends: its status and standing cannot change
 * (a suspension's update of the row waits) until what was decided on them has committed.
 */
export async function findOrganizationForShare(sql: Sql, id: string): Promise<OrganizationRow | undefined> {
  const [row] = await sql<OrganizationRow[]>`select * from organizations where id = ${id} for share`;
  return row;
}

export async function findOrganizationIdByNif(sql: Sql, nif: string): Promise<string | undefined> {
  const [row] = await sql<{ id: string }[]>`select id from organizations where nif = ${nif}`;
  return row?.id;
}

export async function listOrganizations(sql: Sql, args: { status?: string } & PageArgs): Promise<OrganizationRow[]> {
  return sql<OrganizationRow[]>`
    select * from organizations
    where true ${equalsIfGiven(sql, 'status', args.status)}
      ${pageAfter(sql, { at: 'created_at', id: 'id' }, args)}`;
}

export async function markVerified(
  sql: Sql,
  verification: { id: string; by: string; note: string; at: Date },
): Promise<OrganizationRow | undefined> {
  const { id, by, note, at } = verification;
  const [row] = await sql<OrganizationRow[]>`
    update organizations set status = 'verified', verified_at = ${at}, verified_by = ${by}, verification_note = ${note},
      updated_at = ${at}, version = version + 1
    where id = ${id} and status = 'pending_verification'
    returning *`;
  return row;
}

export async function markSuspended(
  sql: Sql,
  suspension: { id: string; reason: string; at: Date },
): Promise<OrganizationRow | undefined> {
  const { id, reason, at } = suspension;
  const [row] = await sql<OrganizationRow[]>`
    update organizations set status = 'suspended', suspended_at = ${at}, suspension_reason = ${reason}, updated_at = ${at}, version = version + 1
    where id = ${id} and status <> 'suspended'
    returning *`;
  return row;
}

/** Reinstating returns the organisation to where it was before: verified if it had been, pending otherwise. */
export async function markReinstated(sql: Sql, id: string, at: Date): Promise<OrganizationRow | undefined> {
  const [row] = await sql<OrganizationRow[]>`
    update organizations
    set status = case when verified_at is not null then 'verified' else 'pending_verification' end,
        suspended_at = null, suspension_reason = null, updated_at = ${at}, version = version + 1
    where id = ${id} and status = 'suspended'
    returning *`;
  return row;
}
