/**
 * Who is in a chat: the membership reads that chats, messages and commands all rely on. They sit
 * below all three (chats.ts posts system messages, messages.ts finds commands), so none of those
 * modules imports another in a circle; chats.ts offers them as part of its API.
 */
import type { Db } from '../store/db.ts';

/** User ids of a chat's members, in the order they joined. */
export async function memberIds(db: Db, chatId: number): Promise<number[]> {
  const rows = await db.selectFrom('chat_members').select('user_id').where('chat_id', '=', chatId).orderBy('joined_at').orderBy('user_id').execute();
  return rows.map((r) => r.user_id);
}

/** Whether a user is a member of a chat. */
export async function isMember(db: Db, chatId: number, userId: number): Promise<boolean> {
  const row = await db.selectFrom('chat_members').select('user_id').where('chat_id', '=', chatId).where('user_id', '=', userId).executeTakeFirst();
  return !!row;
}

/** The ids of `userIds` that are members of a chat, in one query. */
export async function membersAmong(db: Db, chatId: number, userIds: number[]): Promise<Set<number>> {
  if (!userIds.length) return new Set();
  const rows = await db.selectFrom('chat_members').select('user_id').where('chat_id', '=', chatId).where('user_id', 'in', userIds).execute();
  return new Set(rows.map((r) => Number(r.user_id)));
}
