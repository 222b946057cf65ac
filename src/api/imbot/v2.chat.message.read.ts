/**
 * imbot.v2.Chat.Message.read / get / getContext (chat-bots-v2/imbot.v2/messages/): a v2 bot marking
 * a dialog read, and a `supervisor` or `personal` bot reading messages of its chats (others:
 * BOT_TYPE_NOT_ALLOWED, as the pages say). The rules are domain/bot-v2-messages.ts's; the Message
 * and User objects are the ones events carry (src/wire/v2-entities.ts).
 */
import { defineMethod } from '../../rest/registry.ts';
import { int } from '../../rest/params.ts';
import { c, Codec } from '../../rest/schema.ts';
import { runAction } from '../../domain/action.ts';
import { findUsers } from '../../domain/users.ts';
import { botFields } from '../../domain/bots-v2.ts';
import { botMessage, botRead, messageContext } from '../../domain/bot-v2-messages.ts';
import { eventMessage } from '../../domain/bot-v2-events.ts';
import type { Bot, Message } from '../../domain/types.ts';
import type { Portal } from '../../portal.ts';
import { answerUser } from '../bots-v2.wire.ts';
import { botToken, ownBot } from '../codecs/bots-v2.ts';
import { chatOfBot } from './v2.chat.ts';

/** The bot types that may fetch messages: those that hear every message of their chats. */
const READERS = new Set(['supervisor', 'personal']);

/** `botId` of a bot the caller owns that may fetch messages; BOT_TYPE_NOT_ALLOWED otherwise. */
const readerBot = () => ownBot().check((bot: Bot) => READERS.has(botFields(bot).type), 'BOT_TYPE_NOT_ALLOWED');

/** `messageId`: a missing one names no message (MESSAGE_NOT_FOUND). */
const messageId = () => new Codec<number>('integer', (p, n) => int(p, n), true, 'MESSAGE_NOT_FOUND');

/** The User objects of the messages' authors (a system message has none), in the order they first appear. */
async function authorsOf(portal: Portal, messages: Message[]): Promise<Record<string, unknown>[]> {
  const ids = [...new Set(messages.filter((m) => !m.system).map((m) => m.author_id))];
  const found = await findUsers(portal.db, ids);
  return ids.flatMap((id) => (found.get(id) ? [answerUser(portal, found.get(id)!)] : []));
}

defineMethod({
  name: 'imbot.v2.Chat.Message.read', scope: 'imbot', access: 'botv2', denied: 'ACCESS_DENIED',
  params: { botToken: botToken(), botId: ownBot(), dialogId: c.trimmed(), messageId: c.int() },
  async handler(ctx, { botId: bot, dialogId, messageId: upTo }) {
    const chat = await chatOfBot(ctx, bot, dialogId);
    return runAction(ctx.portal, (trx) => botRead(trx, chat, bot.id, upTo > 0 ? upTo : undefined));
  },
});

defineMethod({
  name: 'imbot.v2.Chat.Message.get', scope: 'imbot', access: 'botv2', denied: 'MESSAGE_ACCESS_DENIED',
  params: { botToken: botToken(), botId: readerBot(), messageId: messageId() },
  async handler(ctx, { botId: bot, messageId: id }) {
    const message = await botMessage(ctx.portal.db, id, bot.id);
    const [user] = await authorsOf(ctx.portal, [message]);
    return { message: await eventMessage(ctx.portal.db, message), user: user ?? null };
  },
});

defineMethod({
  name: 'imbot.v2.Chat.Message.getContext', scope: 'imbot', access: 'botv2', denied: 'MESSAGE_ACCESS_DENIED',
  params: { botToken: botToken(), botId: readerBot(), messageId: messageId(), range: c.int() },
  async handler(ctx, { botId: bot, messageId: id, range }) {
    const center = await botMessage(ctx.portal.db, id, bot.id);
    // 1–50 on each side, 50 when not sent; out of range is brought into it.
    const around = await messageContext(ctx.portal.db, center, bot.id, range > 0 ? Math.min(range, 50) : 50);
    const messages = [];
    for (const m of around.messages) messages.push(await eventMessage(ctx.portal.db, m));
    return { messages, users: await authorsOf(ctx.portal, around.messages), hasPrevPage: around.hasPrev, hasNextPage: around.hasNext };
  },
});

