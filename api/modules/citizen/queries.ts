import type { Sql } from '../../db/sql';

export async function findCitizenIdNumber(sql: Sql, citizenId: string): Promise<string | undefined> {
  const [row] = await sql<{ id_number: string }[]>`select id_number from citizens where id = ${citizenId}`;
  return row?.id_number;
}
