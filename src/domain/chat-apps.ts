/**
 * Chat apps (imbot.app.*): an application's button in the messenger's composer — a JS command
 * (SEND, PUT, CALL, SUPPORT) or an IFRAME page — shown in the dialog contexts it names, and opened
 * from a bot's KEYBOARD or MENU button naming its APP_ID. Stored rows and who sees which app where;
 * the frame's address is built in chat-app-launch.ts.
 */
import type { Generated, Selectable } from 'kysely';
import type { Db } from '../store/db.ts';
import { fail } from '../errors.ts';
import { isRowId } from '../store/row-id.ts';
import { bareHost, classifyAddress } from '../net/addresses.ts';
import type { Chat, User } from './types.ts';

declare module '../store/schema.ts' {
  interface Database { chat_apps: ChatAppsTable }
}

/** A row of chat_apps (migration 0023). */
export interface ChatAppsTable {
  id: Generated<number>;
  /** The OAuth application that registered it; only that app may change or remove it. */
  app_id: number;
  /** The bot it belongs to, or 0 for an app without a bot. */
  bot_id: number;
  code: string;
  /** SEND, PUT, CALL or SUPPORT for a JS command; '' for an IFRAME app. */
  js_method: string;
  js_param: string;
  /** The frame's URL; '' for a JS command. */
  iframe: string;
  iframe_width: number;
  iframe_height: number;
  iframe_popup: number;
  /** What the frame's DOMAIN_HASH and USER_HASH are signed with. */
  hash: string;
  /** ALL, USER, CHAT, BOT, LINES or CALL, optionally with -ADMIN. */
  context: string;
  hidden: number;
  extranet_support: number;
  livechat_support: number;
  /** The PNG icon as base64; '' for none (the messenger groups such apps under one button). */
  icon: string;
  /** JSON list of {LANGUAGE_ID, TITLE, DESCRIPTION, COPYRIGHT}. */
  lang: string;
  created_at: number;
  updated_at: number;
}

/** A chat app as stored. */
export type ChatApp = Selectable<ChatAppsTable>;

/** One translation of a chat app's title. */
export interface ChatAppPhrase { LANGUAGE_ID: string; TITLE: string; DESCRIPTION: string; COPYRIGHT: string }

/** The documented contexts; `-ADMIN` may follow any of them. */
export const CHAT_APP_CONTEXTS = ['ALL', 'USER', 'CHAT', 'BOT', 'LINES', 'CALL'] as const;
/** The documented JS commands. */
export const JS_METHODS = ['SEND', 'PUT', 'CALL', 'SUPPORT'] as const;
/** The smallest frame Bitrix24 opens (the docs' minimums); smaller wishes are raised to these. */
export const MIN_IFRAME = { width: 250, height: 50 } as const;
/** The largest frame a wish is taken for; the messenger shrinks it further to what fits. */
export const MAX_IFRAME = { width: 2000, height: 2000 } as const;

/** The columns register writes and update changes (id, owner and times aside). */
export type ChatAppFields = Omit<ChatAppsTable, 'id' | 'app_id' | 'bot_id' | 'code' | 'created_at' | 'updated_at'>;

/** Register a chat app; a CODE the application already registered answers that app's id, unchanged. */
export async function registerChatApp(db: Db, appId: number, botId: number, code: string, fields: ChatAppFields): Promise<number> {
  const existing = await db.selectFrom('chat_apps').select('id').where('app_id', '=', appId).where('code', '=', code).executeTakeFirst();
  if (existing) return Number(existing.id);
  const now = Date.now();
  const row = await db.insertInto('chat_apps').values({ ...fields, app_id: appId, bot_id: botId, code, created_at: now, updated_at: now })
    .returning('id').executeTakeFirstOrThrow();
  return Number(row.id);
}

/** A chat app by id. */
export async function findChatApp(db: Db, id: number): Promise<ChatApp | undefined> {
  if (!isRowId(id)) return undefined;
  return db.selectFrom('chat_apps').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A chat app of the application: CHAT_APP_ID_ERROR when there is none, APP_ID_ERROR when another application registered it. */
export async function findOwnChatApp(db: Db, appId: number, id: number): Promise<ChatApp> {
  const app = await findChatApp(db, id);
  if (!app) fail('CHAT_APP_ID_ERROR');
  if (app.app_id !== appId) fail('APP_ID_ERROR', 'Chat app was installed by another REST application');
  return app;
}

/** Apply imbot.app.update's changes. */
export async function updateChatApp(db: Db, id: number, changes: Partial<ChatAppFields>): Promise<void> {
  await db.updateTable('chat_apps').set({ ...changes, updated_at: Date.now() }).where('id', '=', id).execute();
}

/** Remove one chat app. */
export async function deleteChatApp(db: Db, id: number): Promise<void> {
  await db.deleteFrom('chat_apps').where('id', '=', id).execute();
}

/** Remove a bot's chat apps (the bot is unregistered). */
export async function deleteBotChatApps(db: Db, botId: number): Promise<void> {
  await db.deleteFrom('chat_apps').where('bot_id', '=', botId).execute();
}

/** Remove every chat app of an application (it is uninstalled). */
/** The chat apps an application registered, by code (the developer console lists them). */
export async function appChatApps(db: Db, appId: number): Promise<ChatApp[]> {
  return db.selectFrom('chat_apps').selectAll().where('app_id', '=', appId).orderBy('code').execute();
}

export async function deleteAppChatApps(db: Db, appId: number): Promise<void> {
  await db.deleteFrom('chat_apps').where('app_id', '=', appId).execute();
}

/** What kind of dialog a chat is for `viewer`, in the words of CONTEXT, and the bot of a private dialog with one. */
export interface DialogKind { context: 'user' | 'chat' | 'bot' | 'lines'; botId: number }

/** The dialog kind of `chat` for `viewer`: a private chat with a bot is `bot`, with a person `user`; an open-line chat `lines`. */
export async function dialogKind(db: Db, chat: Chat, viewer: User): Promise<DialogKind> {
  if (chat.type === 'L') return { context: 'lines', botId: 0 };
  if (chat.type !== 'P' || !chat.private_key) return { context: 'chat', botId: 0 };
  const [a, b] = chat.private_key.split(':').map(Number);
  const other = a === viewer.id ? b : a;
  const bot = other !== viewer.id ? await db.selectFrom('bots').select('id').where('id', '=', other).executeTakeFirst() : undefined;
  return bot ? { context: 'bot', botId: Number(bot.id) } : { context: 'user', botId: 0 };
}

/**
 * Whether `viewer` may use `app` in a dialog of `kind` at all: -ADMIN apps only for administrators,
 * and only apps with EXTRANET_SUPPORT for an extranet user (in Parley, a customer of a connector).
 */
export function userMayUse(app: ChatApp, viewer: User): boolean {
  if (/-ADMIN$/i.test(app.context) && !viewer.is_admin) return false;
  if (viewer.external_auth_id && !app.extranet_support) return false;
  return true;
}

/**
 * Whether `app` is offered in the composer of a dialog of `kind` to `viewer`: not HIDDEN, usable by
 * them, and its CONTEXT matching — ALL everywhere, USER in private chats with people, CHAT in group
 * chats, BOT only in the private chat with the app's own bot, LINES in open-line chats, CALL nowhere
 * (Parley has no telephony chats).
 */
export function offeredIn(app: ChatApp, kind: DialogKind, viewer: User): boolean {
  if (app.hidden || !userMayUse(app, viewer)) return false;
  const context = app.context.toUpperCase().replace(/-ADMIN$/, '');
  if (context === 'ALL') return true;
  if (context === 'BOT') return kind.context === 'bot' && app.bot_id > 0 && kind.botId === app.bot_id;
  return context === kind.context.toUpperCase();
}

/** The chat apps `viewer` is offered in `chat`, by id. */
export async function chatAppsOffered(db: Db, chat: Chat, viewer: User): Promise<{ apps: ChatApp[]; kind: DialogKind }> {
  const kind = await dialogKind(db, chat, viewer);
  const rows = await db.selectFrom('chat_apps').selectAll().orderBy('id').execute();
  return { apps: rows.filter((a) => offeredIn(a, kind, viewer)), kind };
}

const RU_FALLBACK = ['by', 'ua', 'kz'];

/** The phrase to show in `language`, with Bitrix24's fallback (BY/UA/KZ → RU, else EN, else the first). */
export function chatAppPhrase(app: ChatApp, language: string): ChatAppPhrase | undefined {
  const phrases = JSON.parse(app.lang) as ChatAppPhrase[];
  const find = (lang: string) => phrases.find((p) => p.LANGUAGE_ID === lang && p.TITLE);
  const lang = language.toLowerCase();
  return find(lang) ?? find(RU_FALLBACK.includes(lang) ? 'ru' : 'en') ?? phrases.find((p) => p.TITLE);
}

/**
 * Whether the portal runs in local development mode, where an IFRAME may be plain http: its own
 * public URL is http on a loopback host (127.0.0.0/8, ::1 or `localhost`), as `parley start` without
 * --https and --public-url gives. Such a portal is only reachable from this machine, and its pages
 * are http themselves, so an http frame is no downgrade; anywhere else a frame must be https.
 */
export function plainFramesAllowed(publicUrl: string): boolean {
  const url = new URL(publicUrl);
  if (url.protocol !== 'http:') return false;
  const host = bareHost(url.hostname);
  return host === 'localhost' || classifyAddress(host) === 'loopback';
}
