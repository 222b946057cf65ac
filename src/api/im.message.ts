/** im.message.add: a user (or an app acting as its user) writes into a dialog they belong to. */
import { defineMethod } from '../rest/registry.ts';
import { fail } from '../rest/errors.ts';
import { str } from '../rest/params.ts';
import { openDialog } from '../domain/chats.ts';
import { postMessage } from '../domain/messages.ts';
import { parseDialogId } from '../domain/types.ts';
import { readNewMessage } from './message-input.ts';

defineMethod({
  name: 'im.message.add', scope: 'im',
  async handler(ctx, p) {
    const dialog = str(p, 'DIALOG_ID').trim();
    if (!dialog) fail('USER_ID_EMPTY');
    if (/^chat$/i.test(dialog) || /^chat0*$/i.test(dialog)) fail('CHAT_ID_EMPTY');
    const ref = parseDialogId(dialog);
    if (!ref) fail('USER_ID_EMPTY', 'Dialog ID has a wrong format');
    const input = readNewMessage(p);
    const id = await ctx.portal.db.transaction().execute(async (trx) => {
      const chat = await openDialog(trx, ctx.user, ref, 'write');
      return (await postMessage(ctx.portal, trx, chat, ctx.user, input)).id;
    });
    ctx.portal.wake();
    return id;
  },
});
