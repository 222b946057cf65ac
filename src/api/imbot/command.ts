/**
 * imbot.command.register / unregister / update / answer: slash commands a bot answers. A user
 * pressing a command button is im.message.command (im/message.command.ts); the commands a dialog
 * offers, im.command.list (im/command.ts).
 */
import { defineMethod, type CallContext } from '../../rest/registry.ts';
import { fail } from '../../errors.ts';
import { has, list, str, type Params } from '../../rest/params.ts';
import { c, Codec, parseInput } from '../../rest/schema.ts';
import { runAction } from '../../domain/action.ts';
import { linePosted } from '../../domain/lines/line-messages.ts';
import {
  commandCallChat, deleteCommand, findAppCommandByName, registerCommand, updateCommand, type Command, type CommandChanges,
  type CommandPhrase,
} from '../../domain/commands.ts';
import { findMessage, postMessage } from '../../domain/messages.ts';
import { findChat, isMember } from '../../domain/chats.ts';
import { findUser } from '../../domain/users.ts';
import { appCommand, bot, botFamily, commandWord, handlerUrl, updateFields } from '../codecs/bots.ts';
import { newMessageParams, type ButtonOwner } from '../codecs/messages.ts';
import { newMessage } from '../message-actions.ts';
import { previewLink } from '../../domain/link-preview.ts';

/** LANG (a list of free-form objects): the phrases with a language, LANGUAGE_ID lower-cased. */
function phrases(items: unknown[]): CommandPhrase[] {
  return items.filter((x): x is Params => !!x && typeof x === 'object')
    .map((x) => ({ LANGUAGE_ID: str(x, 'LANGUAGE_ID').toLowerCase(), TITLE: str(x, 'TITLE'), PARAMS: str(x, 'PARAMS') }))
    .filter((x) => x.LANGUAGE_ID);
}

/** EVENT_COMMAND_ADD: where ONIMCOMMANDADD goes. */
const COMMAND_URL = handlerUrl('EVENT_COMMAND_ADD_ERROR', { required: true });

defineMethod({
  name: 'imbot.command.register', scope: 'imbot', access: 'bot',
  params: {
    BOT_ID: bot(),
    COMMAND: commandWord().require((v) => v !== '', 'COMMAND_ERROR'),
    EVENT_COMMAND_ADD: COMMAND_URL,
    HIDDEN: c.flag(),
    LANG: c.list().map(phrases, 'LANG'),
    COMMON: c.flag(),
    EXTRANET_SUPPORT: c.flag(),
    CLIENT_ID: c.string(),
  },
  async handler(ctx, input) {
    // A hidden command (keyboard-only) needs no title; any other one does.
    if (!input.HIDDEN && !input.LANG.length) fail('LANG_ERROR');
    const { bot: b, app } = input.BOT_ID;
    return runAction(ctx.portal, (trx) => registerCommand(trx, {
      botId: b.id, appId: app.id, command: input.COMMAND, common: input.COMMON, hidden: input.HIDDEN, extranetSupport: input.EXTRANET_SUPPORT,
      clientId: input.CLIENT_ID, handlerUrl: input.EVENT_COMMAND_ADD, lang: input.LANG,
    }));
  },
});

defineMethod({
  name: 'imbot.command.unregister', scope: 'imbot', access: 'bot',
  params: { COMMAND_ID: appCommand() },
  async handler(ctx, { COMMAND_ID: command }) {
    await runAction(ctx.portal, (trx) => deleteCommand(trx, command.id));
    return true;
  },
});

/** What imbot.command.update's FIELDS (a free-form object) change, each only when sent. */
async function commandChanges(ctx: CallContext, fields: Params): Promise<CommandChanges> {
  const set: CommandChanges = {};
  if (has(fields, 'EVENT_COMMAND_ADD')) set.handler_url = (await parseInput({ EVENT_COMMAND_ADD: COMMAND_URL }, fields, ctx)).EVENT_COMMAND_ADD;
  const word = str(fields, 'COMMAND').trim().replace(/^\//, '');
  if (word) set.command = word;
  for (const [key, col] of [['HIDDEN', 'hidden'], ['COMMON', 'common'], ['EXTRANET_SUPPORT', 'extranet_support']] as const) {
    if (has(fields, key)) set[col] = (await c.flag().read(fields, key, ctx)) ? 1 : 0;
  }
  // New phrases replace all previous ones (seed).
  if (has(fields, 'LANG')) set.lang = JSON.stringify(phrases(list(fields, 'LANG')));
  if (has(fields, 'CLIENT_ID')) set.client_id = str(fields, 'CLIENT_ID');
  return set;
}

defineMethod({
  name: 'imbot.command.update', scope: 'imbot', access: 'bot',
  params: { COMMAND_ID: appCommand(), FIELDS: updateFields("Command can't be updated") },
  async handler(ctx, { COMMAND_ID: command, FIELDS }) {
    const changes = await commandChanges(ctx, FIELDS);
    if (!Object.keys(changes).length) fail('WRONG_REQUEST', "Command can't be updated");
    await runAction(ctx.portal, (trx) => updateCommand(trx, command.id, changes));
    return true;
  },
});

// Keyed by the call's parameters: the answered command is found once, for COMMAND_ID and for the
// bot its answer's buttons address.
const answerOfCall = new WeakMap<Params, Promise<Command>>();

/** The command answered: COMMAND_ID of the calling app, or else its COMMAND word; COMMAND_ID_ERROR when neither names one. */
function answeredCommand(): Codec<Command> {
  const [byId, family, id, word] = [appCommand(), botFamily(), c.int(), commandWord()];
  const find = async (p: Params, name: string, ctx: CallContext) => {
    if ((await id.read(p, name, ctx)) > 0) return byId.read(p, name, ctx);
    const app = await family.read(p, 'CLIENT_ID', ctx);
    const command = await word.read(p, 'COMMAND', ctx);
    return (command ? await findAppCommandByName(ctx.portal.db, app.id, command) : undefined) ?? fail('COMMAND_ID_ERROR');
  };
  return new Codec<Command>('COMMAND_ID', (p, name, ctx) => {
    let found = answerOfCall.get(p);
    if (!found) answerOfCall.set(p, (found = find(p, name, ctx)));
    return found;
  }, true, 'COMMAND_ID_ERROR');
}

/** The answer's KEYBOARD and MENU buttons address the answered command's bot. */
const commandBot: ButtonOwner = async (ctx, p) => (await answeredCommand().read(p, 'COMMAND_ID', ctx)).bot_id;

defineMethod({
  name: 'imbot.command.answer', scope: 'imbot', access: 'bot', denied: 'MESSAGE_ID_EMPTY',
  params: {
    // The app first: a webhook without CLIENT_ID is refused before anything is looked up.
    CLIENT_ID: botFamily(),
    COMMAND_ID: answeredCommand(),
    COMMAND: commandWord(),
    MESSAGE_ID: c.id('MESSAGE_ID_EMPTY'),
    // The answer, read as imbot.message.add reads a message: Bitrix24 checks its parts before it
    // looks for the message the command was called in.
    ...newMessageParams(commandBot),
  },
  async handler(ctx, { COMMAND_ID: command, MESSAGE_ID: messageId, ...content }) {
    const db = ctx.portal.db;
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
    const input = newMessage(content);
    const message = await runAction(ctx.portal, async (trx) => {
      const posted = await postMessage(ctx.portal, trx, chat, botUser, input);
      // In an open line's chat the answer goes out to the customer as the bot's other messages do.
      if (chat.type === 'L') await linePosted(ctx.portal, trx, chat, botUser, posted);
      return posted;
    });
    previewLink(ctx.portal, message.id, input.text, input.urlPreview !== false);
    return message.id;
  },
});
