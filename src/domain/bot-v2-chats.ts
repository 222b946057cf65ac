/**
 * The chats of a Chatbots 2.0 bot (imbot.v2.Chat.*): the chat a `dialogId` names for the bot — only
 * one it is a member of, as every chat page's ACCESS_DENIED "Bot is not a participant in the chat"
 * says — and the facts about it that the full Chat object of entities.md shows beyond the chats row
 * (the bot's role, the administrators, counters, its read position).
 */
import type { Db } from '../store/db.ts';
import { isRowId } from '../store/row-id.ts';
import { parseDialogId } from '../wire/dialog-id.ts';
import { findChat } from './chats.ts';
import { isMember } from './members.ts';
import { managerIds } from './chat-admin.ts';
import type { Chat } from './types.ts';

const privateKey = (a: number, b: number) => (a < b ? `${a}:${b}` : `${b}:${a}`);

/** The chat `dialogId` names as `botId` sees it (`chat<id>`, or a user id for the private dialog), if the bot is in it. */
export async function botChat(db: Db, botId: number, dialogId: string): Promise<Chat | undefined> {
  const ref = parseDialogId(dialogId);
  if (!ref) return undefined;
  const chat = ref.kind === 'chat'
    ? (isRowId(ref.chatId) ? await findChat(db, ref.chatId) : undefined)
    : await db.selectFrom('chats').selectAll().where('private_key', '=', privateKey(botId, ref.userId)).executeTakeFirst();
  return chat && (await isMember(db, chat.id, botId)) ? chat : undefined;
}

/** What the full Chat object shows beyond the row, as `viewerId` sees the chat. */
export interface ChatFacts {
  role: 'owner' | 'manager' | 'member' | 'none';
  managerList: number[];
  muteList: number[];
  messageCount: number;
  userCounter: number;
  /** The viewer's last read message, null before any. */
  lastId: number | null;
  /** The first message after it by someone else, null when none. */
  unreadId: number | null;
}

/** The facts of `chat` for `viewerId`. */
export async function chatFacts(db: Db, chat: Chat, viewerId: number): Promise<ChatFacts> {
  const members = await db.selectFrom('chat_members').select(['user_id', 'manager', 'muted', 'last_read_id']).where('chat_id', '=', chat.id).execute();
  const me = members.find((m) => Number(m.user_id) === viewerId);
  const messages = await db.selectFrom('messages').select(({ fn }) => fn.countAll().as('n')).where('chat_id', '=', chat.id).where('deleted', '=', 0).executeTakeFirst();
  const lastRead = Number(me?.last_read_id ?? 0);
  const unread = me ? await db.selectFrom('messages').select('id').where('chat_id', '=', chat.id).where('id', '>', lastRead)
    .where('author_id', '!=', viewerId).orderBy('id').limit(1).executeTakeFirst() : undefined;
  const role = chat.owner_id === viewerId ? 'owner' : !me ? 'none' : Number(me.manager) === 1 ? 'manager' : 'member';
  return {
    role, managerList: chat.type === 'P' ? [] : await managerIds(db, chat),
    muteList: members.filter((m) => Number(m.muted) === 1).map((m) => Number(m.user_id)),
    messageCount: Number(messages?.n ?? 0), userCounter: members.length,
    lastId: lastRead > 0 ? lastRead : null, unreadId: unread ? Number(unread.id) : null,
  };
}

/** Chat.User.list's `order` fields: the membership's order (joined), the member's last message in the chat, the user id. */
export type MemberOrder = { field: 'id' | 'lastSendMessageId' | 'userId'; desc: boolean };

/** The ids of up to `limit` members of `chat`, in `order` (ties by user id), sorted and cut by the database. */
export async function memberPage(db: Db, chatId: number, order: MemberOrder, limit: number): Promise<number[]> {
  const dir = order.desc ? 'desc' : 'asc';
  let q = db.selectFrom('chat_members as m').select('m.user_id')
    // The member's last message here; 0 for one who wrote none, so both databases order them alike.
    .select((eb) => eb.fn.coalesce(eb.selectFrom('messages').select(({ fn }) => fn.max('id').as('x'))
      .whereRef('messages.chat_id', '=', 'm.chat_id').whereRef('messages.author_id', '=', 'm.user_id'), eb.lit(0)).as('last_sent'))
    .where('m.chat_id', '=', chatId);
  q = order.field === 'userId' ? q.orderBy('m.user_id', dir)
    : order.field === 'lastSendMessageId' ? q.orderBy('last_sent', dir).orderBy('m.user_id', dir)
    : q.orderBy('m.joined_at', dir).orderBy('m.user_id', dir);
  return (await q.limit(limit).execute()).map((r) => Number(r.user_id));
}
