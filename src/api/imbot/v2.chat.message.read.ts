/**
 * imbot.v2.Chat.Message.read (chat-bots-v2/imbot.v2/messages/): a v2 bot marks a dialog it is in read
 * (domain/bot-v2-messages.ts botRead). Reading messages: v2.chat.message.get.ts, getcontext.ts.
 */
import { defineMethod } from '../../rest/registry.ts';
import { c } from '../../rest/schema.ts';
import { runAction } from '../../domain/action.ts';
import { botRead } from '../../domain/bot-v2-messages.ts';
import { botToken, ownBot } from '../codecs/bots-v2.ts';
import { chatOfBot } from './v2.chat.ts';

defineMethod({
  name: 'imbot.v2.Chat.Message.read', scope: 'imbot', access: 'botv2', denied: 'ACCESS_DENIED',
  params: { botToken: botToken(), botId: ownBot(), dialogId: c.trimmed(), messageId: c.int() },
  async handler(ctx, { botId: bot, dialogId, messageId: upTo }) {
    const chat = await chatOfBot(ctx, bot, dialogId);
    return runAction(ctx.portal, (trx) => botRead(trx, chat, bot.id, upTo > 0 ? upTo : undefined));
  },
});
