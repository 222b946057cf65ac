/**
 * Paging and id lists: LAST_ID / FIRST_ID positions, OFFSET, LIMIT, and ID arrays.
 * Each reads the wire spelling once and fails with the documented code; generic codecs: src/rest/schema.ts.
 */
import { fail, type ErrorCode } from '../../errors.ts';
import { int, pick } from '../../rest/params.ts';
import { Codec } from '../../rest/schema.ts';
import { parseJsonInput } from '../../wire/json-input.ts';

/**
 * An id to page from (LAST_ID, FIRST_ID): undefined when absent or empty, `code` when it is not
 * digits (the English docs' LAST_ID_STRING, "Last ID can't be string").
 */
export function position(code: ErrorCode, description?: string): Codec<number | undefined> {
  return new Codec<number | undefined>('integer', (p, name) => {
    const raw = pick(p, name);
    if (raw === undefined || raw === null || raw === '') return undefined;
    if (!/^\s*\d+\s*$/.test(String(raw))) fail(code, description);
    return int(p, name);
  }, false, code);
}

/**
 * Ids from a parameter documented as "an array, or a string with a JSON array": `ID[]=1&ID[]=2`,
 * `{"ID":[1,2]}`, `ID=[1,2]`; a lone number is a list of one. Distinct, in order; `code` when
 * absent, empty or holding anything but positive ids (im.user.list.get, im.department.*).
 */
export function idList(code: ErrorCode, description?: string): Codec<number[]> {
  return new Codec<number[]>('array', (p, name) => {
    let v = pick(p, name);
    if (typeof v === 'string') {
      const s = v.trim();
      v = /^\d+$/.test(s) ? [s] : parseJsonInput(s);
    } else if (typeof v === 'number') v = [v];
    if (v && typeof v === 'object' && !Array.isArray(v)) v = Object.values(v);
    if (!Array.isArray(v) || v.length === 0) fail(code, description);
    const ids = v.map((x) => Number(x));
    if (ids.some((n) => !Number.isSafeInteger(n) || n <= 0)) fail(code, description);
    return [...new Set(ids)];
  }, true, code);
}

/** OFFSET of a list: the first item, 0 when absent or negative. */
export function offset(): Codec<number> {
  return new Codec<number>('integer', (p, name) => Math.max(0, int(p, name)));
}

/** LIMIT of a list: `fallback` when absent or not positive, at most `max` (each method documents both). */
export function pageSize(fallback: number, max: number): Codec<number> {
  return new Codec<number>('integer', (p, name) => {
    const n = int(p, name);
    return n > 0 ? Math.min(n, max) : fallback;
  });
}
