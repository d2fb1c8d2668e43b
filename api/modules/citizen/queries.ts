import type { Sql } from '../../db/sql';
import { newId } from '../../lib/ids';

/** The citizen's pseudonymous id (`cit_…`), created the first time anyone refers to their id number. */
export async function ensureCitizen(sql: Sql, idNumber: string, name: string | null, now: Date): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into citizens (id, id_number, name, created_at) values (${newId('cit')}, ${idNumber}, ${name}, ${now})
    on conflict (id_number) do update set name = coalesce(citizens.name, excluded.name)
    returning id`;
  return row!.id;
}

export async function findCitizenIdNumber(sql: Sql, citizenId: string): Promise<string | undefined> {
  const [row] = await sql<{ id_number: string }[]>`select id_number from citizens where id = ${citizenId}`;
  return row?.id_number;
}
