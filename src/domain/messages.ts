/**
 * Messages: posting, editing, deleting and liking, and deciding which bots hear about it — every
 * bot in a private dialog; in a chat, supervisors (type S, and v2 supervisor/personal) always and
 * other bots when mentioned; each in its API version's format (domain/bot-v2-events.ts).
 * Events are queued in the caller's transaction. A message's state is kept in typed columns, its
 * likes and files in rows of their own (src/store/schema.ts); src/wire/message.ts shows them as PARAMS.
 * The message search index (src/store/message-terms.ts) follows every write of a message's text.
 */
import type { Db } from '../store/db.ts';
import type { Portal } from '../portal.ts';
import { queueMessageAdd, queueMessageChange, type MessageEventInput } from '../events/bot-events.ts';
import { botsByIds } from './bots.ts';
import { queueCommands, typedCommands } from './commands.ts';
import { tellV2Delete, tellV2Message, tellV2Reaction } from './bot-v2-events.ts';
import { tellUserMessage, tellUserReaction } from './user-v2-events.ts';
import { isV2 } from '../events/bot-v2-log.ts';
import { memberIds } from './members.ts';
import { queuePush } from '../realtime/push-log.ts';
import type { Bot, Chat, Message, MessageView, User } from './types.ts';
import type { AttachStored } from '../format/attach.ts';
import type { Button } from '../format/keyboard.ts';
import { isRowId } from '../store/row-id.ts';
import { indexMessage, unindexMessage } from '../store/message-terms.ts';
import { afterCommit } from './action.ts';
import { asLine, type SystemLine } from './system-lines.ts';
import { notifyMentions, withEveryone } from './mentions.ts';
import type { ForwardInfo } from '../wire/message.ts';

/** User ids mentioned with [USER=id] in a text. */
export function mentions(text: string): number[] {
  return [...new Set([...text.matchAll(/\[USER=(\d+)(?:\s[^\]]*)?\]/gi)].map((m) => Number(m[1])))];
}

/** Whether a text mentions every member of its chat ([USER=all], as the Chatbots 2.0 formatting page lists it). */
export const mentionsAll = (text: string): boolean => /\[USER=all(?:\s[^\]]*)?\]/i.test(text);

/** The text a bot receives in a chat: its own mention removed, as Bitrix24 does. */
export function stripMention(text: string, botId: number): string {
  return text.replace(new RegExp(`\\[USER=${botId}(?:\\s[^\\]]*)?\\][\\s\\S]*?\\[/USER\\]`, 'gi'), '').trim();
}

/** Find a message by id. */
export async function findMessage(db: Db, id: number): Promise<Message | undefined> {
  if (!isRowId(id)) return undefined;
  return db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Messages with their likes and reactions (in the order given) and files (in the order posted), for the wire. */
export async function withParts(db: Db, messages: Message[]): Promise<MessageView[]> {
  const ids = messages.map((m) => m.id);
  const likes = new Map<number, number[]>();
  const codes = new Map<number, Record<number, string>>();
  const files = new Map<number, number[]>();
  const add = (to: Map<number, number[]>, id: number, value: number) => to.set(id, [...(to.get(id) ?? []), value]);
  if (ids.length) {
    const liked = await db.selectFrom('message_likes').select(['message_id', 'user_id', 'reaction']).where('message_id', 'in', ids)
      .orderBy('created_at').orderBy('user_id').execute();
    for (const r of liked) {
      const id = Number(r.message_id);
      add(likes, id, Number(r.user_id));
      if (!codes.has(id)) codes.set(id, {});
      codes.get(id)![Number(r.user_id)] = r.reaction;
    }
    const posted = await db.selectFrom('message_files').select(['message_id', 'file_id']).where('message_id', 'in', ids).orderBy('position').execute();
    for (const r of posted) add(files, Number(r.message_id), Number(r.file_id));
  }
  return messages.map((m) => ({ ...m, liked_by: likes.get(m.id) ?? [], reactions: codes.get(m.id) ?? {}, file_ids: files.get(m.id) ?? [] }));
}

// Which bot members of the chat hear about a message written by `author`.
async function listeningBots(db: Db, chat: Chat, author: User, text: string, members: number[]): Promise<{ bots: Bot[]; mentioned: number[] }> {
  const mentioned = mentions(text);
  // Bots do not hear bots: two bots in one chat would otherwise answer each other forever.
  if (author.is_bot) return { bots: [], mentioned };
  const bots = await botsByIds(db, members.filter((id) => id !== author.id));
  if (chat.type === 'P') return { bots, mentioned };
  // An open-line bot is in a line chat only while it handles the session: it hears everything there.
  if (chat.type === 'L') return { bots: bots.filter((b) => b.type === 'S' || b.type === 'O' || b.openline || mentioned.includes(b.id)), mentioned };
  return { bots: bots.filter((b) => b.type === 'S' || mentioned.includes(b.id)), mentioned };
}

/** What message events need about a message, its chat and author. */
export async function eventInput(db: Db, chat: Chat, message: Message, author: User, text: string, members: number[], mentioned: number[]): Promise<MessageEventInput> {
  return eventInputs(db, chat, message, author, members, mentioned)(text);
}

/**
 * eventInput for one message told to several bots, each with its own text (a mention stripped):
 * the message before it (CHAT_PREV_MESSAGE_ID) is looked up once, on first use, not once per bot.
 */
function eventInputs(db: Db, chat: Chat, message: Message, author: User, members: number[], mentioned: number[]) {
  let prev: Promise<number> | undefined;
  return async (text: string): Promise<MessageEventInput> => {
    prev ??= db.selectFrom('messages').select('id').where('chat_id', '=', chat.id).where('id', '<', message.id)
      .orderBy('id', 'desc').limit(1).executeTakeFirst().then((r) => r?.id ?? 0);
    return { chat, message, author, text, memberCount: members.length, mentioned, prevMessageId: await prev };
  };
}

/**
 * A type-H ("human") bot answers after a random 2–10 s pause: its message is stored at once with a
 * date in the near future and only shows once that date has come.
 */
async function humanDelay(portal: Portal, db: Db, author: User): Promise<number> {
  if (!author.is_bot) return 0;
  const [bot] = await botsByIds(db, [author.id]);
  if (bot?.type !== 'H') return 0;
  const { humanDelayMinMs: min, humanDelayMaxMs: max } = portal.config;
  return min + Math.floor(Math.random() * (Math.max(max, min) - min + 1));
}

/** What a new message carries: its text and content, as read and normalized from a call. */
export interface NewMessage {
  text: string;
  attach?: AttachStored;
  keyboard?: Button[];
  menu?: Button[];
  /** false: no link preview (URL_PREVIEW=N). */
  urlPreview?: boolean;
  /** The message it answers (REPLY_ID), already checked. */
  replyId?: number;
  /** Files already in the chat's folder (FILE_ID). */
  files?: number[];
  system?: boolean;
  /** Where a forwarded copy came from (domain/message-forward.ts). */
  forward?: ForwardInfo;
  /** The sender's dedup key (imbot.v2 templateId). */
  uuid?: string;
}

const json = (v: unknown[] | null | undefined) => (v ? JSON.stringify(v) : null);

/**
 * Post a message as `author` into `chat` and queue ONIMBOTMESSAGEADD for the bots that listen.
 * `only`: of those, just the bots it accepts are told (and their typed commands run): a test event
 * (domain/test-events.ts) reaches the chosen bot alone, not the other bots of its chat.
 */
export async function postMessage(portal: Portal, db: Db, chat: Chat, author: User, input: NewMessage, only: (bot: Bot) => boolean = () => true): Promise<Message> {
  const now = Date.now() + (await humanDelay(portal, db, author));
  const message = await db.insertInto('messages').values({
    chat_id: chat.id, author_id: author.id, text: input.text, system: input.system ? 1 : 0, deleted: 0, created_at: now, updated_at: now,
    attach: json(input.attach), keyboard: json(input.keyboard), menu: json(input.menu),
    url_preview: input.urlPreview === false ? 0 : 1, reply_id: input.replyId ?? 0,
    forward: input.forward ? JSON.stringify(input.forward) : null, uuid: input.uuid ?? '',
  }).returningAll().executeTakeFirstOrThrow();
  // The search index follows the message in the same transaction.
  await indexMessage(db, message);
  if (input.files?.length) {
    await db.insertInto('message_files').values(input.files.map((file_id, position) => ({ message_id: message.id, file_id, position }))).execute();
  }
  // Both marks only move forward: concurrent posts in one chat (PostgreSQL) commit in any order.
  await db.updateTable('chats').set({ last_message_id: message.id }).where('id', '=', chat.id).where('last_message_id', '<', message.id).execute();
  // The author has read everything up to their own message.
  await db.updateTable('chat_members').set({ last_read_id: message.id }).where('chat_id', '=', chat.id).where('user_id', '=', author.id)
    .where('last_read_id', '<', message.id).execute();
  const members = await memberIds(db, chat.id);
  await queuePush(db, members, 'message.add', { chatId: chat.id, messageId: message.id, authorId: author.id }, now);
  // A type-H bot "types" until its delayed answer shows (once the answer is committed: a rolled-back one never shows).
  if (now > Date.now()) afterCommit(portal, db).signal(members, { type: 'typing', chatId: chat.id, userId: author.id, until: now });
  const listening = await listeningBots(db, chat, author, input.text, members);
  const { mentioned } = listening;
  await notifyMentions(db, chat, message, author, mentionsAll(input.text) ? withEveryone(mentioned, members) : mentioned);
  const bots = listening.bots.filter(only);
  // A typed `/command` goes to its bots as ONIMCOMMANDADD instead of ONIMBOTMESSAGEADD.
  const triggered = author.is_bot ? [] : (await typedCommands(db, chat, input.text)).filter((t) => only(t.bot));
  const commandBots = new Set(triggered.map((t) => t.bot.id));
  const told = eventInputs(db, chat, message, author, members, mentioned);
  for (const bot of bots) {
    // A Chatbots 2.0 bot hears the same message in its own format (below).
    if (commandBots.has(bot.id) || isV2(bot)) continue;
    const text = chat.type === 'P' ? input.text : stripMention(input.text, bot.id);
    await queueMessageAdd(db, await told(text), [bot]);
  }
  await tellV2Message(db, 'add', chat, message, author, bots.filter((b) => !commandBots.has(b.id)));
  await tellUserMessage(db, 'add', chat, message, author, members);
  if (triggered.length) await queueCommands(db, await told(input.text), 'TEXTAREA', triggered);
  return message;
}

/**
 * A system line in a chat ("X invited Y"), authored by nobody; bots are not told. Given as one of
 * the kinds of domain/system-lines.ts, it keeps what it reports as data for the readers' languages. `actorId`, the
 * person whose action it reports, has read it: nobody is told of their own action as news.
 */
export async function postSystemMessage(_portal: Portal, db: Db, chat: Chat, said: string | SystemLine, actorId = 0): Promise<Message> {
  const now = Date.now();
  const { text, code, params } = asLine(said);
  const message = await db.insertInto('messages').values({
    chat_id: chat.id, author_id: 0, text, system: 1, deleted: 0, created_at: now, updated_at: now,
    system_code: code ?? '', system_params: code ? JSON.stringify(params ?? {}) : null,
  }).returningAll().executeTakeFirstOrThrow();
  await db.updateTable('chats').set({ last_message_id: message.id }).where('id', '=', chat.id).where('last_message_id', '<', message.id).execute();
  if (actorId) {
    await db.updateTable('chat_members').set({ last_read_id: message.id }).where('chat_id', '=', chat.id).where('user_id', '=', actorId)
      .where('last_read_id', '<', message.id).execute();
  }
  await queuePush(db, await memberIds(db, chat.id), 'message.add', { chatId: chat.id, messageId: message.id, authorId: 0 });
  return message;
}

async function notifyChange(db: Db, kind: 'update' | 'delete', message: Message, actor: User, text: string): Promise<void> {
  const members = await memberIds(db, message.chat_id);
  await queuePush(db, members, kind === 'update' ? 'message.update' : 'message.delete', { chatId: message.chat_id, messageId: message.id });
  await tellChange(db, kind, message, actor, text);
}

/**
 * Queue ONIMBOTMESSAGEUPDATE or ONIMBOTMESSAGEDELETE (`text`: the message's new text, or the deleted
 * placeholder) for the bots of its chat that listen, and of those only the ones `only` accepts.
 */
export async function tellChange(db: Db, kind: 'update' | 'delete', message: Message, actor: User, text: string, only?: (bot: Bot) => boolean): Promise<void> {
  const chat = await db.selectFrom('chats').selectAll().where('id', '=', message.chat_id).executeTakeFirstOrThrow();
  const members = await memberIds(db, chat.id);
  const listening = await listeningBots(db, chat, actor, message.text, members);
  const told = eventInputs(db, chat, message, actor, members, listening.mentioned);
  const bots = only ? listening.bots.filter(only) : listening.bots;
  for (const bot of bots.filter((b) => !isV2(b))) {
    const shown = kind === 'delete' ? text : chat.type === 'P' ? text : stripMention(text, bot.id);
    await queueMessageChange(db, kind, await told(shown), [bot]);
  }
  if (kind === 'update') await tellV2Message(db, 'update', chat, message, actor, bots);
  else await tellV2Delete(db, chat, message, actor, bots);
  // A test event for some bots (`only`: test-events.ts) is no change the members' own streams hear of.
  if (!only) await tellUserMessage(db, kind, chat, message, actor, members);
}

/** A change to a message; every field left out stays as it is, null removes that part. */
export interface MessageEdit {
  /** A different text marks the message edited and drops the old text's link preview. */
  text?: string;
  /** Replaces the whole attach, the link preview's included. */
  attach?: AttachStored | null;
  /** A new (or removed) keyboard also lifts a block on the old one. */
  keyboard?: Button[] | null;
  menu?: Button[] | null;
  /** Mark it edited though the text stays (im.message.update's IS_EDITED for an ATTACH change). */
  markEdited?: boolean;
  /** The files it keeps (FILE_ID); the others leave it. */
  files?: number[];
}

/** Change a message and tell listening bots. */
export async function editMessage(db: Db, message: Message, actor: User, edit: MessageEdit): Promise<Message> {
  const set: Partial<Message> = { updated_at: Date.now() };
  const retext = edit.text !== undefined && edit.text !== message.text;
  if (retext) Object.assign(set, { text: edit.text, edited: 1, url_id: 0, url_only: 0, url_attach: null });
  if (edit.markEdited) set.edited = 1;
  if (edit.attach !== undefined) Object.assign(set, { attach: json(edit.attach), url_attach: null });
  if (edit.keyboard !== undefined) Object.assign(set, { keyboard: json(edit.keyboard), keyboard_blocked: 0 });
  if (edit.menu !== undefined) set.menu = json(edit.menu);
  await db.updateTable('messages').set(set).where('id', '=', message.id).execute();
  if (retext) await indexMessage(db, { ...message, ...set });
  if (edit.files) {
    let gone = db.deleteFrom('message_files').where('message_id', '=', message.id);
    if (edit.files.length) gone = gone.where('file_id', 'not in', edit.files);
    await gone.execute();
  }
  const updated = { ...message, ...set };
  await notifyChange(db, 'update', updated, actor, updated.text);
  return updated;
}

/** The placeholder Bitrix24 shows and sends for a deleted message. */
export function deletedText(message: Message): string {
  const d = new Date(message.created_at);
  const p = (n: number) => String(n).padStart(2, '0');
  return `Message from ${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} has been deleted`;
}

/**
 * Delete a message: normally it stays as a "deleted" mark (its text and rich parts gone, the rest of
 * its state kept); `complete` removes it, its likes and file links without a trace. Listening bots
 * get ONIMBOTMESSAGEDELETE either way.
 */
export async function deleteMessage(db: Db, message: Message, actor: User, complete: boolean): Promise<void> {
  const text = deletedText(message);
  if (complete) {
    await db.deleteFrom('messages').where('id', '=', message.id).execute();
    await db.deleteFrom('message_likes').where('message_id', '=', message.id).execute();
    await db.deleteFrom('message_files').where('message_id', '=', message.id).execute();
  } else {
    await db.updateTable('messages').set({ text: '', deleted: 1, attach: null, keyboard: null, menu: null, url_attach: null, updated_at: Date.now() })
      .where('id', '=', message.id).execute();
  }
  // Found by no search either way.
  await unindexMessage(db, message.id);
  await notifyChange(db, 'delete', message, actor, text);
}

/**
 * Like, unlike or toggle; returns false when nothing changed. A like is a row: two people liking at
 * once insert two rows, and the same person twice meets the unique (message, user) pair. Any
 * reaction counts as the like (Bitrix24's legacy like follows its reactions): a like keeps a
 * reaction already set, and taking the like back takes the reaction away.
 */
export async function likeMessage(db: Db, message: Message, userId: number, action: 'plus' | 'minus' | 'auto'): Promise<boolean> {
  const now = await reactionOf(db, message.id, userId);
  const want = action === 'auto' ? !now : action === 'plus';
  if (want === !!now) return false;
  return want ? setReaction(db, message, userId, 'like') : takeReaction(db, message, userId, now!);
}

/** The reaction `userId` has set on a message, if any. */
export async function reactionOf(db: Db, messageId: number, userId: number): Promise<string | undefined> {
  return (await db.selectFrom('message_likes').select('reaction').where('message_id', '=', messageId).where('user_id', '=', userId).executeTakeFirst())?.reaction;
}

/**
 * Set `userId`'s reaction on a message to `code`: one per person and message, so a different one
 * they had is replaced (as Bitrix24 does: the old one goes without an event of its own). False when
 * that very reaction was set already.
 */
export async function setReaction(db: Db, message: Message, userId: number, code: string): Promise<boolean> {
  const res = await db.insertInto('message_likes').values({ message_id: message.id, user_id: userId, reaction: code, created_at: Date.now() })
    .onConflict((oc) => oc.columns(['message_id', 'user_id']).doUpdateSet({ reaction: code }).where('message_likes.reaction', '!=', code))
    .executeTakeFirst();
  if (!(Number(res.numInsertedOrUpdatedRows ?? 0) > 0)) return false;
  await reactionChanged(db, message, userId, code, 'add');
  return true;
}

/** Take back `userId`'s reaction `code` on a message; false when they had not set that one. */
export async function takeReaction(db: Db, message: Message, userId: number, code: string): Promise<boolean> {
  const res = await db.deleteFrom('message_likes').where('message_id', '=', message.id).where('user_id', '=', userId)
    .where('reaction', '=', code).executeTakeFirst();
  if (!Number(res.numDeletedRows)) return false;
  await reactionChanged(db, message, userId, code, 'delete');
  return true;
}

// The chat's members see the like count change; a v2 bot hears the reactions to its messages
// (ONIMBOTV2REACTIONCHANGE) and subscribed members theirs (ONIMV2REACTIONCHANGE), in the same transaction.
async function reactionChanged(db: Db, message: Message, userId: number, code: string, action: 'add' | 'delete'): Promise<void> {
  const members = await memberIds(db, message.chat_id);
  await queuePush(db, members, 'message.like', { chatId: message.chat_id, messageId: message.id });
  await tellV2Reaction(db, message, userId, code, action);
  await tellUserReaction(db, message, userId, code, action, members);
}

/** A keyboard button or menu item found on a message. */
export interface PressedButton { context: 'KEYBOARD' | 'MENU'; block: boolean; blocked: boolean }

// Every object with a COMMAND key inside a stored KEYBOARD or MENU, whatever its nesting.
function commandButtons(value: unknown, out: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(value)) value.forEach((v) => commandButtons(v, out));
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.COMMAND === 'string') out.push(o);
    else Object.values(o).forEach((v) => commandButtons(v, out));
  }
  return out;
}

/**
 * The button of `message` that sends `command` with `params` to `botId` (buttons name their bot with
 * BOT_ID, or belong to the bot that wrote the message); undefined when there is none.
 */
export function findPressedButton(message: Message, botId: number, command: string, params: string): PressedButton | undefined {
  for (const context of ['KEYBOARD', 'MENU'] as const) {
    const stored = context === 'KEYBOARD' ? message.keyboard : message.menu;
    for (const b of commandButtons(stored === null ? [] : JSON.parse(stored))) {
      const owner = Number(b.BOT_ID ?? message.author_id);
      const sameCommand = String(b.COMMAND).replace(/^\//, '').toLowerCase() === command.toLowerCase();
      if (owner === botId && sameCommand && String(b.COMMAND_PARAMS ?? '') === params && b.DISABLED !== 'Y') {
        return { context, block: context === 'KEYBOARD' && b.BLOCK === 'Y', blocked: context === 'KEYBOARD' && !!message.keyboard_blocked };
      }
    }
  }
  return undefined;
}

/** Block a message's keyboard after a BLOCK=Y press; the bot's next KEYBOARD for it lifts the block. */
export async function blockKeyboard(db: Db, message: Message): Promise<void> {
  await db.updateTable('messages').set({ keyboard_blocked: 1 }).where('id', '=', message.id).execute();
}
