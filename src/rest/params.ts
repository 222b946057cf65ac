/**
 * Readers for method parameters. Clients send the same thing as a form string (`"Y"`, `"12"`,
 * `USERS[0]=1`) or as JSON (`true`, `12`, `[1]`); these accept every spelling a Bitrix24 method does.
 */
import { fail, type ErrorCode } from '../errors.ts';

/** A method's parameters after PHP-style parsing and normalisation. */
export type Params = Record<string, unknown>;

/** Look a key up case-insensitively: Bitrix24 methods upper-case their parameter names. */
export function pick(p: Params, name: string): unknown {
  if (Object.hasOwn(p, name)) return p[name];
  const lower = name.toLowerCase();
  for (const k of Object.keys(p)) if (k.toLowerCase() === lower) return p[k];
  return undefined;
}

/** A string parameter ('' when absent; numbers are stringified). */
export function str(p: Params, name: string): string {
  const v = pick(p, name);
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return '';
  return String(v);
}

/** An integer parameter, or 0 when absent or not a number (as PHP's intval). */
export function int(p: Params, name: string): number {
  const v = pick(p, name);
  if (typeof v === 'number') return Math.trunc(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  const m = /^\s*([+-]?\d+)/.exec(String(v ?? ''));
  return m ? Number(m[1]) : 0;
}

/** A Y/N flag: `Y`, `true`, `1` are yes; absent gives `fallback`. */
export function flag(p: Params, name: string, fallback = false): boolean {
  const v = pick(p, name);
  if (v === undefined || v === null || v === '') return fallback;
  if (typeof v === 'boolean') return v;
  return ['y', 'yes', 'true', '1'].includes(String(v).toLowerCase());
}

/** A nested object parameter, or {} when absent or scalar. */
export function obj(p: Params, name: string): Params {
  const v = pick(p, name);
  if (Array.isArray(v)) return Object.fromEntries(v.map((x, i) => [String(i), x]));
  return v && typeof v === 'object' ? (v as Params) : {};
}

/** A list parameter from a JSON array, a PHP indexed array, or a single scalar. */
export function list(p: Params, name: string): unknown[] {
  const v = pick(p, name);
  if (v === undefined || v === null || v === '') return [];
  if (Array.isArray(v)) return v;
  if (typeof v === 'object') return Object.values(v as object);
  return [v];
}

/** A required string: throws the given error code when empty. */
export function required(p: Params, name: string, code: ErrorCode, description?: string): string {
  const v = str(p, name).trim();
  if (!v) fail(code, description);
  return v;
}

/** Whether the parameter was sent at all (even empty). */
export function has(p: Params, name: string): boolean {
  return pick(p, name) !== undefined;
}
