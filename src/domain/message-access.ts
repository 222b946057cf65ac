/**
 * Who may act on one message named by id: the rule every method taking a MESSAGE_ID (or REPLY_ID)
 * applies, so an id from a chat the caller is not in, or from the history hidden from them when
 * they joined (HIDE_HISTORY), reaches nothing.
 */
import type { Db } from '../store/db.ts';
import type { Message } from './types.ts';

/** Whether `userId` is a member of the message's chat who sees it (not before their history starts). */
export async function memberSees(db: Db, message: Message, userId: number): Promise<boolean> {
  const row = await db.selectFrom('chat_members').select('start_id').where('chat_id', '=', message.chat_id).where('user_id', '=', userId).executeTakeFirst();
  return !!row && message.id >= Number(row.start_id ?? 0);
}

/** Whether `userId` may read the message: anyone in an open chat, else a member who sees it. */
export async function canReadMessage(db: Db, message: Message, userId: number): Promise<boolean> {
  const chat = await db.selectFrom('chats').select('type').where('id', '=', message.chat_id).executeTakeFirst();
  if (!chat) return false;
  return chat.type === 'O' || memberSees(db, message, userId);
}
