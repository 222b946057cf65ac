/**
 * Reading a chat's messages as a Chatbots 2.0 bot (imbot.v2.Chat.Message.read / get / getContext):
 * the bot marks what it has read like any member (read-state.ts), and a `supervisor` or `personal`
 * bot — the types that hear every message of their chats — may fetch messages it can see: in a chat
 * it is in, not before the history it was given when it joined.
 */
import type { Db } from '../store/db.ts';
import { fail } from '../errors.ts';
import { findMessage } from './messages.ts';
import { memberSees } from './message-access.ts';
import { membership } from './read-state.ts';
import { readDialog } from './dialogs.ts';
import type { Chat, Message } from './types.ts';

/** The most ids Chat.Message.read lists as viewed (the newest ones): an answer stays small however much was unread. */
export const MAX_VIEWED = 1000;

/** What Chat.Message.read answers. */
export interface BotRead { chatId: number; lastId: number; counter: number; viewedMessages: number[] }

/**
 * Mark `chat` read for the bot up to `messageId` (a message of this chat the bot sees, else
 * MESSAGE_NOT_FOUND) or all of it; `viewedMessages` are the others' messages this newly marked read.
 */
export async function botRead(db: Db, chat: Chat, botId: number, messageId?: number): Promise<BotRead> {
  if (messageId !== undefined) {
    const m = await findMessage(db, messageId);
    if (!m || m.chat_id !== chat.id || !(await memberSees(db, m, botId))) fail('MESSAGE_NOT_FOUND');
  }
  const before = await membership(db, chat.id, botId);
  const from = Math.max(Number(before?.last_read_id ?? 0), Number(before?.start_id ?? 0) - 1);
  const read = await readDialog(db, chat, botId, messageId);
  if (!read) fail('ACCESS_DENIED', 'Access denied');
  const viewed = await db.selectFrom('messages').select('id').where('chat_id', '=', chat.id).where('id', '>', from).where('id', '<=', read.lastId)
    .where('author_id', '!=', botId).orderBy('id', 'desc').limit(MAX_VIEWED).execute();
  return { chatId: chat.id, lastId: read.lastId, counter: read.counter, viewedMessages: viewed.map((r) => Number(r.id)).reverse() };
}

/** The message `id` the bot may read: MESSAGE_NOT_FOUND when there is none, MESSAGE_ACCESS_DENIED when it is not the bot's to see. */
export async function botMessage(db: Db, id: number, botId: number): Promise<Message> {
  const message = id > 0 ? await findMessage(db, id) : undefined;
  if (!message) fail('MESSAGE_NOT_FOUND');
  if (!(await memberSees(db, message, botId))) fail('MESSAGE_ACCESS_DENIED');
  return message;
}

/** Up to `range` messages the bot sees on each side of `center`, oldest first, and whether more lie beyond. */
export async function messageContext(db: Db, center: Message, botId: number, range: number): Promise<{ messages: Message[]; hasPrev: boolean; hasNext: boolean }> {
  const startId = Number((await membership(db, center.chat_id, botId))?.start_id ?? 0);
  const side = (dir: 'before' | 'after') => db.selectFrom('messages').selectAll().where('chat_id', '=', center.chat_id).where('id', '>=', startId)
    .where('id', dir === 'before' ? '<' : '>', center.id).orderBy('id', dir === 'before' ? 'desc' : 'asc').limit(range + 1).execute();
  const before = await side('before');
  const after = await side('after');
  return {
    messages: [...before.slice(0, range).reverse(), center, ...after.slice(0, range)],
    hasPrev: before.length > range, hasNext: after.length > range,
  };
}
