/**
 * im.chat.user.list / add / delete: who is in a chat, inviting users into it and removing them. The
 * bodies are imbot.chat.user.*'s too (../chat-actions.ts). Codes follow the seed ("Chat API").
 */
import { defineMethod } from '../../rest/registry.ts';
import { c } from '../../rest/schema.ts';
import { chatId } from '../codecs/dialogs.ts';
import { addChatMembers, asUser, CANNOT_REMOVE, chatMembers, removeChatMember, USERS_TO_ADD } from '../chat-actions.ts';

defineMethod({
  name: 'im.chat.user.list', scope: 'im', access: 'read',
  params: { CHAT_ID: chatId() },
  async handler(ctx, { CHAT_ID }) {
    return chatMembers(ctx.portal, asUser(ctx), CHAT_ID);
  },
});

defineMethod({
  name: 'im.chat.user.add', scope: 'im', access: 'dialog',
  params: {
    CHAT_ID: chatId(),
    USERS: USERS_TO_ADD,
    // The seed: HIDE_HISTORY=Y hides the history from the new members; N (the default) shows it.
    HIDE_HISTORY: c.flag(),
  },
  async handler(ctx, { CHAT_ID, USERS, HIDE_HISTORY }) {
    await addChatMembers(ctx.portal, asUser(ctx), CHAT_ID, USERS, HIDE_HISTORY);
    return true;
  },
});

defineMethod({
  name: 'im.chat.user.delete', scope: 'im', access: 'dialog',
  params: { CHAT_ID: chatId(), USER_ID: c.id('USER_ID_EMPTY') },
  async handler(ctx, { CHAT_ID, USER_ID }) {
    // Removing oneself is leaving, with the owner's hand-over.
    await removeChatMember(ctx.portal, asUser(ctx), CHAT_ID, USER_ID, { refused: CANNOT_REMOVE });
    return true;
  },
});
