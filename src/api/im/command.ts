/**
 * im.command.list: the commands a dialog offers, for autocomplete (a Parley addition: Bitrix24 has
 * no REST method for it). COMMON commands everywhere, others where their bot is a member; hidden
 * ones (keyboard-only) are not offered.
 */
import { defineMethod } from '../../rest/registry.ts';
import { c } from '../../rest/schema.ts';
import { runAction } from '../../domain/action.ts';
import { openDialog } from '../../domain/chats.ts';
import { commandsInChat, phraseFor } from '../../domain/commands.ts';
import { dialogId } from '../codecs/dialogs.ts';

defineMethod({
  name: 'im.command.list', scope: 'im', access: 'read',
  params: { DIALOG_ID: dialogId(), LANGUAGE_ID: c.string() },
  async handler(ctx, { DIALOG_ID: ref, LANGUAGE_ID }) {
    const chat = await runAction(ctx.portal, (trx) => openDialog(trx, ctx.user, ref, 'read'));
    const language = LANGUAGE_ID || 'en';
    const out = [];
    for (const command of await commandsInChat(ctx.portal.db, chat)) {
      const phrase = phraseFor(command, language);
      if (command.hidden || !phrase) continue;
      out.push({ id: command.id, bot_id: command.bot_id, command: `/${command.command}`, title: phrase.TITLE, params: phrase.PARAMS, common: !!command.common });
    }
    return out;
  },
});
