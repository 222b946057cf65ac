/** im.message.add / update / delete / like: a user (or an app acting as its user) writes in dialogs they belong to. */
import { defineMethod } from '../../rest/registry.ts';
import { fail } from '../../errors.ts';
import type { CallContext } from '../../rest/registry.ts';
import { c } from '../../rest/schema.ts';
import { dialogId } from '../codecs.ts';
import { openDialog } from '../../domain/chats.ts';
import { canReadMessage, memberSees } from '../../domain/message-access.ts';
import { canChange, deleteMessage, findMessage, likeMessage, postMessage } from '../../domain/messages.ts';
import { afterPost, applyEdit, readNewMessage } from '../message-input.ts';
import { runAction } from '../../domain/action.ts';

defineMethod({
  name: 'im.message.add', scope: 'im', access: 'dialog',
  params: {
    // im.message.add names its missing-recipient errors after the dialog kind (seed, "Chat API").
    DIALOG_ID: dialogId('USER_ID_EMPTY', 'CHAT_ID_EMPTY'),
    _message: c.raw('message').map((_v, _ctx, p) => readNewMessage(p)),
    REPLY_ID: c.int(),
  },
  async handler(ctx, { DIALOG_ID: ref, _message: input, REPLY_ID: replyId }) {
    const id = await runAction(ctx.portal, async (trx) => {
      const chat = await openDialog(trx, ctx.user, ref, 'write');
      // REPLY_ID (English docs): the answered message must be one the caller can read, in the same chat.
      if (replyId > 0) {
        const replied = await findMessage(trx, replyId);
        if (!replied || replied.deleted || !(await memberSees(trx, replied, ctx.user.id))) fail('REPLY_ACCESS_ERROR');
        if (replied.chat_id !== chat.id) fail('REPLY_FROM_OTHER_CHAT_ERROR');
        input.params.REPLY_ID = replyId;
      }
      return (await postMessage(ctx.portal, trx, chat, ctx.user, input)).id;
    });
    afterPost(ctx.portal, id, input);
    return id;
  },
});

// The caller's own message named by MESSAGE_ID, or the documented error. Editing writes into the
// chat, so the author must still be a member of it (not someone who left or was removed).
async function ownMessage(ctx: CallContext, id: number) {
  const message = await findMessage(ctx.portal.db, id);
  if (!message || !canChange(message, ctx.user.id) || !(await memberSees(ctx.portal.db, message, ctx.user.id))) fail('CANT_EDIT_MESSAGE');
  return message;
}

defineMethod({
  name: 'im.message.update', scope: 'im', access: 'message', denied: 'CANT_EDIT_MESSAGE',
  params: { MESSAGE_ID: c.id('MESSAGE_ID_ERROR'), IS_EDITED: c.flag(true) },
  async handler(ctx, input, p) {
    const message = await ownMessage(ctx, input.MESSAGE_ID);
    // IS_EDITED (English docs, default Y) decides whether an ATTACH change shows as an edit; a new text always does.
    await applyEdit(ctx.portal, message, ctx.user, p, input.IS_EDITED);
    return true;
  },
});

defineMethod({
  name: 'im.message.delete', scope: 'im', access: 'message', denied: 'CANT_EDIT_MESSAGE',
  params: { MESSAGE_ID: c.id('MESSAGE_ID_ERROR') },
  async handler(ctx, { MESSAGE_ID }) {
    const message = await ownMessage(ctx, MESSAGE_ID);
    await runAction(ctx.portal, (trx) => deleteMessage(trx, message, ctx.user, false));
    return true;
  },
});

defineMethod({
  name: 'im.message.like', scope: 'im', access: 'message', denied: 'MESSAGE_ID_ERROR',
  params: {
    MESSAGE_ID: c.id('MESSAGE_ID_ERROR'),
    // Anything but plus or minus is auto, the documented default.
    ACTION: c.string().map((v) => (v.toLowerCase() === 'plus' ? 'plus' : v.toLowerCase() === 'minus' ? 'minus' : 'auto') as 'plus' | 'minus' | 'auto', 'plus|minus|auto'),
  },
  async handler(ctx, { MESSAGE_ID: id, ACTION: action }) {
    const db = ctx.portal.db;
    const message = await findMessage(db, id);
    if (!message || message.deleted) fail('MESSAGE_ID_ERROR', 'Message not found');
    // A message the caller may not see is answered like a missing one (the documented code; no hint it exists).
    if (!(await canReadMessage(db, message, ctx.user.id))) fail('MESSAGE_ID_ERROR', 'Message not found');
    if (!(await likeMessage(db, message, ctx.user.id, action))) fail('WITHOUT_CHANGES');
    // The like and its push rows are committed: clients hear of it now, not at the hub's next poll.
    ctx.portal.wake();
    return true;
  },
});
