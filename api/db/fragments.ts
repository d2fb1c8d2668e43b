import type { Sql } from './sql';

/**
 * Whose rows a query may see: `and <alias>.organization_id = … and <alias>.livemode = … and <alias>.citizen_id = …`,
 * each condition only when its value is given. Tenant isolation, stated once.
 */
export function ownedBy(
  sql: Sql,
  alias: string,
  who: { organizationId?: string; livemode?: boolean; citizenId?: string },
) {
  return sql`
    ${who.organizationId !== undefined ? sql`and ${sql(`${alias}.organization_id`)} = ${who.organizationId}` : sql``}
    ${who.livemode !== undefined ? sql`and ${sql(`${alias}.livemode`)} = ${who.livemode}` : sql``}
    ${who.citizenId !== undefined ? sql`and ${sql(`${alias}.citizen_id`)} = ${who.citizenId}` : sql``}`;
}

/** Keyset pagination: `and (<at>, <id>) > (cursor)`, the rows after the cursor in `order by <at>, <id>`. */
export function afterCursor(sql: Sql, columns: { at: string; id: string }, after: [string, string] | undefined) {
  return after ? sql`and (${sql(columns.at)}, ${sql(columns.id)}) > (${after[0]}::timestamptz, ${after[1]})` : sql``;
}
