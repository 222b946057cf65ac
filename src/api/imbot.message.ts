/**
 * imbot.message.add / update / delete / like and imbot.chat.sendTyping: a bot writing in the dialogs
 * it belongs to, on behalf of the app that registered it.
 */
import { defineMethod } from '../rest/registry.ts';
import { fail } from '../errors.ts';
import { flag, int, str } from '../rest/params.ts';
import { findUser } from '../domain/users.ts';
import { announceTyping, openDialog, privateChat } from '../domain/chats.ts';
import { memberSees } from '../domain/message-access.ts';
import { deleteMessage, findMessage, likeMessage, postMessage } from '../domain/messages.ts';
import { callerBot } from './imbot.bot.ts';
import { afterPost, applyEdit, dialogParam, readNewMessage } from './message-input.ts';
import { runAction } from '../domain/action.ts';

defineMethod({
  name: 'imbot.message.add', scope: 'imbot', access: 'bot',
  async handler(ctx, p) {
    const { bot } = await callerBot(ctx, p);
    const botUser = await findUser(ctx.portal.db, bot.id);
    if (!botUser) fail('BOT_ID_ERROR');
    const from = int(p, 'FROM_USER_ID');
    const to = int(p, 'TO_USER_ID');
    const input = readNewMessage(p, bot.id);
    const id = await runAction(ctx.portal, async (trx) => {
      let chat;
      if (from > 0 && to > 0) {
        // A system line from the bot inside two users' private dialog: only one of those two may ask
        // (the token in an event's `auth` is the user who wrote, so a bot can answer into that user's dialogs).
        if (ctx.user.id !== from && ctx.user.id !== to) fail('ACCESS_ERROR');
        const fromUser = await findUser(trx, from);
        if (!fromUser) fail('USER_NOT_FOUND');
        chat = await privateChat(trx, fromUser, to, false);
        input.system = true;
      } else {
        chat = await openDialog(trx, botUser, dialogParam(p), 'write');
      }
      const message = await postMessage(ctx.portal, trx, chat, botUser, input);
      return message.id;
    });
    afterPost(ctx.portal, id, input);
    return id;
  },
});

async function botMessage(ctx: Parameters<typeof callerBot>[0], p: Parameters<typeof callerBot>[1]) {
  const { bot } = await callerBot(ctx, p);
  const id = int(p, 'MESSAGE_ID');
  if (id <= 0) fail('MESSAGE_ID_ERROR');
  const message = await findMessage(ctx.portal.db, id);
  if (!message || message.deleted || message.author_id !== bot.id) fail('CANT_EDIT_MESSAGE');
  const botUser = (await findUser(ctx.portal.db, bot.id))!;
  return { bot, botUser, message };
}

defineMethod({
  name: 'imbot.message.update', scope: 'imbot', access: 'bot', denied: 'CANT_EDIT_MESSAGE',
  async handler(ctx, p) {
    const { botUser, message } = await botMessage(ctx, p);
    await applyEdit(ctx.portal, message, botUser, p);
    return true;
  },
});

defineMethod({
  name: 'imbot.message.delete', scope: 'imbot', access: 'bot', denied: 'CANT_EDIT_MESSAGE',
  async handler(ctx, p) {
    const { botUser, message } = await botMessage(ctx, p);
    await runAction(ctx.portal, (trx) => deleteMessage(trx, message, botUser, flag(p, 'COMPLETE')));
    return true;
  },
});

defineMethod({
  name: 'imbot.message.like', scope: 'imbot', access: 'bot', denied: 'MESSAGE_ID_ERROR',
  async handler(ctx, p) {
    const { bot } = await callerBot(ctx, p);
    const id = int(p, 'MESSAGE_ID');
    if (id <= 0) fail('MESSAGE_ID_ERROR');
    const message = await findMessage(ctx.portal.db, id);
    if (!message || message.deleted) fail('MESSAGE_ID_ERROR', 'Message not found');
    if (!(await memberSees(ctx.portal.db, message, bot.id))) fail('MESSAGE_ID_ERROR', 'Message not found');
    const action = str(p, 'ACTION').toLowerCase();
    const changed = await likeMessage(ctx.portal.db, message, bot.id, action === 'plus' || action === 'minus' ? action : 'auto');
    if (!changed) fail('WITHOUT_CHANGES');
    // The like and its push rows are committed: clients hear of it now, not at the hub's next poll.
    ctx.portal.wake();
    return true;
  },
});

defineMethod({
  name: 'imbot.chat.sendTyping', scope: 'imbot', access: 'bot',
  async handler(ctx, p) {
    const { bot } = await callerBot(ctx, p);
    const ref = dialogParam(p);
    const botUser = (await findUser(ctx.portal.db, bot.id))!;
    const chat = await runAction(ctx.portal, (trx) => openDialog(trx, botUser, ref, 'write'));
    await announceTyping(ctx.portal, chat.id, bot.id);
    return true;
  },
});
