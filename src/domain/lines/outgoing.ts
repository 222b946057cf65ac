/**
 * What leaves a line chat for the customer: operators' and the bot's messages, and the line's own
 * texts (welcome, close, rating request), go to the customer's connector as ONIMCONNECTORMESSAGEADD,
 * POSTed to the handlers the connector's app bound with event.bind, through the outbox (ordered per
 * chat, retried as the app's delivery mode says). The portal's internal lines ("X joined") stay inside.
 * An operator's edit or deletion of a message that went out follows it (ONIMCONNECTORMESSAGEUPDATE /
 * DELETE) when the connector allows it (EDIT_INTERNAL_MESSAGES, DEL_INTERNAL_MESSAGES).
 */
import type { Db } from '../../store/db.ts';
import type { Portal } from '../../portal.ts';
import type { Chat, Message, User } from '../types.ts';
import { fullName } from '../../wire/names.ts';
import { connectorOption, customerOfChat, findConnector, linkMessage, type Connector } from './connectors.ts';
import { postSystemMessage } from '../messages.ts';
import { deliverToNetworkUser, NETWORK_CONNECTOR } from './network-bot.ts';
import { findUser } from '../users.ts';
import { LIVECHAT_CONNECTOR } from './livechat-store.ts';
import { tellConnectorApp } from './connector-events.ts';
import { messageAddData, messageDeleteData, messageUpdateData } from '../../events/connector-events.ts';

/** An operator's text with their name before it (a bot's and the line's own texts are not signed). */
const signedBy = (text: string, author?: User) => (author && !author.is_bot ? `[b]${fullName(author)}:[/b] [br]${text}` : text);

// An operator's name goes before their text when the connector asks for it (NEED_SIGNATURE).
function signed(connector: Connector, text: string, author?: User): string {
  return connectorOption(connector, 'NEED_SIGNATURE', true) ? signedBy(text, author) : text;
}

/** Send a line message to the customer's channel; `author` is who wrote it (none for the line's own texts). */
export async function forwardToCustomer(portal: Portal, db: Db, chat: Chat, message: Message, author?: User): Promise<void> {
  const customer = await customerOfChat(db, chat.id);
  if (!customer) return;
  // A network line's customer is a person of this portal: the line's bot tells them in their dialog, signed.
  if (customer.connector === NETWORK_CONNECTOR) return deliverToNetworkUser(portal, db, customer, signedBy(message.text, author));
  // A website visitor reads their chat through /widget (src/http/widget.ts): the link is what makes the
  // message theirs to see (history, the live socket); the author's name travels apart, so no signature.
  if (customer.connector === LIVECHAT_CONNECTOR) {
    return linkMessage(db, { messageId: message.id, chatId: chat.id, connector: LIVECHAT_CONNECTOR, extIds: [], incoming: false });
  }
  const connector = await findConnector(db, customer.connector);
  if (!connector) return;
  if (!author && !connectorOption(connector, 'NEED_SYSTEM_MESSAGES', true)) return;
  const data = messageAddData(connector.id, customer.line_id, {
    chatId: chat.id, messageId: message.id, extChatId: customer.ext_chat_id, userId: author?.id ?? 0, text: signed(connector, message.text, author),
  });
  await tellConnectorApp(db, connector, 'ONIMCONNECTORMESSAGEADD', `chat${chat.id}`, data);
  await linkMessage(db, { messageId: message.id, chatId: chat.id, connector: connector.id, extIds: [], incoming: false });
}

/**
 * A line message that went out to the customer was edited (`text`: its new text) or deleted by
 * someone of the portal: the connector's app hears of it. Customers' own messages, and messages that
 * never went out, send nothing.
 */
export async function outgoingChanged(db: Db, kind: 'update' | 'delete', message: Message, text: string): Promise<void> {
  const link = await db.selectFrom('ol_message_links').selectAll().where('message_id', '=', message.id).where('incoming', '=', 0).executeTakeFirst();
  if (!link) return;
  const [customer, connector] = [await customerOfChat(db, link.chat_id), await findConnector(db, link.connector)];
  if (!customer || !connector) return;
  if (!connectorOption(connector, kind === 'update' ? 'EDIT_INTERNAL_MESSAGES' : 'DEL_INTERNAL_MESSAGES', true)) return;
  const extIds = (JSON.parse(link.ext_ids || '[]') as unknown[]).map(String);
  const ref = { chatId: link.chat_id, messageId: message.id, extChatId: customer.ext_chat_id };
  const author = message.author_id ? await findUser(db, message.author_id) : undefined;
  const data = kind === 'update'
    ? messageUpdateData(connector.id, customer.line_id, { ...ref, extIds, text: signed(connector, text, author) })
    : messageDeleteData(connector.id, customer.line_id, { ...ref, extId: extIds[0] ?? '' });
  await tellConnectorApp(db, connector, kind === 'update' ? 'ONIMCONNECTORMESSAGEUPDATE' : 'ONIMCONNECTORMESSAGEDELETE', `chat${link.chat_id}`, data);
}

/** A text of the line itself to the customer (welcome, close, rating request): a system line in the chat, sent out too. */
export async function tellCustomer(portal: Portal, db: Db, chat: Chat, text: string): Promise<Message> {
  const message = await postSystemMessage(portal, db, chat, text);
  await forwardToCustomer(portal, db, chat, message);
  return message;
}
