/**
 * imbot.message.add / update / delete / like: a bot writing in the dialogs it belongs to, on behalf
 * of the app that registered it. The bodies are shared with im.message.* (src/api/message-actions.ts),
 * with the bot's user as the actor.
 */
import { defineMethod } from '../../rest/registry.ts';
import { int, type Params } from '../../rest/params.ts';
import { c, Codec } from '../../rest/schema.ts';
import type { DialogRef } from '../../domain/types.ts';
import { dialogId } from '../codecs/dialogs.ts';
import { botActor, botUser, editableMessage, editParams, likeableMessage, likeAction, newMessageParams, ownerBot } from '../codecs/messages.ts';
import { addMessage, like, newMessage, removeMessage, updateMessage } from '../message-actions.ts';

// Both FROM_USER_ID and TO_USER_ID name users: the message is a system line in their private dialog.
const systemLine = (p: Params) => int(p, 'FROM_USER_ID') > 0 && int(p, 'TO_USER_ID') > 0;

/** DIALOG_ID as dialogId reads it, unless FROM_USER_ID and TO_USER_ID say where the message goes. */
function dialogUnlessLine(): Codec<DialogRef | undefined> {
  const dialog = dialogId();
  return new Codec('DIALOG_ID', (p, name, ctx) => (systemLine(p) ? undefined : dialog.read(p, name, ctx)), false, dialog.error);
}

defineMethod({
  name: 'imbot.message.add', scope: 'imbot', access: 'bot',
  params: {
    BOT_ID: botUser(),
    FROM_USER_ID: c.int(),
    TO_USER_ID: c.int(),
    // ATTACH, KEYBOARD, MENU, MESSAGE, URL_PREVIEW, SYSTEM; buttons name the calling bot.
    ...newMessageParams(ownerBot),
    // Read after the content: a call with neither gets MESSAGE_EMPTY, as it always has.
    DIALOG_ID: dialogUnlessLine(),
  },
  async handler(ctx, input) {
    const to = input.DIALOG_ID ?? { kind: 'line' as const, from: input.FROM_USER_ID, to: input.TO_USER_ID };
    return addMessage(ctx, input.BOT_ID, to, newMessage(input));
  },
});

defineMethod({
  name: 'imbot.message.update', scope: 'imbot', access: 'bot', denied: 'CANT_EDIT_MESSAGE',
  params: {
    BOT_ID: botUser(),
    MESSAGE_ID: editableMessage(botActor),
    // MESSAGE, ATTACH, KEYBOARD, MENU, URL_PREVIEW.
    ...editParams(ownerBot),
  },
  async handler(ctx, input) {
    // IS_EDITED is im.message.update's: a bot's ATTACH change does not show as an edit.
    await updateMessage(ctx.portal, input.MESSAGE_ID, input.BOT_ID, input, false);
    return true;
  },
});

defineMethod({
  name: 'imbot.message.delete', scope: 'imbot', access: 'bot', denied: 'CANT_EDIT_MESSAGE',
  params: { BOT_ID: botUser(), MESSAGE_ID: editableMessage(botActor), COMPLETE: c.flag() },
  async handler(ctx, { BOT_ID, MESSAGE_ID, COMPLETE }) {
    await removeMessage(ctx.portal, MESSAGE_ID, BOT_ID, COMPLETE);
    return true;
  },
});

defineMethod({
  name: 'imbot.message.like', scope: 'imbot', access: 'bot', denied: 'MESSAGE_ID_ERROR',
  params: { BOT_ID: botUser(), MESSAGE_ID: likeableMessage(botActor), ACTION: likeAction() },
  async handler(ctx, { BOT_ID, MESSAGE_ID, ACTION }) {
    await like(ctx.portal, MESSAGE_ID, BOT_ID, ACTION);
    return true;
  },
});
