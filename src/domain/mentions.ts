/**
 * Mentions: a person named with [USER=id] in a group or open chat's message gets a notification in
 * their notification centre ("Mentioned you in the chat …"), whoever wrote it — a person in the web
 * messenger, a REST client or a bot — since it is made here, when the message is posted. In the
 * shape Bitrix24 gives it (module `im`, event `mention`, tag `IM|MENTION|<chat>`): one per chat, a
 * newer mention there replacing the older. Bitrix24 files it only for members who muted the chat
 * (and for outsiders of an open chat), the others having the chat's counter; Parley files it for
 * every member named, muted or not, so a mention is never lost in a busy chat — and reading the
 * dialog past the message reads the notification too (readMentions), so it does not linger.
 * [USER=all] names every member (withEveryone), up to MENTION_ALL_MAX_MEMBERS.
 */
import type { Db } from '../store/db.ts';
import type { Chat, Message, User } from './types.ts';
import { addNotification } from './notifications.ts';
import { findUsers } from './users.ts';
import { membersAmong } from './members.ts';
import { queuePush } from '../realtime/push-log.ts';

/**
 * The largest chat in which [USER=all] files a notification for each member. Parley's bound: one
 * message must not write thousands of rows in its transaction; in a bigger chat the mention of all
 * notifies nobody (the chat's counter still tells every member), while mentions by name still do.
 */
export const MENTION_ALL_MAX_MEMBERS = 500;

/** The people a message names, with every member of the chat for [USER=all] (within the bound above). */
export function withEveryone(mentioned: number[], members: number[]): number[] {
  return members.length > MENTION_ALL_MAX_MEMBERS ? mentioned : [...new Set([...mentioned, ...members])];
}

/** The tag scope of the notifications the portal itself files (no app's: those are `app:`/`client:`). */
export const PORTAL_SCOPE = 'im';

/** The tag of a chat's mention notifications, as Bitrix24 writes it. */
export const mentionTag = (chatId: number) => `IM|MENTION|${chatId}`;

/** Whether a notification is a mention the portal filed (not one an app sent). */
export const isMention = (n: { tag_scope: string; tag: string }) => n.tag_scope === PORTAL_SCOPE && n.tag.startsWith('IM|MENTION|');

/** A chat title as the notification shows it: Bitrix24 cuts it at 32 characters. */
const shortTitle = (title: string) => [...title].slice(0, 32).join('');

/**
 * File a mention notification for each person `mentioned` in `message`: not its author, not a bot,
 * not a deactivated user, and only someone who can read the chat — a member, or anyone for an open
 * chat. Private dialogs and line chats file none (the message itself reaches the other side).
 */
export async function notifyMentions(db: Db, chat: Chat, message: Message, author: User, mentioned: number[]): Promise<void> {
  if ((chat.type !== 'C' && chat.type !== 'O') || !author.id || message.system) return;
  const named = mentioned.filter((id) => id !== author.id);
  if (!named.length) return;
  const people = [...(await findUsers(db, named)).values()].filter((u) => u.active && !u.is_bot);
  const members = await membersAmong(db, chat.id, people.map((u) => u.id));
  for (const u of people) {
    if (chat.type !== 'O' && !members.has(u.id)) continue;
    await addNotification(db, {
      userId: u.id, authorId: author.id, appId: 0, kind: 'personal',
      text: `Mentioned you in the chat "[CHAT=${chat.id}]${shortTitle(chat.title)}[/CHAT]"`,
      messageOut: `Mentioned you in the chat "${shortTitle(chat.title)}"`,
      attach: null, tagScope: PORTAL_SCOPE, tag: mentionTag(chat.id), subTag: `IM_MESS_${chat.id}_${u.id}`, buttons: [], answerable: false,
      chatId: chat.id, messageId: message.id,
    });
  }
}

/**
 * Read a user's mention notifications of a chat up to message `upTo` (they read the dialog that far),
 * or of every chat when no chat is named (im.dialog.read.all).
 */
export async function readMentions(db: Db, userId: number, upTo?: { chatId: number; messageId: number }): Promise<void> {
  let q = db.updateTable('notifications').set({ is_read: 1 }).where('user_id', '=', userId).where('tag_scope', '=', PORTAL_SCOPE)
    .where('message_id', '>', 0).where('is_read', '=', 0);
  if (upTo) q = q.where('chat_id', '=', upTo.chatId).where('message_id', '<=', upTo.messageId);
  const res = await q.executeTakeFirst();
  if (Number(res.numUpdatedRows)) await queuePush(db, [userId], 'counters', { notify: true });
}
