/**
 * imbot.chat.user.list / add / delete: a bot listing, inviting and removing the members of a chat it
 * is in. The bodies are im.chat.user.*'s (../chat-actions.ts) with the bot as the actor.
 */
import { defineMethod } from '../../rest/registry.ts';
import { c } from '../../rest/schema.ts';
import { chatId } from '../codecs/dialogs.ts';
import { botUser } from '../codecs/messages.ts';
import { addChatMembers, asBot, CANNOT_REMOVE, chatMembers, removeChatMember, USERS_TO_ADD } from '../chat-actions.ts';

defineMethod({
  name: 'imbot.chat.user.list', scope: 'imbot', access: 'bot',
  params: { CHAT_ID: chatId(), BOT_ID: botUser() },
  async handler(ctx, { CHAT_ID, BOT_ID }) {
    return chatMembers(ctx.portal, asBot(BOT_ID), CHAT_ID);
  },
});

defineMethod({
  name: 'imbot.chat.user.add', scope: 'imbot', access: 'bot',
  params: { CHAT_ID: chatId(), USERS: USERS_TO_ADD, HIDE_HISTORY: c.flag(), BOT_ID: botUser() },
  async handler(ctx, { CHAT_ID, USERS, HIDE_HISTORY, BOT_ID }) {
    await addChatMembers(ctx.portal, asBot(BOT_ID), CHAT_ID, USERS, HIDE_HISTORY);
    return true;
  },
});

defineMethod({
  name: 'imbot.chat.user.delete', scope: 'imbot', access: 'bot',
  params: { CHAT_ID: chatId(), USER_ID: c.id('USER_ID_EMPTY'), BOT_ID: botUser() },
  async handler(ctx, { CHAT_ID, USER_ID, BOT_ID }) {
    // The bot removing itself is leaving: a chat it is not in is WRONG_REQUEST, as for imbot.chat.leave.
    await removeChatMember(ctx.portal, asBot(BOT_ID), CHAT_ID, USER_ID, { notMember: CANNOT_REMOVE, refused: CANNOT_REMOVE });
    return true;
  },
});
