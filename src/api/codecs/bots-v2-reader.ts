/**
 * What imbot.v2.Chat.Message.get and getContext share: the bot that may fetch messages (a
 * `supervisor` or `personal` bot, BOT_TYPE_NOT_ALLOWED otherwise, as the pages say), `messageId`, and
 * the User objects of the messages' authors.
 */
import { int } from '../../rest/params.ts';
import { Codec } from '../../rest/schema.ts';
import { findUsers } from '../../domain/users.ts';
import { botFields } from '../../domain/bots-v2.ts';
import type { Bot, Message } from '../../domain/types.ts';
import type { Portal } from '../../portal.ts';
import { answerUser } from '../bots-v2.wire.ts';
import { ownBot } from './bots-v2.ts';

/** The bot types that may fetch messages: those that hear every message of their chats. */
const READERS = new Set(['supervisor', 'personal']);

/** `botId` of a bot the caller owns that may fetch messages; BOT_TYPE_NOT_ALLOWED otherwise. */
export const readerBot = () => ownBot().check((bot: Bot) => READERS.has(botFields(bot).type), 'BOT_TYPE_NOT_ALLOWED');

/** `messageId`: a missing one names no message (MESSAGE_NOT_FOUND). */
export const messageId = () => new Codec<number>('integer', (p, n) => int(p, n), true, 'MESSAGE_NOT_FOUND');

/** The User objects of the messages' authors (a system message has none), in the order they first appear. */
export async function authorsOf(portal: Portal, messages: Message[]): Promise<Record<string, unknown>[]> {
  const ids = [...new Set(messages.filter((m) => !m.system).map((m) => m.author_id))];
  const found = await findUsers(portal.db, ids);
  return ids.flatMap((id) => (found.get(id) ? [answerUser(portal, found.get(id)!)] : []));
}
