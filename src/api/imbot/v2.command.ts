/**
 * imbot.v2.Command.register / update / list / unregister / answer (chat-bots-v2/imbot.v2/commands/):
 * a v2 bot's slash commands, called as ONIMBOTV2COMMANDADD. Command.register takes its parameters in
 * `fields`, or flat at the top level as before BOT-BC-0330-1 (supported until 30.09.2026).
 */
import { defineMethod } from '../../rest/registry.ts';
import { fail } from '../../errors.ts';
import { flag, has, pick, str, type Params } from '../../rest/params.ts';
import { c, Codec } from '../../rest/schema.ts';
import { runAction } from '../../domain/action.ts';
import { deleteCommand, commandCallChat, type Command } from '../../domain/commands.ts';
import { botCommand, commandsOfBot, phrasesOf, registerV2Command, updateV2Command, type V2CommandChanges } from '../../domain/commands-v2.ts';
import { findChat, isMember } from '../../domain/chats.ts';
import { findMessage, postMessage, type NewMessage } from '../../domain/messages.ts';
import { linePosted } from '../../domain/lines/line-messages.ts';
import { previewLink } from '../../domain/link-preview.ts';
import { findUser, fullName } from '../../domain/users.ts';
import { dialogIdFor } from '../../wire/dialog-id.ts';
import type { Portal } from '../../portal.ts';
import type { Bot } from '../../domain/types.ts';
import { capMessage, readPart } from '../message-input.ts';
import { botToken, ownBot } from '../codecs/bots-v2.ts';

/** The Command object of register and update (entities.md). */
const commandObject = (cmd: Command) => ({
  id: cmd.id, botId: cmd.bot_id, command: `/${cmd.command}`, common: !!cmd.common, hidden: !!cmd.hidden, extranetSupport: !!cmd.extranet_support,
});

// A phrase object {langCode: text}: its string values, language codes lower-cased.
function phrases(raw: unknown, keepNull = false): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  if (!raw || typeof raw !== 'object') return out;
  for (const [lang, text] of Object.entries(raw as Record<string, unknown>)) {
    if (text === null && keepNull) out[lang.toLowerCase()] = null;
    else if (typeof text === 'string' || typeof text === 'number') out[lang.toLowerCase()] = String(text);
  }
  return out;
}

/** A command word as sent: COMMAND_NAME_INVALID when it is not a string; the slash is dropped. */
function word(f: Params): string | undefined {
  const raw = pick(f, 'command');
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'object') fail('COMMAND_NAME_INVALID');
  return String(raw).trim().replace(/^\//, '');
}

/** `fields`, or without it the legacy flat format: the same keys at the top level. */
function fieldsOrFlat(): Codec<Params> {
  return new Codec<Params>('object', (p, name) => {
    const f = pick(p, name);
    return f && typeof f === 'object' && !Array.isArray(f) ? (f as Params) : p;
  });
}

defineMethod({
  name: 'imbot.v2.Command.register', scope: 'imbot', access: 'botv2',
  params: { botToken: botToken(), botId: ownBot(), fields: fieldsOrFlat() },
  async handler(ctx, { botId: bot, fields }) {
    return { command: commandObject(await register(ctx.portal, bot, fields)) };
  },
});

/** Command.register's checks in the order of its page: COMMAND_REQUIRED, COMMAND_TITLE_REQUIRED (a visible command). */
async function register(portal: Portal, bot: Bot, f: Params): Promise<Command> {
  const command = word(f);
  if (!command) fail('COMMAND_REQUIRED');
  const hidden = flag(f, 'hidden');
  const title = phrases(pick(f, 'title')) as Record<string, string>;
  if (!hidden && !Object.values(title).some(Boolean)) fail('COMMAND_TITLE_REQUIRED');
  return runAction(portal, (trx) => registerV2Command(trx, bot, {
    command, hidden, common: flag(f, 'common'), extranetSupport: flag(f, 'extranetSupport'),
    phrases: { title, params: phrases(pick(f, 'params')) as Record<string, string> },
  }));
}

defineMethod({
  name: 'imbot.v2.Command.update', scope: 'imbot', access: 'botv2',
  params: { botToken: botToken(), botId: ownBot(), commandId: c.int(), fields: c.object() },
  async handler(ctx, { botId: bot, commandId, fields: f }) {
    const command = await botCommand(ctx.portal.db, bot, commandId);
    const changes: V2CommandChanges = {};
    const w = word(f);
    if (w !== undefined) {
      if (!w) fail('COMMAND_NAME_EMPTY');
      changes.command = w;
    }
    if (has(f, 'common')) changes.common = flag(f, 'common');
    if (has(f, 'hidden')) changes.hidden = flag(f, 'hidden');
    if (has(f, 'extranetSupport')) changes.extranetSupport = flag(f, 'extranetSupport');
    if (has(f, 'title')) changes.title = phrases(pick(f, 'title'), true);
    // Hints apply only to the languages given in `title` (command-update.md).
    if (has(f, 'params')) {
      const hints = phrases(pick(f, 'params'), true);
      const langs = Object.keys(changes.title ?? phrasesOf(command).title);
      changes.params = Object.fromEntries(Object.entries(hints).filter(([l]) => langs.includes(l)));
    }
    const updated = await runAction(ctx.portal, (trx) => updateV2Command(trx, command, changes));
    return { command: commandObject(updated) };
  },
});

defineMethod({
  name: 'imbot.v2.Command.list', scope: 'imbot', access: 'botv2',
  params: { botToken: botToken(), botId: ownBot() },
  async handler(ctx, { botId: bot }) {
    const user = await findUser(ctx.portal.db, bot.id);
    const commands = (await commandsOfBot(ctx.portal.db, bot.id)).map((cmd) => {
      const p = phrasesOf(cmd);
      // The portal's language is English; a command without an English phrase shows its first one.
      const pick1 = (m: Record<string, string>) => m.en ?? Object.values(m)[0] ?? '';
      return { ...commandObject(cmd), title: pick1(p.title), params: pick1(p.params), category: user ? fullName(user) : '', context: '' };
    });
    return { commands };
  },
});

defineMethod({
  name: 'imbot.v2.Command.unregister', scope: 'imbot', access: 'botv2',
  params: { botToken: botToken(), botId: ownBot(), commandId: c.int() },
  async handler(ctx, { botId: bot, commandId }) {
    const command = await botCommand(ctx.portal.db, bot, commandId);
    await runAction(ctx.portal, (trx) => deleteCommand(trx, command.id));
    return { result: true };
  },
});

defineMethod({
  name: 'imbot.v2.Command.answer', scope: 'imbot', access: 'botv2', denied: 'COMMAND_ANSWER_FAILED',
  params: { botToken: botToken(), botId: ownBot(), commandId: c.int(), messageId: c.int(), dialogId: c.trimmed(), fields: c.object() },
  async handler(ctx, { botId: bot, commandId, messageId, dialogId, fields: f }) {
    const db = ctx.portal.db;
    const failed = () => fail('COMMAND_ANSWER_FAILED');
    // Access comes from the call itself (messageId + commandId): only the message the bot's command
    // was called in, and only into that message's dialog.
    const command = await botCommand(db, bot, commandId).catch(failed);
    const chatId = await commandCallChat(db, command.id, messageId);
    const chat = chatId === undefined ? undefined : await findChat(db, chatId);
    const botUser = await findUser(db, bot.id);
    if (!chat || !botUser || !(await findMessage(db, messageId)) || dialogIdFor(chat, bot.id) !== dialogId) return failed();
    const attach = readPart('ATTACH', pick(f, 'attach'), false, bot.id);
    const text = capMessage(str(f, 'message').trim());
    if (!text && !attach) return failed();
    // A bot that is not in the chat answers as a system line with its name (command-answer.md).
    const member = await isMember(db, chat.id, bot.id);
    const content: NewMessage = {
      text: member ? text : `${fullName(botUser)}: ${text}`, attach: attach ?? undefined,
      keyboard: readPart('KEYBOARD', pick(f, 'keyboard'), false, bot.id) ?? undefined,
      system: !member || (has(f, 'system') && flag(f, 'system')), urlPreview: has(f, 'urlPreview') ? flag(f, 'urlPreview') : true,
    };
    const posted = await runAction(ctx.portal, async (trx) => {
      const m = await postMessage(ctx.portal, trx, chat, botUser, content);
      if (chat.type === 'L') await linePosted(ctx.portal, trx, chat, botUser, m);
      return m;
    });
    previewLink(ctx.portal, posted.id, content.text, content.urlPreview !== false);
    return { result: true };
  },
});
