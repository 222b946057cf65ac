/**
 * Who may act on one message named by id: the rule every method taking a MESSAGE_ID (or REPLY_ID)
 * applies, so an id from a chat the caller is not in, or from the history hidden from them when
 * they joined (HIDE_HISTORY), reaches nothing.
 */
import type { Db } from '../store/db.ts';
import { fail } from '../errors.ts';
import type { Message, User } from './types.ts';
import { findMessage } from './messages.ts';

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

/**
 * The message named by `id` that `actor` may edit or delete, or undefined: their own, not deleted.
 * Editing writes into the chat, so a person must still be a member who sees it (not someone who
 * left or was removed); a bot's app may still correct what its bot wrote.
 */
export async function findEditableMessage(db: Db, id: number, actor: User): Promise<Message | undefined> {
  const message = await findMessage(db, id);
  if (!message || message.deleted || message.author_id !== actor.id) return undefined;
  if (!actor.is_bot && !(await memberSees(db, message, actor.id))) return undefined;
  return message;
}

/**
 * The message named by `id` that `actor` may like, or undefined: not deleted, and one they may read
 * (a person anywhere they may read it, open chats included; a bot only where it is a member).
 */
export async function findLikeableMessage(db: Db, id: number, actor: User): Promise<Message | undefined> {
  const message = await findMessage(db, id);
  if (!message || message.deleted) return undefined;
  const sees = actor.is_bot ? await memberSees(db, message, actor.id) : await canReadMessage(db, message, actor.id);
  return sees ? message : undefined;
}

/**
 * REPLY_ID (English docs): the answered message must be one `userId` sees, in the chat written to;
 * REPLY_ACCESS_ERROR / REPLY_FROM_OTHER_CHAT_ERROR otherwise.
 */
export async function checkReply(db: Db, replyId: number, chatId: number, userId: number): Promise<void> {
  const replied = await findMessage(db, replyId);
  if (!replied || replied.deleted || !(await memberSees(db, replied, userId))) fail('REPLY_ACCESS_ERROR');
  if (replied.chat_id !== chatId) fail('REPLY_FROM_OTHER_CHAT_ERROR');
}
