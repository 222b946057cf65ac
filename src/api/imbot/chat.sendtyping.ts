/**
 * imbot.chat.sendTyping: "the bot is typing…" in a dialog it belongs to. (Its own file until the
 * imbot.chat family has src/api/imbot/chat.ts, where it belongs with the other imbot.chat.* methods.)
 */
import { defineMethod } from '../../rest/registry.ts';
import { openDialog } from '../../domain/chats.ts';
import { runAction } from '../../domain/action.ts';
import { announceTyping } from '../../domain/chats.ts';
import { botUser, dialogId } from '../codecs.ts';

defineMethod({
  name: 'imbot.chat.sendTyping', scope: 'imbot', access: 'bot',
  params: { BOT_ID: botUser(), DIALOG_ID: dialogId() },
  async handler(ctx, { BOT_ID: bot, DIALOG_ID }) {
    // Opening a private dialog may create it: a write, and only into a dialog the bot may write to.
    await runAction(ctx.portal, async (trx) => announceTyping(ctx.portal, trx, (await openDialog(trx, bot, DIALOG_ID, 'write')).id, bot.id));
    return true;
  },
});
