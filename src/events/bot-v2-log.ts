/**
 * Where a Chatbots 2.0 event goes once the domain has built it (src/domain/bot-v2-events.ts): a
 * fetch-mode bot's into the v2 event log it reads with imbot.v2.Event.get, a webhook-mode bot's into
 * the durable outbox, POSTed to its webhookUrl by the one dispatcher (ordered, retried,
 * dead-lettered, in the console's events view) with `data.bot` = `{id, code, auth}`.
 *
 * The same log holds im.v2 user events (ONIMV2*, a subscribed user's: recordUserEvents, read by
 * im.v2.Event.get), a row of a bot (`bot_id`) or of a user (`user_id`), one id sequence for both:
 * imbot.v2.Event.get with withUserEvents reads a bot's and its caller's rows merged, and one offset
 * acknowledges both.
 *
 * The log's ids are what an `offset` acknowledges (deleting every row below it), so they must
 * follow the commits: a row that became visible after a higher id had been acknowledged would be
 * deleted unread. As the outbox does (outbox.ts), the rows are inserted as the action's last
 * statements after a lock held until the commit (PostgreSQL; SQLite has one writer) — one lock for
 * the whole log, not one per reader, since a merged read spans a bot's and a user's rows: the lock
 * is held only for those inserts and the commit.
 */
import type { Generated, Insertable } from 'kysely';
import type { Db } from '../store/db.ts';
import { beforeCommit } from '../store/after-commit.ts';
import { LOCK_SPACE, lockUntilCommit } from '../store/xact-locks.ts';
import type { DialectCaps } from '../store/dialect.ts';
import type { Bot } from '../store/rows.ts';
import { botV2Auth } from './auth-markers.ts';
import { enqueue, type OutboxEvent } from './outbox.ts';
import { OPEN } from './dead-letters.ts';

declare module '../store/schema.ts' {
  interface BotsTable {
    /** 1: a classic bot (imbot.*); 2: registered through imbot.v2 (migration 0025). */
    api_version: Generated<number>;
    /** The v2 type (bot, supervisor, personal, openline, network); '' for a classic bot. */
    v2_type: Generated<string>;
    /** `fetch` or `webhook` for a v2 bot. */
    event_mode: Generated<string>;
    /** Where a webhook-mode bot's events are POSTed. */
    webhook_url: Generated<string>;
    /** SHA-256 of the botToken a webhook caller authorizes with; '' for a bot of an OAuth app. */
    token_hash: Generated<string>;
    /** The user whose incoming webhook registered it (0: an OAuth app's). */
    owner_user_id: Generated<number>;
    is_hidden: Generated<number>;
    reactions_enabled: Generated<number>;
    background_id: Generated<string>;
  }
  interface Database { bot_v2_events: BotV2EventsTable; im_v2_subscribers: ImV2SubscribersTable }
}

/** A user whose messenger events are recorded in the log (im.v2.Event.subscribe; migration 0027). */
export interface ImV2SubscribersTable { user_id: number; created_at: number }

/** A row of the v2 event log: one event for one fetch-mode bot, until acknowledged. */
export interface BotV2EventsTable {
  id: Generated<number>;
  /** The bot the row is for; 0 for a user's row. */
  bot_id: number;
  /** The subscribed user the row is for (an im.v2 user event); 0 for a bot's row. */
  user_id: Generated<number>;
  /** ONIMBOTV2MESSAGEADD, … */
  type: string;
  /** JSON of the event's `data` without `bot`, which Event.get adds as the bot is when read. */
  data: string;
  created_at: number;
  /** When its reader acknowledged it (ms); 0 while it waits. Kept a while for the console (migration 0033). */
  fetched_at: Generated<number>;
}

/** Whether a bot row is a Chatbots 2.0 bot. */
export const isV2 = (bot: Pick<Bot, 'api_version'>) => Number(bot.api_version) === 2;

/** One event for one v2 bot: its type, its `data` without `bot`, and the dialog it is about. */
export interface V2Event { bot: Bot; type: string; data: Record<string, unknown>; stream: string }

const queued = new WeakMap<Db, Insertable<BotV2EventsTable>[]>();

/** Record v2 events in the caller's action (runAction): the log for fetch mode, the outbox for webhook mode. */
export async function recordV2Events(db: Db, events: V2Event[]): Promise<void> {
  const posts: OutboxEvent[] = events.filter((e) => e.bot.event_mode === 'webhook').map((e) => ({
    // The top-level `auth` is the reduced block (domain, application_token, …: events.md); the bot's
    // tokens for its callbacks are in data.bot.auth, minted at send time.
    appId: e.bot.app_id, event: e.type, handlerUrl: e.bot.webhook_url, stream: e.stream, authUserId: 0,
    data: { bot: botV2Auth(e.bot.id, e.bot.code), ...e.data },
  }));
  // Always through enqueue first: its before-commit step is then registered before this file's, so
  // every action takes the outbox's stream locks before the log's and two actions cannot deadlock.
  await enqueue(db, posts);
  const logged = events.filter((e) => e.bot.event_mode !== 'webhook');
  if (!logged.length) return;
  let rows = queued.get(db);
  if (!rows) {
    queued.set(db, (rows = []));
    if (!beforeCommit(db, (caps) => writeLog(db, caps))) throw new Error('recordV2Events() runs inside an action (runAction)');
  }
  const now = Date.now();
  for (const e of logged) rows.push({ bot_id: e.bot.id, type: e.type, data: JSON.stringify(e.data), created_at: now });
}

/** One im.v2 event for one subscribed user: its type and `data` (events.md of im.v2). */
export interface UserEvent { userId: number; type: string; data: Record<string, unknown> }

/** Record user events in the caller's action, in the same log and order as the bots' (above). */
export async function recordUserEvents(db: Db, events: UserEvent[]): Promise<void> {
  if (!events.length) return;
  let rows = queued.get(db);
  if (!rows) {
    queued.set(db, (rows = []));
    if (!beforeCommit(db, (caps) => writeLog(db, caps))) throw new Error('recordUserEvents() runs inside an action (runAction)');
  }
  const now = Date.now();
  for (const e of events) rows.push({ bot_id: 0, user_id: e.userId, type: e.type, data: JSON.stringify(e.data), created_at: now });
}

/** Which of `userIds` are subscribed to their im.v2 events. */
export async function subscribedOf(db: Db, userIds: number[]): Promise<number[]> {
  if (!userIds.length) return [];
  const rows = await db.selectFrom('im_v2_subscribers').select('user_id').where('user_id', 'in', userIds).execute();
  return rows.map((r) => Number(r.user_id));
}

/** im.v2.Event.subscribe / unsubscribe (both idempotent). Unsubscribing keeps what was recorded. */
export async function setSubscribed(db: Db, userId: number, on: boolean, now: number): Promise<void> {
  if (!on) await db.deleteFrom('im_v2_subscribers').where('user_id', '=', userId).execute();
  else await db.insertInto('im_v2_subscribers').values({ user_id: userId, created_at: now }).onConflict((oc) => oc.column('user_id').doNothing()).execute();
}

/** Retention: a user's events older than `before` (ms) go, read or not (im.v2 keeps them 24 hours). */
export async function pruneUserEvents(db: Db, before: number): Promise<number> {
  const res = await db.deleteFrom('bot_v2_events').where('bot_id', '=', 0).where('created_at', '<', before).executeTakeFirst();
  return Number(res.numDeletedRows);
}

/**
 * Retention: a bot's events never fetched before `before` (ms) go (no period is documented; a bot
 * that stopped polling must not grow the log without end). Acknowledged ones go sooner (below).
 */
export async function pruneBotEvents(db: Db, before: number): Promise<number> {
  const res = await db.deleteFrom('bot_v2_events').where('bot_id', '!=', 0).where('created_at', '<', before).executeTakeFirst();
  return Number(res.numDeletedRows);
}

/** Retention: events acknowledged before `before` (ms), bots' and users' alike, have been shown long enough. */
export async function pruneFetchedEvents(db: Db, before: number): Promise<number> {
  const res = await db.deleteFrom('bot_v2_events').where('fetched_at', '>', 0).where('fetched_at', '<', before).executeTakeFirst();
  return Number(res.numDeletedRows);
}

/** A row of the log as the console lists it. */
export interface V2LogEntry { id: number; botId: number; userId: number; type: string; createdAt: number; fetchedAt: number; data: Record<string, unknown> }

/** The log for the console, newest first: every reader's, or one bot's; a page from `start`, and the total. */
export async function listV2Log(db: Db, botId: number | undefined, start: number, limit: number): Promise<{ rows: V2LogEntry[]; total: number }> {
  let q = db.selectFrom('bot_v2_events');
  if (botId !== undefined) q = q.where('bot_id', '=', botId);
  const [rows, count] = await Promise.all([
    q.selectAll().orderBy('id', 'desc').offset(start).limit(limit).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
  ]);
  return {
    total: Number(count?.n ?? 0),
    rows: rows.map((r) => ({
      id: Number(r.id), botId: Number(r.bot_id), userId: Number(r.user_id), type: r.type, createdAt: Number(r.created_at),
      fetchedAt: Number(r.fetched_at), data: JSON.parse(r.data) as Record<string, unknown>,
    })),
  };
}

async function writeLog(db: Db, caps: DialectCaps): Promise<void> {
  const rows = queued.get(db) ?? [];
  queued.delete(db);
  if (!rows.length) return;
  await lockUntilCommit(db, caps, LOCK_SPACE.botV2Log, ['log']);
  for (const row of rows) await db.insertInto('bot_v2_events').values(row).execute();
}

/** A page of the log as Event.get answers it (a bot's rows without `bot` in `data`; `forBot`: a bot's row). */
export interface V2Page { events: { eventId: number; type: string; createdAt: number; forBot: boolean; data: Record<string, unknown> }[]; nextOffset: number; hasMore: boolean }

/** Whose rows a poll reads: a bot's, a user's, or both merged (imbot.v2.Event.get withUserEvents). */
export interface V2Reader { botId?: number; userId?: number }

/**
 * Acknowledge every event of the reader below `offset` (deleted: never answered again), then read up
 * to `limit` of the rest, oldest first. `nextOffset` is past the last one read, or the offset given
 * when there was nothing (0 on a first call with an empty log).
 */
export async function pollV2Log(db: Db, reader: V2Reader, offset: number | undefined, limit: number, now: number): Promise<V2Page> {
  // A bot's rows have user_id 0 and a user's bot_id 0: -1 matches no row.
  const botId = reader.botId ?? -1;
  const userId = reader.userId ?? -1;
  // Acknowledged rows are marked, not deleted: the console shows them until retention takes them.
  if (offset !== undefined) {
    await db.updateTable('bot_v2_events').set({ fetched_at: now }).where((eb) => eb.or([eb('bot_id', '=', botId), eb.and([eb('bot_id', '=', 0), eb('user_id', '=', userId)])]))
      .where('id', '<', offset).where('fetched_at', '=', 0).execute();
  }
  const rows = await db.selectFrom('bot_v2_events').selectAll().where((eb) => eb.or([eb('bot_id', '=', botId), eb.and([eb('bot_id', '=', 0), eb('user_id', '=', userId)])]))
    .where('fetched_at', '=', 0).orderBy('id').limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  return {
    events: page.map((r) => ({ eventId: Number(r.id), type: r.type, createdAt: Number(r.created_at), forBot: Number(r.bot_id) !== 0, data: JSON.parse(r.data) as Record<string, unknown> })),
    nextOffset: page.length ? Number(page[page.length - 1].id) + 1 : (offset ?? 0),
    hasMore: rows.length > limit,
  };
}

/** Forget a removed bot's unread events. */
export async function dropV2Log(db: Db, botId: number): Promise<void> {
  await db.deleteFrom('bot_v2_events').where('bot_id', '=', botId).execute();
}

/**
 * A v2 bot's delivery changed (Bot.update: a new webhookUrl, or webhook → fetch): its events still
 * open in the outbox for the old URL (waiting for a retry, or dead-lettered) follow it — queued to
 * the new URL, or into its fetch log — in their order, and the old rows are discarded, so the old URL
 * receives nothing more (bot-update.md) and nothing is lost. One the dispatcher is sending right now
 * may still arrive there as well (at least once). `was` is the bot as it was, `now` as it is.
 */
export async function followDelivery(db: Db, was: Bot, now: Bot): Promise<number> {
  if (was.event_mode !== 'webhook' || !was.webhook_url) return 0;
  if (now.event_mode === 'webhook' && now.webhook_url === was.webhook_url) return 0;
  const rows = await db.selectFrom('outbox').select(['id', 'event', 'order_key', 'payload'])
    .where('app_id', '=', was.app_id).where('handler_url', '=', was.webhook_url).where('status', 'in', OPEN).orderBy('id').execute();
  const mine = rows.map((r) => ({ r, data: (JSON.parse(r.payload) as { data?: Record<string, unknown> }).data ?? {} }))
    .filter(({ data }) => (data.bot as { __bot_v2_auth__?: { id: number } } | undefined)?.__bot_v2_auth__?.id === was.id);
  if (!mine.length) return 0;
  await db.updateTable('outbox').set({ status: 'discarded', last_error: 'the bot changed its delivery: moved to its new one' })
    .where('id', 'in', mine.map(({ r }) => r.id)).execute();
  await recordV2Events(db, mine.map(({ r, data }) => {
    const { bot: _marker, ...rest } = data;
    return { bot: now, type: r.event, data: rest, stream: r.order_key.slice(r.order_key.indexOf('\n') + 1) };
  }));
  return mine.length;
}
