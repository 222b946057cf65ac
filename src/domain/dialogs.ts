/**
 * A dialog as one viewer reads it: the facts of its full chat object (im.dialog.get and
 * imbot.dialog.get), a window of its history (im.dialog.messages.get), the caller's view of a page
 * of chats (im.search.chat.list), reading and unreading it (im.dialog.read / unread), and the
 * "typing" signal (im.dialog.writing, im.chat.sendTyping, imbot.chat.sendTyping).
 */
import type { Portal } from '../portal.ts';
import type { Db } from '../store/db.ts';
import { MAX_ROW_ID } from '../store/row-id.ts';
import { fail } from '../errors.ts';
import { runAction } from './action.ts';
import { announceTyping, openDialog } from './chats.ts';
import { memberChat } from './chat-admin.ts';
import { findMessage, withParts } from './messages.ts';
import { membership, readTo, unreadCounters, unreadFrom } from './read-state.ts';
import { chatMembers, type MemberFact } from './recent.ts';
import { findUsers } from './users.ts';
import type { Chat, DialogRef, MessageView, User } from './types.ts';

/** What the full chat object shows beyond the chat row, as one viewer sees it. */
export interface DialogView {
  members: MemberFact[];
  /** The viewer's unread messages and the oldest of them (0 when none). */
  counter: number;
  firstUnreadId: number;
  /** The viewer's read position (0 for a visitor of an open chat). */
  lastReadId: number;
  /** Messages the viewer's history holds (from their start, already due). */
  messageCount: number;
  /** The newest of them and its author. */
  lastMessage?: { id: number; authorId: number };
  /** The members' user rows, for names. */
  names: Map<number, User>;
}

/** The facts of a chat's full object for `viewerId`, read as of `now`. */
export async function dialogView(db: Db, chat: Chat, viewerId: number, now = Date.now()): Promise<DialogView> {
  const [members, [counter], me] = await Promise.all([
    chatMembers(db, [chat.id]).then((m) => m.get(chat.id) ?? []),
    unreadCounters(db, viewerId, [chat.id], now),
    membership(db, chat.id, viewerId),
  ]);
  const startId = Number(me?.start_id ?? 0);
  const counted = await db.selectFrom('messages').select((eb) => [eb.fn.count<number>('id').as('n'), eb.fn.max<number | null>('id').as('last')])
    .where('chat_id', '=', chat.id).where('id', '>=', startId).where('created_at', '<=', now).executeTakeFirst();
  const lastId = Number(counted?.last ?? 0);
  const last = lastId ? await db.selectFrom('messages').select('author_id').where('id', '=', lastId).executeTakeFirst() : undefined;
  return {
    members, counter: counter?.count ?? 0, firstUnreadId: counter?.firstUnreadId ?? 0, lastReadId: Number(me?.last_read_id ?? 0),
    messageCount: Number(counted?.n ?? 0), lastMessage: last ? { id: lastId, authorId: last.author_id } : undefined,
    names: await findUsers(db, members.map((m) => m.userId)),
  };
}

/**
 * The background of a private dialog with a Chatbots 2.0 bot (its `backgroundId`, one of the
 * documented names), for everyone in it; null elsewhere — Parley has no backgrounds of its own.
 */
export async function dialogBackground(db: Db, chat: Chat): Promise<string | null> {
  if (chat.type !== 'P') return null;
  const row = await db.selectFrom('chat_members').innerJoin('bots', 'bots.id', 'chat_members.user_id')
    .select('bots.background_id').where('chat_members.chat_id', '=', chat.id).where('bots.background_id', '!=', '').executeTakeFirst();
  return row?.background_id || null;
}

/** Which part of a history to read: newer than `firstId`, else older than `lastId`, else the newest. */
export interface HistoryWindow { firstId: number; lastId: number; limit: number }

/** A page of history: newest first, each message with whether it is unread for the viewer, and its authors. */
export interface History { messages: { message: MessageView; unread: boolean }[]; authors: Map<number, User> }

/**
 * A window of a chat's history as `viewerId` sees it: a member added with HIDE_HISTORY nothing
 * before their start, an open chat's visitor all of it; messages dated in the future (a type-H
 * bot's pending answer) are not there yet.
 */
export async function dialogHistory(db: Db, chat: Chat, viewerId: number, window: HistoryWindow): Promise<History> {
  // Past the row-id range, "newer than" finds nothing and "older than" finds everything: clamp to it.
  const firstId = Math.min(window.firstId, MAX_ROW_ID);
  const lastId = Math.min(window.lastId, MAX_ROW_ID);
  const me = await membership(db, chat.id, viewerId);
  const startId = Number(me?.start_id ?? 0);
  let q = db.selectFrom('messages').selectAll().where('chat_id', '=', chat.id).where('created_at', '<=', Date.now());
  if (startId > 0) q = q.where('id', '>=', startId);
  if (firstId > 0) q = q.where('id', '>', firstId).orderBy('id', 'asc');
  else {
    if (lastId > 0) q = q.where('id', '<', lastId);
    q = q.orderBy('id', 'desc');
  }
  const rows = await withParts(db, await q.limit(window.limit).execute());
  // Newest first, whichever direction was asked for.
  rows.sort((a, b) => b.id - a.id);
  const others = ((await chatMembers(db, [chat.id])).get(chat.id) ?? []).filter((m) => m.userId !== viewerId);
  const readByOthers = Math.max(0, ...others.map((m) => m.lastReadId));
  const myRead = Number(me?.last_read_id ?? 0);
  // Another's message is unread while past the reader's position; one's own while nobody else has read it.
  const unread = (m: MessageView) => (m.author_id === viewerId ? m.id > readByOthers : m.id > myRead && !!me);
  return {
    messages: rows.map((m) => ({ message: m, unread: unread(m) })),
    authors: await findUsers(db, rows.map((r) => r.author_id).filter((id) => id > 0)),
  };
}

/** One chat of a list as the caller sees it (im.search.chat.list). */
export interface ChatState { members: MemberFact[]; me?: MemberFact; messages: number; counter: number; unreadId: number }

/**
 * The caller's view of each of a page of chats, in three queries whatever the page size: members
 * (read marker, role, mute list), counts of messages not deleted, and unread counters as
 * im.counters.get and im.recent.* count them (read-state.ts).
 */
export async function chatStates(db: Db, viewerId: number, chatIds: number[]): Promise<Map<number, ChatState>> {
  if (!chatIds.length) return new Map();
  const [members, counted, unread] = await Promise.all([
    chatMembers(db, chatIds),
    db.selectFrom('messages').select((eb) => ['chat_id', eb.fn.countAll<number>().as('n')])
      .where('chat_id', 'in', chatIds).where('deleted', '=', 0).groupBy('chat_id').execute(),
    unreadCounters(db, viewerId, chatIds),
  ]);
  const messages = new Map(counted.map((r) => [Number(r.chat_id), Number(r.n)]));
  const counters = new Map(unread.map((c) => [c.chatId, c]));
  return new Map(chatIds.map((id) => {
    const list = members.get(id) ?? [];
    const counter = counters.get(id);
    return [id, { members: list, me: list.find((m) => m.userId === viewerId), messages: messages.get(id) ?? 0, counter: counter?.count ?? 0, unreadId: counter?.firstUnreadId ?? 0 }];
  }));
}

// A message of this chat named by id, or MESSAGE_ID_ERROR.
async function messageIn(db: Db, chat: Chat, id: number): Promise<number> {
  const message = await findMessage(db, id);
  if (!message || message.chat_id !== chat.id) fail('MESSAGE_ID_ERROR');
  return message.id;
}

/**
 * Mark a chat read for a member up to `messageId` (a message of this chat, else MESSAGE_ID_ERROR),
 * or all of it. A visitor of an open chat has no reading position to move: false.
 */
export async function readDialog(db: Db, chat: Chat, userId: number, messageId?: number): Promise<{ lastId: number; counter: number } | false> {
  const upTo = messageId === undefined ? undefined : await messageIn(db, chat, messageId);
  if (!(await membership(db, chat.id, userId))) return false;
  const lastId = await readTo(db, chat.id, userId, upTo);
  const [counter] = await unreadCounters(db, userId, [chat.id]);
  return { lastId, counter: counter?.count ?? 0 };
}

/** Mark a chat unread for a member from `messageId` (a message of this chat) on; false for a visitor. */
export async function unreadDialog(db: Db, chat: Chat, userId: number, messageId: number): Promise<boolean> {
  const from = await messageIn(db, chat, messageId);
  if (!(await membership(db, chat.id, userId))) return false;
  await unreadFrom(db, chat.id, userId, from);
  return true;
}

/**
 * `actor` is typing in the dialog `ref`: only who may write there (ACCESS_ERROR otherwise, also for
 * an open chat they have not joined). The same for a user (im.dialog.writing) and a bot
 * (imbot.chat.sendTyping).
 */
export async function typeIn(portal: Portal, actor: User, ref: DialogRef): Promise<void> {
  await runAction(portal, async (trx) => announceTyping(portal, trx, (await openDialog(trx, actor, ref, 'write')).id, actor.id));
}

/** `actor` is typing in chat `chatId` (im.chat.sendTyping): members only, ACCESS_ERROR "Action unavailable" otherwise. */
export async function typeInChat(portal: Portal, actor: User, chatId: number): Promise<void> {
  await runAction(portal, async (trx) => announceTyping(portal, trx, (await memberChat(trx, actor, chatId)).id, actor.id));
}
