/**
 * The legacy task API's call conventions, shared by task.item.* and task.ctaskitem.*: positional
 * parameters (read by taskArg codecs), the error shape of its REST service, and task.item.list's
 * FILTER (with Bitrix24's key prefixes) and ORDER, compiled to a predicate and a comparator over tasks.
 */
import { RestError } from '../../errors.ts';
import type { Params } from '../../rest/params.ts';
import { Codec } from '../../rest/schema.ts';
import type { Task } from '../../domain/tasks.ts';
import { parseTaskDate } from '../../wire/dates.ts';
import type { User } from '../../domain/types.ts';

/**
 * An error of the task REST service: its TasksException texts reach the caller through an
 * application exception without an id, so core answers ERROR_CORE with the texts each ended by
 * `<br>`, and HTTP 400 (the exception carries no status of its own).
 */
export function tasksError(...texts: string[]): RestError {
  return new RestError('ERROR_CORE', texts.map((t) => `${t}<br>`).join(''), 400);
}

/** A parameter check failure (TasksException TE_WRONG_ARGUMENTS = 256), worded as the service words it. */
export function wrongArguments(message: string): RestError {
  return tasksError(`TASKS_ERROR_EXCEPTION_#256; ${message}; 256/TE/WRONG_ARGUMENTS`);
}

/** One positional parameter of a method: its public name and how the service describes it. */
export interface ArgSpec { name: string; description: string }

/**
 * The method's arguments. The service passes the parameters on by position — their names are
 * ignored, so `{"fields": {...}}` works for task.item.add — which is what Parley does unless the
 * call names them (ORDER, FILTER, … in any case): then each is taken by name, wherever it stands.
 */
export function argsOf(p: Params, specs: ArgSpec[], aliases: Record<string, string> = {}): unknown[] {
  const names = specs.map((s) => s.name.toUpperCase());
  const canonical = (k: string) => aliases[k.toUpperCase()] ?? k.toUpperCase();
  if (Object.keys(p).some((k) => names.includes(canonical(k)))) {
    const out = names.map(() => undefined as unknown);
    for (const [k, v] of Object.entries(p)) {
      const i = names.indexOf(canonical(k));
      if (i >= 0 && out[i] === undefined) out[i] = v;
    }
    return out;
  }
  return Object.values(p);
}

/**
 * An array-typed argument as the service checks it: absent gives {}, a scalar is refused, and the
 * `[0] => ''` left by `ORDER[]=` (the documented way to skip a parameter) is dropped.
 */
export function arrayArg(value: unknown, index: number, spec: ArgSpec, method: string): Record<string, unknown> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object') {
    throw wrongArguments(`Param #${index} (${spec.description}) for method ctaskitem::${method}() expected to be of type "array", but given something else.`);
  }
  const obj: Record<string, unknown> = Array.isArray(value) ? Object.fromEntries(value.map((v, i) => [String(i), v])) : { ...(value as Record<string, unknown>) };
  if ('0' in obj && (obj['0'] === '' || obj['0'] === null || obj['0'] === false)) delete obj['0'];
  return obj;
}

/** Refuse a key the argument does not allow, with the service's message. */
export function badKey(index: number, spec: ArgSpec, method: string, key: string): never {
  throw wrongArguments(`Param #${index} (${spec.description}) for method ctaskitem::${method}() must not contain key "${key}".`);
}

/**
 * One positional argument of `ctaskitem::<method>` as a codec: found by argsOf (by name or by place,
 * whatever name it is declared under), checked as arrayArg checks it and handed to `parse` with the
 * refusal of a key it does not allow. `required`: absent is the service's "expected …, but not given".
 */
export function taskArg<T>(
  specs: ArgSpec[], index: number, method: string,
  parse: (value: Record<string, unknown>, refuse: (key: string) => never) => T,
  opts: { required?: boolean; aliases?: Record<string, string> } = {},
): Codec<T> {
  const spec = specs[index];
  return new Codec<T>('array', (p) => {
    const raw = argsOf(p, specs, opts.aliases)[index];
    if (raw === undefined && opts.required) {
      throw wrongArguments(`Param #${index} (${spec.description}) expected by method ctaskitem::${method}(), but not given.`);
    }
    return parse(arrayArg(raw, index, spec, method), (key) => badKey(index, spec, method, key));
  }, !!opts.required, 'ERROR_CORE');
}

/** What FILTER and ORDER look at: the task, the STATUS its viewer sees, and its people. */
export interface TaskView { task: Task; status: number; responsible?: User }

type Value = number | string | null | number[];
type Kind = 'num' | 'str' | 'date' | 'list' | 'any';

/**
 * The documented filterable fields. Those Parley does not model read as Bitrix24 reads a task that
 * never had them: no group (0), no parent, no tags or co-workers, flags off, site s1.
 */
const FIELDS: Record<string, [Kind, (v: TaskView) => Value]> = {
  ID: ['num', (v) => v.task.id],
  PARENT_ID: ['num', () => null],
  GROUP_ID: ['num', () => 0],
  CREATED_BY: ['num', (v) => v.task.createdBy],
  RESPONSIBLE_ID: ['num', (v) => v.task.responsibleId],
  CHANGED_BY: ['num', (v) => v.task.createdBy],
  STATUS_CHANGED_BY: ['num', (v) => v.task.createdBy],
  PRIORITY: ['num', (v) => v.task.priority],
  FORUM_TOPIC_ID: ['num', () => null],
  TIME_ESTIMATE: ['num', () => 0],
  STATUS: ['num', (v) => v.status],
  REAL_STATUS: ['num', (v) => v.task.status],
  TITLE: ['str', (v) => v.task.title],
  RESPONSIBLE_NAME: ['str', (v) => v.responsible?.name ?? ''],
  GUID: ['str', (v) => taskGuid(v.task)],
  SITE_ID: ['str', () => 's1'],
  MARK: ['str', () => null],
  XML_ID: ['str', () => null],
  ADD_IN_REPORT: ['str', () => 'N'],
  ALLOW_TIME_TRACKING: ['str', () => 'N'],
  ALLOW_CHANGE_DEADLINE: ['str', () => 'N'],
  MATCH_WORK_TIME: ['str', () => 'N'],
  FAVORITE: ['str', () => 'N'],
  DEADLINE: ['date', (v) => v.task.deadline],
  CREATED_DATE: ['date', (v) => v.task.createdAt],
  CHANGED_DATE: ['date', (v) => v.task.changedAt],
  CLOSED_DATE: ['date', (v) => v.task.closedAt],
  DATE_START: ['date', () => null],
  START_DATE_PLAN: ['date', () => null],
  END_DATE_PLAN: ['date', () => null],
  ACCOMPLICE: ['list', () => []],
  AUDITOR: ['list', () => []],
  TAG: ['list', () => []],
  DEPENDS_ON: ['list', () => []],
  // Every Parley task is a root task.
  ONLY_ROOT_TASKS: ['any', () => null],
};

/** The sortable fields (ID and the documented ORDER keys). */
const SORTABLE = ['ID', 'TITLE', 'DATE_START', 'CREATED_DATE', 'CHANGED_DATE', 'CLOSED_DATE', 'DEADLINE', 'START_DATE_PLAN',
  'STATUS', 'REAL_STATUS', 'PRIORITY', 'MARK', 'CREATED_BY', 'RESPONSIBLE_ID', 'GROUP_ID', 'TIME_ESTIMATE',
  'ALLOW_CHANGE_DEADLINE', 'ALLOW_TIME_TRACKING', 'MATCH_WORK_TIME', 'FAVORITE'];

/** A GUID that stays the same for a task, in Bitrix24's `{XXXXXXXX-…}` form. */
export function taskGuid(t: Task): string {
  const hex = [t.id, t.createdAt, t.createdBy, t.id * 7919].map((n) => (Math.abs(n) >>> 0).toString(16).padStart(8, '0').slice(-8)).join('').toUpperCase();
  return `{${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}}`;
}

// `%` is the SQL LIKE wildcard and `_` one character; matching is case-insensitive like MySQL's collation.
function like(value: string, pattern: string): boolean {
  const rx = pattern.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.');
  return new RegExp(`^${rx}$`, 's').test(value.toLowerCase());
}

/** A filter value as the field's kind reads it; null means "empty" (IS NULL in the SQL). */
function wantedOf(kind: Kind, raw: unknown): number | string | null {
  if (raw === null || raw === undefined || raw === false || raw === '') return null;
  if (kind === 'date') return raw === 0 || raw === '0' ? null : parseTaskDate(raw);
  if (kind === 'num' || kind === 'list') {
    const m = /^\s*([+-]?\d+)/.exec(String(raw));
    return m ? Number(m[1]) : 0;
  }
  return typeof raw === 'boolean' ? 'Y' : String(raw);
}

function compare(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).toLowerCase().localeCompare(String(b).toLowerCase());
}

const PREFIXES = ['!><', '><', '!=', '!%', '>=', '<=', '=', '%', '?', '>', '<', '!'];

/**
 * Compile FILTER to a predicate. Keys carry the documented prefixes (`!`, `<`, `<=`, `>`, `>=`, and
 * the service's `=`, `!=`, `%`, `!%`, `?`, `><`, `!><`); a list value means any of them. Strings
 * without a prefix match as SQL LIKE (`%`, `_`), `%` is a substring; dates compare as instants; an
 * empty value (``, 0 for dates) matches tasks without one, so `<DEADLINE` never matches a task
 * without a deadline. An unknown field is refused as the service refuses it.
 */
export function compileFilter(filter: Record<string, unknown>, fail: (key: string) => never): (v: TaskView) => boolean {
  const conds: Array<(v: TaskView) => boolean> = [];
  for (const [key, raw] of Object.entries(filter)) {
    const prefix = PREFIXES.find((p) => key.startsWith(p)) ?? '';
    const field = key.slice(prefix.length).toUpperCase();
    const def = FIELDS[field];
    if (!def) fail(key);
    const [kind, read] = def;
    if (kind === 'any') continue;
    const negate = prefix.startsWith('!');
    const op = negate ? prefix.slice(1) : prefix;
    const list = Array.isArray(raw) ? raw : raw && typeof raw === 'object' ? Object.values(raw) : [raw];
    // The service turns PARENT_ID 0 / "NULL" into "no parent".
    const wanted = list.map((x) => (field === 'PARENT_ID' && ['0', 'NULL', 'null'].includes(String(x)) ? null : wantedOf(kind, x)));
    conds.push((v) => {
      const value = read(v);
      const haves: Array<number | string | null> = Array.isArray(value) ? value : [value];
      let hit: boolean;
      if (op === '><') {
        const [lo, hi] = wanted;
        hit = lo != null && hi != null && haves.some((h) => h !== null && compare(h, lo) >= 0 && compare(h, hi) <= 0);
      } else {
        hit = wanted.some((w) => {
          if (w === null) return haves.length === 0 || haves.some((h) => h === null || h === '');
          return haves.some((h) => h !== null && test(kind, op, h, w));
        });
      }
      return negate ? !hit : hit;
    });
  }
  return (v) => conds.every((c) => c(v));
}

function test(kind: Kind, op: string, have: number | string, want: number | string): boolean {
  switch (op) {
    case '%': case '?': return String(have).toLowerCase().includes(String(want).toLowerCase());
    case '<': return compare(have, want) < 0;
    case '<=': return compare(have, want) <= 0;
    case '>': return compare(have, want) > 0;
    case '>=': return compare(have, want) >= 0;
    case '': return kind === 'str' ? like(String(have), String(want)) : compare(have, want) === 0;
    default: return compare(have, want) === 0;
  }
}

/**
 * Compile ORDER ({field: 'asc'|'desc'}, in order of precedence; anything but `asc` sorts descending,
 * as the task module reads it) to a comparator. An empty value sorts lowest, as in MySQL; ties and an
 * empty ORDER fall back to ID descending, the documented default.
 */
export function compileOrder(order: Record<string, unknown>, fail: (key: string) => never): (a: TaskView, b: TaskView) => number {
  const keys: Array<[(v: TaskView) => Value, number]> = [];
  for (const [key, dir] of Object.entries(order)) {
    const field = key.toUpperCase();
    if (!SORTABLE.includes(field)) fail(key);
    keys.push([FIELDS[field][1], String(dir).toLowerCase() === 'asc' ? 1 : -1]);
  }
  return (a, b) => {
    for (const [read, sign] of keys) {
      const x = read(a) as number | string | null, y = read(b) as number | string | null;
      const c = x === y ? 0 : x === null ? -1 : y === null ? 1 : compare(x, y);
      if (c) return sign * c;
    }
    return b.task.id - a.task.id;
  };
}
