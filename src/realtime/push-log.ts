/**
 * Durable pushes to users' open clients. A change queues one row per user who should hear of it,
 * inside the change's own transaction; the hub (src/realtime/hub.ts) sends committed rows to the
 * sockets of those users. Pushes name what changed (ids), never the content: clients read the
 * content through the public REST methods, so a push can never show what the REST API would refuse.
 */
import type { Generated } from 'kysely';
import type { Db } from '../store/db.ts';
import { wakeAfterCommit } from '../store/after-commit.ts';

declare module '../store/schema.ts' {
  interface Database { push_log: PushLogTable }
}

/** A row of push_log. */
export interface PushLogTable {
  id: Generated<number>;
  user_id: number;
  type: string;
  /** JSON object: the ids the client needs to refetch (chatId, messageId, …). */
  payload: string;
  created_at: number;
}

/** What a client receives: the row id (to resume after a reconnect), the type and its ids. */
export interface Push { id?: number; type: string; [key: string]: unknown }

/** Kinds of change a client is told about. */
export type PushType =
  | 'message.add' | 'message.update' | 'message.delete' | 'message.like'
  | 'dialog.read' | 'chat.update' | 'chat.members' | 'notify' | 'counters' | 'presence';

/** A stored row as the hub sends it. */
export interface Delivery { id: number; user_id: number; at: number; push: Push }

function toDelivery(r: { id: number; user_id: number; type: string; payload: string; created_at: number }): Delivery {
  const id = Number(r.id);
  return { id, user_id: Number(r.user_id), at: Number(r.created_at), push: { ...(JSON.parse(r.payload) as object), type: r.type, id } };
}

/**
 * Queue a push to each user, in the caller's transaction. `at` delays it (a type-H bot's message is
 * announced when it becomes visible, not when it was written).
 */
export async function queuePush(db: Db, userIds: Iterable<number>, type: PushType, payload: Record<string, unknown>, at = Date.now()): Promise<void> {
  const now = at;
  const json = JSON.stringify(payload);
  const rows = [...new Set(userIds)].filter((id) => id > 0).map((user_id) => ({ user_id, type, payload: json, created_at: now }));
  wakeAfterCommit(db);
  if (rows.length) await db.insertInto('push_log').values(rows).execute();
}

/** Rows after `afterId`, oldest first (for all users, or one). */
export async function pushesAfter(db: Db, afterId: number, limit: number, userId?: number): Promise<Delivery[]> {
  let q = db.selectFrom('push_log').selectAll().where('id', '>', afterId);
  if (userId !== undefined) q = q.where('user_id', '=', userId);
  const rows = await q.orderBy('id').limit(limit).execute();
  return rows.map(toDelivery);
}

/** Rows with these ids (those the tail stepped over and that have committed since). */
export async function pushesIn(db: Db, ids: number[]): Promise<Delivery[]> {
  if (!ids.length) return [];
  const rows = await db.selectFrom('push_log').selectAll().where('id', 'in', ids.slice(0, 1000)).orderBy('id').execute();
  return rows.map(toDelivery);
}

/** The newest row id (0 when empty): where a freshly started hub begins tailing. */
export async function lastPushId(db: Db): Promise<number> {
  const row = await db.selectFrom('push_log').select((eb) => eb.fn.max('id').as('max')).executeTakeFirst();
  return Number(row?.max ?? 0);
}

/** Drop rows written before `before` (ms): clients away longer are told to resync. */
export async function prunePushes(db: Db, before: number): Promise<number> {
  const res = await db.deleteFrom('push_log').where('created_at', '<', before).executeTakeFirst();
  return Number(res.numDeletedRows);
}
