/**
 * What leaves a line chat for the customer: operators' and the bot's messages, and the line's own
 * texts (welcome, close, rating request), go to the customer's connector as ONIMCONNECTORMESSAGEADD,
 * POSTed to the handlers the connector's app bound with event.bind, through the outbox (ordered per
 * chat, retried as the app's delivery mode says). The portal's internal lines ("X joined") stay inside.
 */
import type { Db } from '../../store/db.ts';
import type { Portal } from '../../portal.ts';
import type { Chat, Message, User } from '../types.ts';
import { enqueue, type OutboxEvent } from '../../events/outbox.ts';
import { fullName } from '../../wire/names.ts';
import { findApp } from '../apps.ts';
import { connectorOption, customerOfChat, findConnector, linkMessage } from './connectors.ts';
import { postSystemMessage } from '../messages.ts';
import { deliverToNetworkUser, NETWORK_CONNECTOR } from './network-bot.ts';

/** Send a line message to the customer's channel; `author` is who wrote it (none for the line's own texts). */
export async function forwardToCustomer(portal: Portal, db: Db, chat: Chat, message: Message, author?: User): Promise<void> {
  const customer = await customerOfChat(db, chat.id);
  if (!customer) return;
  // An operator's name goes before their text (NEED_SIGNATURE, on unless a connector turns it off).
  const signature = (on: boolean) => (author && !author.is_bot && on ? `[b]${fullName(author)}:[/b] [br]${message.text}` : message.text);
  // A network line's customer is a person of this portal: the line's bot tells them in their dialog.
  if (customer.connector === NETWORK_CONNECTOR) return deliverToNetworkUser(portal, db, customer, signature(true));
  const connector = await findConnector(db, customer.connector);
  if (!connector) return;
  if (!author && !connectorOption(connector, 'NEED_SYSTEM_MESSAGES', true)) return;
  const app = await findApp(db, connector.app_id);
  if (!app?.installed) return;
  const handlers = await db.selectFrom('event_handlers').select('handler').where('app_id', '=', app.id).where('event', '=', 'ONIMCONNECTORMESSAGEADD').orderBy('id').execute();
  const signed = signature(connectorOption(connector, 'NEED_SIGNATURE', true));
  const data = {
    CONNECTOR: connector.id, LINE: String(customer.line_id),
    MESSAGES: [{
      im: { chat_id: chat.id, message_id: message.id },
      message: { user_id: author?.id ?? 0, text: signed, files: [] as unknown[] },
      chat: { id: customer.ext_chat_id },
    }],
  };
  const events: OutboxEvent[] = handlers.map((h) => ({
    appId: app.id, event: 'ONIMCONNECTORMESSAGEADD', handlerUrl: h.handler, stream: `chat${chat.id}`, authUserId: app.install_user_id, data,
  }));
  await enqueue(db, events);
  await linkMessage(db, { messageId: message.id, chatId: chat.id, connector: connector.id, extIds: [], incoming: false });
}

/** A text of the line itself to the customer (welcome, close, rating request): a system line in the chat, sent out too. */
export async function tellCustomer(portal: Portal, db: Db, chat: Chat, text: string): Promise<Message> {
  const message = await postSystemMessage(portal, db, chat, text);
  await forwardToCustomer(portal, db, chat, message);
  return message;
}
