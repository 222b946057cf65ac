/**
 * Wire shapes of the dialog and recent methods: the complete chat object of im.dialog.get (also
 * inside recent items), a message of im.dialog.messages.get, and a recent-list item.
 */
import type { Portal } from '../portal.ts';
import { bbcodeToPreview } from '../format/bbcode-text.ts';
import { fullName } from '../domain/users.ts';
import type { MemberFact, RecentEntry } from '../domain/recent.ts';
import type { Chat, Message, MessageView, User } from '../domain/types.ts';
import { wireParams } from '../wire/message.ts';
import { wireChat, wireDate, wireMessage, wireUser } from './wire.ts';

/** What the full chat object needs beyond the chat row, as seen by one viewer. */
export interface ChatDetails {
  viewerId: number;
  members: MemberFact[];
  counter: number;
  lastReadId: number;
  unreadId: number;
  messageCount?: number;
  /** Names of the members, for readed_list and last_message_views (im.dialog.get only). */
  names?: Map<number, User>;
  /** The newest message and its author, for last_message_views. */
  lastMessage?: { id: number; authorId: number };
  /** im.dialog.get spells the role in lower case, the recent list in upper case. */
  upperRole?: boolean;
  /** background_id: a v2 bot's backgroundId in its private dialogs (im.dialog.get only). */
  background?: string | null;
}

// Bitrix24 encodes an empty PHP array as [] even where it is a map.
const map = (entries: [string | number, unknown][]) => (entries.length ? Object.fromEntries(entries) : []);

/** The mute_list of a chat object: `{userId: true}` for each member who muted it, [] when nobody did. */
export const muteList = (members: MemberFact[]) => map(members.filter((m) => m.muted).map((m) => [m.userId, true]));

function role(chat: Chat, d: ChatDetails): string {
  const me = d.members.find((m) => m.userId === d.viewerId);
  const r = !me ? 'none' : chat.owner_id === d.viewerId ? 'owner' : me.manager ? 'manager' : 'member';
  return d.upperRole ? r.toUpperCase() : r;
}

/** The complete chat object of im.dialog.get: the seed's keys with the English docs' additions. */
export function wireChatDetails(portal: Portal, chat: Chat, dialogId: string, d: ChatDetails): Record<string, unknown> {
  const privateChat = chat.type === 'P';
  const managers = privateChat ? [] : [...new Set([chat.owner_id, ...d.members.filter((m) => m.manager).map((m) => m.userId)].filter((id) => id > 0))];
  const out: Record<string, unknown> = {
    ...wireChat(portal, chat, dialogId),
    parent_chat_id: 0,
    parent_message_id: 0,
    contains_collaber: false,
    counter: d.counter,
    user_counter: d.members.length,
    unread_id: d.unreadId,
    restrictions: {
      avatar: !privateChat, rename: !privateChat, extend: true, call: true, mute: !privateChat,
      leave: !privateChat, leave_owner: !privateChat, send: true, user_list: true, path: '', path_title: '',
    },
    last_id: d.lastReadId,
    marked_id: 0,
    disk_folder_id: 0,
    mute_list: muteList(d.members),
    manager_list: managers,
    public: '',
    role: role(chat, d),
    entity_link: { type: chat.entity_type, url: '', id: chat.entity_id },
    // A bot may turn the composer off (imbot.v2.Chat.TextField.enabled).
    text_field_enabled: Number(chat.text_field_enabled ?? 1) !== 0,
    background_id: d.background ?? null,
    permissions: {
      manage_users_add: 'member', manage_users_delete: 'manager', manage_ui: 'member',
      manage_settings: 'owner', manage_messages: 'member', can_post: 'member',
    },
    is_new: false,
  };
  if (d.messageCount !== undefined) out.message_count = d.messageCount;
  if (d.names) {
    const name = (id: number) => (d.names!.get(id) ? fullName(d.names!.get(id)!) : '');
    // Read dates are not kept: `date` is null, as the docs show for members who read nothing yet.
    out.readed_list = d.members.filter((m) => m.userId !== d.viewerId)
      .map((m) => ({ user_id: m.userId, user_name: name(m.userId), message_id: m.lastReadId, date: null }));
    const last = d.lastMessage;
    const viewers = last ? d.members.filter((m) => m.userId !== last.authorId && m.lastReadId >= last.id) : [];
    out.last_message_views = {
      message_id: last?.id ?? 0,
      first_viewers: viewers.slice(0, 3).map((m) => ({ user_id: m.userId, user_name: name(m.userId), date: null })),
      count_of_viewers: viewers.length,
    };
  }
  // dialog_id last, as in the docs.
  delete out.dialog_id;
  out.dialog_id = dialogId;
  return out;
}

/** A message of im.dialog.messages.get: the stored shape plus the reader's `unread` and the newer keys. */
export function wireDialogMessage(m: MessageView, unread: boolean): Record<string, unknown> {
  return { ...wireMessage(m), unread, uuid: m.uuid || null, replaces: [], disappearing_date: null };
}

/** Text of a message as the recent list shows it: no BB-codes, no line breaks, quotes reduced (bbcode-text.ts). */
export function previewText(m: Message): string {
  if (m.deleted) return '';
  return bbcodeToPreview(m.text);
}

/** A recent-list item (im.recent.get, im.recent.list). */
export function wireRecentItem(portal: Portal, e: RecentEntry, users: Map<number, User>, chatObject: Record<string, unknown>, status: string): Record<string, unknown> {
  const privateChat = e.chat.type === 'P';
  const companion = privateChat ? Number(chatObject.dialog_id) : 0;
  const params = e.last ? wireParams(e.last) : {};
  const other = users.get(companion);
  const author = e.last ? users.get(e.last.author_id) : undefined;
  // A dialog shows its companion's avatar and colour, as their user object has them.
  const otherUser = other ? wireUser(portal, other) : undefined;
  const avatarUrl = privateChat ? String(otherUser?.avatar ?? '') : String(chatObject.avatar ?? '');
  const color = privateChat ? String(otherUser?.color ?? '#556574') : String(chatObject.color);
  return {
    // A user's dialog is named by their id as a number, a chat by `chat<ID>` (English docs' im.recent.list).
    id: privateChat ? companion : `chat${e.chat.id}`,
    chat_id: e.chat.id,
    type: privateChat ? 'user' : 'chat',
    avatar: { url: avatarUrl, color },
    title: privateChat ? (other ? fullName(other) : '') : e.chat.title,
    message: e.last
      ? {
        id: e.last.id, text: previewText(e.last), file: Array.isArray(params.FILE_ID) && params.FILE_ID.length > 0,
        author_id: e.last.author_id, attach: Array.isArray(params.ATTACH) && params.ATTACH.length > 0, sticker: null,
        date: wireDate(e.last.created_at), status, uuid: null,
      }
      : { id: 0, text: '', file: false, author_id: 0, attach: false, sticker: null, date: wireDate(e.chat.created_at), status: 'received', uuid: null },
    counter: e.counter,
    last_id: Number(e.member.last_read_id),
    pinned: !!Number(e.member.pinned),
    unread: !!Number(e.member.marked_unread),
    has_reminder: false,
    // `date` is the seed's name of the entry's date (im.recent.get); the English docs call it date_update.
    date: wireDate(e.dateUpdate),
    date_update: wireDate(e.dateUpdate),
    date_last_activity: wireDate(e.dateActivity),
    chat: chatObject,
    // The companion for a dialog; for a chat, the last message's author ({id: 0} for a system line).
    user: privateChat ? (otherUser ?? { id: companion }) : author ? wireUser(portal, author) : { id: 0 },
    options: [],
  };
}
