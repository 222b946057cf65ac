/**
 * Which numbers can name a row. Ids are `serial` on PostgreSQL (src/store/migration-kit.ts: 32-bit),
 * and a larger number in a WHERE fails there with "out of range for type integer" (a 500), while
 * SQLite just finds nothing. Finders check with `isRowId` first, so a caller's id past the range is
 * simply "not found" on both backends.
 */

/** The largest id a `withId` column holds on either dialect (PostgreSQL's `serial`). */
export const MAX_ROW_ID = 2_147_483_647;

/** Whether `id` is a positive integer a row id can be. */
export function isRowId(id: number): boolean {
  return Number.isInteger(id) && id > 0 && id <= MAX_ROW_ID;
}
