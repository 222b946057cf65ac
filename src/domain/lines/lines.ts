/**
 * Open lines and their queues (ol_lines, ol_queue): create, change, delete and read them, and who
 * a line's operators are — its queue's users and the active members of its queue's departments,
 * in queue order, each once.
 */
import crypto from 'node:crypto';
import type { Db } from '../../store/db.ts';
import { isRowId } from '../../store/row-id.ts';
import { activeUsers, employeesOf } from '../departments.ts';
import { mergedSettings, type Line, type Settings } from './config.ts';
import { lineGoneForConnectors } from './connector-admin.ts';

/** One queue entry as given: an operator or a department. */
export interface QueueEntry { type: 'user' | 'department'; id: number }

/** A line as stored with its queue. */
export interface LineWithQueue { line: Line; queue: QueueEntry[] }

export async function findLine(db: Db, id: number): Promise<Line | undefined> {
  if (!isRowId(id)) return undefined;
  return db.selectFrom('ol_lines').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listLines(db: Db): Promise<Line[]> {
  return db.selectFrom('ol_lines').selectAll().orderBy('id').execute();
}

export async function queueOf(db: Db, lineId: number): Promise<QueueEntry[]> {
  const rows = await db.selectFrom('ol_queue').selectAll().where('line_id', '=', lineId).orderBy('position').execute();
  return rows.map((r) => ({ type: r.entity_type === 'department' ? 'department' : 'user', id: Number(r.entity_id) }));
}

async function writeQueue(db: Db, lineId: number, queue: QueueEntry[]): Promise<void> {
  await db.deleteFrom('ol_queue').where('line_id', '=', lineId).execute();
  const seen = new Set<string>();
  const rows = queue.filter((e) => !seen.has(`${e.type}:${e.id}`) && seen.add(`${e.type}:${e.id}`))
    .map((e, position) => ({ line_id: lineId, entity_type: e.type, entity_id: e.id, position }));
  if (rows.length) await db.insertInto('ol_queue').values(rows).execute();
}

/** What a new line or a change gives: any of name, active, queue and config PARAMS. */
export interface LineInput { name?: string; active?: boolean; queue?: QueueEntry[]; params?: Record<string, unknown> }

/** Create a line; answers its id. A line without a name is called "Open line N". */
export async function createLine(db: Db, byUserId: number, input: LineInput): Promise<number> {
  const now = Date.now();
  const row = await db.insertInto('ol_lines').values({
    name: input.name ?? '', active: input.active === false ? 0 : 1, settings: JSON.stringify(mergedSettings({}, input.params ?? {})),
    created_at: now, modified_at: now, modify_user_id: byUserId, network_code: crypto.randomBytes(16).toString('hex'), network_bot_id: 0,
    livechat_code: crypto.randomBytes(12).toString('hex'),
  }).returning('id').executeTakeFirstOrThrow();
  const id = Number(row.id);
  if (!input.name) await db.updateTable('ol_lines').set({ name: `Open line ${id}` }).where('id', '=', id).execute();
  if (input.queue) await writeQueue(db, id, input.queue);
  return id;
}

/** Change a line; answers false when there is no such line. */
export async function updateLine(db: Db, id: number, byUserId: number, input: LineInput): Promise<boolean> {
  const line = await findLine(db, id);
  if (!line) return false;
  const base = JSON.parse(line.settings || '{}') as Partial<Settings>;
  await db.updateTable('ol_lines').set({
    ...(input.name ? { name: input.name } : {}),
    ...(input.active !== undefined ? { active: input.active ? 1 : 0 } : {}),
    settings: JSON.stringify(mergedSettings(base, input.params ?? {})), modified_at: Date.now(), modify_user_id: byUserId,
  }).where('id', '=', id).execute();
  if (input.queue) await writeQueue(db, id, input.queue);
  return true;
}

/** Delete a line and its queue; answers false when there is no such line. Its chats and sessions stay as history. */
export async function deleteLine(db: Db, id: number): Promise<boolean> {
  // The connectors on it go with it, and their apps are told (ONIMCONNECTORLINEDELETE).
  if (await findLine(db, id)) await lineGoneForConnectors(db, id);
  const gone = await db.deleteFrom('ol_lines').where('id', '=', id).executeTakeFirst();
  await db.deleteFrom('ol_queue').where('line_id', '=', id).execute();
  return Number(gone.numDeletedRows) > 0;
}

/** Whether a user may be a line's operator: an active person (no bot, no customer). */
function isPerson(u: { active: number; is_bot: number; external_auth_id: string }): boolean {
  return !!u.active && !u.is_bot && !u.external_auth_id;
}

/** One operator of a line as its queue makes them one: directly (`departmentId` 0) or as a department's member. */
export interface QueueMember { userId: number; departmentId: number }

/** A line's operators in queue order, each once, with the department they came in by (0: named directly). */
export async function queueMembers(db: Db, lineId: number): Promise<QueueMember[]> {
  const queue = await queueOf(db, lineId);
  if (!queue.length) return [];
  const people = (await activeUsers(db)).filter(isPerson);
  const byId = new Set(people.map((u) => u.id));
  const out: QueueMember[] = [];
  const add = (userId: number, departmentId: number) => {
    if (byId.has(userId) && !out.some((m) => m.userId === userId)) out.push({ userId, departmentId });
  };
  for (const e of queue) {
    if (e.type === 'user') add(e.id, 0);
    else for (const u of employeesOf(people, e.id)) add(u.id, e.id);
  }
  return out;
}

/** A line's operators in queue order: its users and its departments' active members, each once (people only). */
export async function operatorsOf(db: Db, lineId: number): Promise<number[]> {
  return (await queueMembers(db, lineId)).map((m) => m.userId);
}

/**
 * A queue as given, split into the entries a line may have and the ones it may not: a user must be
 * an active person of the portal (not a bot, not a customer of a connector), a department must
 * exist. Repeated entries count once. The caller keeps `valid` and drops the rest, as Bitrix24 takes
 * config PARAMS without field-level errors.
 */
export async function checkQueue(db: Db, queue: QueueEntry[]): Promise<{ valid: QueueEntry[]; dropped: QueueEntry[] }> {
  const userIds = [...new Set(queue.filter((e) => e.type === 'user' && isRowId(e.id)).map((e) => e.id))];
  const deptIds = [...new Set(queue.filter((e) => e.type === 'department' && isRowId(e.id)).map((e) => e.id))];
  const users = userIds.length ? await db.selectFrom('users').select(['id', 'active', 'is_bot', 'external_auth_id']).where('id', 'in', userIds).execute() : [];
  const depts = deptIds.length ? await db.selectFrom('departments').select('id').where('id', 'in', deptIds).execute() : [];
  const people = new Set(users.filter(isPerson).map((u) => Number(u.id)));
  const known = new Set(depts.map((d) => Number(d.id)));
  const valid: QueueEntry[] = [];
  const dropped: QueueEntry[] = [];
  const seen = new Set<string>();
  for (const e of queue) {
    const key = `${e.type}:${e.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    (e.type === 'user' ? people.has(e.id) : known.has(e.id)) ? valid.push(e) : dropped.push(e);
  }
  return { valid, dropped };
}

/** Whether a user is one of the line's operators. */
export async function isOperatorOf(db: Db, lineId: number, userId: number): Promise<boolean> {
  return (await operatorsOf(db, lineId)).includes(userId);
}

