/**
 * imbot.v2.Chat.TextField.enabled (chat-bots-v2/imbot.v2/ui/): the chat's `text_field_enabled`, which
 * the web messenger's composer honours (it only switches the web interface: REST still posts).
 */
import { defineMethod } from '../../rest/registry.ts';
import { c } from '../../rest/schema.ts';
import { runAction } from '../../domain/action.ts';
import { setTextField } from '../../domain/chat-admin.ts';
import { botToken, ownBot } from '../codecs/bots-v2.ts';
import { chatOfBot } from './v2.chat.ts';

defineMethod({
  name: 'imbot.v2.Chat.TextField.enabled', scope: 'imbot', access: 'botv2', denied: 'ACCESS_DENIED',
  params: { botToken: botToken(), botId: ownBot(), dialogId: c.trimmed(), enabled: c.flag(true) },
  async handler(ctx, { botId: bot, dialogId, enabled }) {
    // Any chat the bot is in, private dialogs first of all (change-log BOT-FIX-0408-5): membership is the right.
    const chat = await chatOfBot(ctx, bot, dialogId);
    await runAction(ctx.portal, (trx) => setTextField(trx, chat, enabled));
    return { result: true };
  },
});
