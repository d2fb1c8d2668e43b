import { z } from '@hono/zod-openapi';

import type { PageArgs } from '../db/fragments';
import { base64UrlDecode, base64UrlEncode } from '../lib/encoding';
import { ProblemError } from './problem';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export const paginationQuery = {
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_SIZE)
    .default(DEFAULT_PAGE_SIZE)
    .openapi({ description: `Page size, 1 to ${MAX_PAGE_SIZE}.`, example: 20 }),
  cursor: z
    .string()
    .max(512)
    .optional()
    .openapi({ description: "Opaque cursor from a previous page's `next_cursor`." }),
};

/** The list envelope every collection answers with. */
export function pageSchema<T extends z.ZodType>(item: T, name: string) {
  return z
    .object({
      data: z.array(item),
      has_more: z.boolean(),
      next_cursor: z
        .string()
        .nullable()
        .openapi({ description: 'Pass as `cursor` to get the next page; null on the last page.' }),
    })
    .openapi(name);
}

export type CursorKey = readonly (string | number)[];

/** Cursors are opaque to clients: the keyset position, tagged with the list it belongs to. */
export function encodeCursor(list: string, key: CursorKey): string {
  return base64UrlEncode(new TextEncoder().encode(JSON.stringify([list, ...key])));
}

export function decodeCursor(list: string, cursor: string, arity: number): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(base64UrlDecode(cursor)));
  } catch {
    parsed = null;
  }
  if (
    !Array.isArray(parsed) ||
    parsed[0] !== list ||
    parsed.length !== arity + 1 ||
    !parsed.slice(1).every((v) => typeof v === 'string' || typeof v === 'number')
  ) {
    throw new ProblemError('invalid_cursor', 'The cursor is not valid for this list.', {
      errors: [
        { pointer: '/cursor', in: 'query', detail: 'Use the next_cursor value of a previous page of this same list.' },
      ],
    });
  }
  return parsed.slice(1).map(String);
}

/**
 * Builds a page from rows fetched with `LIMIT limit + 1`: the extra row only tells whether
 * another page exists.
 */
export function toPage<Row, Item>(
  rows: readonly Row[],
  limit: number,
  list: string,
  keyOf: (row: Row) => CursorKey,
  map: (row: Row) => Item,
): { data: Item[]; has_more: boolean; next_cursor: string | null } {
  const has_more = rows.length > limit;
  const pageRows = has_more ? rows.slice(0, limit) : rows;
  const last = pageRows[pageRows.length - 1];
  return {
    data: pageRows.map(map),
    has_more,
    next_cursor: has_more && last !== undefined ? encodeCursor(list, keyOf(last)) : null,
  };
}

/**
 * A page of a list in `(created_at, id)` order: reads the query's cursor, fetches the rows after
 * it (`limit + 1` of them, for `toPage`) and builds the page.
 */
export async function createdPage<Row extends { created_at: Date; id: string }, Item>(
  list: string,
  query: { limit: number; cursor?: string },
  fetch: (page: PageArgs) => Promise<readonly Row[]>,
  map: (row: Row) => Item,
): Promise<{ data: Item[]; has_more: boolean; next_cursor: string | null }> {
  const after = query.cursor ? (decodeCursor(list, query.cursor, 2) as [string, string]) : undefined;
  const rows = await fetch({ after, limit: query.limit });
  return toPage(rows, query.limit, list, (r) => [r.created_at.toISOString(), r.id], map);
}
