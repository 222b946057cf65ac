/**
 * imbot.chat.add, imbot.chat.get, imbot.chat.leave, imbot.chat.updateTitle / updateColor /
 * updateAvatar, imbot.chat.setOwner and imbot.chat.setManager: a bot creating and managing group
 * chats on behalf of its app. The bot is found with BOT_ID (or CLIENT_ID) as in every imbot method
 * and must be a member of the chat it manages. The bodies are im.chat.*'s (../chat-actions.ts) with
 * the bot as the actor; members: imbot/chat.user.ts. Errors carry the texts of the English docs.
 */
import { defineMethod } from '../../rest/registry.ts';
import { fail } from '../../errors.ts';
import { c } from '../../rest/schema.ts';
import { runAction } from '../../domain/action.ts';
import { memberChat, setManager } from '../../domain/chat-admin.ts';
import { avatar } from '../codecs/chat-looks.ts';
import { chatId, dialogId } from '../codecs/dialogs.ts';
import { botUser } from '../codecs/messages.ts';
import { typeIn } from '../../domain/dialogs.ts';
import {
  addChat, asBot, CHAT_COLOR, CHAT_FIELDS, CHAT_ENTITY, chatOfEntity, NEW_CHAT, recolorChatAs, removeChatMember, renameChatAs, setChatAvatarAs,
  setChatOwnerAs,
} from '../chat-actions.ts';

defineMethod({
  name: 'imbot.chat.add', scope: 'imbot', access: 'bot',
  // USERS is read before the bot is looked up; the rest as for im.chat.add.
  params: { USERS: NEW_CHAT.USERS, BOT_ID: botUser(), ...CHAT_FIELDS },
  async handler(ctx, input) {
    return addChat(ctx.portal, asBot(input.BOT_ID), input);
  },
});

defineMethod({
  name: 'imbot.chat.get', scope: 'imbot', access: 'bot',
  params: { BOT_ID: botUser(), ...CHAT_ENTITY },
  async handler(ctx, input) {
    return chatOfEntity(ctx.portal, asBot(input.BOT_ID), input);
  },
});

defineMethod({
  name: 'imbot.chat.leave', scope: 'imbot', access: 'bot', denied: 'WRONG_REQUEST',
  params: { CHAT_ID: chatId(), BOT_ID: botUser() },
  async handler(ctx, { CHAT_ID, BOT_ID: bot }) {
    const notMember = "You don't have access or user isn't a member in chat";
    await removeChatMember(ctx.portal, asBot(bot), CHAT_ID, bot.id, { notMember, refused: notMember });
    return true;
  },
});

defineMethod({
  name: 'imbot.chat.updateTitle', scope: 'imbot', access: 'bot',
  params: { CHAT_ID: chatId(), TITLE: c.requiredString('TITLE_EMPTY'), BOT_ID: botUser() },
  async handler(ctx, { CHAT_ID, TITLE, BOT_ID }) {
    await renameChatAs(ctx.portal, asBot(BOT_ID), CHAT_ID, TITLE);
    return true;
  },
});

defineMethod({
  name: 'imbot.chat.updateColor', scope: 'imbot', access: 'bot',
  params: { CHAT_ID: chatId(), COLOR: CHAT_COLOR, BOT_ID: botUser() },
  async handler(ctx, { CHAT_ID, COLOR, BOT_ID }) {
    await recolorChatAs(ctx.portal, asBot(BOT_ID), CHAT_ID, COLOR);
    return true;
  },
});

defineMethod({
  name: 'imbot.chat.updateAvatar', scope: 'imbot', access: 'bot',
  params: { CHAT_ID: chatId(), BOT_ID: botUser(), AVATAR: avatar() },
  async handler(ctx, { CHAT_ID, BOT_ID, AVATAR }) {
    await setChatAvatarAs(ctx.portal, asBot(BOT_ID), CHAT_ID, AVATAR);
    return true;
  },
});

defineMethod({
  name: 'imbot.chat.setOwner', scope: 'imbot', access: 'bot',
  params: { CHAT_ID: chatId(), USER_ID: c.id('USER_ID_EMPTY'), BOT_ID: botUser() },
  async handler(ctx, { CHAT_ID, USER_ID, BOT_ID }) {
    await setChatOwnerAs(ctx.portal, asBot(BOT_ID), CHAT_ID, USER_ID);
    return true;
  },
});

defineMethod({
  name: 'imbot.chat.setManager', scope: 'imbot', access: 'bot',
  params: { CHAT_ID: chatId(), USER_ID: c.id('USER_ID_EMPTY'), IS_MANAGER: c.flag(true), BOT_ID: botUser() },
  async handler(ctx, { CHAT_ID, USER_ID, IS_MANAGER, BOT_ID: bot }) {
    await runAction(ctx.portal, async (trx) => {
      const chat = await memberChat(trx, bot, CHAT_ID);
      if (!(await setManager(trx, chat, bot, USER_ID, IS_MANAGER))) fail('WRONG_REQUEST', 'Change manager can only owner and user must be member in chat');
    });
    return true;
  },
});

// "The bot is typing…", as im.dialog.writing for a user: only where the bot may write (opening a
// private dialog may create it).
defineMethod({
  name: 'imbot.chat.sendTyping', scope: 'imbot', access: 'bot',
  params: { BOT_ID: botUser(), DIALOG_ID: dialogId() },
  async handler(ctx, { BOT_ID: bot, DIALOG_ID }) {
    await typeIn(ctx.portal, bot, DIALOG_ID);
    return true;
  },
});
