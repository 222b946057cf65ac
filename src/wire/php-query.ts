/**
 * PHP's query-string semantics, both ways: `parse_str` for what clients send (`ATTACH[0][MESSAGE]=x`,
 * `USERS[]=1`) and `http_build_query` for the event bodies PHP bots read from `$_REQUEST`.
 *
 * This faces the network before authentication, so it is linear in the input, applies PHP's own
 * `max_input_vars` and `max_input_nesting_level` (src/wire/limits.ts), and builds null-prototype
 * objects that never take `__proto__`, `constructor` or `prototype` keys.
 */
import { restError } from '../errors.ts';
import { FORBIDDEN_KEYS, MAX_INPUT_NESTING, MAX_INPUT_VARS } from './limits.ts';

/** A PHP array decoded from a query: nested plain objects, strings at the leaves. */
export type PhpValue = string | PhpArray | UploadedPart;
/** A PHP array as a JS object (keys are strings; list-ness is decided later, as json_encode does). */
export interface PhpArray { [key: string]: PhpValue }

/**
 * A multipart file part, streamed to a temporary file instead of held in memory. Methods that take
 * file content (`fileContent` of disk.folder.uploadfile) read it from `path`; it serialises as a
 * short marker, so logs never carry file bytes.
 */
export class UploadedPart {
  constructor(readonly path: string, readonly size: number, readonly filename: string) {}
  toJSON(): string {
    return `(file: ${this.size} bytes)`;
  }
}

/**
 * The prototype of every parsed object: frozen, with nothing enumerable and no prototype of its own,
 * so no key of a request can reach Object.prototype or change it. It holds no string keys at all and
 * only answers string and number conversions as PHP converts an array ("Array"; NaN as a number): a
 * bare null-prototype object would throw a TypeError in `String(x)` or `Number(x)` instead.
 */
export const PHP_ARRAY_PROTO: object = Object.freeze(Object.create(null, {
  // A symbol, not a `toString` key: an inherited read-only string key would make `obj.toString = v`
  // (a client's parameter named toString) throw.
  [Symbol.toPrimitive]: { value: (hint: string) => (hint === 'number' ? NaN : 'Array') },
}));

/** A new, empty PHP array: an object whose prototype chain never reaches Object.prototype. */
export function phpArray(): PhpArray {
  return Object.create(PHP_ARRAY_PROTO) as PhpArray;
}

/** Whether a key may be stored into a parsed object. */
export function isSafeKey(key: string): boolean {
  return !FORBIDDEN_KEYS.has(key);
}

function decode(s: string): string {
  if (!/[%+]/.test(s)) return s;
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    // PHP keeps malformed escapes as they are instead of failing.
    return unescape(s.replace(/\+/g, ' '));
  }
}

/**
 * `$a[] = …` appends at the array's next free integer key (one more than the largest integer key it
 * ever held). Tracked per array as keys are set, so an append costs O(1) instead of a scan of keys.
 */
const nextFree = new WeakMap<PhpArray, number>();

// PHP turns decimal strings without leading zeros into integer keys; larger ones than JS can hold
// exactly stay strings here (a difference no real client meets).
function integerKey(key: string): number | undefined {
  if (!/^(0|-?[1-9]\d{0,14})$/.test(key)) return undefined;
  return Number(key);
}

function setKey(node: PhpArray, key: string, value: PhpValue): void {
  node[key] = value;
  const n = integerKey(key);
  if (n !== undefined && n + 1 > (nextFree.get(node) ?? 0)) nextFree.set(node, n + 1);
}

/**
 * Split a PHP variable name into its base and bracket segments (`a[b][]` → `a`, `b`, ``), in one
 * pass. Throws when the name nests deeper than PHP's max_input_nesting_level.
 */
function keyPath(name: string): string[] | null {
  const open = name.indexOf('[');
  let base = open < 0 ? name : name.slice(0, open);
  const path: string[] = [];
  let at = open;
  while (at >= 0 && at < name.length && name[at] === '[') {
    const close = name.indexOf(']', at + 1);
    if (close < 0) {
      // An unclosed bracket makes PHP treat it as part of the name: `a[b` → `a_b`.
      if (path.length === 0) base = base + '_' + name.slice(at + 1);
      break;
    }
    if (path.length === MAX_INPUT_NESTING) {
      throw restError('INVALID_REQUEST', `Input variable nesting level exceeded ${MAX_INPUT_NESTING} (PHP's max_input_nesting_level)`);
    }
    path.push(name.slice(at + 1, close));
    at = close + 1;
  }
  // PHP drops leading spaces and rewrites '.', ' ' and '[' in the top-level name to '_'.
  base = base.replace(/^ +/, '').replace(/[. []/g, '_');
  if (!base) return null;
  return [base, ...path];
}

/**
 * Parse a query string or form body as PHP's `parse_str` does into `$_REQUEST`. More variables than
 * PHP's max_input_vars, or deeper names than its max_input_nesting_level, answer INVALID_REQUEST
 * (PHP would silently drop them, and a method would then act on part of what was sent).
 */
export function parseQuery(query: string, into: PhpArray = phpArray()): PhpArray {
  if (!query) return into;
  let count = 0;
  let from = 0;
  while (from <= query.length) {
    let to = query.indexOf('&', from);
    if (to < 0) to = query.length;
    if (to > from) {
      if (++count > MAX_INPUT_VARS) {
        throw restError('INVALID_REQUEST', `Input variables exceeded ${MAX_INPUT_VARS} (PHP's max_input_vars); send fewer parameters or split the call`);
      }
      const pair = query.slice(from, to);
      const eq = pair.indexOf('=');
      const name = decode(eq < 0 ? pair : pair.slice(0, eq));
      const value = eq < 0 ? '' : decode(pair.slice(eq + 1));
      assign(into, name, value);
    }
    from = to + 1;
  }
  return into;
}

/**
 * Assign one `name=value` pair (name in PHP bracket syntax) into a PHP array. A name with a
 * `__proto__`, `constructor` or `prototype` segment is dropped whole.
 */
export function assign(target: PhpArray, name: string, value: PhpValue): void {
  // A multipart part may come without a name: PHP skips it.
  if (typeof name !== 'string') return;
  const path = keyPath(name);
  if (!path || !path.every(isSafeKey)) return;
  let node = target;
  for (let i = 0; i < path.length; i++) {
    const key = path[i] === '' && i > 0 ? String(nextFree.get(node) ?? 0) : path[i];
    if (i === path.length - 1) {
      setKey(node, key, value);
    } else {
      const child = node[key];
      if (typeof child !== 'object' || child === null || child instanceof UploadedPart) setKey(node, key, phpArray());
      node = node[key] as PhpArray;
    }
  }
}

/**
 * Turn PHP arrays whose keys are exactly 0..n-1 into JS arrays, as `json_encode` decides list-ness,
 * so that handlers see the same structure whether a client sent a form or JSON. Objects come out
 * null-prototype without forbidden keys, whatever they went in as (JSON bodies too). Depth is bounded
 * by the parsers (MAX_INPUT_NESTING for forms, JSON_MAX_DEPTH for JSON) before this runs.
 */
export function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (value === null || typeof value !== 'object' || value instanceof UploadedPart) return value;
  const keys = Object.keys(value).filter(isSafeKey);
  const out = phpArray() as Record<string, unknown>;
  for (const k of keys) out[k] = normalize((value as Record<string, unknown>)[k]);
  if (keys.length > 0 && keys.every((k, i) => k === String(i))) return keys.map((k) => out[k]);
  return out;
}

function encode(s: string): string {
  // PHP's urlencode: RFC 1738, space as '+'.
  return encodeURIComponent(s).replace(/%20/g, '+').replace(/[!'()*~]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/**
 * Build a body as PHP's `http_build_query` does: nested keys in brackets, `true` → 1, `false` → 0;
 * `null`, `undefined` and empty arrays produce nothing.
 */
export function buildQuery(value: Record<string, unknown>, prefix = ''): string {
  const parts: string[] = [];
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  for (const [k, v] of entries) {
    const name = prefix ? `${prefix}[${k}]` : k;
    if (v === null || v === undefined) continue;
    if (typeof v === 'object') {
      const nested = buildQuery(v as Record<string, unknown>, name);
      if (nested) parts.push(nested);
    } else {
      const s = v === true ? '1' : v === false ? '0' : String(v);
      parts.push(`${encode(name)}=${encode(s)}`);
    }
  }
  return parts.join('&');
}
