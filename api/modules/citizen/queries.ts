import type { Sql } from '../../db/sql';
import { newId } from '../../lib/ids';

export async function findCitizenIdNumber(sql: Sql, citizenId: string): Promise<string | undefined> {
  const [row] = await sql<{ id_number: string }[]>`select id_number from citizens where id = ${citizenId}`;
  return row?.id_number;
}
