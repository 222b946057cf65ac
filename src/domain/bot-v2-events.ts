/**
 * Telling bots what happened, by API version: a classic bot gets its classic event (ONIMBOT*,
 * events/bot-events.ts), a Chatbots 2.0 bot its ONIMBOTV2* event in the shape of
 * chat-bots-v2/imbot.v2/events/events.md — `message`, `chat` (with the bot's own `dialogId`), `user`,
 * `language` — recorded in the same transaction (events/bot-v2-log.ts: the fetch log or the outbox).
 * `bot` is added where the event leaves: the full Bot object by Event.get, `{id, code, auth}` by the
 * dispatcher. Who hears a message at all is still decided once, in domain/messages.ts.
 */
import type { Db } from '../store/db.ts';
import { queueJoin } from '../events/bot-events.ts';
import { isV2, recordV2Events, type V2Event } from '../events/bot-v2-log.ts';
import { dialogIdFor } from '../wire/dialog-id.ts';
import { wireParams } from '../wire/message.ts';
import { v2EventChat, v2Message, v2User } from '../wire/v2-entities.ts';
import { COLORS } from '../format/colors.ts';
import type { Bot, Chat, Message, User } from './types.ts';
import type { CommandContext, TriggeredCommand } from '../events/command-events.ts';

const LANGUAGE = 'en';
const hex = (color: string) => (COLORS as Record<string, string>)[color] ?? (color.startsWith('#') ? color : '#556574');

/** The User object of an event (avatars as paths: a payload is built without the portal's address). */
export const eventUser = (u: User) => v2User(u, hex(u.color), '');

/** The Chat object of an event as `bot` sees it. */
export const eventChat = (chat: Chat, bot: Pick<Bot, 'id'>) => v2EventChat(chat, dialogIdFor(chat, bot.id), hex(chat.color), '');

/**
 * The Message object of an event (and of Chat.Message.get / getContext), with its PARAMS (likes and
 * files read from their rows); `viewedByOthers`: someone besides its author has read up to it.
 */
export async function eventMessage(db: Db, m: Message): Promise<Record<string, unknown>> {
  const files = await db.selectFrom('message_files').select('file_id').where('message_id', '=', m.id).orderBy('position').execute();
  const likes = await db.selectFrom('message_likes').select('user_id').where('message_id', '=', m.id).orderBy('created_at').execute();
  const reader = await db.selectFrom('chat_members').select('user_id').where('chat_id', '=', m.chat_id).where('user_id', '!=', m.author_id)
    .where('last_read_id', '>=', m.id).limit(1).executeTakeFirst();
  return v2Message(m, wireParams({ ...m, file_ids: files.map((f) => Number(f.file_id)), liked_by: likes.map((l) => Number(l.user_id)) }), !!reader);
}

/** ONIMBOTV2MESSAGEADD or ONIMBOTV2MESSAGEUPDATE to each v2 bot of `bots`. */
export async function tellV2Message(db: Db, kind: 'add' | 'update', chat: Chat, message: Message, author: User, bots: Bot[]): Promise<void> {
  const v2 = bots.filter(isV2);
  if (!v2.length) return;
  const msg = await eventMessage(db, message);
  const user = eventUser(author);
  const type = kind === 'add' ? 'ONIMBOTV2MESSAGEADD' : 'ONIMBOTV2MESSAGEUPDATE';
  await recordV2Events(db, v2.map((bot): V2Event => ({
    bot, type, stream: `chat${chat.id}`, data: { message: msg, chat: eventChat(chat, bot), user, language: LANGUAGE },
  })));
}

/** ONIMBOTV2MESSAGEDELETE to each v2 bot of `bots`: the deleted message's id, its chat and author. */
export async function tellV2Delete(db: Db, chat: Chat, message: Message, author: User, bots: Bot[]): Promise<void> {
  const v2 = bots.filter(isV2);
  if (!v2.length) return;
  const user = eventUser(author);
  await recordV2Events(db, v2.map((bot): V2Event => ({
    bot, type: 'ONIMBOTV2MESSAGEDELETE', stream: `chat${chat.id}`, data: { messageId: message.id, chat: eventChat(chat, bot), user, language: LANGUAGE },
  })));
}

/**
 * Bots joined `chat` (added, or a user opened a private dialog with one), `user` brought them:
 * ONIMBOTJOINCHAT to the classic ones, ONIMBOTV2JOINCHAT to the v2 ones.
 */
export async function tellJoin(db: Db, chat: Chat, bots: Bot[], user: User): Promise<void> {
  const classic = bots.filter((b) => !isV2(b));
  if (classic.length) await queueJoin(db, chat, classic, user);
  const v2 = bots.filter(isV2);
  if (!v2.length) return;
  const who = eventUser(user);
  await recordV2Events(db, v2.map((bot): V2Event => {
    const c = eventChat(chat, bot);
    return { bot, type: 'ONIMBOTV2JOINCHAT', stream: `chat${chat.id}`, data: { dialogId: c.dialogId, chat: c, user: who, language: LANGUAGE } };
  }));
}

/**
 * ONIMBOTV2DELETE, the last event of a removed v2 bot: `data` is `bot` alone. Only a webhook-mode bot
 * can still receive it (a fetch-mode bot's log goes with the bot, and Event.get answers BOT_NOT_FOUND).
 */
export async function tellV2BotDelete(db: Db, bot: Bot): Promise<void> {
  if (bot.event_mode === 'webhook') await recordV2Events(db, [{ bot, type: 'ONIMBOTV2DELETE', stream: 'app', data: {} }]);
}

/**
 * ONIMBOTV2COMMANDADD: one event per triggered command of a v2 bot (events.md: several commands in
 * one message are separate events), `command` = `{id, command: "/word", params, context}`.
 */
export async function tellV2Commands(db: Db, chat: Chat, message: Message, author: User, context: CommandContext, triggered: TriggeredCommand[]): Promise<void> {
  const v2 = triggered.filter((t) => isV2(t.bot));
  if (!v2.length) return;
  const msg = await eventMessage(db, message);
  const user = eventUser(author);
  await recordV2Events(db, v2.map((t): V2Event => ({
    bot: t.bot, type: 'ONIMBOTV2COMMANDADD', stream: `chat${chat.id}`,
    data: {
      command: { id: t.command.id, command: `/${t.command.command}`, params: t.params, context: context.toLowerCase() },
      message: msg, chat: eventChat(chat, t.bot), user, language: LANGUAGE,
    },
  })));
}

/**
 * ONIMBOTV2REACTIONCHANGE to the v2 bot that wrote `message`, when a person adds or removes a
 * reaction to it (a bot's own reaction, or another bot's, is not told: bots do not hear bots).
 * `reaction` is its code (`like` for the messenger's like). A bot registered with
 * isReactionsEnabled false is not told.
 */
export async function tellV2Reaction(db: Db, message: Message, userId: number, reaction: string, action: 'add' | 'delete'): Promise<void> {
  if (message.author_id === userId || message.system) return;
  const bot = await db.selectFrom('bots').selectAll().where('id', '=', message.author_id).executeTakeFirst();
  if (!bot || !isV2(bot) || !bot.reactions_enabled) return;
  const user = await db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
  const chat = await db.selectFrom('chats').selectAll().where('id', '=', message.chat_id).executeTakeFirst();
  if (!user || user.is_bot || !chat) return;
  await recordV2Events(db, [{
    bot, type: 'ONIMBOTV2REACTIONCHANGE', stream: `chat${chat.id}`,
    data: { reaction, action, message: await eventMessage(db, message), chat: eventChat(chat, bot), user: eventUser(user), language: LANGUAGE },
  }]);
}

/**
 * ONIMBOTV2CONTEXTGET (bot-context.md): `user` opened `chat` with a context (a link's BOT_CONTEXT,
 * or im.v2.Chat.Bot.sendContext) — to each v2 bot of `bots`, with the context as it was given.
 */
export async function tellV2Context(db: Db, chat: Chat, user: User, bots: Bot[], context: Record<string, unknown>): Promise<void> {
  const v2 = bots.filter(isV2);
  if (!v2.length) return;
  const who = eventUser(user);
  await recordV2Events(db, v2.map((bot): V2Event => {
    const c = eventChat(chat, bot);
    return { bot, type: 'ONIMBOTV2CONTEXTGET', stream: `chat${chat.id}`, data: { dialogId: c.dialogId, context, chat: c, user: who, language: LANGUAGE } };
  }));
}
