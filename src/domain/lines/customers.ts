/**
 * A customer writes to a line through a connector (imconnector.send.messages): the first message
 * makes the customer's portal user (external_auth_id = imconnector) and their line chat; a message
 * with no open session starts one (or answers the last one's rating request); the message is posted
 * as the customer's, and the session moves (the bot hears it, "0" asks for an operator).
 */
import type { Db } from '../../store/db.ts';
import type { Portal } from '../../portal.ts';
import type { Chat, Message, User } from '../types.ts';
import { COLORS, findUser } from '../users.ts';
import { findChat } from '../chats.ts';
import { postMessage } from '../messages.ts';
import type { Line } from './config.ts';
import { connectorOption, findCustomer, linkMessage, type Connector, type Customer } from './connectors.ts';
import { lastSession, openSession, type Session } from './sessions.ts';
import { customerWrote, isVoteAnswer, startSession, takeVote } from './routing.ts';
import { tellLineMessage } from './line-events.ts';

/** The customer as the connector names them (imconnector.send.messages `user`). */
export interface CustomerInput { id: string; name?: string; lastName?: string; email?: string; gender?: string; url?: string }
/** The customer's chat on the connector's side (`chat`). */
export interface ExternalChat { id: string; name?: string; url?: string }

/** A customer's name for their line chat's title, "Guest" when the connector gave none. */
const nameOf = (c: CustomerInput) => [c.name, c.lastName].filter(Boolean).join(' ') || 'Guest';

/** The customer's record, user and line chat, made on their first message. */
export async function customerFor(db: Db, connector: Connector, line: Line, who: CustomerInput, chat: ExternalChat): Promise<{ customer: Customer; user: User; chat: Chat; created: boolean }> {
  const grouped = connectorOption(connector, 'CHAT_GROUP', false);
  const groupKey = grouped ? `chat:${chat.id}` : `user:${who.id}`;
  const found = await findCustomer(db, connector.id, line.id, groupKey);
  if (found) {
    const [user, lineChat] = await Promise.all([findUser(db, found.user_id), findChat(db, found.chat_id)]);
    if (user && lineChat) return { customer: found, user, chat: lineChat, created: false };
  }
  const now = Date.now();
  const colors = Object.keys(COLORS);
  const user = await db.insertInto('users').values({
    login: null, password_hash: null, name: who.name || 'Guest', last_name: who.lastName ?? '', email: who.email ?? '', work_position: '',
    gender: who.gender === 'female' ? 'F' : 'M', color: colors[now % colors.length], avatar: '', personal_www: who.url ?? '', birthday: '',
    departments: '[]', is_admin: 0, is_bot: 0, active: 1, created_at: now, external_auth_id: 'imconnector',
  }).returningAll().executeTakeFirstOrThrow();
  const lineChat = await db.insertInto('chats').values({
    type: 'L', private_key: null, title: `${nameOf(who)} - ${line.name}`, description: chat.url ? `Link to the original post: ${chat.url}` : '',
    color: user.color, avatar: '', owner_id: 0, entity_type: 'LINES',
    // USER_CODE: connector|line|the chat on the connector's side|the customer's portal user.
    entity_id: `${connector.id}|${line.id}|${chat.id}|${grouped ? 0 : user.id}`,
    entity_data_1: '', entity_data_2: '', entity_data_3: 'N', last_message_id: 0, created_at: now,
  }).returningAll().executeTakeFirstOrThrow();
  await db.insertInto('chat_members').values({ chat_id: lineChat.id, user_id: user.id, last_read_id: 0, joined_at: now }).execute();
  const customer = await db.insertInto('ol_customers').values({
    connector: connector.id, line_id: line.id, ext_chat_id: chat.id, ext_user_id: who.id, group_key: groupKey,
    ext_chat_name: chat.name ?? '', ext_chat_url: chat.url ?? '', user_id: user.id, chat_id: lineChat.id, created_at: now,
  }).returningAll().executeTakeFirstOrThrow();
  return { customer, user, chat: lineChat, created: true };
}

/** A customer's message as the connector sends it. */
export interface IncomingMessage { extId: string; text: string; files?: number[] }

/** What receiving a message did: the message posted, and the session it belongs to. */
export interface Received { message: Message; session: Session; user: User; chat: Chat }

/** Receive one customer message on a line (inside an action). */
export async function receiveCustomerMessage(portal: Portal, db: Db, connector: Connector, line: Line, who: CustomerInput, ext: ExternalChat, incoming: IncomingMessage): Promise<Received> {
  const { user, chat } = await customerFor(db, connector, line, who, ext);
  let session = await openSession(db, chat.id);
  // With no open session, "1" or "0" right after the rating request is the rating; anything else starts a new session.
  const last = session ? undefined : await lastSession(db, chat.id);
  const voting = !!last && isVoteAnswer(last, incoming.text);
  session ??= voting ? last! : await startSession(portal, db, line, chat, user);
  const current = (await findChat(db, chat.id))!;
  const message = await postMessage(portal, db, current, user, { text: incoming.text, files: incoming.files });
  await linkMessage(db, { messageId: message.id, chatId: chat.id, connector: connector.id, extIds: [incoming.extId], incoming: true });
  await tellLineMessage(db, current, message, incoming.files ?? []);
  // The thanks for a rating follows the customer's "1" or "0" in the chat.
  if (voting) await takeVote(portal, db, session, incoming.text);
  else await customerWrote(portal, db, session, incoming.text);
  return { message, session, user, chat: current };
}
