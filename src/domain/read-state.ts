/**
 * What each member has read, and the unread counters derived from it. Counters are never stored:
 * they are counted from the messages themselves (newer than the member's last_read_id, inside their
 * visible history from start_id, not their own, not deleted, already due), so they cannot drift
 * however many clients write and read at once.
 */
import { sql, type Generated, type Selectable } from 'kysely';
import type { Db } from '../store/db.ts';
import type { ChatMembersTable } from '../store/schema.ts';
import { queuePush } from '../realtime/push-log.ts';
import { memberIds } from './members.ts';
import { readMentions } from './mentions.ts';

declare module '../store/schema.ts' {
  interface ChatMembersTable {
    /** Unix ms of the last change to this member's recent entry that was not a message (migration 0006). */
    recent_at: Generated<number>;
  }
}

/** One member's row: reading position and recent-list state. */
export type Membership = Selectable<ChatMembersTable>;

/** A member's row in a chat, if they are in it. */
export async function membership(db: Db, chatId: number, userId: number): Promise<Membership | undefined> {
  return db.selectFrom('chat_members').selectAll().where('chat_id', '=', chatId).where('user_id', '=', userId).executeTakeFirst();
}

/** A user's unread state in one chat they belong to. */
export interface ChatCounter {
  chatId: number;
  /** P, C or O. */
  type: string;
  privateKey: string | null;
  muted: boolean;
  markedUnread: boolean;
  lastReadId: number;
  /** Unread messages. */
  count: number;
  /** The oldest unread message, 0 when none. */
  firstUnreadId: number;
}

/**
 * Unread counters of `userId` for every chat they are a member of (or only `chatIds`), with zeros,
 * in one statement so the numbers are one consistent snapshot.
 */
export async function unreadCounters(db: Db, userId: number, chatIds?: number[], now = Date.now()): Promise<ChatCounter[]> {
  if (chatIds && !chatIds.length) return [];
  let q = db.selectFrom('chat_members as cm')
    .innerJoin('chats as c', 'c.id', 'cm.chat_id')
    .leftJoin('messages as m', (j) => j
      .onRef('m.chat_id', '=', 'cm.chat_id')
      .onRef('m.id', '>', 'cm.last_read_id')
      .onRef('m.id', '>=', 'cm.start_id')
      .onRef('m.author_id', '!=', 'cm.user_id')
      .on('m.deleted', '=', 0)
      // A type-H bot's answer dated in the future is not there yet.
      .on('m.created_at', '<=', now))
    .select((eb) => [
      'cm.chat_id', 'c.type', 'c.private_key', 'cm.muted', 'cm.marked_unread', 'cm.last_read_id',
      eb.fn.count<number>('m.id').as('n'), eb.fn.min<number | null>('m.id').as('first_id'),
    ])
    .where('cm.user_id', '=', userId)
    .groupBy(['cm.chat_id', 'c.type', 'c.private_key', 'cm.muted', 'cm.marked_unread', 'cm.last_read_id']);
  if (chatIds) q = q.where('cm.chat_id', 'in', chatIds);
  const rows = await q.execute();
  return rows.map((r) => ({
    chatId: Number(r.chat_id), type: r.type, privateKey: r.private_key, muted: !!Number(r.muted), markedUnread: !!Number(r.marked_unread),
    lastReadId: Number(r.last_read_id), count: Number(r.n), firstUnreadId: Number(r.first_id ?? 0),
  }));
}

/** The newest message of a chat a member with `startId` may see (0 when none). */
export async function lastVisibleId(db: Db, chatId: number, startId = 0, now = Date.now()): Promise<number> {
  const row = await db.selectFrom('messages').select((eb) => eb.fn.max<number | null>('id').as('id'))
    .where('chat_id', '=', chatId).where('id', '>=', startId).where('created_at', '<=', now).executeTakeFirst();
  return Number(row?.id ?? 0);
}

/**
 * Mark a chat read for a member up to `messageId` (everything when undefined) and clear their
 * "unread" mark. The position only moves forward, as one conditional UPDATE, so concurrent reads
 * end at the highest one whatever order they commit in. Returns the position after the call.
 */
export async function readTo(db: Db, chatId: number, userId: number, messageId?: number): Promise<number> {
  const now = Date.now();
  const target = messageId ?? (await lastVisibleId(db, chatId, 0, now));
  await db.updateTable('chat_members').set({ last_read_id: target })
    .where('chat_id', '=', chatId).where('user_id', '=', userId).where('last_read_id', '<', target).execute();
  await db.updateTable('chat_members').set({ marked_unread: 0, recent_at: now })
    .where('chat_id', '=', chatId).where('user_id', '=', userId).execute();
  const row = await membership(db, chatId, userId);
  const lastId = Number(row?.last_read_id ?? 0);
  await readMentions(db, userId, { chatId, messageId: lastId });
  // The reader's other clients update their counters; the other members show "read by".
  await queuePush(db, await memberIds(db, chatId), 'dialog.read', { chatId, userId, lastId });
  return lastId;
}

/**
 * Mark messages from `messageId` on (itself included) unread for a member: the read position moves
 * back to the message before it, never forward.
 */
export async function unreadFrom(db: Db, chatId: number, userId: number, messageId: number): Promise<void> {
  const prev = await db.selectFrom('messages').select((eb) => eb.fn.max<number | null>('id').as('id'))
    .where('chat_id', '=', chatId).where('id', '<', messageId).executeTakeFirst();
  const target = Number(prev?.id ?? 0);
  await db.updateTable('chat_members').set({ last_read_id: target, recent_at: Date.now() })
    .where('chat_id', '=', chatId).where('user_id', '=', userId).where('last_read_id', '>', target).execute();
  await queuePush(db, [userId], 'counters', { chatId });
}

/** Mark every chat of a user read (im.dialog.read.all), in one statement; positions only move forward. */
export async function readAll(db: Db, userId: number): Promise<void> {
  const now = Date.now();
  const newest = sql<number>`(SELECT COALESCE(MAX(m.id), 0) FROM messages m WHERE m.chat_id = chat_members.chat_id AND m.created_at <= ${now})`;
  await db.updateTable('chat_members')
    .set({ last_read_id: sql<number>`CASE WHEN ${newest} > last_read_id THEN ${newest} ELSE last_read_id END`, marked_unread: 0, recent_at: now })
    .where('user_id', '=', userId).execute();
  await readMentions(db, userId);
  await queuePush(db, [userId], 'counters', {});
}

/** Set or clear a member's "unread" mark (im.recent.unread); a mark brings a hidden entry back. */
export async function markUnread(db: Db, chatId: number, userId: number, on: boolean): Promise<void> {
  await db.updateTable('chat_members').set(on ? { marked_unread: 1, hidden: 0, recent_at: Date.now() } : { marked_unread: 0, recent_at: Date.now() })
    .where('chat_id', '=', chatId).where('user_id', '=', userId).execute();
  await queuePush(db, [userId], 'counters', { chatId });
}
