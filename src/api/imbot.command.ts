/**
 * imbot.command.register / unregister / update / answer: slash commands a bot answers, and
 * im.message.command (a user pressing a keyboard button or menu item) and im.command.list (the
 * commands a dialog offers, for autocomplete — a Parley addition, Bitrix24 has no REST method for it).
 */
import { defineMethod, type CallContext } from '../rest/registry.ts';
import { fail } from '../errors.ts';
import { flag, has, int, list, obj, str, type Params } from '../rest/params.ts';
import { commandCallChat, deleteCommand, findCommand, phraseFor, queueCommands, registerCommand, commandsInChat, type Command, type CommandPhrase } from '../domain/commands.ts';
import { findMessage, postMessage, eventInput, findPressedButton, blockKeyboard } from '../domain/messages.ts';
import { findChat, isMember, memberIds, openDialog } from '../domain/chats.ts';
import { botsByIds } from '../domain/bots.ts';
import { canReadMessage } from '../domain/message-access.ts';
import { findUser } from '../domain/users.ts';
import { botApp, callerBot } from './imbot.bot.ts';
import { afterPost, dialogParam, readNewMessage } from './message-input.ts';
import { runAction } from '../domain/action.ts';
import { allowedHandlerUrl } from './handler-url.ts';

function phrases(p: Params): CommandPhrase[] {
  return list(p, 'LANG').filter((x): x is Params => !!x && typeof x === 'object')
    .map((x) => ({ LANGUAGE_ID: str(x, 'LANGUAGE_ID').toLowerCase(), TITLE: str(x, 'TITLE'), PARAMS: str(x, 'PARAMS') }))
    .filter((x) => x.LANGUAGE_ID);
}

// The command a call names by COMMAND_ID, checked to belong to the calling app.
async function ownCommand(ctx: CallContext, p: Params): Promise<Command> {
  const app = await botApp(ctx, p);
  const command = await findCommand(ctx.portal.db, int(p, 'COMMAND_ID'));
  if (!command) fail('COMMAND_ID_ERROR');
  if (command.app_id !== app.id) fail('APP_ID_ERROR', 'Command was installed by another REST application');
  return command;
}

defineMethod({
  name: 'imbot.command.register', scope: 'imbot', access: 'bot',
  async handler(ctx, p) {
    const { bot, app } = await callerBot(ctx, p);
    const command = str(p, 'COMMAND').trim().replace(/^\//, '');
    if (!command) fail('COMMAND_ERROR');
    if (!str(p, 'EVENT_COMMAND_ADD')) fail('EVENT_COMMAND_ADD_ERROR');
    const url = await allowedHandlerUrl(ctx, str(p, 'EVENT_COMMAND_ADD'), 'EVENT_COMMAND_ADD_ERROR');
    const hidden = flag(p, 'HIDDEN');
    const lang = phrases(p);
    if (!hidden && !lang.length) fail('LANG_ERROR');
    return registerCommand(ctx.portal.db, {
      botId: bot.id, appId: app.id, command, common: flag(p, 'COMMON'), hidden, extranetSupport: flag(p, 'EXTRANET_SUPPORT'),
      clientId: str(p, 'CLIENT_ID'), handlerUrl: url, lang,
    });
  },
});

defineMethod({
  name: 'imbot.command.unregister', scope: 'imbot', access: 'bot',
  async handler(ctx, p) {
    const command = await ownCommand(ctx, p);
    await runAction(ctx.portal, (trx) => deleteCommand(trx, command.id));
    return true;
  },
});

defineMethod({
  name: 'imbot.command.update', scope: 'imbot', access: 'bot',
  async handler(ctx, p) {
    const command = await ownCommand(ctx, p);
    const fields = obj(p, 'FIELDS');
    if (!Object.keys(fields).length) fail('WRONG_REQUEST', "Command can't be updated");
    const set: Record<string, string | number> = {};
    if (has(fields, 'EVENT_COMMAND_ADD')) set.handler_url = await allowedHandlerUrl(ctx, str(fields, 'EVENT_COMMAND_ADD'), 'EVENT_COMMAND_ADD_ERROR');
    if (has(fields, 'COMMAND') && str(fields, 'COMMAND').trim()) set.command = str(fields, 'COMMAND').trim().replace(/^\//, '');
    for (const [key, col] of [['HIDDEN', 'hidden'], ['COMMON', 'common'], ['EXTRANET_SUPPORT', 'extranet_support']] as const) {
      if (has(fields, key)) set[col] = flag(fields, key) ? 1 : 0;
    }
    // New phrases replace all previous ones (seed).
    if (has(fields, 'LANG')) set.lang = JSON.stringify(phrases(fields));
    if (has(fields, 'CLIENT_ID')) set.client_id = str(fields, 'CLIENT_ID');
    if (!Object.keys(set).length) fail('WRONG_REQUEST', "Command can't be updated");
    await ctx.portal.db.updateTable('commands').set(set).where('id', '=', command.id).execute();
    return true;
  },
});

defineMethod({
  name: 'imbot.command.answer', scope: 'imbot', access: 'bot', denied: 'MESSAGE_ID_EMPTY',
  async handler(ctx, p) {
    const app = await botApp(ctx, p);
    const db = ctx.portal.db;
    let command: Command | undefined;
    if (int(p, 'COMMAND_ID') > 0) command = await ownCommand(ctx, p);
    else if (str(p, 'COMMAND')) {
      const name = str(p, 'COMMAND').trim().replace(/^\//, '');
      command = await db.selectFrom('commands').selectAll().where('app_id', '=', app.id).where('command', '=', name).executeTakeFirst();
    }
    if (!command) fail('COMMAND_ID_ERROR');
    const messageId = int(p, 'MESSAGE_ID');
    if (messageId <= 0) fail('MESSAGE_ID_EMPTY');
    // Only the message the command was called in (typed, or a button pressed on it): its dialog is the
    // one the answer goes to. Any other id, of a chat the bot may not even see, is refused like a
    // missing one, so the answer tells nothing about messages elsewhere.
    const chatId = await commandCallChat(db, command.id, messageId);
    const chat = chatId === undefined ? undefined : await findChat(db, chatId);
    if (!chat || !(await findMessage(db, messageId))) fail('MESSAGE_ID_EMPTY', 'MESSAGE_ID is not a message in which this command was called');
    // A COMMON command answers in chats its bot is not a member of (seed: global commands).
    if (!command.common && !(await isMember(db, chat.id, command.bot_id))) fail('ACCESS_ERROR');
    const botUser = await findUser(db, command.bot_id);
    if (!botUser) fail('BOT_ID_ERROR');
    const input = readNewMessage(p, botUser.id);
    const message = await runAction(ctx.portal, (trx) => postMessage(ctx.portal, trx, chat, botUser, input));
    afterPost(ctx.portal, message.id, input);
    return message.id;
  },
});

defineMethod({
  name: 'im.message.command', scope: 'im', access: 'message', denied: 'MESSAGE_ID_ERROR',
  async handler(ctx, p) {
    const messageId = int(p, 'MESSAGE_ID');
    if (messageId <= 0) fail('MESSAGE_ID_ERROR', 'MESSAGE_ID is not set or is not a number');
    const botId = int(p, 'BOT_ID');
    if (botId <= 0) fail('BOT_ID_ERROR', 'BOT_ID is not set or is not a number');
    const name = str(p, 'COMMAND').trim().replace(/^\//, '');
    if (!name) fail('COMMAND_ERROR', 'COMMAND is not set');
    const params = str(p, 'COMMAND_PARAMS');
    const db = ctx.portal.db;
    const message = await findMessage(db, messageId);
    if (!message || message.deleted) fail('MESSAGE_ID_ERROR', 'Message not found');
    // Only a message the caller sees (not of a chat they are out of, not of history hidden from them
    // when they joined) has buttons for them to press; any other is answered like a missing one.
    if (!(await canReadMessage(db, message, ctx.user.id))) fail('MESSAGE_ID_ERROR', 'Message not found');
    const chat = await runAction(ctx.portal, async (trx) => openDialog(trx, ctx.user, { kind: 'chat', chatId: message.chat_id }, 'read'));
    // Only a button or menu item of that message may be pressed, and not while its keyboard is blocked.
    const pressed = findPressedButton(message, botId, name, params);
    if (!pressed) fail('PARAMS_ERROR', 'COMMAND_PARAMS is not set or does not match a command of the bot');
    if (pressed.blocked) fail('PARAMS_ERROR', 'The keyboard is blocked until the bot answers');
    const [bot] = await botsByIds(db, [botId]);
    if (!bot) fail('BOT_ID_ERROR', 'Bot not found');
    const command = await db.selectFrom('commands').selectAll().where('bot_id', '=', botId).where('command', '=', name).executeTakeFirst();
    if (!command) fail('COMMAND_ERROR', 'The bot has no such command');
    await runAction(ctx.portal, async (trx) => {
      if (pressed.block) await blockKeyboard(trx, message);
      const members = await memberIds(trx, chat.id);
      const input = await eventInput(trx, chat, message, ctx.user, message.text, members, []);
      await queueCommands(trx, input, pressed.context, [{ command, bot, params }]);
    });
    return true;
  },
});

defineMethod({
  name: 'im.command.list', scope: 'im', access: 'read',
  async handler(ctx, p) {
    const db = ctx.portal.db;
    const chat = await runAction(ctx.portal, (trx) => openDialog(trx, ctx.user, dialogParam(p), 'read'));
    const language = str(p, 'LANGUAGE_ID') || 'en';
    const out = [];
    for (const c of await commandsInChat(db, chat)) {
      const phrase = phraseFor(c, language);
      if (c.hidden || !phrase) continue;
      out.push({ id: c.id, bot_id: c.bot_id, command: `/${c.command}`, title: phrase.TITLE, params: phrase.PARAMS, common: !!c.common });
    }
    return out;
  },
});

