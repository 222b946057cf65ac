/** imbot.dialog.get: a dialog as the calling bot sees it, as im.dialog.get answers a user. */
import { defineMethod } from '../../rest/registry.ts';
import { runAction } from '../../domain/action.ts';
import { openDialog } from '../../domain/chats.ts';
import { dialogId } from '../codecs/dialogs.ts';
import { botUser } from '../codecs/messages.ts';
import { chatDetailsAs } from '../im.dialog.ts';

defineMethod({
  name: 'imbot.dialog.get', scope: 'imbot', access: 'bot',
  params: { DIALOG_ID: dialogId(), BOT_ID: botUser() },
  async handler(ctx, { DIALOG_ID: ref, BOT_ID: bot }) {
    // Read access, as im.dialog.get: the bot's own dialogs, and open chats.
    const chat = await runAction(ctx.portal, (trx) => openDialog(trx, bot, ref, 'read'));
    return chatDetailsAs(ctx.portal, chat, bot);
  },
});
