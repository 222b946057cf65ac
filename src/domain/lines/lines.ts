/**
 * Open lines and their queues (ol_lines, ol_queue): create, change, delete and read them, and who
 * a line's operators are — its queue's users and the active members of its queue's departments,
 * in queue order, each once.
 */
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
    created_at: now, modified_at: now, modify_user_id: byUserId,
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

/** A line's operators in queue order: its users and its departments' active members, each once (people only). */
export async function operatorsOf(db: Db, lineId: number): Promise<number[]> {
  const queue = await queueOf(db, lineId);
  if (!queue.length) return [];
  const people = (await activeUsers(db)).filter((u) => !u.is_bot);
  const byId = new Set(people.map((u) => u.id));
  const out: number[] = [];
  const add = (id: number) => {
    if (byId.has(id) && !out.includes(id)) out.push(id);
  };
  for (const e of queue) {
    if (e.type === 'user') add(e.id);
    else for (const u of employeesOf(people, e.id)) add(u.id);
  }
  return out;
}

/** Whether a user is one of the line's operators. */
export async function isOperatorOf(db: Db, lineId: number, userId: number): Promise<boolean> {
  return (await operatorsOf(db, lineId)).includes(userId);
}

