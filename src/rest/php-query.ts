/**
 * PHP's query-string semantics, both ways: `parse_str` for what clients send (`ATTACH[0][MESSAGE]=x`,
 * `USERS[]=1`) and `http_build_query` for the event bodies PHP bots read from `$_REQUEST`.
 */

/** A PHP array decoded from a query: nested plain objects, strings at the leaves. */
export type PhpValue = string | PhpArray;
/** A PHP array as a JS object (keys are strings; list-ness is decided later, as json_encode does). */
export interface PhpArray { [key: string]: PhpValue }

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    // PHP keeps malformed escapes as they are instead of failing.
    return unescape(s.replace(/\+/g, ' '));
  }
}

// Next free integer key of a PHP array, as `$a[] = …` computes it.
function nextIndex(arr: PhpArray): string {
  let max = -1;
  for (const k of Object.keys(arr)) if (/^(0|-?[1-9]\d*)$/.test(k)) max = Math.max(max, Number(k));
  return String(max + 1);
}

/** Split a PHP variable name into its base and bracket segments (`a[b][]` → `a`, `b`, ``). */
function keyPath(name: string): string[] | null {
  const open = name.indexOf('[');
  let base = open < 0 ? name : name.slice(0, open);
  const path: string[] = [];
  let rest = open < 0 ? '' : name.slice(open);
  while (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) {
      // An unclosed bracket makes PHP treat it as part of the name: `a[b` → `a_b`.
      if (path.length === 0) base = base + '_' + rest.slice(1);
      break;
    }
    path.push(rest.slice(1, close));
    rest = rest.slice(close + 1);
  }
  // PHP rewrites '.', ' ' and '[' in the top-level name to '_'.
  base = base.replace(/[. []/g, '_');
  if (!base) return null;
  return [base, ...path];
}

/** Parse a query string or form body exactly as PHP's `parse_str` does into `$_REQUEST`. */
export function parseQuery(query: string, into: PhpArray = {}): PhpArray {
  if (!query) return into;
  for (const pair of query.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const name = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decode(pair.slice(eq + 1));
    assign(into, name, value);
  }
  return into;
}

/** Assign one `name=value` pair (name in PHP bracket syntax) into a PHP array. */
export function assign(target: PhpArray, name: string, value: PhpValue): void {
  const path = keyPath(name);
  if (!path) return;
  let node = target;
  for (let i = 0; i < path.length; i++) {
    const key = path[i] === '' && i > 0 ? nextIndex(node) : path[i];
    if (i === path.length - 1) {
      node[key] = value;
    } else {
      const child = node[key];
      if (typeof child !== 'object' || child === null) node[key] = {};
      node = node[key] as PhpArray;
    }
  }
}

/**
 * Turn PHP arrays whose keys are exactly 0..n-1 into JS arrays, as `json_encode` decides list-ness,
 * so that handlers see the same structure whether a client sent a form or JSON.
 */
export function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  const out: Record<string, unknown> = {};
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
