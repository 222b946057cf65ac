/**
 * Tasks: the minimal task store behind the deprecated `task.item.*` methods — create a task, and read
 * the tasks a user may see. Statuses, priorities and the "overdue / not viewed" meta-statuses follow
 * Bitrix24's task module; wire names and formats live in api/task.item*.ts.
 */
import type { Db } from '../store/db.ts';
import type { Selectable } from 'kysely';
import type { TasksTable } from '../store/schema.ts';
import type { User } from './types.ts';

/** Task statuses as Bitrix24 numbers them (REAL_STATUS). */
export const TaskStatus = {
  NEW: 1, PENDING: 2, IN_PROGRESS: 3, SUPPOSEDLY_COMPLETED: 4, COMPLETED: 5, DEFERRED: 6, DECLINED: 7,
} as const;

/** Meta-statuses STATUS reports instead of the real one: past the deadline, or never opened by the viewer. */
export const MetaStatus = { OVERDUE: -1, NOT_VIEWED: -2 } as const;

/** Priorities: 0 low, 1 average (the default), 2 high. */
export const TaskPriority = { LOW: 0, AVERAGE: 1, HIGH: 2 } as const;

/** A task as the domain sees it. Times are Unix ms; `null` means "not set". */
export interface Task {
  id: number;
  title: string;
  description: string;
  status: number;
  priority: number;
  responsibleId: number;
  createdBy: number;
  deadline: number | null;
  createdAt: number;
  changedAt: number;
  closedAt: number | null;
}

/** Who acts on tasks: the caller's user id and whether they administer the portal. */
export interface TaskActor { id: number; isAdmin: boolean }

/** What a caller asks for when creating a task (before validation). */
export interface NewTaskInput {
  title?: string;
  description?: string;
  responsibleId?: number;
  /** Defaults to the acting user. */
  createdBy?: number;
  deadline?: number | null;
  priority?: number;
  status?: number;
}

/** Why a task cannot be created; api/ and cli/ turn these into their own messages. */
export type TaskProblem = 'TITLE_EMPTY' | 'RESPONSIBLE_EMPTY' | 'RESPONSIBLE_NOT_FOUND' | 'CREATOR_NOT_FOUND' | 'CREATE_ACCESS_DENIED' | 'STATUS_INVALID';

/** A validation failure of `checkNewTask`. */
export class TaskError extends Error {
  constructor(readonly problem: TaskProblem) {
    super(problem);
  }
}

/** The longest title Bitrix24 keeps; longer ones are cut, not refused. */
const TITLE_MAX = 250;

function fromRow(r: Selectable<TasksTable>): Task {
  return {
    id: Number(r.id), title: r.title, description: r.description,
    status: Number(r.status) || TaskStatus.PENDING, priority: Number(r.priority) || 0,
    responsibleId: Number(r.responsible_id), createdBy: Number(r.created_by),
    deadline: Number(r.deadline) > 0 ? Number(r.deadline) : null,
    createdAt: Number(r.created_at), changedAt: Number(r.changed_at),
    closedAt: Number(r.closed_at) > 0 ? Number(r.closed_at) : null,
  };
}

async function activeUser(db: Db, id: number | undefined): Promise<User | undefined> {
  if (!id || !Number.isSafeInteger(id) || id <= 0) return undefined;
  return db.selectFrom('users').selectAll().where('id', '=', id).where('active', '=', 1).executeTakeFirst();
}

/** A validated task, ready to insert. */
export interface CheckedTask {
  title: string;
  description: string;
  responsibleId: number;
  createdBy: number;
  deadline: number | null;
  priority: number;
  status: number;
}

/**
 * Validate and normalise a new task as Bitrix24's task module does: the title is required (trimmed,
 * cut at 250), the responsible person must exist, a creator other than oneself needs an admin, an
 * unknown priority becomes "average", status 1 (new) is stored as 2 (pending). `actor` null is the
 * portal operator (CLI), who may set any creator.
 */
export async function checkNewTask(db: Db, actor: TaskActor | null, input: NewTaskInput): Promise<CheckedTask> {
  const title = (input.title ?? '').trim();
  if (!title) throw new TaskError('TITLE_EMPTY');
  const createdBy = input.createdBy && input.createdBy > 0 ? input.createdBy : actor?.id ?? 0;
  if (!(await activeUser(db, createdBy))) throw new TaskError('CREATOR_NOT_FOUND');
  if (actor && !actor.isAdmin && createdBy !== actor.id) throw new TaskError('CREATE_ACCESS_DENIED');
  if (input.responsibleId === undefined) throw new TaskError('RESPONSIBLE_EMPTY');
  if (!(await activeUser(db, input.responsibleId))) throw new TaskError('RESPONSIBLE_NOT_FOUND');
  let status: number = input.status ?? TaskStatus.PENDING;
  if (status === TaskStatus.NEW) status = TaskStatus.PENDING;
  const settable: number[] = [TaskStatus.PENDING, TaskStatus.IN_PROGRESS, TaskStatus.SUPPOSEDLY_COMPLETED, TaskStatus.COMPLETED, TaskStatus.DEFERRED];
  if (!settable.includes(status)) throw new TaskError('STATUS_INVALID');
  const priority = [0, 1, 2].includes(input.priority ?? -1) ? input.priority! : TaskPriority.AVERAGE;
  return {
    title: [...title].slice(0, TITLE_MAX).join(''), description: input.description ?? '',
    responsibleId: input.responsibleId, createdBy, deadline: input.deadline ?? null, priority, status,
  };
}

/** Create a task (validated with `checkNewTask`) and return its id. */
export async function createTask(db: Db, actor: TaskActor | null, input: NewTaskInput): Promise<number> {
  const t = await checkNewTask(db, actor, input);
  const now = Date.now();
  const closed = t.status === TaskStatus.COMPLETED || t.status === TaskStatus.SUPPOSEDLY_COMPLETED;
  const row = await db.insertInto('tasks').values({
    title: t.title, description: t.description, status: String(t.status), priority: String(t.priority),
    responsible_id: t.responsibleId, created_by: t.createdBy, deadline: t.deadline ?? 0,
    created_at: now, changed_at: now, closed_at: closed ? now : 0,
  }).returning('id').executeTakeFirstOrThrow();
  return Number(row.id);
}

/** Whether `viewer` may see the task: its responsible person, its creator, or an admin. */
export function canSeeTask(task: Task, viewer: TaskActor): boolean {
  return viewer.isAdmin || task.responsibleId === viewer.id || task.createdBy === viewer.id;
}

/** Every task `viewer` may see, by ascending id. */
export async function tasksVisibleTo(db: Db, viewer: TaskActor): Promise<Task[]> {
  let q = db.selectFrom('tasks').selectAll().orderBy('id');
  if (!viewer.isAdmin) q = q.where((eb) => eb.or([eb('responsible_id', '=', viewer.id), eb('created_by', '=', viewer.id)]));
  return (await q.execute()).map(fromRow);
}

/** One task by id, if it exists (no access check). */
export async function findTask(db: Db, id: number): Promise<Task | undefined> {
  if (!Number.isSafeInteger(id) || id <= 0) return undefined;
  const row = await db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

/**
 * The status Bitrix24 reports as STATUS to `viewerId`: -1 when the deadline has passed and the task is
 * still new, pending or in progress; then -2 when someone else created it, it is new or pending and
 * the viewer never opened it (Parley keeps no task views, so: never); else the real status.
 */
export function metaStatus(task: Task, viewerId: number, now = Date.now()): number {
  const open = task.status === TaskStatus.NEW || task.status === TaskStatus.PENDING;
  if (task.deadline !== null && task.deadline < now && (open || task.status === TaskStatus.IN_PROGRESS)) return MetaStatus.OVERDUE;
  if (open && task.createdBy !== viewerId) return MetaStatus.NOT_VIEWED;
  return task.status;
}

/** The roles `viewer` has in a task, for the actions it may take. */
export function taskRoles(task: Task, viewer: TaskActor): { director: boolean; responsible: boolean } {
  return { director: viewer.isAdmin || task.createdBy === viewer.id, responsible: task.responsibleId === viewer.id };
}
