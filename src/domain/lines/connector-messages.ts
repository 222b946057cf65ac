/**
 * What a connector's app does with a line's messages (imconnector.send.messages, update.messages,
 * delete.messages, send.status.delivery, chat.name.set): customers' messages come in, are edited and
 * deleted by their ids on the connector's side (ol_message_links), and messages that went out are
 * confirmed delivered. The connector acts only on its own customers: every lookup is by its id.
 */
import type { Db } from '../../store/db.ts';
import type { Portal } from '../../portal.ts';
import type { Message, User } from '../types.ts';
import { findUser } from '../users.ts';
import { findChat } from '../chats.ts';
import { deleteMessage, editMessage, findMessage, postMessage } from '../messages.ts';
import { readTo } from '../read-state.ts';
import type { Line } from './config.ts';
import { connectorOption, findCustomer, linkMessage, type Connector, type Customer } from './connectors.ts';
import { customerFor, receiveCustomerMessage, type CustomerInput, type ExternalChat } from './customers.ts';
import { openSession } from './sessions.ts';

/** One customer message as the connector sends it: who, what (its id on the connector's side), where. */
export interface ConnectorMessage {
  user: CustomerInput;
  chat: ExternalChat;
  extId: string;
  text: string;
  /** An employee on whose behalf it is written (message.user_id): a reply typed in the external channel. */
  employeeId?: number;
}

/** The customer record a message names: by external chat with CHAT_GROUP, else by external user. */
export async function customerNamed(db: Db, connector: Connector, lineId: number, userId: string, chatId: string): Promise<Customer | undefined> {
  const grouped = connectorOption(connector, 'CHAT_GROUP', false);
  return findCustomer(db, connector.id, lineId, grouped ? `chat:${chatId}` : `user:${userId}`);
}

/** What one received message became: the customer's user, and the session and line chat it is in. */
export interface Delivered { userId: number; sessionId: number; chatId: number }

/**
 * A customer's message (send.messages). Written on an employee's behalf (message.user_id) it is
 * posted as theirs without moving the session or going back out; otherwise as the customer's.
 */
export async function receiveFromConnector(portal: Portal, db: Db, connector: Connector, line: Line, m: ConnectorMessage): Promise<Delivered> {
  const employee = m.employeeId ? await findUser(db, m.employeeId) : undefined;
  if (employee && employee.active && !employee.is_bot && !employee.external_auth_id) {
    const { user, chat } = await customerFor(db, connector, line, m.user, m.chat);
    const message = await postMessage(portal, db, chat, employee, { text: m.text });
    await linkMessage(db, { messageId: message.id, chatId: chat.id, connector: connector.id, extIds: [m.extId], incoming: true });
    const session = await openSession(db, chat.id);
    return { userId: user.id, sessionId: session?.id ?? 0, chatId: chat.id };
  }
  const got = await receiveCustomerMessage(portal, db, connector, line, m.user, m.chat, { extId: m.extId, text: m.text });
  return { userId: got.user.id, sessionId: got.session.id, chatId: got.chat.id };
}

/** The customer's message the connector names by its id, with the customer's user; undefined when there is none. */
async function namedMessage(db: Db, customer: Customer, connector: Connector, extId: string): Promise<{ message: Message; user: User } | undefined> {
  if (!extId) return undefined;
  const links = await db.selectFrom('ol_message_links').select(['message_id', 'ext_ids']).where('chat_id', '=', customer.chat_id)
    .where('connector', '=', connector.id).where('incoming', '=', 1).orderBy('message_id', 'desc').execute();
  const link = links.find((l) => (JSON.parse(l.ext_ids || '[]') as unknown[]).map(String).includes(extId));
  const message = link ? await findMessage(db, Number(link.message_id)) : undefined;
  const user = await findUser(db, customer.user_id);
  return message && !message.deleted && user ? { message, user } : undefined;
}

/** Why a customer's edit or deletion did nothing (the element's ERRORS). */
export type ChangeRefusal = 'no-customer' | 'no-message' | 'not-allowed';

/** The customer edited their message (update.messages): its new text, and their name when given; bots hear of it. */
export async function editFromConnector(db: Db, connector: Connector, lineId: number, m: ConnectorMessage): Promise<{ userId: number } | ChangeRefusal> {
  const customer = await customerNamed(db, connector, lineId, m.user.id, m.chat.id);
  if (!customer) return 'no-customer';
  const named = await namedMessage(db, customer, connector, m.extId);
  if (!named) return 'no-message';
  const names = { ...(m.user.name ? { name: m.user.name } : {}), ...(m.user.lastName ? { last_name: m.user.lastName } : {}) };
  if (Object.keys(names).length) await db.updateTable('users').set(names).where('id', '=', customer.user_id).execute();
  if (m.text && m.text !== named.message.text) await editMessage(db, named.message, named.user, { text: m.text });
  return { userId: customer.user_id };
}

/** The customer deleted their message (delete.messages), unless the connector does not allow it (DEL_EXTERNAL_MESSAGES=N). */
export async function deleteFromConnector(db: Db, connector: Connector, lineId: number, m: Pick<ConnectorMessage, 'user' | 'chat' | 'extId'>): Promise<{ userId: number } | ChangeRefusal> {
  const customer = await customerNamed(db, connector, lineId, m.user.id, m.chat.id);
  if (!customer) return 'no-customer';
  if (!connectorOption(connector, 'DEL_EXTERNAL_MESSAGES', true)) return 'not-allowed';
  const named = await namedMessage(db, customer, connector, m.extId);
  if (!named) return 'no-message';
  await deleteMessage(db, named.message, named.user, false);
  return { userId: customer.user_id };
}

/**
 * The connector delivered a line message to the customer (send.status.delivery): it records the
 * message's ids on its side and, as Bitrix24 does, the customer has read the chat up to it. A message
 * that did not go out through this connector is left alone.
 */
export async function confirmDelivery(db: Db, connector: Connector, chatId: number, messageId: number, extIds: string[]): Promise<boolean> {
  const link = await db.selectFrom('ol_message_links').selectAll().where('message_id', '=', messageId).where('chat_id', '=', chatId)
    .where('connector', '=', connector.id).where('incoming', '=', 0).executeTakeFirst();
  if (!link) return false;
  await db.updateTable('ol_message_links').set({ delivered: 1, ...(extIds.length ? { ext_ids: JSON.stringify(extIds) } : {}) })
    .where('message_id', '=', messageId).execute();
  const customer = await db.selectFrom('ol_customers').select('user_id').where('chat_id', '=', chatId).where('connector', '=', connector.id).executeTakeFirst();
  if (customer) await readTo(db, chatId, Number(customer.user_id), messageId);
  return true;
}

/**
 * Rename the line chat of an external chat (chat.name.set): the customer by external user, or, when
 * USER_ID is not given, the one customer of that external chat on the line. False when none is found.
 */
export async function renameFromConnector(db: Db, connector: Connector, lineId: number, extChatId: string, extUserId: string, name: string): Promise<boolean> {
  let customer = extUserId || connectorOption(connector, 'CHAT_GROUP', false) ? await customerNamed(db, connector, lineId, extUserId, extChatId) : undefined;
  if (!customer && !extUserId) {
    const rows = await db.selectFrom('ol_customers').selectAll().where('connector', '=', connector.id).where('line_id', '=', lineId).where('ext_chat_id', '=', extChatId).limit(2).execute();
    if (rows.length === 1) customer = rows[0];
  }
  if (!customer || !(await findChat(db, customer.chat_id))) return false;
  await db.updateTable('ol_customers').set({ ext_chat_name: name }).where('id', '=', customer.id).execute();
  await db.updateTable('chats').set({ title: name }).where('id', '=', customer.chat_id).execute();
  return true;
}
