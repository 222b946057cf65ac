/**
 * Chat bots: each is a portal user owned by one application, with the handler URLs its events go
 * to. Registration, update and removal; removal tells the bot's handler with ONIMBOTDELETE.
 */
import type { Db } from '../store/db.ts';
import { fail } from '../errors.ts';
import { queueBotDelete } from '../events/bot-events.ts';
import { dropV2Log, isV2 } from '../events/bot-v2-log.ts';
import { tellV2BotDelete } from './bot-v2-events.ts';
import { createUser, type NewUser } from './users.ts';
import type { App, Bot, User } from './types.ts';
import type { Command } from '../store/rows.ts';
import { isRowId } from '../store/row-id.ts';
import { deleteBotChatApps } from './chat-apps.ts';

/** At most this many bots per application (Bitrix24's limit). */
export const MAX_BOTS_PER_APP = 5;

/** Bot rows for the given user ids (non-bots are skipped). */
export async function botsByIds(db: Db, ids: number[]): Promise<Bot[]> {
  if (!ids.length) return [];
  return db.selectFrom('bots').selectAll().where('id', 'in', ids).orderBy('id').execute();
}

/** Bots registered by an application. */
export async function botsOfApp(db: Db, appId: number): Promise<Bot[]> {
  return db.selectFrom('bots').selectAll().where('app_id', '=', appId).orderBy('id').execute();
}

/** A bot with its user's name and its commands, as the developer console lists it. */
export type ListedBot = Bot & { name: string; last_name: string; commands: Command[] };

/** Every bot (of one app, when `appId` is given) by id, with its name and commands. */
export async function listBots(db: Db, appId?: number): Promise<ListedBot[]> {
  let q = db.selectFrom('bots').innerJoin('users', 'users.id', 'bots.id').selectAll('bots').select(['users.name', 'users.last_name']);
  if (appId !== undefined) q = q.where('bots.app_id', '=', appId);
  const bots = await q.orderBy('bots.id').execute();
  const commands = bots.length ? await db.selectFrom('commands').selectAll().where('bot_id', 'in', bots.map((b) => b.id)).orderBy('id').execute() : [];
  return bots.map((b) => ({ ...b, commands: commands.filter((c) => c.bot_id === b.id) }));
}

/** Handler URLs of a bot, by event. */
export interface BotHandlers {
  messageAdd: string;
  messageUpdate: string;
  messageDelete: string;
  welcome: string;
  botDelete: string;
}

/** What it takes to register a bot. */
export interface NewBot {
  code: string;
  type: string;
  openline: boolean;
  clientId: string;
  handlers: BotHandlers;
  profile: NewUser;
}

/** Register a bot for an app; enforces the per-app limit. Returns the bot (its id is its user id). */
export async function registerBot(db: Db, app: App, input: NewBot): Promise<Bot> {
  const count = await db.selectFrom('bots').select(({ fn }) => fn.countAll<number>().as('n')).where('app_id', '=', app.id).executeTakeFirstOrThrow();
  if (Number(count.n) >= MAX_BOTS_PER_APP) fail('MAX_COUNT_ERROR');
  const id = await createUser(db, { ...input.profile, isBot: true, login: null, password: null });
  return db.insertInto('bots').values({
    id, app_id: app.id, code: input.code, type: input.type, openline: input.openline ? 1 : 0, client_id: input.clientId,
    h_message_add: input.handlers.messageAdd, h_message_update: input.handlers.messageUpdate,
    h_message_delete: input.handlers.messageDelete, h_welcome: input.handlers.welcome, h_bot_delete: input.handlers.botDelete,
    created_at: Date.now(),
  }).returningAll().executeTakeFirstOrThrow();
}

/** Remove a bot: its user is deactivated (history stays readable), its chat apps removed, and its handler hears ONIMBOTDELETE (v2: ONIMBOTV2DELETE). */
export async function unregisterBot(db: Db, bot: Bot, byUser: User | null): Promise<void> {
  // A Chatbots 2.0 bot hears ONIMBOTV2DELETE instead, and its unread fetch log goes with it.
  if (isV2(bot)) {
    await tellV2BotDelete(db, bot);
    await dropV2Log(db, bot.id);
  } else await queueBotDelete(db, bot, byUser?.id ?? 0);
  await db.deleteFrom('bots').where('id', '=', bot.id).execute();
  await db.updateTable('users').set({ active: 0 }).where('id', '=', bot.id).execute();
  // Its chat apps go with it: they would open frames in the name of a bot that is gone.
  await deleteBotChatApps(db, bot.id);
}

/**
 * The bot a call names (`botId`), or with none the app's first bot, checked to belong to `app`:
 * BOT_ID_ERROR when there is no such bot, APP_ID_ERROR when another app registered it.
 */
export async function appBot(db: Db, app: App, botId: number | undefined): Promise<Bot> {
  if (botId === undefined) {
    const first = (await botsOfApp(db, app.id))[0];
    if (!first) fail('BOT_ID_ERROR');
    return first;
  }
  const bot = isRowId(botId) ? await db.selectFrom('bots').selectAll().where('id', '=', botId).executeTakeFirst() : undefined;
  if (!bot) fail('BOT_ID_ERROR');
  if (bot.app_id !== app.id) fail('APP_ID_ERROR');
  return bot;
}

/** The profile columns of a bot's user that imbot.update may set. */
export type BotProfileColumn = 'name' | 'last_name' | 'color' | 'email' | 'birthday' | 'work_position' | 'personal_www' | 'gender' | 'avatar';

/** What imbot.update changes: the code, the handler URLs and the profile fields it was given. */
export interface BotChanges {
  code: string;
  handlers: BotHandlers;
  profile: Partial<Record<BotProfileColumn, string>>;
}

/** Apply imbot.update's changes to a bot and its user. */
export async function updateBot(db: Db, bot: Bot, changes: BotChanges): Promise<void> {
  const h = changes.handlers;
  await db.updateTable('bots').set({
    code: changes.code, h_message_add: h.messageAdd, h_welcome: h.welcome, h_bot_delete: h.botDelete,
    h_message_update: h.messageUpdate, h_message_delete: h.messageDelete,
  }).where('id', '=', bot.id).execute();
  if (Object.keys(changes.profile).length) await db.updateTable('users').set(changes.profile).where('id', '=', bot.id).execute();
}
