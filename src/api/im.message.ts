/** im.message.add / update / delete: a user (or an app acting as its user) writes in dialogs they belong to. */
import { defineMethod } from '../rest/registry.ts';
import { fail } from '../rest/errors.ts';
import { int, str, type Params } from '../rest/params.ts';
import type { CallContext } from '../rest/registry.ts';
import { openDialog } from '../domain/chats.ts';
import { canChange, deleteMessage, findMessage, postMessage } from '../domain/messages.ts';
import { afterPost, applyEdit, dialogParam, readNewMessage } from './message-input.ts';

defineMethod({
  name: 'im.message.add', scope: 'im',
  async handler(ctx, p) {
    // im.message.add names its missing-recipient errors after the dialog kind (seed, "Chat API").
    if (/^chat0*$/i.test(str(p, 'DIALOG_ID').trim())) fail('CHAT_ID_EMPTY');
    const ref = dialogParam(p, 'USER_ID_EMPTY');
    const input = readNewMessage(p);
    const id = await ctx.portal.db.transaction().execute(async (trx) => {
      const chat = await openDialog(trx, ctx.user, ref, 'write');
      return (await postMessage(ctx.portal, trx, chat, ctx.user, input)).id;
    });
    ctx.portal.wake();
    afterPost(ctx.portal, id, input);
    return id;
  },
});

// The caller's own message named by MESSAGE_ID, or the documented error.
async function ownMessage(ctx: CallContext, p: Params) {
  const id = int(p, 'MESSAGE_ID');
  if (id <= 0) fail('MESSAGE_ID_ERROR');
  const message = await findMessage(ctx.portal.db, id);
  if (!message || !canChange(message, ctx.user.id)) fail('CANT_EDIT_MESSAGE');
  return message;
}

defineMethod({
  name: 'im.message.update', scope: 'im',
  async handler(ctx, p) {
    const message = await ownMessage(ctx, p);
    await applyEdit(ctx.portal, message, ctx.user, p);
    return true;
  },
});

defineMethod({
  name: 'im.message.delete', scope: 'im',
  async handler(ctx, p) {
    const message = await ownMessage(ctx, p);
    await ctx.portal.db.transaction().execute((trx) => deleteMessage(ctx.portal, trx, message, ctx.user, false));
    ctx.portal.wake();
    return true;
  },
});
