/**
 * Which numbers can name a row. Ids are 64-bit on both backends (bigserial on PostgreSQL since
 * migration 0018), but a caller's number is a JavaScript double: past 2^53 it is no longer the
 * number sent, and past 2^63 PostgreSQL fails the query ("out of range", a 500) where SQLite just
 * finds nothing. Finders check with `isRowId` first, so such an id is simply "not found" on both.
 */

/** The largest id a caller's number names exactly. */
export const MAX_ROW_ID = Number.MAX_SAFE_INTEGER;

/** Whether `id` is a positive integer a row id can be. */
export function isRowId(id: number): boolean {
  return Number.isSafeInteger(id) && id > 0;
}
