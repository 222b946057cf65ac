/**
 * im.department.get, im.department.colleagues.list, im.department.managers.get and
 * im.department.employees.get: the department tree and its people, for intranet users (not bots).
 */
import { defineMethod, Page, slice, type CallContext } from '../../rest/registry.ts';
import { c } from '../../rest/schema.ts';
import { activeUsers, colleaguesOf, employeesOf, fullDepartmentName, loadTree, type Department } from '../../domain/departments.ts';
import { findUsers } from '../../domain/users.ts';
import type { User } from '../../domain/types.ts';
import { intranetCaller } from '../codecs/callers.ts';
import { idList, offset, pageSize } from '../codecs/lists.ts';
import { wireUser } from '../wire.ts';

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
  params: { _caller: intranetCaller(), ID: idList('INVALID_FORMAT', 'A wrong format for the ID field is passed'), USER_DATA: c.flag() },
  async handler(ctx, { ID: ids, USER_DATA: userData }) {
    const tree = await loadTree(ctx.portal.db);
    const found = ids.map((id) => tree.get(id)).filter((d): d is Department => !!d);
    return wireDepartments(ctx, tree, found, userData);
  },
});

defineMethod({
  name: 'im.department.colleagues.list', scope: 'im', access: 'portal',
  // OFFSET/LIMIT as the department and search lists document them: LIMIT 10 by default, 50 at most.
  params: { _caller: intranetCaller(), OFFSET: offset(), LIMIT: pageSize(10, 50), USER_DATA: c.flag() },
  async handler(ctx, input) {
    const [tree, users] = await Promise.all([loadTree(ctx.portal.db), activeUsers(ctx.portal.db)]);
    const { page, total, next } = slice(colleaguesOf(tree, users, ctx.user), input.OFFSET, input.LIMIT);
    const items = input.USER_DATA ? page.map((u) => wireUser(ctx.portal, u)) : page.map((u) => u.id);
    return new Page(items, total, next);
  },
});

/** The parameters of managers.get and employees.get. */
const PER_DEPARTMENT = { _caller: intranetCaller(), ID: idList('ID_EMPTY', "Department ID can't be empty"), USER_DATA: c.flag() };

/** Shared body of managers.get and employees.get: `{departmentId: [ids or user objects]}`. */
async function perDepartment(ctx: CallContext, ids: number[], userData: boolean, pickUsers: (d: Department, users: User[]) => User[]) {
  const [tree, users] = await Promise.all([loadTree(ctx.portal.db), activeUsers(ctx.portal.db)]);
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
  params: PER_DEPARTMENT,
  handler: (ctx, input) => perDepartment(ctx, input.ID, input.USER_DATA, (d, users) => users.filter((u) => u.id === d.head_user_id)),
});

defineMethod({
  name: 'im.department.employees.get', scope: 'im', access: 'portal',
  params: PER_DEPARTMENT,
  handler: (ctx, input) => perDepartment(ctx, input.ID, input.USER_DATA, (d, users) => employeesOf(users, d.id)),
});
