/**
 * imbot.v2.Chat.Message.get (chat-bots-v2/imbot.v2/messages/): a `supervisor` or `personal` bot reads
 * one message of its chats, as the Message object events carry (src/wire/v2-entities.ts).
 */
import { defineMethod } from '../../rest/registry.ts';
import { botMessage } from '../../domain/bot-v2-messages.ts';
import { eventMessage } from '../../domain/bot-v2-events.ts';
import { botToken } from '../codecs/bots-v2.ts';
import { authorsOf, messageId, readerBot } from '../codecs/bots-v2-reader.ts';

defineMethod({
  name: 'imbot.v2.Chat.Message.get', scope: 'imbot', access: 'botv2', denied: 'MESSAGE_ACCESS_DENIED',
  params: { botToken: botToken(), botId: readerBot(), messageId: messageId() },
  async handler(ctx, { botId: bot, messageId: id }) {
    const message = await botMessage(ctx.portal.db, id, bot.id);
    const [user] = await authorsOf(ctx.portal, [message]);
    return { message: await eventMessage(ctx.portal.db, message), user: user ?? null };
  },
});
