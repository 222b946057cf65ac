/**
 * task.item.list (and getlist) and task.item.add (scope `task`): the deprecated task methods the
 * seed's ReportBot calls, with the task REST service's conventions — positional ORDER / FILTER / PARAMS / SELECT
 * (or the same by name), string IDs, ISO-8601 dates ('' when unset), the STATUS meta-status beside
 * REAL_STATUS, pages of 50 with `total` and `next`. A user lists the tasks they are responsible for
 * or created; admins list all.
 */
import { defineMethod, nextOffset, Page, type CallContext } from '../../rest/registry.ts';
import type { InputOf } from '../../rest/schema.ts';
import { isoDate } from '../../rest/envelope.ts';
import { findUsers } from '../../domain/users.ts';
import type { User } from '../../domain/types.ts';
import {
  createTask, metaStatus, taskRoles, tasksVisibleTo, TaskError, TaskStatus,
  type NewTaskInput, type Task, type TaskActor, type TaskProblem,
} from '../../domain/tasks.ts';
import { parseTaskDate } from '../../wire/dates.ts';
import { runAction } from '../../domain/action.ts';
import { compileFilter, compileOrder, taskArg, taskGuid, tasksError, type ArgSpec, type TaskView } from './query.ts';

const LIST_ARGS: ArgSpec[] = [
  { name: 'ORDER', description: 'arOrder' },
  { name: 'FILTER', description: 'arFilter' },
  { name: 'PARAMS', description: 'arParams' },
  { name: 'SELECT', description: 'arSelect' },
];
const ADD_ARGS: ArgSpec[] = [{ name: 'TASKDATA', description: 'arNewTaskData' }];

/** The page size and the most NAV_PARAMS may ask for. */
const PAGE_SIZE = 50;

/** The writable task fields (the documented "Write" column); the ones Parley does not model are accepted and ignored. */
const WRITABLE = ['TITLE', 'DESCRIPTION', 'DEADLINE', 'START_DATE_PLAN', 'END_DATE_PLAN', 'PRIORITY', 'ACCOMPLICES', 'AUDITORS',
  'TAGS', 'ALLOW_CHANGE_DEADLINE', 'TASK_CONTROL', 'PARENT_ID', 'DEPENDS_ON', 'GROUP_ID', 'RESPONSIBLE_ID', 'TIME_ESTIMATE',
  'CREATED_BY', 'DESCRIPTION_IN_BBCODE', 'DECLINE_REASON', 'STATUS', 'DURATION_PLAN', 'DURATION_TYPE', 'CREATED_DATE', 'CHANGED_BY',
  'CHANGED_DATE', 'STATUS_CHANGED_BY', 'STATUS_CHANGED_DATE', 'MARK', 'ALLOW_TIME_TRACKING', 'ADD_IN_REPORT', 'SITE_ID',
  'MATCH_WORK_TIME', 'XML_ID'];

/** Fields a list item always carries, whatever SELECT says (the service adds them for its access checks). */
const ALWAYS_SELECTED = ['ID', 'STATUS', 'REAL_STATUS', 'RESPONSIBLE_ID', 'CREATED_BY', 'GROUP_ID', 'ACCOMPLICES', 'AUDITORS', 'TAGS', 'ALLOWED_ACTIONS'];

/** The texts of the task module's validation errors (English portal). */
const PROBLEM_TEXT: Record<TaskProblem, string> = {
  TITLE_EMPTY: 'Task name is not specified.',
  RESPONSIBLE_EMPTY: 'Assignee is not specified.',
  RESPONSIBLE_NOT_FOUND: 'Assignee not found.',
  CREATOR_NOT_FOUND: 'Task creator is not specified.',
  CREATE_ACCESS_DENIED: 'Access denied: you cannot create this task.',
  STATUS_INVALID: 'Incorrect task status.',
};

const ACTIONS = ['ACCEPT', 'DECLINE', 'COMPLETE', 'APPROVE', 'DISAPPROVE', 'START', 'PAUSE', 'DELEGATE', 'REMOVE', 'EDIT', 'DEFER',
  'RENEW', 'CREATE', 'CHANGE_DEADLINE', 'CHECKLIST_ADD_ITEMS', 'ADD_FAVORITE', 'DELETE_FAVORITE', 'CHANGE_DIRECTOR'];

const actorOf = (ctx: CallContext): TaskActor => ({ id: ctx.user.id, isAdmin: !!ctx.user.is_admin });
const date = (ms: number | null) => (ms ? isoDate(ms) : '');

/** ALLOWED_ACTIONS: what the viewer may do, by role and status, as the task module's base action map gives it. */
function allowedActions(t: Task, viewer: TaskActor): Record<string, boolean> {
  const { director, responsible } = taskRoles(t, viewer);
  const allowed = new Set(['CREATE', 'ADD_FAVORITE']);
  const add = (...a: string[]) => a.forEach((x) => allowed.add(x));
  if (director) {
    add('EDIT', 'REMOVE', 'CHANGE_DEADLINE', 'CHANGE_DIRECTOR', 'CHECKLIST_ADD_ITEMS');
    if (t.status === TaskStatus.SUPPOSEDLY_COMPLETED) add('APPROVE', 'DISAPPROVE');
    else if (t.status === TaskStatus.COMPLETED || t.status === TaskStatus.DECLINED) add('RENEW');
    else add('COMPLETE');
  }
  if (responsible) {
    if (t.status === TaskStatus.PENDING) add('START', 'DELEGATE', 'DEFER', 'COMPLETE');
    if (t.status === TaskStatus.IN_PROGRESS) add('PAUSE', 'DELEGATE', 'DEFER', 'COMPLETE');
    if (t.status === TaskStatus.DEFERRED) add('RENEW');
  }
  return Object.fromEntries(ACTIONS.map((a) => [`ACTION_${a}`, allowed.has(a)]));
}

/**
 * One task as a list item: the documented readable fields in their documented order, values as the
 * database gives them (numbers as strings, unset ones null) and dates as ISO 8601 or ''.
 */
function wireTask(v: TaskView, viewer: TaskActor, users: Map<number, User>, withTags: boolean): Record<string, unknown> {
  const t = v.task;
  const resp = users.get(t.responsibleId);
  const creator = users.get(t.createdBy);
  return {
    TITLE: t.title, DESCRIPTION: t.description, DEADLINE: date(t.deadline), START_DATE_PLAN: '', END_DATE_PLAN: '',
    PRIORITY: String(t.priority), ACCOMPLICES: [], AUDITORS: [], ...(withTags ? { TAGS: [] } : {}),
    ALLOW_CHANGE_DEADLINE: 'N', TASK_CONTROL: 'N', PARENT_ID: null, GROUP_ID: '0', RESPONSIBLE_ID: String(t.responsibleId),
    TIME_ESTIMATE: '0', ID: String(t.id), CREATED_BY: String(t.createdBy), DESCRIPTION_IN_BBCODE: 'Y', DECLINE_REASON: null,
    STATUS: String(v.status),
    RESPONSIBLE_NAME: resp?.name ?? '', RESPONSIBLE_LAST_NAME: resp?.last_name ?? '', RESPONSIBLE_SECOND_NAME: '',
    DATE_START: '', DURATION_FACT: null, DURATION_PLAN: null, DURATION_TYPE: 'days',
    CREATED_BY_NAME: creator?.name ?? '', CREATED_BY_LAST_NAME: creator?.last_name ?? '', CREATED_BY_SECOND_NAME: '',
    CREATED_DATE: date(t.createdAt), CHANGED_BY: String(t.createdBy), CHANGED_DATE: date(t.changedAt),
    STATUS_CHANGED_BY: String(t.createdBy), STATUS_CHANGED_DATE: date(t.createdAt),
    CLOSED_BY: t.closedAt ? String(t.createdBy) : null, CLOSED_DATE: date(t.closedAt),
    GUID: taskGuid(t), MARK: null, VIEWED_DATE: '', TIME_SPENT_IN_LOGS: null, FAVORITE: 'N', ALLOW_TIME_TRACKING: 'N',
    ADD_IN_REPORT: 'N', FORUM_ID: null, FORUM_TOPIC_ID: null, COMMENTS_COUNT: null, SITE_ID: 's1', SUBORDINATE: 'N',
    FORKED_BY_TEMPLATE_ID: null, MULTITASK: 'N', MATCH_WORK_TIME: 'N', REAL_STATUS: String(t.status),
    ALLOWED_ACTIONS: allowedActions(t, viewer),
  };
}

const intval = (v: unknown): number => {
  const m = /^\s*([+-]?\d+)/.exec(typeof v === 'object' ? '' : String(v ?? ''));
  return m ? Number(m[1]) : 0;
};

/**
 * Which slice to return: `start` (the REST paging every list method has) wins past the first page;
 * otherwise NAV_PARAMS' nPageTop (first N) or nPageSize + iNumPage, each capped at 50.
 */
function sliceOf(params: Record<string, unknown>, start: number): { from: number; size: number; top: boolean } {
  const startPage = Math.floor(Math.max(0, start) / PAGE_SIZE) + 1;
  if (startPage > 1) return { from: (startPage - 1) * PAGE_SIZE, size: PAGE_SIZE, top: false };
  const nav = params.NAV_PARAMS;
  if (nav && typeof nav === 'object') {
    const n = nav as Record<string, unknown>;
    if (n.nPageTop !== undefined) return { from: 0, size: Math.max(1, Math.min(PAGE_SIZE, intval(n.nPageTop))), top: true };
    if (n.nPageSize !== undefined) {
      const size = Math.max(1, Math.min(PAGE_SIZE, intval(n.nPageSize)));
      return { from: (Math.max(1, intval(n.iNumPage ?? 1)) - 1) * size, size, top: false };
    }
  }
  return { from: 0, size: PAGE_SIZE, top: false };
}

/** The parameters of list / getlist: the service checks its arguments in order, ORDER, FILTER, PARAMS, SELECT. */
export function listParams(method: 'list' | 'getlist') {
  return {
    ORDER: taskArg(LIST_ARGS, 0, method, compileOrder),
    FILTER: taskArg(LIST_ARGS, 1, method, compileFilter),
    PARAMS: taskArg(LIST_ARGS, 2, method, (params, refuse) => {
      for (const k of Object.keys(params)) if (k !== 'NAV_PARAMS' && k !== 'LOAD_TAGS') refuse(k);
      return params;
    }),
    SELECT: taskArg(LIST_ARGS, 3, method, (select) => Object.values(select).map((s) => String(s).toUpperCase())),
  };
}

/** The body of task.item.list and its aliases: the caller's visible tasks, filtered, sorted, one page. */
export async function listTasks(ctx: CallContext, input: InputOf<ReturnType<typeof listParams>>): Promise<Page> {
  const { ORDER: byOrder, FILTER: matches, PARAMS: params, SELECT: select } = input;
  const viewer = actorOf(ctx);
  const now = Date.now();
  const tasks = await tasksVisibleTo(ctx.portal.db, viewer);
  const users = await findUsers(ctx.portal.db, tasks.flatMap((t) => [t.responsibleId, t.createdBy]));
  const found = tasks
    .map((task): TaskView => ({ task, status: metaStatus(task, viewer.id, now), responsible: users.get(task.responsibleId) }))
    .filter(matches)
    .sort(byOrder);

  const { from, size, top } = sliceOf(params, ctx.start);
  const withTags = params.LOAD_TAGS === 'Y' || intval(params.LOAD_TAGS) === 1;
  const keep = select.length && !select.includes('*') ? new Set([...select, ...ALWAYS_SELECTED]) : null;
  const items = found.slice(from, from + size).map((v) => {
    const item = wireTask(v, viewer, users, withTags);
    return keep ? Object.fromEntries(Object.entries(item).filter(([k]) => keep.has(k))) : item;
  });
  const next = top ? undefined : nextOffset(from, size, found.length);
  return new Page(items, found.length, next);
}

/**
 * TASKDATA as a new task: only the writable fields (any case), values as the service reads them;
 * an unreadable date is stored as none, as the service's ISO-8601 reader gives it.
 */
function newTaskOf(given: Record<string, unknown>, refuse: (key: string) => never): NewTaskInput {
  const data: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(given)) {
    if (!WRITABLE.includes(k.toUpperCase())) refuse(k);
    data[k.toUpperCase()] = v;
  }
  const text = (v: unknown) => (v === undefined || v === null || typeof v === 'object' ? '' : String(v));
  const num = (v: unknown) => (v === undefined || v === null || v === '' ? undefined : intval(v));
  return {
    title: text(data.TITLE), description: text(data.DESCRIPTION), responsibleId: num(data.RESPONSIBLE_ID),
    createdBy: num(data.CREATED_BY), deadline: parseTaskDate(data.DEADLINE), priority: num(data.PRIORITY), status: num(data.STATUS),
  };
}

/** The parameters of add: TASKDATA, also sent as FIELDS (or by place). */
export const ADD_PARAMS = { TASKDATA: taskArg(ADD_ARGS, 0, 'add', newTaskOf, { required: true, aliases: { FIELDS: 'TASKDATA' } }) };

/** The body of task.item.add and its alias: create the task, answer its id. */
export async function addTask(ctx: CallContext, { TASKDATA: task }: InputOf<typeof ADD_PARAMS>): Promise<number> {
  try {
    return await runAction(ctx.portal, (trx) => createTask(trx, actorOf(ctx), task));
  } catch (err) {
    if (err instanceof TaskError) throw tasksError(PROBLEM_TEXT[err.problem]);
    throw err;
  }
}

// The service publishes each method under the class name (task/ctaskitem.ts) and its `item` alias, and list as getlist too.
defineMethod({ name: 'task.item.list', scope: 'task', access: 'self', params: listParams('list'), handler: listTasks });

defineMethod({ name: 'task.item.getlist', scope: 'task', access: 'self', params: listParams('getlist'), handler: listTasks });

defineMethod({ name: 'task.item.add', scope: 'task', access: 'portal', params: ADD_PARAMS, handler: addTask });
