/**
 * im.message.add / update / delete / like: a user (or an app acting as its user) writes in dialogs
 * they belong to. The bodies are shared with imbot.message.* (src/api/message-actions.ts).
 */
import { defineMethod } from '../../rest/registry.ts';
import { c } from '../../rest/schema.ts';
import { dialogId } from '../codecs/dialogs.ts';
import { callerActor, editableMessage, editParams, likeableMessage, likeAction, newMessageParams, ownerFromParam } from '../codecs/messages.ts';
import { addMessage, like, newMessage, removeMessage, updateMessage } from '../message-actions.ts';

defineMethod({
  name: 'im.message.add', scope: 'im', access: 'dialog',
  params: {
    // im.message.add names its missing-recipient errors after the dialog kind (seed, "Chat API").
    DIALOG_ID: dialogId('USER_ID_EMPTY', 'CHAT_ID_EMPTY'),
    // ATTACH, KEYBOARD, MENU, MESSAGE, URL_PREVIEW, SYSTEM; buttons name the bot of BOT_ID.
    ...newMessageParams(ownerFromParam),
    // The answered message (English docs); checked in the action, against the chat written to.
    REPLY_ID: c.int().map((v) => Math.max(0, v)),
  },
  async handler(ctx, input) {
    return addMessage(ctx, ctx.user, input.DIALOG_ID, newMessage(input, input.REPLY_ID));
  },
});

defineMethod({
  name: 'im.message.update', scope: 'im', access: 'message', denied: 'CANT_EDIT_MESSAGE',
  params: {
    MESSAGE_ID: editableMessage(callerActor),
    // English docs, default Y: whether an ATTACH change shows as an edit; a new text always does.
    IS_EDITED: c.flag(true),
    // MESSAGE, ATTACH, KEYBOARD, MENU, URL_PREVIEW.
    ...editParams(ownerFromParam),
  },
  async handler(ctx, input) {
    await updateMessage(ctx.portal, input.MESSAGE_ID, ctx.user, input, input.IS_EDITED);
    return true;
  },
});

defineMethod({
  name: 'im.message.delete', scope: 'im', access: 'message', denied: 'CANT_EDIT_MESSAGE',
  params: { MESSAGE_ID: editableMessage(callerActor) },
  async handler(ctx, { MESSAGE_ID }) {
    await removeMessage(ctx.portal, MESSAGE_ID, ctx.user, false);
    return true;
  },
});

defineMethod({
  name: 'im.message.like', scope: 'im', access: 'message', denied: 'MESSAGE_ID_ERROR',
  params: { MESSAGE_ID: likeableMessage(callerActor), ACTION: likeAction() },
  async handler(ctx, { MESSAGE_ID, ACTION }) {
    await like(ctx.portal, MESSAGE_ID, ctx.user, ACTION);
    return true;
  },
});
