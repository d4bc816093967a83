// Keyset paging newest first on (createdAt, id): the cursor in a page's URL, the condition it puts on a query, and one page with its neighbours.
import { firstValue, type UrlQuery } from "@/lib/url-query";

export type Keyset<Id> = { createdAt: Date; id: Id };

/** "older": the rows after `from` in newest-first order; "newer": the rows before it. */
export type PageRequest<Id> = { direction: "older" | "newer"; from: Keyset<Id> };

export type KeysetOrder = [{ createdAt: "asc" | "desc" }, { id: "asc" | "desc" }];

/** The condition for rows strictly older (or newer) than `from`, in the shape of a Prisma `where`. */
export type KeysetWhere<Id> = {
  AND: [{ createdAt: { lte: Date } | { gte: Date } }, { OR: [{ createdAt: { lt: Date } | { gt: Date } }, { createdAt: Date; id: { lt: Id } | { gt: Id } }] }];
};

/** `<milliseconds since 1970>-<id>`: short, readable, and nothing in it needs escaping. */
export function encodeKeyset(key: Keyset<string | bigint>): string {
  return `${key.createdAt.getTime()}-${key.id}`;
}

const CURSOR = /^(\d{1,16})-(.{1,64})$/;
// The largest instant a JavaScript Date holds.
const MAX_TIME = 8.64e15;

export const INVALID_PAGE_LINK = "This page link is not valid (it may have been cut off); showing the newest entries.";

/**
 * The page asked for by `?older=` or `?newer=`. Anything that is not a cursor this app wrote — garbage,
 * a number past any date, an id of the wrong form, both directions at once — gives the first page and
 * a message, never an error from the database.
 */
export function readPageRequest<Id>(query: UrlQuery, parseId: (text: string) => Id | undefined): { page: PageRequest<Id> | null; error?: string } {
  const older = firstValue(query.older);
  const newer = firstValue(query.newer);
  if (!older && !newer) return { page: null };
  if (older && newer) return { page: null, error: INVALID_PAGE_LINK };
  const match = CURSOR.exec(older || newer);
  const time = match ? Number(match[1]) : Number.NaN;
  const id = match ? parseId(match[2]) : undefined;
  if (!match || !(time <= MAX_TIME) || id === undefined) return { page: null, error: INVALID_PAGE_LINK };
  return { page: { direction: older ? "older" : "newer", from: { createdAt: new Date(time), id } } };
}

/** Rows strictly older than `from` in (createdAt, id) order, or strictly newer. */
export function keysetWhere<Id>(direction: "older" | "newer", from: Keyset<Id>): KeysetWhere<Id> {
  const { createdAt, id } = from;
  // The redundant bound on createdAt alone lets the index start at the cursor instead of filtering every newer row.
  return direction === "older"
    ? { AND: [{ createdAt: { lte: createdAt } }, { OR: [{ createdAt: { lt: createdAt } }, { createdAt, id: { lt: id } }] }] }
    : { AND: [{ createdAt: { gte: createdAt } }, { OR: [{ createdAt: { gt: createdAt } }, { createdAt, id: { gt: id } }] }] };
}

const NEWEST_FIRST: KeysetOrder = [{ createdAt: "desc" }, { id: "desc" }];
const OLDEST_FIRST: KeysetOrder = [{ createdAt: "asc" }, { id: "asc" }];

export type KeysetPage<Row, Id> = { rows: Row[]; newer: Keyset<Id> | null; older: Keyset<Id> | null };

/**
 * One page of `size` rows newest first, with the cursors of the pages either side (null where there
 * is none). Each read starts at its cursor in the index, so the hundredth page costs what the first does;
 * whether a neighbour exists is one more single-row read.
 */
export async function readKeysetPage<Row, Id>(
  request: PageRequest<Id> | null,
  size: number,
  fetch: (keyset: KeysetWhere<Id> | undefined, orderBy: KeysetOrder, take: number) => Promise<Row[]>,
  keyOf: (row: Row) => Keyset<Id>,
): Promise<KeysetPage<Row, Id>> {
  const exists = async (direction: "older" | "newer", from: Keyset<Id>) =>
    (await fetch(keysetWhere(direction, from), direction === "older" ? NEWEST_FIRST : OLDEST_FIRST, 1)).length > 0;

  if (request?.direction === "newer") {
    const ascending = await fetch(keysetWhere("newer", request.from), OLDEST_FIRST, size + 1);
    if (ascending.length > size) {
      const rows = ascending.slice(0, size).reverse();
      const oldest = keyOf(rows[rows.length - 1]);
      return { rows, newer: keyOf(rows[0]), older: (await exists("older", oldest)) ? oldest : null };
    }
    // Less than a page left above the cursor: that is the first page, shown whole.
    request = null;
  }
  const fetched = await fetch(request ? keysetWhere("older", request.from) : undefined, NEWEST_FIRST, size + 1);
  const rows = fetched.slice(0, size);
  const older = fetched.length > size ? keyOf(rows[rows.length - 1]) : null;
  if (!request) return { rows, newer: null, older };
  // A cursor past the last row leaves an empty page; its "newer" link still leads back if anything is there.
  const newest = rows.length ? keyOf(rows[0]) : request.from;
  return { rows, newer: (await exists("newer", newest)) ? newest : null, older };
}
