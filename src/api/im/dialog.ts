/** im.dialog.read, im.dialog.unread, im.dialog.read.all, im.dialog.writing and im.chat.sendTyping: reading and typing state. */
import { defineMethod } from '../../rest/registry.ts';
import { fail } from '../../errors.ts';
import { has, pick, str, type Params } from '../../rest/params.ts';
import { findMessage } from '../../domain/messages.ts';
import { membership, readAll, readTo, unreadCounters, unreadFrom } from '../../domain/read-state.ts';
import { dialogIdFor, type Chat } from '../../domain/types.ts';
import { dialogOf } from '../im.dialog.ts';
import { chatIdParam, memberChat } from '../im.chat.params.ts';
import { announceTyping } from '../../realtime/typing.ts';

/** MESSAGE_ID as a message of this chat; MESSAGE_ID_ERROR when it is not a positive id of one. */
async function messageOf(db: Parameters<typeof findMessage>[0], chat: Chat, p: Params): Promise<number> {
  const raw = String(pick(p, 'MESSAGE_ID') ?? '').trim();
  if (!/^\d+$/.test(raw) || Number(raw) <= 0) fail('MESSAGE_ID_ERROR');
  const message = await findMessage(db, Number(raw));
  if (!message || message.chat_id !== chat.id) fail('MESSAGE_ID_ERROR');
  return message.id;
}

defineMethod({
  name: 'im.dialog.read', scope: 'im', access: 'read',
  async handler(ctx, p) {
    const chat = await dialogOf(ctx, p);
    const db = ctx.portal.db;
    // MESSAGE_ID is optional in the English docs (newer than the seed, where it is required): without it, all is read.
    const messageId = has(p, 'MESSAGE_ID') && str(p, 'MESSAGE_ID').trim() !== '' ? await messageOf(db, chat, p) : undefined;
    // A visitor of an open chat has no reading position to move: the documented `false`.
    if (!(await membership(db, chat.id, ctx.user.id))) return false;
    const lastId = await readTo(db, chat.id, ctx.user.id, messageId);
    const [counter] = await unreadCounters(db, ctx.user.id, [chat.id]);
    return { dialogId: dialogIdFor(chat, ctx.user.id), chatId: chat.id, counter: counter?.count ?? 0, lastId };
  },
});

defineMethod({
  name: 'im.dialog.unread', scope: 'im', access: 'read',
  async handler(ctx, p) {
    const chat = await dialogOf(ctx, p);
    const db = ctx.portal.db;
    const messageId = await messageOf(db, chat, p);
    if (!(await membership(db, chat.id, ctx.user.id))) return false;
    await unreadFrom(db, chat.id, ctx.user.id, messageId);
    return true;
  },
});

defineMethod({
  name: 'im.dialog.read.all', scope: 'im', access: 'self',
  async handler(ctx) {
    await readAll(ctx.portal.db, ctx.user.id);
    return true;
  },
});

defineMethod({
  name: 'im.dialog.writing', scope: 'im', access: 'dialog',
  async handler(ctx, p) {
    // The seed: CHAT_ID_EMPTY when a `chatXXX` id is malformed, DIALOG_ID_EMPTY otherwise.
    const raw = str(p, 'DIALOG_ID').trim();
    if (/^chat/i.test(raw) && !/^chat0*[1-9]\d*$/i.test(raw)) fail('CHAT_ID_EMPTY');
    // Only members may say they are typing.
    await announceTyping(ctx.portal, (await dialogOf(ctx, p, 'write')).id, ctx.user.id);
    return true;
  },
});

defineMethod({
  // The seed's full method list has the chat form of im.dialog.writing (CHAT_ID, like imbot.chat.sendTyping).
  name: 'im.chat.sendTyping', scope: 'im', access: 'dialog',
  async handler(ctx, p) {
    const chatId = chatIdParam(p);
    await announceTyping(ctx.portal, (await memberChat(ctx.portal.db, ctx.user, chatId)).id, ctx.user.id);
    return true;
  },
});
