/**
 * A Chatbots 2.0 bot's slash commands (imbot.v2.Command.*): rows of the classic `commands` table
 * (domain/commands.ts) without a handler URL — a v2 bot hears ONIMBOTV2COMMANDADD in its own event
 * mode — and their titles per language kept as the classic LANG list.
 */
import type { Db } from '../store/db.ts';
import { fail } from '../errors.ts';
import { isRowId } from '../store/row-id.ts';
import { registerCommand, updateCommand, type Command, type CommandPhrase } from './commands.ts';
import type { Bot } from './types.ts';

/** A command's titles and parameter hints by language code (`{en: "Help"}`). */
export interface Phrases { title: Record<string, string>; params: Record<string, string> }

/** The LANG list of phrases: one entry per language that has a title or a hint. */
function langOf(p: Phrases): CommandPhrase[] {
  const langs = [...new Set([...Object.keys(p.title), ...Object.keys(p.params)])];
  return langs.map((l) => ({ LANGUAGE_ID: l, TITLE: p.title[l] ?? '', PARAMS: p.params[l] ?? '' }));
}

/** The phrases of a stored command. */
export function phrasesOf(c: Command): Phrases {
  const out: Phrases = { title: {}, params: {} };
  for (const p of JSON.parse(c.lang) as CommandPhrase[]) {
    if (p.TITLE) out.title[p.LANGUAGE_ID] = p.TITLE;
    if (p.PARAMS) out.params[p.LANGUAGE_ID] = p.PARAMS;
  }
  return out;
}

/** What Command.register takes. */
export interface NewV2Command { command: string; common: boolean; hidden: boolean; extranetSupport: boolean; phrases: Phrases }

/** Register a command of `bot`; the same word again answers the existing command unchanged (idempotent). */
export async function registerV2Command(db: Db, bot: Bot, c: NewV2Command): Promise<Command> {
  const id = await registerCommand(db, {
    botId: bot.id, appId: bot.app_id, command: c.command, common: c.common, hidden: c.hidden, extranetSupport: c.extranetSupport,
    clientId: '', handlerUrl: '', lang: langOf(c.phrases),
  });
  return db.selectFrom('commands').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** A command of `bot` by id: COMMAND_NOT_FOUND for any other (no hint that it exists). */
export async function botCommand(db: Db, bot: Bot, id: number): Promise<Command> {
  const found = isRowId(id) ? await db.selectFrom('commands').selectAll().where('id', '=', id).where('bot_id', '=', bot.id).executeTakeFirst() : undefined;
  return found ?? fail('COMMAND_NOT_FOUND');
}

/** The commands of a bot, oldest first. */
export async function commandsOfBot(db: Db, botId: number): Promise<Command[]> {
  return db.selectFrom('commands').selectAll().where('bot_id', '=', botId).orderBy('id').execute();
}

/** What Command.update changes: each field only when sent; phrases merged (null removes a language). */
export interface V2CommandChanges {
  command?: string; common?: boolean; hidden?: boolean; extranetSupport?: boolean;
  title?: Record<string, string | null>; params?: Record<string, string | null>;
}

/** Apply Command.update's changes; COMMAND_ALREADY_EXISTS when the bot has the new word already. */
export async function updateV2Command(db: Db, c: Command, ch: V2CommandChanges): Promise<Command> {
  if (ch.command !== undefined && ch.command.toLowerCase() !== c.command.toLowerCase()) {
    const clash = await db.selectFrom('commands').select('id').where('bot_id', '=', c.bot_id).where('command', '=', ch.command).executeTakeFirst();
    if (clash) fail('COMMAND_ALREADY_EXISTS');
  }
  const phrases = phrasesOf(c);
  const merge = (into: Record<string, string>, from?: Record<string, string | null>) => {
    for (const [lang, text] of Object.entries(from ?? {})) {
      if (text === null) delete into[lang];
      else into[lang] = text;
    }
  };
  merge(phrases.title, ch.title);
  merge(phrases.params, ch.params);
  const set = {
    ...(ch.command !== undefined ? { command: ch.command } : {}),
    ...(ch.common !== undefined ? { common: ch.common ? 1 : 0 } : {}),
    ...(ch.hidden !== undefined ? { hidden: ch.hidden ? 1 : 0 } : {}),
    ...(ch.extranetSupport !== undefined ? { extranet_support: ch.extranetSupport ? 1 : 0 } : {}),
    lang: JSON.stringify(langOf(phrases)),
  };
  await updateCommand(db, c.id, set);
  return { ...c, ...set };
}
