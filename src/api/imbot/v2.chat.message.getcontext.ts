/**
 * imbot.v2.Chat.Message.getContext (chat-bots-v2/imbot.v2/messages/): a `supervisor` or `personal`
 * bot reads the messages around one of its chats' messages (domain/bot-v2-messages.ts messageContext).
 */
import { defineMethod } from '../../rest/registry.ts';
import { c } from '../../rest/schema.ts';
import { botMessage, messageContext } from '../../domain/bot-v2-messages.ts';
import { eventMessage } from '../../domain/bot-v2-events.ts';
import { botToken } from '../codecs/bots-v2.ts';
import { authorsOf, messageId, readerBot } from '../codecs/bots-v2-reader.ts';

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
