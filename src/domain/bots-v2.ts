/**
 * Chatbots 2.0 bots (imbot.v2.Bot.*): a v2 bot is a Parley bot (domain/bots.ts: a user, a `bots`
 * row, a chat member like any other) marked `api_version` 2, with its v2 type, event mode and the
 * hash of its botToken. Who owns it: an OAuth app (the bot's app), or for an incoming webhook the
 * botToken together with the webhook's user — each such bot gets an app of its own, whose
 * application_token its events carry, as Bitrix24 gives every webhook bot a synthetic one.
 */
import type { Db } from '../store/db.ts';
import { fail } from '../errors.ts';
import { hashSecret, secret } from '../auth/secret-hash.ts';
import { isRowId } from '../store/row-id.ts';
import { followDelivery, isV2 } from '../events/bot-v2-log.ts';
import { createUser, type NewUser } from './users.ts';
import { ADMIN_SCOPE } from './apps.ts';
import type { V2BotCounters, V2BotFields } from '../wire/v2-entities.ts';
import type { App, Bot, Message, User } from './types.ts';

/** At most this many bots per application (chat-bots-v2 "Limits"); for webhook bots, per webhook user. */
export const MAX_V2_BOTS = 100;

/** The documented bot types (`network` is accepted as the error text lists it, and behaves as `bot`). */
export const V2_TYPES = ['bot', 'supervisor', 'personal', 'openline', 'network'] as const;
/** One of V2_TYPES. */
export type V2Type = (typeof V2_TYPES)[number];

// The classic type whose listening rule a v2 type follows (domain/messages.ts): S hears every message.
const CLASSIC_TYPE: Record<V2Type, string> = { bot: 'B', network: 'B', openline: 'O', supervisor: 'S', personal: 'S' };

/** Who calls: an OAuth app, or (app null) an incoming webhook's user with the botToken it sent. */
export interface V2Caller { app: App | null; user: Pick<User, 'id'>; scopes: string[]; token: string }

/** Whether `caller` owns `bot`: its app's token, or the botToken and the webhook user that registered it. */
export function ownsBot(bot: Bot, caller: V2Caller): boolean {
  if (caller.app) return bot.app_id === caller.app.id;
  return !!bot.token_hash && bot.token_hash === hashSecret(caller.token) && Number(bot.owner_user_id) === caller.user.id;
}

/** Any bot by id (a classic one too: v1 and v2 bots see each other), or undefined. */
export async function findBotById(db: Db, id: number): Promise<Bot | undefined> {
  return isRowId(id) ? db.selectFrom('bots').selectAll().where('id', '=', id).executeTakeFirst() : undefined;
}

/** The bot with `code` (a code names one bot; of older duplicates from classic apps, the caller's own first). */
export async function findBotByCode(db: Db, caller: V2Caller, code: string): Promise<Bot | undefined> {
  const found = await db.selectFrom('bots').selectAll().where('code', '=', code).orderBy('id').execute();
  return found.find((b) => ownsBot(b, caller)) ?? found[0];
}

/** The bot a v2 method names by `botId`: BOT_NOT_FOUND, then BOT_OWNERSHIP_ERROR when `caller` does not own it. */
export async function ownedBot(db: Db, botId: number, caller: V2Caller): Promise<Bot> {
  const bot = await findBotById(db, botId);
  if (!bot) fail('BOT_NOT_FOUND');
  if (!ownsBot(bot, caller)) fail('BOT_OWNERSHIP_ERROR');
  return bot;
}

/** The bots `caller` owns (an app's, classic ones included; a webhook's: the one its botToken names). */
export async function ownedBots(db: Db, caller: V2Caller): Promise<Bot[]> {
  let q = db.selectFrom('bots').selectAll();
  q = caller.app ? q.where('app_id', '=', caller.app.id)
    : q.where('token_hash', '=', hashSecret(caller.token)).where('owner_user_id', '=', caller.user.id);
  return q.orderBy('id').execute();
}

/** What Bot.register asks for, read and checked by the method. */
export interface NewV2Bot {
  code: string;
  type: V2Type;
  eventMode: 'fetch' | 'webhook';
  webhookUrl: string;
  /** The botToken (webhook callers; '' for an app). Only its hash is stored. */
  token: string;
  isHidden: boolean;
  isReactionsEnabled: boolean;
  isSupportOpenline: boolean;
  backgroundId: string;
  profile: NewUser;
}

// A webhook bot's own app: its events' application_token, its tokens' client. Never the admin scope.
async function webhookBotApp(db: Db, caller: V2Caller, code: string): Promise<App> {
  const clientId = `botv2.${secret(12)}`;
  return db.insertInto('apps').values({
    code: clientId, name: `Webhook bot ${code}`, client_id: clientId, client_secret: secret(24), application_token: secret(16),
    handler_url: '', scope: caller.scopes.filter((s) => s !== ADMIN_SCOPE).join(','), version: 1, installed: 1,
    install_user_id: caller.user.id, created_at: Date.now(),
  }).returningAll().executeTakeFirstOrThrow();
}

/**
 * Register a v2 bot, or answer the caller's existing one with the same code (a repeated
 * registration, as the docs describe `code`). BOT_CODE_ALREADY_TAKEN when another owner has the
 * code; BOT_REGISTER_FAILED when a webhook's botToken already names another bot; BOT_LIMIT_EXCEEDED.
 */
export async function registerV2Bot(db: Db, caller: V2Caller, input: NewV2Bot): Promise<{ bot: Bot; created: boolean }> {
  const sameCode = await db.selectFrom('bots').selectAll().where('code', '=', input.code).orderBy('id').execute();
  const mine = sameCode.find((b) => ownsBot(b, caller));
  if (mine) return { bot: mine, created: false };
  // "Already taken by another application": a code names one bot on the portal, whoever registered it.
  if (sameCode.length) fail('BOT_CODE_ALREADY_TAKEN');
  const tokenHash = caller.app ? '' : hashSecret(input.token);
  if (tokenHash && await db.selectFrom('bots').select('id').where('token_hash', '=', tokenHash).executeTakeFirst()) fail('BOT_REGISTER_FAILED');
  const count = caller.app
    ? db.selectFrom('bots').select(({ fn }) => fn.countAll<number>().as('n')).where('app_id', '=', caller.app.id)
    : db.selectFrom('bots').select(({ fn }) => fn.countAll<number>().as('n')).where('owner_user_id', '=', caller.user.id).where('api_version', '=', 2);
  if (Number((await count.executeTakeFirstOrThrow()).n) >= MAX_V2_BOTS) fail('BOT_LIMIT_EXCEEDED');
  const app = caller.app ?? (await webhookBotApp(db, caller, input.code));
  const id = await createUser(db, { ...input.profile, isBot: true, login: null, password: null });
  const bot = await db.insertInto('bots').values({
    id, app_id: app.id, code: input.code, type: CLASSIC_TYPE[input.type], openline: input.type === 'openline' || input.isSupportOpenline ? 1 : 0,
    client_id: '', h_message_add: '', h_message_update: '', h_message_delete: '', h_welcome: '', h_bot_delete: '', created_at: Date.now(),
    api_version: 2, v2_type: input.type, event_mode: input.eventMode, webhook_url: input.webhookUrl, token_hash: tokenHash,
    owner_user_id: caller.app ? 0 : caller.user.id, is_hidden: input.isHidden ? 1 : 0, reactions_enabled: input.isReactionsEnabled ? 1 : 0,
    background_id: input.backgroundId,
  }).returningAll().executeTakeFirstOrThrow();
  return { bot, created: true };
}

/** What Bot.update changes; each field only when sent. */
export interface V2BotChanges {
  eventMode?: 'fetch' | 'webhook';
  webhookUrl?: string;
  /** A new botToken (rotation); BOT_TOKEN_ROTATION_FAILED when another bot has it. */
  token?: string;
  isHidden?: boolean;
  isReactionsEnabled?: boolean;
  isSupportOpenline?: boolean;
  backgroundId?: string;
  profile: Partial<Record<'name' | 'last_name' | 'work_position' | 'color' | 'gender' | 'avatar', string>>;
}

/** Apply Bot.update's changes; answers the bot as it now is. */
export async function updateV2Bot(db: Db, bot: Bot, changes: V2BotChanges): Promise<Bot> {
  const set: Partial<Bot> = {};
  if (changes.eventMode !== undefined) set.event_mode = changes.eventMode;
  if (changes.webhookUrl !== undefined) set.webhook_url = changes.webhookUrl;
  if (changes.isHidden !== undefined) set.is_hidden = changes.isHidden ? 1 : 0;
  if (changes.isReactionsEnabled !== undefined) set.reactions_enabled = changes.isReactionsEnabled ? 1 : 0;
  if (changes.isSupportOpenline !== undefined) set.openline = changes.isSupportOpenline || bot.v2_type === 'openline' ? 1 : 0;
  if (changes.backgroundId !== undefined) set.background_id = changes.backgroundId;
  if (changes.token !== undefined) {
    const hash = hashSecret(changes.token);
    // The collision is answered without saying whose token it is (bot-update.md).
    const clash = await db.selectFrom('bots').select('id').where('token_hash', '=', hash).where('id', '!=', bot.id).executeTakeFirst();
    if (clash || !bot.token_hash) fail('BOT_TOKEN_ROTATION_FAILED');
    set.token_hash = hash;
  }
  if (Object.keys(set).length) await db.updateTable('bots').set(set).where('id', '=', bot.id).execute();
  if (Object.keys(changes.profile).length) await db.updateTable('users').set(changes.profile).where('id', '=', bot.id).execute();
  const updated = { ...bot, ...set };
  // Events still waiting for the old webhook URL go where the bot now takes them.
  if (isV2(bot)) await followDelivery(db, bot, updated);
  return updated;
}

/** A bot as the Bot object shows it (a classic bot: type from its classic type, event mode `webhook`). */
export function botFields(bot: Bot): V2BotFields {
  const classicType = bot.type === 'S' ? 'supervisor' : bot.type === 'O' ? 'openline' : 'bot';
  return {
    id: bot.id, code: bot.code, type: isV2(bot) ? bot.v2_type : classicType, isHidden: !!bot.is_hidden,
    isSupportOpenline: !!bot.openline, isReactionsEnabled: !!bot.reactions_enabled, backgroundId: bot.background_id,
    eventMode: isV2(bot) ? bot.event_mode : 'webhook',
  };
}

/** The extended Bot object's counters: messages it wrote, its commands, its chats and the people in them. */
export async function botCounters(db: Db, botId: number): Promise<V2BotCounters> {
  const n = (r: { n: unknown } | undefined) => Number(r?.n ?? 0);
  const messages = await db.selectFrom('messages').select(({ fn }) => fn.countAll().as('n')).where('author_id', '=', botId).executeTakeFirst();
  const commands = await db.selectFrom('commands').select(({ fn }) => fn.countAll().as('n')).where('bot_id', '=', botId).executeTakeFirst();
  const chats = await db.selectFrom('chat_members').select(({ fn }) => fn.countAll().as('n')).where('user_id', '=', botId).executeTakeFirst();
  const users = await db.selectFrom('chat_members as m').innerJoin('chat_members as b', 'b.chat_id', 'm.chat_id')
    .select(({ fn }) => fn.count('m.user_id').distinct().as('n')).where('b.user_id', '=', botId).where('m.user_id', '!=', botId).executeTakeFirst();
  return { countMessage: n(messages), countCommand: n(commands), countChat: n(chats), countUser: n(users) };
}

/**
 * The message `botId` may delete through imbot.v2.Chat.Message.delete: its own (not deleted), or any
 * message of a chat where the bot is an administrator (its owner or a manager). undefined otherwise.
 */
export async function deletableBy(db: Db, messageId: number, botId: number): Promise<Message | undefined> {
  if (!isRowId(messageId)) return undefined;
  const message = await db.selectFrom('messages').selectAll().where('id', '=', messageId).executeTakeFirst();
  if (!message || message.deleted) return undefined;
  if (message.author_id === botId && !message.system) return message;
  const chat = await db.selectFrom('chats').select('owner_id').where('id', '=', message.chat_id).executeTakeFirst();
  const member = await db.selectFrom('chat_members').select('manager').where('chat_id', '=', message.chat_id).where('user_id', '=', botId).executeTakeFirst();
  return member && (chat?.owner_id === botId || Number(member.manager) === 1) ? message : undefined;
}
