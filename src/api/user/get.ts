/**
 * user.get: the portal's people as Bitrix24's `user` scope lists them — string IDs, a filter with
 * Bitrix24's key prefixes (`>ID`, `%NAME`, `!@UF_DEPARTMENT`, …), SORT/ORDER, 50 per page.
 */
import { defineMethod, paginate, type User } from '../../rest/registry.ts';
import type { Params } from '../../rest/params.ts';
import { c } from '../../rest/schema.ts';
import { isoDate } from '../../rest/envelope.ts';
import { listPeople } from '../../domain/users.ts';

type Scalar = string | number;

/** The filterable fields and how each reads from a user row (everything compares as string or number). */
const FIELDS: Record<string, (u: User) => Scalar | number[]> = {
  ID: (u) => u.id,
  ACTIVE: (u) => (u.active ? 'Y' : 'N'),
  NAME: (u) => u.name,
  LAST_NAME: (u) => u.last_name,
  EMAIL: (u) => u.email,
  WORK_POSITION: (u) => u.work_position,
  PERSONAL_GENDER: (u) => u.gender,
  UF_DEPARTMENT: (u) => JSON.parse(u.departments) as number[],
  // No presence tracking yet: everyone counts as online, as user.current says.
  IS_ONLINE: () => 'Y',
  // Bots never reach this list, and there is no extranet: every listed user is an employee.
  USER_TYPE: () => 'employee',
};

/** The user object of user.get, with the field names and value types Bitrix24 sends. */
function wireUser(u: User): Record<string, unknown> {
  const birthday = /^\d{4}-\d\d-\d\d/.exec(u.birthday)?.[0];
  return {
    ID: String(u.id), XML_ID: '', ACTIVE: !!u.active, NAME: u.name, LAST_NAME: u.last_name, SECOND_NAME: '',
    EMAIL: u.email, LAST_LOGIN: '',
    // core's convertDate(): a date field is midnight with the offset.
    DATE_REGISTER: `${isoDate(u.created_at).slice(0, 10)}T00:00:00+00:00`,
    TIME_ZONE: '', IS_ONLINE: 'Y', PERSONAL_GENDER: u.gender, PERSONAL_WWW: u.personal_www,
    PERSONAL_BIRTHDAY: birthday ? `${birthday}T00:00:00+00:00` : '',
    WORK_POSITION: u.work_position, UF_EMPLOYMENT_DATE: '',
    UF_DEPARTMENT: JSON.parse(u.departments) as number[], USER_TYPE: 'employee',
  };
}

/** PHP truthiness as core's prepareUserValue applies it to ACTIVE / IS_ONLINE filter values. */
const yn = (v: unknown) => (v === false || v === null || v === '' || v === '0' || v === 0 || v === 'N' ? 'N' : 'Y');

// `%` is the SQL LIKE wildcard (and `_` one character); matching is case-insensitive like MySQL's collation.
function like(value: string, pattern: string): boolean {
  const rx = pattern.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.');
  return new RegExp(`^${rx}$`, 's').test(value.toLowerCase());
}

function compare(a: Scalar, b: Scalar): number {
  if (typeof a === 'number') return a - (Number(b) || 0);
  return String(a).toLowerCase().localeCompare(String(b).toLowerCase());
}

/**
 * One filter entry → a predicate. The key prefix is split off as core does (`/^(\W{1,2})(.+)/`);
 * without a prefix a string field matches LIKE-style (docs: `{"NAME": "Iv%"}`), a list means IN.
 */
function condition(rawKey: string, value: unknown): ((u: User) => boolean) | null {
  const m = /^(\W{1,2})(.+)$/.exec(rawKey);
  let op = m ? m[1] : '';
  const field = (m ? m[2] : rawKey).toUpperCase();
  if (field === 'FIND' || field === 'NAME_SEARCH') {
    // Quick search by personal data: a substring of the first, last or full name.
    const needle = (typeof value === 'object' ? '' : String(value ?? '')).trim().toLowerCase();
    return (u) => [u.name, u.last_name, `${u.name} ${u.last_name}`].some((s) => s.toLowerCase().includes(needle));
  }
  const read = FIELDS[field];
  if (!read) return null; // core silently drops fields it does not allow
  if (!op && (field === 'ACTIVE' || field === 'USER_TYPE')) op = '=';
  const negate = op.startsWith('!');
  const base = negate ? op.slice(1) : op;
  let wanted: Scalar[] = (Array.isArray(value) ? value : typeof value === 'object' && value ? Object.values(value) : [value])
    .filter((v): v is Scalar | boolean => v !== null && v !== undefined && typeof v !== 'object')
    .map((v) => (typeof v === 'boolean' ? (v ? 'Y' : '') : v));
  if (field === 'ACTIVE' || field === 'IS_ONLINE') wanted = wanted.map(yn);
  const test = (have: Scalar, want: Scalar): boolean => {
    switch (base) {
      case '%': return String(have).toLowerCase().includes(String(want).toLowerCase());
      case '=%': case '%=': return like(String(have), String(want));
      case '>': return compare(have, want) > 0;
      case '<': return compare(have, want) < 0;
      case '>=': return compare(have, want) >= 0;
      case '<=': return compare(have, want) <= 0;
      // No prefix: strings match LIKE-style, numbers and list elements exactly.
      case '': return typeof have === 'string' ? like(have, String(want)) : compare(have, want) === 0;
      default: return compare(have, want) === 0;
    }
  };
  return (u) => {
    const v = read(u);
    const haves: Scalar[] = Array.isArray(v) ? v : [v];
    const hit = haves.some((h) => wanted.some((w) => test(h, w)));
    return negate ? !hit : hit;
  };
}

/**
 * core: with a FILTER array that is the filter; otherwise every top-level param is a candidate
 * filter field (so `{"UF_DEPARTMENT": 1, "SORT": "ID"}` works). ADMIN_MODE changes nothing here.
 */
function userFilter(filter: unknown, params: Params): (u: User) => boolean {
  const source = filter && typeof filter === 'object' ? (Array.isArray(filter) ? { ...filter } : (filter as Params)) : params;
  const conds = Object.entries(source).map(([k, v]) => condition(k, v)).filter((c) => c !== null);
  return (u) => conds.every((c) => c(u));
}

/**
 * SORT (a field) + ORDER (asc/desc) apply only together, as in core's prepareUserGetOrder; anything
 * else — including the `order: {ID: 'ASC'}` object the JS SDK's list helpers send — means ID ascending.
 */
function sorter(sort: string, order: string): (a: User, b: User) => number {
  const both = sort !== '' && order !== '';
  const field = both ? sort.toUpperCase() : 'ID';
  const dir = both ? order : 'asc';
  const read = FIELDS[field] ?? FIELDS.ID;
  const sign = dir.toLowerCase() === 'desc' ? -1 : 1;
  return (a, b) => {
    const x = read(a), y = read(b);
    const c = Array.isArray(x) || Array.isArray(y) ? 0 : compare(x, y);
    return sign * c || a.id - b.id;
  };
}

defineMethod({
  name: 'user.get', scope: 'user', access: 'portal',
  params: {
    // The filter reads the whole call when FILTER is not an object: see userFilter.
    FILTER: c.raw('object').map((f, _ctx, p) => userFilter(f, p), 'object'),
    SORT: c.string(),
    ORDER: c.string(),
    // SELECT narrows the fields; without it, or with `*`, all of them.
    SELECT: c.list().map((l) => l.map((s) => String(s).toUpperCase())),
  },
  async handler(ctx, { FILTER: keep, SORT, ORDER, SELECT: select }) {
    // Filtering in memory keeps one code path for both dialects (departments are a JSON column).
    // Bots are users in the store, but Bitrix24's user.get never lists them.
    const users = (await listPeople(ctx.portal.db)).filter(keep).sort(sorter(SORT, ORDER));
    const project = select.length && !select.includes('*')
      ? (u: Record<string, unknown>) => Object.fromEntries(Object.entries(u).filter(([k]) => select.includes(k)))
      : (u: Record<string, unknown>) => u;
    const page = paginate(users.map((u) => project(wireUser(u))), ctx.start);
    // core returns an empty page bare, with no `total` (prepareUserGetResult).
    return (page.items as unknown[]).length ? page : [];
  },
});
