/**
 * im.chat.add, im.chat.get, im.chat.leave, im.chat.mute, im.chat.updateTitle / updateColor /
 * updateAvatar and im.chat.setOwner: users (and apps acting as their user) creating chats, changing
 * how they look (any member may: Bitrix24's default "manage_ui: member"), handing them over and
 * leaving them. Members: im/chat.user.ts. The bodies are imbot.chat.*'s too (../chat-actions.ts).
 * Codes follow the seed ("Chat API"); where it is silent, the English docs.
 */
import { defineMethod } from '../../rest/registry.ts';
import { fail } from '../../errors.ts';
import { c } from '../../rest/schema.ts';
import { runAction } from '../../domain/action.ts';
import { findUser } from '../../domain/users.ts';
import { privateChat } from '../../domain/chats.ts';
import { setMuted } from '../../domain/chat-admin.ts';
import { avatar } from '../codecs/chat-looks.ts';
import { chatId, chatOrDialog } from '../codecs/dialogs.ts';
import {
  addChat, asUser, CANNOT_REMOVE, CHAT_COLOR, CHAT_ENTITY, chatOfEntity, NEW_CHAT, recolorChatAs, removeChatMember, renameChatAs,
  setChatAvatarAs, setChatOwnerAs,
} from '../chat-actions.ts';

defineMethod({
  name: 'im.chat.add', scope: 'im', access: 'portal',
  params: NEW_CHAT,
  async handler(ctx, input) {
    return addChat(ctx.portal, asUser(ctx), input);
  },
});

defineMethod({
  name: 'im.chat.get', scope: 'im', access: 'read',
  params: CHAT_ENTITY,
  async handler(ctx, input) {
    return chatOfEntity(ctx.portal, asUser(ctx), input);
  },
});

defineMethod({
  name: 'im.chat.leave', scope: 'im', access: 'dialog', denied: 'WRONG_REQUEST',
  params: { CHAT_ID: chatId() },
  async handler(ctx, { CHAT_ID }) {
    // The seed: WRONG_REQUEST "you are not a member of this chat" (also for a chat that does not exist).
    await removeChatMember(ctx.portal, asUser(ctx), CHAT_ID, ctx.user.id, { notMember: 'You are not a member of this chat', refused: CANNOT_REMOVE });
    return true;
  },
});

defineMethod({
  name: 'im.chat.mute', scope: 'im', access: 'dialog',
  params: {
    // Unlike the update methods, mute also takes a private dialog (a user id) as DIALOG_ID.
    CHAT_ID: chatOrDialog(),
    // The seed names the flag MUTE; ACTION is read too, as some clients send it. Default Y (English docs).
    MUTE: c.optional(c.flag(true)),
    ACTION: c.optional(c.flag(true)),
  },
  async handler(ctx, { CHAT_ID: ref, MUTE, ACTION }) {
    const refusal = 'This chat cannot be muted';
    if (ref.kind === 'user' && (ref.userId === ctx.user.id || !(await findUser(ctx.portal.db, ref.userId)))) fail('ACCESS_ERROR', refusal);
    const muted = await runAction(ctx.portal, async (trx) => {
      const id = ref.kind === 'chat' ? ref.chatId : (await privateChat(trx, ctx.user, ref.userId, false)).id;
      return setMuted(trx, id, ctx.user.id, MUTE ?? ACTION ?? true);
    });
    if (!muted) fail('ACCESS_ERROR', refusal);
    return true;
  },
});

defineMethod({
  name: 'im.chat.updateTitle', scope: 'im', access: 'dialog',
  params: { CHAT_ID: chatId(), TITLE: c.requiredString('TITLE_EMPTY') },
  async handler(ctx, { CHAT_ID, TITLE }) {
    await renameChatAs(ctx.portal, asUser(ctx), CHAT_ID, TITLE);
    return true;
  },
});

defineMethod({
  name: 'im.chat.updateColor', scope: 'im', access: 'dialog',
  params: { CHAT_ID: chatId(), COLOR: CHAT_COLOR },
  async handler(ctx, { CHAT_ID, COLOR }) {
    await recolorChatAs(ctx.portal, asUser(ctx), CHAT_ID, COLOR);
    return true;
  },
});

defineMethod({
  name: 'im.chat.updateAvatar', scope: 'im', access: 'dialog',
  params: { CHAT_ID: chatId(), AVATAR: avatar() },
  async handler(ctx, { CHAT_ID, AVATAR }) {
    await setChatAvatarAs(ctx.portal, asUser(ctx), CHAT_ID, AVATAR);
    return true;
  },
});

defineMethod({
  name: 'im.chat.setOwner', scope: 'im', access: 'dialog',
  params: { CHAT_ID: chatId(), USER_ID: c.id('USER_ID_EMPTY') },
  async handler(ctx, { CHAT_ID, USER_ID }) {
    await setChatOwnerAs(ctx.portal, asUser(ctx), CHAT_ID, USER_ID);
    return true;
  },
});
