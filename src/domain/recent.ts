/**
 * The recent list (im.recent.*): a user's chats with their newest message, ordered pinned first and
 * then by that message's date. A chat is listed once it has a message the user may see, or while it
 * is pinned; merely opening a dialog does not list it. Hiding remembers the newest message at that
 * moment (chat_members.hidden holds its id; 0 = not hidden) so the entry comes back by itself when a
 * newer message arrives, without message posting having to know about the recent list.
 */
import type { Db } from '../store/db.ts';
import type { Chat, MessageView } from './types.ts';
import { lastVisibleId, unreadCounters, type Membership } from './read-state.ts';
import { withParts } from './messages.ts';

/** One member of a chat as chat objects describe them. */
export interface MemberFact { userId: number; lastReadId: number; manager: boolean; muted: boolean }

/** The members of each chat (for user_counter, manager_list, mute_list, readed_list). */
export async function chatMembers(db: Db, chatIds: number[]): Promise<Map<number, MemberFact[]>> {
  const out = new Map<number, MemberFact[]>(chatIds.map((id) => [id, []]));
  if (!chatIds.length) return out;
  const rows = await db.selectFrom('chat_members').select(['chat_id', 'user_id', 'last_read_id', 'manager', 'muted'])
    .where('chat_id', 'in', chatIds).orderBy('joined_at').orderBy('user_id').execute();
  for (const r of rows) {
    out.get(Number(r.chat_id))?.push({ userId: Number(r.user_id), lastReadId: Number(r.last_read_id), manager: !!Number(r.manager), muted: !!Number(r.muted) });
  }
  return out;
}

/** A recent-list entry before it is put on the wire. */
export interface RecentEntry {
  chat: Chat;
  member: Membership;
  /** The newest message the user may see; undefined for a pinned chat without messages. */
  last?: MessageView;
  counter: number;
  /** The oldest unread message, 0 when none. */
  firstUnreadId: number;
  /** Newest of the last message's date and the last change to the entry (pin, read, mark). */
  dateUpdate: number;
  /** The last message's date, or the chat's creation. */
  dateActivity: number;
}

/** What im.recent.get and im.recent.list may ask for. */
export interface RecentFilter {
  skipChat?: boolean;
  skipDialog?: boolean;
  unreadOnly?: boolean;
  /** Only entries changed at or after this time (Unix ms). */
  updatedSince?: number;
}

/** A user's recent list, pinned entries first, then newest message first. */
export async function recentEntries(db: Db, userId: number, filter: RecentFilter = {}): Promise<RecentEntry[]> {
  const now = Date.now();
  const members = await db.selectFrom('chat_members').selectAll().where('user_id', '=', userId).execute();
  if (!members.length) return [];
  const chatIds = members.map((m) => Number(m.chat_id));
  const [chats, lasts, counters] = await Promise.all([
    db.selectFrom('chats').selectAll().where('id', 'in', chatIds).execute(),
    db.selectFrom('messages as m').innerJoin('chat_members as cm', (j) => j.onRef('cm.chat_id', '=', 'm.chat_id').on('cm.user_id', '=', userId))
      .select((eb) => ['m.chat_id', eb.fn.max<number>('m.id').as('last_id')])
      .whereRef('m.id', '>=', 'cm.start_id').where('m.created_at', '<=', now).groupBy('m.chat_id').execute(),
    unreadCounters(db, userId, undefined, now),
  ]);
  const chatById = new Map(chats.map((c) => [c.id, c]));
  const lastByChat = new Map(lasts.map((r) => [Number(r.chat_id), Number(r.last_id)]));
  const counterByChat = new Map(counters.map((c) => [c.chatId, c]));
  const wanted = members.filter((m) => {
    const lastId = lastByChat.get(Number(m.chat_id)) ?? 0;
    const chat = chatById.get(Number(m.chat_id));
    if (!chat) return false;
    if (filter.skipChat && chat.type !== 'P') return false;
    if (filter.skipDialog && chat.type === 'P') return false;
    if (m.pinned) return true;
    return lastId > 0 && lastId > Number(m.hidden);
  });
  const messageIds = wanted.map((m) => lastByChat.get(Number(m.chat_id)) ?? 0).filter((id) => id > 0);
  const messages = await withParts(db, messageIds.length ? await db.selectFrom('messages').selectAll().where('id', 'in', messageIds).execute() : []);
  const messageById = new Map(messages.map((m) => [m.id, m]));
  const entries: RecentEntry[] = [];
  for (const member of wanted) {
    const chat = chatById.get(Number(member.chat_id))!;
    const last = messageById.get(lastByChat.get(chat.id) ?? 0);
    const counter = counterByChat.get(chat.id)?.count ?? 0;
    const dateActivity = last?.created_at ?? chat.created_at;
    const entry = { chat, member, last, counter, firstUnreadId: counterByChat.get(chat.id)?.firstUnreadId ?? 0, dateActivity, dateUpdate: Math.max(dateActivity, Number(member.recent_at)) };
    if (filter.unreadOnly && !counter && !member.marked_unread) continue;
    if (filter.updatedSince !== undefined && entry.dateUpdate < filter.updatedSince) continue;
    entries.push(entry);
  }
  return entries.sort((a, b) => Number(b.member.pinned) - Number(a.member.pinned) || b.dateActivity - a.dateActivity || b.chat.id - a.chat.id);
}

/** Pin or unpin a chat in a member's recent list; pinning shows a hidden entry again. */
export async function setPinned(db: Db, chatId: number, userId: number, pinned: boolean): Promise<void> {
  await db.updateTable('chat_members').set(pinned ? { pinned: 1, hidden: 0, recent_at: Date.now() } : { pinned: 0, recent_at: Date.now() })
    .where('chat_id', '=', chatId).where('user_id', '=', userId).execute();
}

/**
 * Hide a chat from a member's recent list until a newer message than the current newest one
 * arrives; a hidden entry is no longer pinned.
 */
export async function hideRecent(db: Db, chatId: number, userId: number, startId: number): Promise<void> {
  const newest = await lastVisibleId(db, chatId, startId);
  // Nothing to remember for a chat without messages: it is not listed until its first one anyway.
  await db.updateTable('chat_members').set({ hidden: newest, pinned: 0, recent_at: Date.now() })
    .where('chat_id', '=', chatId).where('user_id', '=', userId).execute();
}
