/**
 * The camelCase objects of Chatbots 2.0 (chat-bots-v2/entities.md: User, Bot, Chat, Message), built
 * from plain row fields. One mapper per entity, used by the imbot.v2.* answers and the ONIMBOTV2*
 * event payloads alike, so an answer and an event never disagree about a field.
 */
import { isoDate } from './dates.ts';
import { fullName } from './names.ts';
import { forwardContextId, forwardOf } from './message.ts';

/** What the User object is built from (a users row, with presence when the row has it). */
export interface V2UserFields {
  id: number; name: string; last_name: string; work_position: string; gender: string; color: string; avatar: string;
  birthday: string; departments: string; is_bot: number; active: number; external_auth_id: string; personal_www: string; email: string;
  status?: string; last_activity_at?: number;
}

/**
 * The User object. `color`: the user's colour as hex (the palette is format/'s, which wire may not
 * read). `avatarBase`: the portal's public URL (an avatar is served at /avatar/<id>).
 */
export function v2User(u: V2UserFields, color: string, avatarBase: string): Record<string, unknown> {
  const customer = u.external_auth_id === 'imconnector';
  return {
    id: u.id,
    active: !!u.active,
    name: fullName(u),
    firstName: u.name,
    lastName: u.last_name,
    workPosition: u.work_position,
    color,
    avatar: u.avatar ? `${avatarBase}/avatar/${u.id}` : '',
    gender: u.gender || 'M',
    birthday: u.birthday,
    // Parley has no extranet; an open-line customer is a connector user from outside the company.
    extranet: customer,
    bot: !!u.is_bot,
    connector: customer,
    externalAuthId: u.external_auth_id || (u.is_bot ? 'bot' : 'default'),
    status: u.status || 'online',
    idle: false,
    lastActivityDate: u.last_activity_at ? isoDate(u.last_activity_at) : false,
    absent: false,
    departments: JSON.parse(u.departments || '[]') as number[],
    phones: false,
    type: u.is_bot ? 'bot' : customer ? 'extranet' : 'employee',
    website: u.personal_www,
    email: u.email,
  };
}

/** What the Bot object is built from: the v2 view of a bots row and its counters. */
export interface V2BotFields {
  id: number; code: string; type: string; isHidden: boolean; isSupportOpenline: boolean; isReactionsEnabled: boolean;
  backgroundId: string; eventMode: string;
}

/** The Bot object's counters (extended format). */
export interface V2BotCounters { countMessage: number; countCommand: number; countChat: number; countUser: number }

/** The Bot object: brief (public) or, with `counters`, extended (the owner's). */
export function v2Bot(b: V2BotFields, counters?: V2BotCounters): Record<string, unknown> {
  const brief = {
    id: b.id, code: b.code, type: b.type, isHidden: b.isHidden, isSupportOpenline: b.isSupportOpenline,
    isReactionsEnabled: b.isReactionsEnabled, backgroundId: b.backgroundId || null, language: 'en',
  };
  if (!counters) return brief;
  return { ...brief, moduleId: 'rest', eventMode: b.eventMode, ...counters };
}

/** What the Chat object is built from: a chats row. */
export interface V2ChatFields { id: number; type: string; private_key: string | null; title: string; color: string; avatar: string; owner_id: number; entity_type: string }

const CHAT_TYPE: Record<string, string> = { P: 'private', C: 'chat', O: 'open', L: 'lines' };

/**
 * The Chat object as events carry it (events.md's examples: no `role`, no `muteList`). `dialogId` is
 * the dialog as the bot sees it: the other user of a private dialog, `chat<id>` otherwise.
 */
export function v2EventChat(c: V2ChatFields, dialogId: string, color: string, avatarBase: string): Record<string, unknown> {
  return {
    id: c.id, dialogId, type: CHAT_TYPE[c.type] ?? 'chat', name: c.title, entityType: c.entity_type, owner: c.owner_id,
    avatar: c.avatar ? `${avatarBase}/chat-avatar/${c.id}` : '', color,
  };
}

/** What the Message object is built from: a messages row and its PARAMS (src/wire/message.ts). */
export interface V2MessageFields { id: number; chat_id: number; author_id: number; created_at: number; text: string; system: number; uuid?: string; forward?: string | null }

/** The Message object; `params` as Bitrix24 shows a message's PARAMS ({} when none). */
export function v2Message(m: V2MessageFields, params: Record<string, unknown>, viewedByOthers = false): Record<string, unknown> {
  return {
    id: m.id, chatId: m.chat_id, authorId: m.system ? 0 : m.author_id, date: isoDate(m.created_at), text: m.text,
    isSystem: !!m.system, uuid: m.uuid ?? '', forward: v2Forward(m), params, viewedByOthers,
  };
}

/** `forward` of the Message object: `{id, userId, chatId, date}` of the original, or null. */
function v2Forward(m: V2MessageFields): Record<string, unknown> | null {
  const f = forwardOf(m);
  return f && { id: forwardContextId(f), userId: f.userId, chatId: f.chatId, date: isoDate(f.date) };
}

/** What the full Chat object (method answers) is built from: a chats row and what the viewer's facts add. */
export interface V2ChatFull extends V2ChatFields {
  description: string; entity_id: string; entity_data_1: string; entity_data_2: string; entity_data_3: string;
  created_at: number; last_message_id: number;
}

/** The viewer's side of the full Chat object (domain/bot-v2-chats.ts ChatFacts, plus whether the chat is new). */
export interface V2ChatView {
  role: string; managerList: number[]; muteList: number[]; messageCount: number; userCounter: number;
  lastId: number | null; unreadId: number | null; isNew: boolean; textFieldEnabled: boolean;
  /** A v2 bot's backgroundId in its private dialogs; null elsewhere. */
  backgroundId: string | null;
}

/**
 * The full Chat object of entities.md, as Chat.add / Chat.get answer it. Parley has no extranet,
 * collabers, threads, channels' public links or Drive folders per chat, and backgrounds only for a
 * v2 bot's private dialogs: those fields are their documented empty values.
 */
export function v2Chat(c: V2ChatFull, dialogId: string, color: string, avatarBase: string, v: V2ChatView): Record<string, unknown> {
  return {
    id: c.id, dialogId, name: c.title, description: c.description, type: CHAT_TYPE[c.type] ?? 'chat', messageType: c.type,
    owner: c.owner_id, color, avatar: c.avatar ? `${avatarBase}/chat-avatar/${c.id}` : '', extranet: false, containsCollaber: false,
    entityType: c.entity_type, entityId: c.entity_id, entityData1: c.entity_data_1, entityData2: c.entity_data_2, entityData3: c.entity_data_3,
    entityLink: {}, diskFolderId: null, role: v.role, permissions: {}, muteList: v.muteList, parentChatId: null, parentMessageId: null,
    isNew: v.isNew, textFieldEnabled: v.textFieldEnabled ? 'Y' : 'N', backgroundId: v.backgroundId, dateCreate: c.created_at ? isoDate(c.created_at) : null,
    lastMessageId: c.last_message_id || null, lastMessageViews: '{}', lastId: v.lastId, managerList: v.managerList, markedId: null,
    messageCount: v.messageCount, public: '', unreadId: v.unreadId, userCounter: v.userCounter,
  };
}
