/**
 * Bot commands: `/command params` typed by a user or sent by a keyboard or menu button. A COMMON
 * command answers in every chat; a local one only where its bot is a member; a HIDDEN one is not
 * offered for autocomplete. Titles are localized with Bitrix24's fallback (BY/UA/KZ → RU, else EN).
 */
import type { Db } from '../store/db.ts';
import type { Command } from '../store/rows.ts';
import type { Chat } from './types.ts';
import { memberIds } from './members.ts';
import { botsByIds } from './bots.ts';
import type { MessageEventInput } from '../events/bot-events.ts';
import { isV2 } from '../events/bot-v2-log.ts';
import { tellV2Commands } from './bot-v2-events.ts';
import { queueCommandAdd, type CommandContext, type TriggeredCommand } from '../events/command-events.ts';
import { isRowId } from '../store/row-id.ts';
import { fail } from '../errors.ts';

export type { Command } from '../store/rows.ts';

declare module '../store/schema.ts' {
  interface Database { command_calls: CommandCallsTable }
}

/** A row of command_calls (migration 0016): a command called in a message. */
export interface CommandCallsTable {
  command_id: number;
  message_id: number;
  chat_id: number;
  created_at: number;
}

/** One translation of a command: its title and the hint for its parameters. */
export interface CommandPhrase { LANGUAGE_ID: string; TITLE: string; PARAMS: string }

/** What it takes to register a command. */
export interface NewCommand {
  botId: number;
  appId: number;
  command: string;
  common: boolean;
  hidden: boolean;
  extranetSupport: boolean;
  clientId: string;
  handlerUrl: string;
  lang: CommandPhrase[];
}

/** Register a command; the same command word for the same bot answers the existing id. */
export async function registerCommand(db: Db, c: NewCommand): Promise<number> {
  const existing = await db.selectFrom('commands').select('id').where('bot_id', '=', c.botId).where('command', '=', c.command).executeTakeFirst();
  if (existing) return existing.id;
  const row = await db.insertInto('commands').values({
    bot_id: c.botId, app_id: c.appId, command: c.command, common: c.common ? 1 : 0, hidden: c.hidden ? 1 : 0,
    extranet_support: c.extranetSupport ? 1 : 0, client_id: c.clientId, handler_url: c.handlerUrl,
    lang: JSON.stringify(c.lang), created_at: Date.now(),
  }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** Find a command by id. */
export async function findCommand(db: Db, id: number): Promise<Command | undefined> {
  if (!isRowId(id)) return undefined;
  return db.selectFrom('commands').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Split a typed message into its command word and parameters; null when it is not a command. */
export function parseCommandText(text: string): { command: string; params: string } | null {
  const m = /^\/([^\s/]+)(?:\s+([\s\S]*))?$/.exec(text.trim());
  return m ? { command: m[1], params: (m[2] ?? '').trim() } : null;
}

/** Commands usable in a chat: COMMON ones everywhere, local ones of the bots that are members. */
export async function commandsInChat(db: Db, chat: Chat): Promise<Command[]> {
  const members = await memberIds(db, chat.id);
  const rows = await db.selectFrom('commands').selectAll().orderBy('id').execute();
  return rows.filter((c) => c.common || members.includes(c.bot_id));
}

/** The commands a typed message triggers (case-insensitive word match). */
export async function commandsForText(db: Db, chat: Chat, command: string): Promise<Command[]> {
  const lower = command.toLowerCase();
  return (await commandsInChat(db, chat)).filter((c) => c.command.toLowerCase() === lower);
}

const RU_FALLBACK = ['by', 'ua', 'kz'];

/** The phrase to show in `language`, with Bitrix24's fallback; undefined means the command is hidden. */
export function phraseFor(c: Command, language: string): CommandPhrase | undefined {
  const phrases = JSON.parse(c.lang) as CommandPhrase[];
  const find = (lang: string) => phrases.find((p) => p.LANGUAGE_ID.toLowerCase() === lang && p.TITLE);
  const lang = language.toLowerCase();
  return find(lang) ?? find(RU_FALLBACK.includes(lang) ? 'ru' : 'en');
}

/** The commands a user's typed message triggers, with their bots; [] when it is not a command. */
export async function typedCommands(db: Db, chat: Chat, text: string): Promise<TriggeredCommand[]> {
  const parsed = parseCommandText(text);
  if (!parsed) return [];
  const commands = await commandsForText(db, chat, parsed.command);
  const bots = new Map((await botsByIds(db, commands.map((c) => c.bot_id))).map((b) => [b.id, b]));
  return commands.filter((c) => bots.has(c.bot_id)).map((c) => ({ command: c, bot: bots.get(c.bot_id)!, params: parsed.params }));
}

/** Remove a command, and with it the calls it could still answer. */
export async function deleteCommand(db: Db, id: number): Promise<void> {
  await db.deleteFrom('command_calls').where('command_id', '=', id).execute();
  await db.deleteFrom('commands').where('id', '=', id).execute();
}

/** Forget calls made before `before` (ms): imbot.command.answer no longer answers in them. */
export async function pruneCommandCalls(db: Db, before: number): Promise<number> {
  return Number((await db.deleteFrom('command_calls').where('created_at', '<', before).executeTakeFirst()).numDeletedRows);
}

/** Remember that these commands were called in `messageId` (typed, or a button pressed on it). */
export async function recordCommandCalls(db: Db, messageId: number, chatId: number, commandIds: number[]): Promise<void> {
  const ids = [...new Set(commandIds)];
  if (!ids.length) return;
  // A button pressed twice is one call to answer.
  await db.insertInto('command_calls').values(ids.map((id) => ({ command_id: id, message_id: messageId, chat_id: chatId, created_at: Date.now() })))
    .onConflict((oc) => oc.columns(['command_id', 'message_id']).doNothing()).execute();
}

/**
 * Commands were triggered by a message (typed, or a button pressed on it): remember each call that
 * goes to a handler — it is what lets the app answer in that message's dialog with
 * imbot.command.answer — and queue ONIMCOMMANDADD.
 */
export async function queueCommands(db: Db, m: MessageEventInput, context: CommandContext, triggered: TriggeredCommand[]): Promise<void> {
  // A Chatbots 2.0 bot's command has no handler URL: it hears ONIMBOTV2COMMANDADD instead.
  const v2 = triggered.filter((t) => isV2(t.bot));
  const sent = triggered.filter((t) => !isV2(t.bot) && t.command.handler_url);
  await recordCommandCalls(db, m.message.id, m.chat.id, [...sent, ...v2].map((t) => t.command.id));
  await queueCommandAdd(db, m, context, sent);
  await tellV2Commands(db, m.chat, m.message, m.author, context, v2);
}

/** The chat a command was called in with this message, or undefined when it never was. */
export async function commandCallChat(db: Db, commandId: number, messageId: number): Promise<number | undefined> {
  if (!isRowId(commandId) || !isRowId(messageId)) return undefined;
  const row = await db.selectFrom('command_calls').select('chat_id').where('command_id', '=', commandId).where('message_id', '=', messageId).executeTakeFirst();
  return row ? Number(row.chat_id) : undefined;
}

/** A command of the app by id: COMMAND_ID_ERROR when there is none, APP_ID_ERROR when another app installed it. */
export async function findAppCommand(db: Db, appId: number, id: number): Promise<Command> {
  const command = await findCommand(db, id);
  if (!command) fail('COMMAND_ID_ERROR');
  if (command.app_id !== appId) fail('APP_ID_ERROR', 'Command was installed by another REST application');
  return command;
}

/** A command of the app by its word (imbot.command.answer without COMMAND_ID). */
export async function findAppCommandByName(db: Db, appId: number, command: string): Promise<Command | undefined> {
  return db.selectFrom('commands').selectAll().where('app_id', '=', appId).where('command', '=', command).executeTakeFirst();
}

/** A bot's command by its word (a button pressed with im.message.command names the bot and the word). */
export async function findBotCommand(db: Db, botId: number, command: string): Promise<Command | undefined> {
  if (!isRowId(botId)) return undefined;
  return db.selectFrom('commands').selectAll().where('bot_id', '=', botId).where('command', '=', command).executeTakeFirst();
}

/** What imbot.command.update may change. */
export type CommandChanges = Partial<Pick<Command, 'handler_url' | 'command' | 'hidden' | 'common' | 'extranet_support' | 'lang' | 'client_id'>>;

/** Apply imbot.command.update's changes. */
export async function updateCommand(db: Db, id: number, changes: CommandChanges): Promise<void> {
  await db.updateTable('commands').set(changes).where('id', '=', id).execute();
}
