/** im.dialog.messages.get: a window of a dialog's history, newest first, with its authors and files. */
import { defineMethod } from '../../rest/registry.ts';
import { dialogHistory } from '../../domain/dialogs.ts';
import { wireFilesOf } from '../../domain/files.ts';
import { dialogId, openFor } from '../codecs/dialogs.ts';
import { pageSize, position } from '../codecs/lists.ts';
import { wireDialogMessage } from '../im.dialog.wire.ts';
import { wireUser } from '../wire.ts';

defineMethod({
  name: 'im.dialog.messages.get', scope: 'im', access: 'read',
  params: {
    DIALOG_ID: dialogId(),
    // The English docs' codes for a non-numeric position (the seed lists none); checked before access.
    FIRST_ID: position('FIRST_ID_STRING', "First ID can't be string").map((v) => v ?? 0),
    LAST_ID: position('LAST_ID_STRING', "Last ID can't be string").map((v) => v ?? 0),
    // Documented default 20, at most 50.
    LIMIT: pageSize(20, 50),
  },
  async handler(ctx, input) {
    // Opening a dialog with a bot for the first time is what sends it ONIMBOTJOINCHAT.
    const chat = await openFor('read')(input.DIALOG_ID, ctx);
    const history = await dialogHistory(ctx.portal.db, chat, ctx.user.id, { firstId: input.FIRST_ID, lastId: input.LAST_ID, limit: input.LIMIT });
    const messages = history.messages.map((m) => m.message);
    return {
      chat_id: chat.id,
      messages: history.messages.map((m) => wireDialogMessage(m.message, m.unread)),
      users: [...history.authors.values()].map((u) => wireUser(ctx.portal, u)),
      files: await wireFilesOf(ctx.portal, ctx.portal.db, messages, ctx.user),
    };
  },
});
