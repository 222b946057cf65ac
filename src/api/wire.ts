/**
 * Domain rows → the JSON shapes of the im.* answers (lower-case keys, ints, ISO dates with offset,
 * `false` where Bitrix24 shows it).
 */
import type { Portal } from '../portal.ts';
import { isoDate } from '../rest/envelope.ts';
import { COLORS, fullName } from '../domain/users.ts';
import type { Chat, MessageView, User } from '../domain/types.ts';
import { wireParams } from '../wire/message.ts';

/** ISO-8601 date with offset for a Unix-ms time. */
export const wireDate = (ms: number) => isoDate(ms);

/** A stored time as the user object shows it: an ISO date, or `false` when there is none. */
const dateOrFalse = (ms: number | undefined) => (ms ? wireDate(ms) : false);

/**
 * The user object of im.user.get, im.user.list.get, im.dialog.messages.get, the department and
 * search methods: the seed's keys plus the English docs' additions (active, avatar_hr, bot_data,
 * type, website, email, phones.inner_phone). Presence comes from the row (src/domain/presence.ts).
 */
export function wireUser(portal: Portal, u: User): Record<string, unknown> {
  const birthday = /^\d{4}-(\d{2})-(\d{2})/.exec(u.birthday);
  const avatar = u.avatar ? `${portal.publicUrl}/avatar/${u.id}` : '';
  return {
    id: u.id,
    active: !!u.active,
    name: fullName(u),
    first_name: u.name,
    last_name: u.last_name,
    work_position: u.work_position,
    color: COLORS[u.color] ?? (u.color.startsWith('#') ? u.color : '#556574'),
    avatar,
    avatar_hr: avatar,
    gender: u.gender || 'M',
    birthday: birthday ? `${birthday[2]}-${birthday[1]}` : '',
    // Parley has no extranet or Bitrix24.Network users; an open-line customer is a connector user from outside.
    extranet: u.external_auth_id === 'imconnector',
    network: false,
    bot: !!u.is_bot,
    connector: u.external_auth_id === 'imconnector',
    external_auth_id: u.external_auth_id || (u.is_bot ? 'bot' : 'default'),
    status: u.status ?? 'online',
    idle: dateOrFalse(u.idle_at),
    last_activity_date: dateOrFalse(u.last_activity_at),
    // Parley has no desktop or mobile client of its own: these stay `false` as for a web-only user.
    desktop_last_date: false,
    mobile_last_date: false,
    departments: JSON.parse(u.departments) as number[],
    absent: false,
    phones: { work_phone: '', personal_mobile: '', personal_phone: '', inner_phone: '' },
    bot_data: null,
    website: u.personal_www,
    email: u.email,
    type: u.is_bot ? 'bot' : 'user',
  };
}

/** A message of im.dialog.messages.get; `params` as src/wire/message.ts builds them ([] when none). */
export function wireMessage(m: MessageView): Record<string, unknown> {
  const params = wireParams(m);
  return {
    id: m.id,
    chat_id: m.chat_id,
    author_id: m.author_id,
    date: wireDate(m.created_at),
    text: m.text,
    // Not in the documented example, but a client must tell system lines (FROM_USER_ID/TO_USER_ID, SYSTEM=Y) apart.
    system: !!m.system,
    params: Object.keys(params).length ? params : [],
  };
}

const CHAT_KIND: Record<string, string> = { P: 'private', C: 'chat', O: 'open', L: 'lines' };

/** The chat object of im.dialog.get (the seed's keys, with the English docs' additions). */
export function wireChat(portal: Portal, chat: Chat, dialogId: string): Record<string, unknown> {
  return {
    id: chat.id,
    name: chat.title,
    title: chat.title,
    description: chat.description,
    owner: chat.owner_id,
    extranet: false,
    avatar: chat.avatar ? `${portal.publicUrl}/chat-avatar/${chat.id}` : '',
    color: COLORS[chat.color] ?? '#556574',
    type: CHAT_KIND[chat.type] ?? 'chat',
    entity_type: chat.entity_type,
    entity_id: chat.entity_id,
    entity_data_1: chat.entity_data_1,
    entity_data_2: chat.entity_data_2,
    entity_data_3: chat.entity_data_3,
    last_message_id: chat.last_message_id,
    date_create: wireDate(chat.created_at),
    message_type: chat.type,
    dialog_id: dialogId,
  };
}
