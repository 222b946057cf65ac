/**
 * im.dialog.get, im.dialog.users.list, im.dialog.read, im.dialog.unread, im.dialog.read.all and
 * im.dialog.writing: a dialog the caller may see, its members, their reading position in it, and
 * "typing". im.dialog.messages.get: ./dialog.messages.ts.
 */
import { defineMethod, Page, slice } from '../../rest/registry.ts';
import { c } from '../../rest/schema.ts';
import { runAction } from '../../domain/action.ts';
import { readDialog, typeIn, unreadDialog } from '../../domain/dialogs.ts';
import { readAll } from '../../domain/read-state.ts';
import { chatMembers } from '../../domain/recent.ts';
import { findUsers } from '../../domain/users.ts';
import { dialogIdFor, type User } from '../../domain/types.ts';
import { dialogId, openedDialog } from '../codecs/dialogs.ts';
import { offset, pageSize, position } from '../codecs/lists.ts';
import { chatDetailsAs } from '../im.dialog.ts';
import { wireUser } from '../wire.ts';

defineMethod({
  name: 'im.dialog.get', scope: 'im', access: 'read',
  params: { DIALOG_ID: openedDialog('read') },
  handler: (ctx, { DIALOG_ID: chat }) => chatDetailsAs(ctx.portal, chat, ctx.user),
});

// The kinds of "external" (system) users SKIP_EXTERNAL leaves out; Parley has bots among them only.
const externalType = (u: User) => (u.is_bot ? 'bot' : '');

defineMethod({
  name: 'im.dialog.users.list', scope: 'im', access: 'read',
  params: {
    DIALOG_ID: openedDialog('read'),
    SKIP_EXTERNAL: c.flag(),
    SKIP_EXTERNAL_EXCEPT_TYPES: c.string(),
    LAST_ID: c.int(),
    // OFFSET (English docs), else the standard `start`; LIMIT defaults to 50, at most 200.
    OFFSET: c.optional(offset()),
    LIMIT: pageSize(50, 200),
  },
  async handler(ctx, input) {
    const chat = input.DIALOG_ID;
    const db = ctx.portal.db;
    const ids = ((await chatMembers(db, [chat.id])).get(chat.id) ?? []).map((m) => m.userId).sort((a, b) => a - b);
    const users = await findUsers(db, ids);
    let list = ids.map((id) => users.get(id)).filter((u): u is User => !!u);
    if (input.SKIP_EXTERNAL) {
      const keep = new Set(input.SKIP_EXTERNAL_EXCEPT_TYPES.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean));
      list = list.filter((u) => !externalType(u) || keep.has(externalType(u)));
    }
    if (input.LAST_ID > 0) list = list.filter((u) => u.id > input.LAST_ID);
    const { page, total, next } = slice(list, input.OFFSET ?? Math.max(0, ctx.start), input.LIMIT);
    return new Page(page.map((u) => wireUser(ctx.portal, u)), total, next);
  },
});

defineMethod({
  name: 'im.dialog.read', scope: 'im', access: 'read',
  params: {
    DIALOG_ID: openedDialog('read'),
    // Optional in the English docs (newer than the seed, where it is required): without it, all is read.
    // Digits only, as a paging position is read; a message of this chat (domain/dialogs.ts).
    MESSAGE_ID: position('MESSAGE_ID_ERROR').check((v) => v === undefined || v > 0, 'MESSAGE_ID_ERROR'),
  },
  async handler(ctx, { DIALOG_ID: chat, MESSAGE_ID: messageId }) {
    const read = await runAction(ctx.portal, (trx) => readDialog(trx, chat, ctx.user.id, messageId));
    // A visitor of an open chat has no reading position to move: the documented `false`.
    if (!read) return false;
    return { dialogId: dialogIdFor(chat, ctx.user.id), chatId: chat.id, counter: read.counter, lastId: read.lastId };
  },
});

defineMethod({
  name: 'im.dialog.unread', scope: 'im', access: 'read',
  params: {
    DIALOG_ID: openedDialog('read'),
    MESSAGE_ID: position('MESSAGE_ID_ERROR').require((v) => v !== undefined && v > 0, 'MESSAGE_ID_ERROR').map((v) => v ?? 0),
  },
  handler: (ctx, { DIALOG_ID: chat, MESSAGE_ID: messageId }) =>
    runAction(ctx.portal, (trx) => unreadDialog(trx, chat, ctx.user.id, messageId)),
});

defineMethod({
  name: 'im.dialog.read.all', scope: 'im', access: 'self',
  params: {},
  async handler(ctx) {
    await runAction(ctx.portal, (trx) => readAll(trx, ctx.user.id));
    return true;
  },
});

defineMethod({
  name: 'im.dialog.writing', scope: 'im', access: 'dialog',
  // The seed: CHAT_ID_EMPTY when a `chatXXX` id is malformed, DIALOG_ID_EMPTY otherwise.
  params: { DIALOG_ID: dialogId('DIALOG_ID_EMPTY', undefined, 'CHAT_ID_EMPTY') },
  async handler(ctx, { DIALOG_ID: ref }) {
    // Only members may say they are typing (an open chat's visitors too are refused).
    await typeIn(ctx.portal, ctx.user, ref);
    return true;
  },
});
