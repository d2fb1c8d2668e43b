import { z } from '@hono/zod-openapi';

import type { PageArgs } from '../db/fragments';
import type { SecretBox } from '../lib/crypto-box';
import { isInstantInRange } from '../lib/dates';
import { base64UrlDecode, base64UrlEncode } from '../lib/encoding';
import { isId } from '../lib/ids';
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

/**
 * The list envelope every collection answers with, one object in the document (the SDK pages
 * through a response whose properties include `has_more`). `nextCursor` replaces the description of
 * `next_cursor` for a list whose cursor means more.
 */
export function pageSchema<T extends z.ZodType>(
  item: T,
  name: string,
  nextCursor = 'Pass as `cursor` to get the next page; null on the last page.',
) {
  return z
    .object({
      data: z.array(item),
      has_more: z.boolean(),
      next_cursor: z.string().nullable().openapi({ description: nextCursor }),
    })
    .openapi(name);
}

export type CursorKey = readonly (string | number)[];

/** Cursors are opaque to clients: the keyset position, tagged with the list it belongs to. */
export function encodeCursor(list: string, key: CursorKey): string {
  return base64UrlEncode(new TextEncoder().encode(JSON.stringify([list, ...key])));
}

const INT4_MAX = 2_147_483_647;

/** A non-negative integer no larger than `max`, as a JSON number or as the digits `encodeCursor` wrote for a bigint. */
function nonNegativeInteger(value: unknown, max: number): boolean {
  const n =
    typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : NaN;
  return Number.isSafeInteger(n) && n >= 0 && n <= max;
}

/**
 * What each position of a cursor may hold, checked as it is decoded: a cursor is the client's
 * input, and a forged position must be refused as an invalid cursor, not reach a query that fails.
 */
const CURSOR_POSITIONS = {
  /** An instant exactly as `toISOString` writes it, in the years the API accepts. */
  timestamp: (v: unknown) => {
    if (typeof v !== 'string') return false;
    const at = new Date(v);
    return isInstantInRange(at) && at.toISOString() === v;
  },
  /** A Puente id (`prc_…`, see `newId`). */
  id: (v: unknown) => typeof v === 'string' && isId(v),
  /** A `bigint` sequence number: a safe non-negative integer. */
  bigint: (v: unknown) => nonNegativeInteger(v, Number.MAX_SAFE_INTEGER),
  /** An `integer` column's value, such as a row number. */
  integer: (v: unknown) => nonNegativeInteger(v, INT4_MAX),
} satisfies Record<string, (value: unknown) => boolean>;

export type CursorPosition = keyof typeof CURSOR_POSITIONS;
/** The positions of a list's cursor, in order. */
export type CursorShape = readonly CursorPosition[];

/** The key of a list in `(created_at, id)` order (see `createdPage`). */
export const CREATED_KEY = ['timestamp', 'id'] as const satisfies CursorShape;
/** The key of a list in the order of a `bigint` sequence. */
export const SEQUENCE_KEY = ['bigint'] as const satisfies CursorShape;

/**
 * The positions of a cursor of `list`, each checked against its `shape` (`1` is short for
 * `SEQUENCE_KEY`); a cursor of another list, of another shape or with a forged position is
 * `invalid_cursor`. The positions come back as strings.
 */
export function decodeCursor(list: string, cursor: string, shape: 1): [string];
export function decodeCursor<const S extends CursorShape>(
  list: string,
  cursor: string,
  shape: S,
): { -readonly [K in keyof S]: string };
export function decodeCursor(list: string, cursor: string, shape: CursorShape | 1): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(base64UrlDecode(cursor)));
  } catch {
    parsed = null;
  }
  return cursorPositions(list, parsed, shape);
}

/** The positions of a parsed cursor of `list`, checked against its shape (see `decodeCursor`). */
function cursorPositions(list: string, parsed: unknown, shape: CursorShape | 1): string[] {
  const positions = shape === 1 ? SEQUENCE_KEY : shape;
  if (
    !Array.isArray(parsed) ||
    parsed[0] !== list ||
    parsed.length !== positions.length + 1 ||
    !positions.every((position, i) => CURSOR_POSITIONS[position](parsed[i + 1]))
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
 * A cursor whose position the client must neither read nor choose: sealed with AES-GCM
 * (`SecretBox`), so it tells nothing and cannot be forged. For a list whose position is not the
 * client's own data, such as the event feed's platform-wide sequence: with a cursor it could
 * write, a client could search the sequence for the place of each of its events, and learn the
 * whole platform's event volume between them. `list` names the list and whose it is (the feed of
 * one organisation in one mode), so a cursor opens only where it was given.
 */
export function sealCursor(box: SecretBox, list: string, key: CursorKey): Promise<string> {
  return box.seal(JSON.stringify([list, ...key]));
}

/**
 * The positions of a cursor `sealCursor` made for `list` (see `decodeCursor`). Anything else, a
 * cursor of another list or owner, an altered one, or one in the readable form such lists gave
 * before they were sealed, is `invalid_cursor`, saying to start again without one.
 */
export async function openCursor(box: SecretBox, list: string, cursor: string, shape: 1): Promise<[string]>;
export async function openCursor(
  box: SecretBox,
  list: string,
  cursor: string,
  shape: CursorShape | 1,
): Promise<string[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await box.open(cursor));
  } catch {
    parsed = null;
  }
  try {
    return cursorPositions(list, parsed, shape);
  } catch {
    throw new ProblemError('invalid_cursor', 'The cursor is not valid for this list.', {
      errors: [
        {
          pointer: '/cursor',
          in: 'query',
          detail:
            'Use the next_cursor value of a previous page of this same list, as it was given. A cursor saved before this list sealed its cursors no longer opens: start again without one.',
        },
      ],
    });
  }
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
  const after = query.cursor ? decodeCursor(list, query.cursor, CREATED_KEY) : undefined;
  const rows = await fetch({ after, limit: query.limit });
  return toPage(rows, query.limit, list, (r) => [r.created_at.toISOString(), r.id], map);
}
