import type { Sql, SqlFragment } from './sql';

/** Whose rows a query may see (see `ownedBy`); each condition only when its value is given. */
export type Owner = { organizationId?: string; livemode?: boolean; citizenId?: string };

/** An organisation's test or live rows: both conditions always apply. */
export type OrganizationOwner = { organizationId: string; livemode: boolean };

/** One row by id, and whose it must be (see `ownedById`). */
type OwnedId = Owner & { id: string };

/** One page of a list (see `pageAfter`): the keyset position of the last row seen, and the page size. */
export type PageArgs = { after?: [string, string]; limit: number };

/**
 * Whose rows a query may see: `and <alias>.organization_id = … and <alias>.livemode = … and <alias>.citizen_id = …`,
 * each condition only when its value is given. Tenant isolation, stated once.
 */
export function ownedBy(sql: Sql, alias: string, who: Owner) {
  return sql`
    ${who.organizationId !== undefined ? sql`and ${sql(`${alias}.organization_id`)} = ${who.organizationId}` : sql``}
    ${who.livemode !== undefined ? sql`and ${sql(`${alias}.livemode`)} = ${who.livemode}` : sql``}
    ${who.citizenId !== undefined ? sql`and ${sql(`${alias}.citizen_id`)} = ${who.citizenId}` : sql``}`;
}

/** `where <alias>.id = …` and the owner's conditions (see `ownedBy`). */
export function ownedById(sql: Sql, alias: string, where: OwnedId) {
  return sql`where ${sql(`${alias}.id`)} = ${where.id} ${ownedBy(sql, alias, where)}`;
}

/** `and <column> = <value>` when a value is given, nothing otherwise: an optional filter. */
export function equalsIfGiven(sql: Sql, column: string, value: string | boolean | undefined) {
  return value === undefined ? sql`` : sql`and ${sql(column)} = ${value}`;
}

/** Keyset pagination: `and (<at>, <id>) > (cursor)`, the rows after the cursor in `order by <at>, <id>`. */
function afterCursor(sql: Sql, columns: { at: string; id: string }, after: [string, string] | undefined) {
  return after ? sql`and (${sql(columns.at)}, ${sql(columns.id)}) > (${after[0]}::timestamptz, ${after[1]})` : sql``;
}

/**
 * `limit n` with the number in the statement's text, not as a parameter: statements are planned
 * once per connection for any parameters (see `createSql`), and a plan made for an unknown limit
 * assumes a tenth of the table (at a million rows: a cost that compiled every execution).
 */
export function limitRows(sql: Sql, n: number) {
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`limit ${n} is not a positive integer`);
  return sql`limit ${sql.unsafe(String(n))}`;
}

/**
 * One keyset page in `order by <at>, <id>`: the rows after the cursor, and one row more than the
 * page, which only tells whether another page follows (see `toPage`).
 */
export function pageAfter(sql: Sql, columns: { at: string; id: string }, page: PageArgs) {
  return sql`${afterCursor(sql, columns, page.after)}
    order by ${sql(columns.at)}, ${sql(columns.id)}
    ${limitRows(sql, page.limit + 1)}`;
}

/**
 * A status filter where an `open` status (active, pending) lapses into `expired` once `current`
 * stops holding, before any job records it: `open` matches the rows still current, `expired` the
 * recorded and the lapsed ones, any other status the rows stored with it; none, every row.
 */
function lapsingStatusFilter(
  sql: Sql,
  column: string,
  filter: { status?: string; open: string; current: SqlFragment },
) {
  const stored = sql(column);
  if (!filter.status) return sql``;
  if (filter.status === filter.open) return sql`and ${stored} = ${filter.open} and ${filter.current}`;
  if (filter.status === 'expired')
    return sql`and (${stored} = 'expired' or (${stored} = ${filter.open} and not (${filter.current})))`;
  return sql`and ${stored} = ${filter.status}`;
}

/**
 * An owner's list whose status lapses (see `lapsingStatusFilter`): the `where` clause and one keyset
 * page in creation order, for the rows of `<alias>` with `<alias>.status`, `created_at` and `id`.
 */
export function ownedLapsingPage(
  sql: Sql,
  alias: string,
  args: Owner & PageArgs & { status?: string },
  lapse: { open: string; current: SqlFragment },
) {
  // A list states whose rows it shows: without an organisation or a citizen it would show everyone's.
  if (args.organizationId === undefined && args.citizenId === undefined)
    throw new Error('A list needs an organisation or a citizen to own its rows');
  return sql`
    where true
      ${ownedBy(sql, alias, args)}
      ${lapsingStatusFilter(sql, `${alias}.status`, { status: args.status, ...lapse })}
      ${pageAfter(sql, { at: `${alias}.created_at`, id: `${alias}.id` }, args)}`;
}
