/** im.chat.add and im.chat.user.add: group and open chats created and extended by users. */
import { defineMethod } from '../rest/registry.ts';
import { fail } from '../rest/errors.ts';
import { int, list, str } from '../rest/params.ts';
import { createChat, findChat, inviteUsers, isMember } from '../domain/chats.ts';
import { postMessage } from '../domain/messages.ts';

const ids = (values: unknown[]) => [...new Set(values.map((v) => Number(v)).filter((n) => Number.isSafeInteger(n) && n > 0))];

defineMethod({
  name: 'im.chat.add', scope: 'im',
  async handler(ctx, p) {
    const users = ids(list(p, 'USERS'));
    // The seed makes USERS required (USERS_EMPTY); the caller alone is not a chat.
    if (!users.filter((u) => u !== ctx.user.id).length) fail('USERS_EMPTY');
    const type = str(p, 'TYPE').toUpperCase() === 'OPEN' ? 'O' : 'C';
    const ownerId = int(p, 'OWNER_ID') || ctx.user.id;
    const message = str(p, 'MESSAGE').trim();
    const chat = await ctx.portal.db.transaction().execute(async (trx) => {
      const chat = await createChat(ctx.portal, trx, ctx.user, {
        type, title: str(p, 'TITLE').trim(), description: str(p, 'DESCRIPTION'), color: str(p, 'COLOR').toUpperCase(),
        ownerId, userIds: users, entityType: str(p, 'ENTITY_TYPE'), entityId: str(p, 'ENTITY_ID'),
      });
      if (message) await postMessage(ctx.portal, trx, chat, ctx.user, { text: message });
      return chat;
    });
    ctx.portal.wake();
    return chat.id;
  },
});

defineMethod({
  name: 'im.chat.user.add', scope: 'im',
  async handler(ctx, p) {
    const chatId = int(p, 'CHAT_ID');
    if (chatId <= 0) fail('CHAT_ID_EMPTY');
    const users = ids(list(p, 'USERS'));
    if (!users.length) fail('USERS_EMPTY');
    const db = ctx.portal.db;
    const chat = await findChat(db, chatId);
    if (!chat || chat.type === 'P') fail('WRONG_REQUEST', 'You do not have permission to add a participant to the chat, or the participant is already in the chat');
    // Open chats may be joined by anyone; other chats only extended by their members.
    const selfJoin = chat.type === 'O' && users.length === 1 && users[0] === ctx.user.id;
    if (!selfJoin && !(await isMember(db, chat.id, ctx.user.id))) fail('ACCESS_ERROR', 'Action unavailable');
    const added = await db.transaction().execute((trx) => inviteUsers(ctx.portal, trx, chat, ctx.user, users));
    if (!added.length) fail('WRONG_REQUEST', 'You do not have permission to add a participant to the chat, or the participant is already in the chat');
    ctx.portal.wake();
    return true;
  },
});
