/**
 * imopenlines.config.list.get: lines as config.get answers them, with PARAMS select (names or
 * `{ALIAS: FIELD}`), order, filter (optional operators `=`, `!`, `>`, `>=`, `<`, `<=`, `%`
 * contains), limit (50 by default, 200 at most) and offset, and OPTIONS QUEUE / CONFIG_QUEUE /
 * CHECK_PERMISSION; each malformed part is 400 INVALID_FORMAT with its documented text. The answer
 * is a plain array (no total/next), as in the docs.
 */
import { fail } from '../../errors.ts';
import { defineMethod } from '../../rest/registry.ts';
import { c } from '../../rest/schema.ts';
import { listLines } from '../../domain/lines/lines.ts';
import type { Line } from '../../domain/lines/config.ts';
import { READ_FIELDS, wireLine, wireListQueue } from './config-wire.ts';

const bad = (text: string): never => fail('INVALID_FORMAT', text);
const FIELDS = new Set<string>(READ_FIELDS);
const PARAMS_KEYS = ['select', 'order', 'filter', 'limit', 'offset'];
const OPTIONS_KEYS = ['QUEUE', 'CONFIG_QUEUE', 'CHECK_PERMISSION'];
/** The actions CHECK_PERMISSION may name: reading lines (everyone with the scope) and changing them (administrators). */
const PERMISSION_ACTIONS = ['VIEW', 'MODIFY'];
const FILTER_OPS = ['>=', '<=', '!=', '=', '!', '>', '<', '%'] as const;

const isMap = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object';
const isScalar = (v: unknown) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
const entries = (v: unknown) => (Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(v as object));

/** A field name of select/order/filter: upper-cased and known, or the documented error. */
function fieldName(raw: unknown, part: string): string {
  if (typeof raw !== 'string' || !/^[A-Za-z][A-Za-z0-9_]*$/.test(raw.trim())) bad(`A wrong field name is passed in the PARAMS field '${part}'`);
  const name = (raw as string).trim().toUpperCase();
  if (!FIELDS.has(name)) bad(`An unknown field '${(raw as string).trim()}' is passed in the PARAMS field '${part}'`);
  return name;
}

/** limit / offset: a non-negative integer (a number or its digits), or the documented error. */
function count(v: unknown, part: string): number | undefined {
  if (v === undefined) return undefined;
  const ok = (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) || (typeof v === 'string' && /^\d{1,9}$/.test(v.trim()));
  if (!ok) bad(`A non-negative integer is expected in the PARAMS field '${part}'`);
  return Number(v);
}

interface Query {
  select: [alias: string, field: string][];
  order: [field: string, desc: boolean][];
  filter: { field: string; op: (typeof FILTER_OPS)[number]; value: unknown }[];
  limit: number;
  offset: number;
}

/** PARAMS read in the order the documented errors list them: keys, formats, counts, then names. */
function query(raw: unknown): Query {
  const p: Record<string, unknown> = {};
  if (isMap(raw)) for (const [k, v] of entries(raw)) p[k.toLowerCase()] = v;
  const extra = Object.keys(p).filter((k) => !PARAMS_KEYS.includes(k));
  if (extra.length) bad(`Unsupported PARAMS fields are passed: ${extra.join(', ')}`);
  for (const part of ['select', 'order', 'filter']) if (p[part] !== undefined && p[part] !== '' && !isMap(p[part])) bad(`A wrong format for the PARAMS field '${part}' is passed`);
  const limit = count(p.limit, 'limit');
  const offset = count(p.offset, 'offset') ?? 0;
  const select: Query['select'] = [];
  for (const [key, value] of isMap(p.select) ? entries(p.select) : []) {
    if (/^\d+$/.test(key)) {
      if (value === '*') select.push(...READ_FIELDS.map((f) => [f, f] as [string, string]));
      else { const f = fieldName(value, 'select'); select.push([f, f]); }
      continue;
    }
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) bad("A wrong field alias is passed in the PARAMS field 'select'");
    if (FIELDS.has(key.toUpperCase())) bad(`The alias '${key}' matches an existing field in the PARAMS field 'select'`);
    select.push([key, fieldName(value, 'select')]);
  }
  const order: Query['order'] = [];
  for (const [key, dir] of isMap(p.order) ? entries(p.order) : []) {
    const field = fieldName(key, 'order');
    const d = isScalar(dir) ? String(dir).trim().toUpperCase() : '';
    if (d !== 'ASC' && d !== 'DESC') bad("A wrong sorting direction is passed in the PARAMS field 'order'");
    order.push([field, d === 'DESC']);
  }
  const filter: Query['filter'] = [];
  for (const [key, value] of isMap(p.filter) ? entries(p.filter) : []) {
    const op = FILTER_OPS.find((o) => key.startsWith(o)) ?? '=';
    filter.push({ field: fieldName(key.startsWith(op) ? key.slice(op.length) : key, 'filter'), op, value });
  }
  return { select, order, filter, limit: Math.min(limit || 50, 200), offset };
}

/** OPTIONS: which queue parts to add, and whose lines CHECK_PERMISSION keeps. */
function options(raw: unknown): { queue: boolean; configQueue: boolean; permission?: string } {
  const o: Record<string, unknown> = {};
  if (isMap(raw)) for (const [k, v] of entries(raw)) o[k.toUpperCase()] = v;
  const extra = Object.keys(o).filter((k) => !OPTIONS_KEYS.includes(k));
  if (extra.length) bad(`Unsupported OPTIONS fields are passed: ${extra.join(', ')}`);
  const yes = (name: string) => {
    const v = o[name];
    if (v === undefined) return false;
    if (!isScalar(v)) bad(`A wrong format for the OPTIONS field '${name}' is passed`);
    return ['Y', 'TRUE', '1'].includes(String(v).toUpperCase());
  };
  const queue = yes('QUEUE');
  const configQueue = yes('CONFIG_QUEUE');
  let permission: string | undefined;
  if (o.CHECK_PERMISSION !== undefined && o.CHECK_PERMISSION !== '') {
    permission = isScalar(o.CHECK_PERMISSION) ? String(o.CHECK_PERMISSION).trim().toUpperCase() : '';
    if (!PERMISSION_ACTIONS.includes(permission)) bad("An unknown value for the OPTIONS field 'CHECK_PERMISSION' is passed");
  }
  return { queue, configQueue, permission };
}

/** The value a field is sorted and filtered by: the wire string, the time for the dates, JSON for lists. */
function valueOf(line: Line, wire: Record<string, unknown>, field: string): string {
  if (field === 'DATE_CREATE') return String(line.created_at);
  if (field === 'DATE_MODIFY') return String(line.modified_at);
  const v = wire[field];
  return typeof v === 'string' ? v : v === null ? '' : JSON.stringify(v);
}

const NUMBER = /^-?\d+(\.\d+)?$/;
/** Compare two field values: as numbers when both are, otherwise as text. */
function compare(a: string, b: string): number {
  return NUMBER.test(a) && NUMBER.test(b) ? Number(a) - Number(b) : a.localeCompare(b);
}

function matches(have: string, op: Query['filter'][number]['op'], want: unknown): boolean {
  const wants = (Array.isArray(want) ? want : isMap(want) ? Object.values(want) : [want]).map((w) => (w === null || w === undefined ? '' : String(w)));
  switch (op) {
    case '=': return wants.some((w) => compare(have, w) === 0);
    case '!': case '!=': return wants.every((w) => compare(have, w) !== 0);
    case '%': return wants.some((w) => have.toLowerCase().includes(w.toLowerCase()));
    case '>': return compare(have, wants[0] ?? '') > 0;
    case '>=': return compare(have, wants[0] ?? '') >= 0;
    case '<': return compare(have, wants[0] ?? '') < 0;
    case '<=': return compare(have, wants[0] ?? '') <= 0;
  }
}

defineMethod({
  name: 'imopenlines.config.list.get', scope: 'imopenlines', access: 'portal',
  params: { PARAMS: c.raw('object').map(query), OPTIONS: c.raw('object').map(options) },
  async handler(ctx, { PARAMS: q, OPTIONS: o }) {
    if (o.permission === 'MODIFY' && !ctx.user.is_admin) return [];
    let rows = (await listLines(ctx.portal.db)).map((line) => ({ line, wire: wireLine(line) }));
    rows = rows.filter((r) => q.filter.every((f) => matches(valueOf(r.line, r.wire, f.field), f.op, f.value)));
    const order = q.order.length ? q.order : [['ID', false] as [string, boolean]];
    rows.sort((a, b) => {
      for (const [field, desc] of order) {
        const d = compare(valueOf(a.line, a.wire, field), valueOf(b.line, b.wire, field));
        if (d) return desc ? -d : d;
      }
      return a.line.id - b.line.id;
    });
    const page = rows.slice(q.offset, q.offset + q.limit);
    return Promise.all(page.map(async ({ line, wire }) => {
      const shown = q.select.length ? Object.fromEntries(q.select.map(([alias, field]) => [alias, wire[field]])) : wire;
      return { ...shown, ...(await wireListQueue(ctx.portal, line, o.queue, o.configQueue)) };
    }));
  },
});
