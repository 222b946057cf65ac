/**
 * im.v2 user events (chat-bots-v2/im.v2/events/events.md): ONIMV2MESSAGEADD, MESSAGEUPDATE,
 * MESSAGEDELETE, REACTIONCHANGE and JOINCHAT (users invited into a group chat) for each member of the chat who
 * subscribed with im.v2.Event.subscribe, recorded in
 * the same transaction as the change into the v2 event log (events/bot-v2-log.ts), where
 * im.v2.Event.get (or a bot's Event.get with withUserEvents) reads them. Every member is told,
 * the author too: the docs name "a new message in a chat the subscribed user belongs to".
 * The objects are the bots' event objects (bot-v2-events.ts), the chat as that member sees it.
 */
import type { Db } from '../store/db.ts';
import { recordUserEvents, subscribedOf } from '../events/bot-v2-log.ts';
import { eventChat, eventMessage, eventUser } from './bot-v2-events.ts';
import type { Chat, Message, User } from './types.ts';

const LANGUAGE = 'en';

/** Tell the subscribed ones of `members` that `message` was added, updated or deleted by `author`. */
export async function tellUserMessage(db: Db, kind: 'add' | 'update' | 'delete', chat: Chat, message: Message, author: User, members: number[]): Promise<void> {
  const users = await subscribedOf(db, members);
  if (!users.length) return;
  const user = eventUser(author);
  const type = kind === 'add' ? 'ONIMV2MESSAGEADD' : kind === 'update' ? 'ONIMV2MESSAGEUPDATE' : 'ONIMV2MESSAGEDELETE';
  const body = kind === 'delete' ? { messageId: message.id } : { message: await eventMessage(db, message) };
  await recordUserEvents(db, users.map((userId) => ({
    userId, type, data: { ...body, chat: eventChat(chat, { id: userId }), user, language: LANGUAGE },
  })));
}

/** ONIMV2JOINCHAT to the subscribed members of `chat` (the new ones included): one per user added. */
export async function tellUserJoin(db: Db, chat: Chat, added: User[], members: number[]): Promise<void> {
  const users = await subscribedOf(db, members);
  if (!users.length || !added.length) return;
  await recordUserEvents(db, users.flatMap((userId) => {
    const c = eventChat(chat, { id: userId });
    return added.map((u) => ({ userId, type: 'ONIMV2JOINCHAT', data: { dialogId: c.dialogId, chat: c, user: eventUser(u), language: LANGUAGE } }));
  }));
}

/**
 * ONIMV2REACTIONCHANGE to the subscribed members of the message's chat: `userId` added or removed
 * the reaction `reaction` (its code; `like` for the messenger's like) on `message`.
 */
export async function tellUserReaction(db: Db, message: Message, userId: number, reaction: string, action: 'add' | 'delete', members: number[]): Promise<void> {
  const users = await subscribedOf(db, members);
  if (!users.length) return;
  const who = await db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
  const chat = await db.selectFrom('chats').selectAll().where('id', '=', message.chat_id).executeTakeFirst();
  if (!who || !chat) return;
  const msg = await eventMessage(db, message);
  const user = eventUser(who);
  await recordUserEvents(db, users.map((id) => ({
    userId: id, type: 'ONIMV2REACTIONCHANGE', data: { reaction, action, message: msg, chat: eventChat(chat, { id }), user, language: LANGUAGE },
  })));
}
