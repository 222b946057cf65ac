/**
 * im.department.get, im.department.colleagues.list, im.department.managers.get and
 * im.department.employees.get: the department tree and its people, for intranet users (not bots).
 */
import { defineMethod, Page, slice, type CallContext } from '../../rest/registry.ts';
import { fail } from '../../errors.ts';
import { flag, int, pick, type Params } from '../../rest/params.ts';
import { activeUsers, colleaguesOf, employeesOf, fullDepartmentName, loadTree, type Department } from '../../domain/departments.ts';
import { findUsers } from '../../domain/users.ts';
import type { User } from '../../domain/types.ts';
import { wireUser } from '../wire.ts';
import { parseJsonInput } from '../../rest/json-input.ts';

/**
 * Ids from a parameter documented as "an array, or a string with a JSON array": `ID[]=1&ID[]=2`,
 * `{"ID":[1,2]}`, `ID=[1,2]`; a lone number is taken as a list of one. null when malformed.
 */
export function idList(p: Params, name: string): number[] | null {
  let v = pick(p, name);
  if (typeof v === 'string') {
    const s = v.trim();
    if (/^\d+$/.test(s)) v = [s];
    else {
      v = parseJsonInput(s);
      if (v === undefined) return null;
    }
  } else if (typeof v === 'number') v = [v];
  if (v && typeof v === 'object' && !Array.isArray(v)) v = Object.values(v);
  if (!Array.isArray(v) || v.length === 0) return null;
  const ids = v.map((x) => Number(x));
  if (ids.some((n) => !Number.isSafeInteger(n) || n <= 0)) return null;
  return [...new Set(ids)];
}

/** Bots (and, in Bitrix24, extranet users) may not read the company structure. */
export function requireIntranet(ctx: CallContext): void {
  if (ctx.user.is_bot) fail('ACCESS_ERROR', 'Only intranet users have access to this method.');
}

/** OFFSET/LIMIT as the department and search lists document them: LIMIT 10 by default, 50 at most. */
export function pageWindow(p: Params): { offset: number; limit: number } {
  const offset = Math.max(0, int(p, 'OFFSET'));
  const raw = int(p, 'LIMIT');
  return { offset, limit: raw > 0 ? Math.min(raw, 50) : 10 };
}

/** The department object of im.department.get and im.search.department.list. */
export function wireDepartment(ctx: CallContext, tree: Map<number, Department>, d: Department, heads: Map<number, User> | null): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: d.id,
    name: d.name,
    full_name: fullDepartmentName(tree, d.id),
    manager_user_id: d.head_user_id ?? 0,
  };
  if (heads) {
    const head = d.head_user_id ? heads.get(d.head_user_id) : undefined;
    out.manager_user_data = head ? wireUser(ctx.portal, head) : null;
  }
  return out;
}

/** The department objects of a list, with their heads' user objects when USER_DATA=Y. */
export async function wireDepartments(ctx: CallContext, tree: Map<number, Department>, list: Department[], userData: boolean) {
  const heads = userData ? await findUsers(ctx.portal.db, list.map((d) => d.head_user_id ?? 0)) : null;
  return list.map((d) => wireDepartment(ctx, tree, d, heads));
}

defineMethod({
  name: 'im.department.get', scope: 'im', access: 'portal',
  async handler(ctx, p) {
    requireIntranet(ctx);
    const ids = idList(p, 'ID');
    if (!ids) fail('INVALID_FORMAT', 'A wrong format for the ID field is passed');
    const tree = await loadTree(ctx.portal.db);
    const found = ids.map((id) => tree.get(id)).filter((d): d is Department => !!d);
    return wireDepartments(ctx, tree, found, flag(p, 'USER_DATA'));
  },
});

defineMethod({
  name: 'im.department.colleagues.list', scope: 'im', access: 'portal',
  async handler(ctx, p) {
    requireIntranet(ctx);
    const [tree, users] = await Promise.all([loadTree(ctx.portal.db), activeUsers(ctx.portal.db)]);
    const { offset, limit } = pageWindow(p);
    const { page, total, next } = slice(colleaguesOf(tree, users, ctx.user), offset, limit);
    const items = flag(p, 'USER_DATA') ? page.map((u) => wireUser(ctx.portal, u)) : page.map((u) => u.id);
    return new Page(items, total, next);
  },
});

/** Shared body of managers.get and employees.get: `{departmentId: [ids or user objects]}`. */
async function perDepartment(ctx: CallContext, p: Params, pickUsers: (d: Department, users: User[]) => User[]) {
  requireIntranet(ctx);
  const ids = idList(p, 'ID');
  if (!ids) fail('ID_EMPTY', "Department ID can't be empty");
  const [tree, users] = await Promise.all([loadTree(ctx.portal.db), activeUsers(ctx.portal.db)]);
  const userData = flag(p, 'USER_DATA');
  const out: Record<string, unknown[]> = {};
  for (const id of ids) {
    const d = tree.get(id);
    if (!d) continue;
    const people = pickUsers(d, users);
    out[String(id)] = userData ? people.map((u) => wireUser(ctx.portal, u)) : people.map((u) => u.id);
  }
  // Bitrix24 serialises an empty map as [].
  return Object.keys(out).length ? out : [];
}

defineMethod({
  name: 'im.department.managers.get', scope: 'im', access: 'portal',
  handler: (ctx, p) => perDepartment(ctx, p, (d, users) => users.filter((u) => u.id === d.head_user_id)),
});

defineMethod({
  name: 'im.department.employees.get', scope: 'im', access: 'portal',
  handler: (ctx, p) => perDepartment(ctx, p, (d, users) => employeesOf(users, d.id)),
});
