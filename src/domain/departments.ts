/**
 * The department tree (table `departments`: parent_id, head_user_id) and who works where
 * (users.departments, a JSON list): lookups for im.department.* and im.search.department.list.
 */
import type { Selectable } from 'kysely';
import type { Db } from '../store/db.ts';
import type { DepartmentsTable } from '../store/schema.ts';
import type { User } from './types.ts';
import { isRowId } from '../store/row-id.ts';

/** A department row. */
export type Department = Selectable<DepartmentsTable>;

/** The whole tree, keyed by id: departments are few, so methods read it once per call. */
export async function loadTree(db: Db): Promise<Map<number, Department>> {
  const rows = await db.selectFrom('departments').selectAll().orderBy('id').execute();
  return new Map(rows.map((r) => [r.id, r]));
}

/** Find one department. */
export async function findDepartment(db: Db, id: number): Promise<Department | undefined> {
  if (!isRowId(id)) return undefined;
  return db.selectFrom('departments').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The department and its ancestors, nearest first (a broken parent link ends the chain). */
export function ancestry(tree: Map<number, Department>, id: number): Department[] {
  const chain: Department[] = [];
  const seen = new Set<number>();
  for (let d = tree.get(id); d && !seen.has(d.id); d = d.parent_id ? tree.get(d.parent_id) : undefined) {
    seen.add(d.id);
    chain.push(d);
  }
  return chain;
}

/** "Sales / Company": the name followed by its ancestors', as Bitrix24's full_name reads. */
export function fullDepartmentName(tree: Map<number, Department>, id: number): string {
  return ancestry(tree, id).map((d) => d.name).join(' / ');
}

/** Ids of the department and every department below it. */
export function subtree(tree: Map<number, Department>, id: number): Set<number> {
  const out = new Set<number>([id]);
  for (let grew = true; grew;) {
    grew = false;
    for (const d of tree.values()) {
      if (d.parent_id && out.has(d.parent_id) && !out.has(d.id)) {
        out.add(d.id);
        grew = true;
      }
    }
  }
  return out;
}

/** The department ids a user belongs to. */
export const departmentsOf = (u: Pick<User, 'departments'>): number[] => {
  try {
    const v = JSON.parse(u.departments) as unknown;
    return Array.isArray(v) ? v.map(Number).filter((n) => Number.isSafeInteger(n) && n > 0) : [];
  } catch {
    return [];
  }
};

/** Active users of the company (not open-line customers), ordered by id: the population department lists are cut from. */
export async function activeUsers(db: Db): Promise<User[]> {
  return db.selectFrom('users').selectAll().where('active', '=', 1).where('external_auth_id', '=', '').orderBy('id').execute();
}

/** Active users who belong directly to the department, by id. */
export function employeesOf(users: User[], departmentId: number): User[] {
  return users.filter((u) => departmentsOf(u).includes(departmentId));
}

/**
 * The caller's colleagues, as im.department.colleagues.list lists them: everyone in the caller's
 * departments and their heads; for a head, also everyone in the departments below theirs and the
 * heads above. The caller is not their own colleague. Ordered by id.
 */
export function colleaguesOf(tree: Map<number, Department>, users: User[], me: User): User[] {
  const mine = departmentsOf(me);
  const ids = new Set<number>();
  const headed = [...tree.values()].filter((d) => d.head_user_id === me.id).map((d) => d.id);
  const scope = new Set<number>(mine);
  for (const h of headed) for (const d of subtree(tree, h)) scope.add(d);
  for (const u of users) if (departmentsOf(u).some((d) => scope.has(d))) ids.add(u.id);
  // Heads of the caller's own departments, and for a head every head up the tree.
  for (const d of mine) {
    // A department without a head is managed by the nearest head above it.
    const heads = ancestry(tree, d).filter((a) => a.head_user_id);
    for (const a of headed.length ? heads : heads.slice(0, 1)) ids.add(a.head_user_id!);
  }
  for (const h of headed) for (const a of ancestry(tree, h)) if (a.head_user_id) ids.add(a.head_user_id);
  ids.delete(me.id);
  return users.filter((u) => ids.has(u.id));
}
