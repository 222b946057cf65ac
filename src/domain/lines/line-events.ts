/**
 * Who hears of a line's sessions and messages (OnSessionStart/Finish, OnOpenLineMessage*, and the
 * connector's ONIMCONNECTORDIALOGSTART/FINISH): as the docs say, "only events for the connector added
 * by the app" — the app that registered the customer's connector, through the handlers it bound with
 * event.bind. A line chat without a connector app (or an app not installed) tells nobody.
 */
import type { Db } from '../../store/db.ts';
import type { Chat, Message } from '../types.ts';
import { findApp } from '../apps.ts';
import { customerOfChat, findConnector } from './connectors.ts';
import type { Session } from './sessions.ts';
import { routingOf, settingsOf } from './config.ts';
import { findLine } from './lines.ts';
import {
  queueDialogEvent, queueLineMessageAdd, queueLineMessageChange, queueSessionEvent, type ConnectorSide, type LineHandlers,
} from '../../events/line-events.ts';

/** The customer's connector side of a chat and its app's handlers of `event`; undefined when nobody listens. */
async function listeners(db: Db, chatId: number, event: string): Promise<{ side: ConnectorSide; handlers: LineHandlers } | undefined> {
  const customer = await customerOfChat(db, chatId);
  if (!customer) return undefined;
  const connector = await findConnector(db, customer.connector);
  const app = connector ? await findApp(db, connector.app_id) : undefined;
  if (!app?.installed) return undefined;
  const rows = await db.selectFrom('event_handlers').select('handler').where('app_id', '=', app.id).where('event', '=', event).orderBy('id').execute();
  if (!rows.length) return undefined;
  // The chat's line may have changed (a transfer to another line): the session's line is the current one.
  const chat = await db.selectFrom('chats').select('entity_id').where('id', '=', chatId).executeTakeFirst();
  const lineId = Number(chat?.entity_id.split('|')[1]) || customer.line_id;
  return {
    side: { connector: customer.connector, lineId, extChatId: customer.ext_chat_id, extUserId: customer.ext_user_id },
    handlers: { appId: app.id, authUserId: app.install_user_id, urls: rows.map((r) => r.handler) },
  };
}

/** A session started or finished: OnSessionStart / OnSessionFinish and the connector's dialog event. */
export async function tellSession(db: Db, s: Session, kind: 'start' | 'finish'): Promise<void> {
  const line = await findLine(db, s.line_id);
  const closeTerm = line ? Math.round(routingOf(settingsOf(line)).autoCloseMs / 60_000) : 0;
  const facts = { id: s.id, closed: kind === 'finish', parentId: s.parent_id, closeTermMinutes: closeTerm, chatId: s.chat_id };
  const ol = await listeners(db, s.chat_id, kind === 'start' ? 'ONSESSIONSTART' : 'ONSESSIONFINISH');
  if (ol) await queueSessionEvent(db, kind === 'start' ? 'ONSESSIONSTART' : 'ONSESSIONFINISH', ol.handlers, ol.side, facts);
  const dialog = kind === 'start' ? 'ONIMCONNECTORDIALOGSTART' : 'ONIMCONNECTORDIALOGFINISH';
  const conn = await listeners(db, s.chat_id, dialog);
  if (conn) await queueDialogEvent(db, dialog, conn.handlers, conn.side, facts);
}

/** A message was added to a line chat (the customer's, an operator's, the bot's): OnOpenLineMessageAdd. */
export async function tellLineMessage(db: Db, chat: Chat, m: Message, files: number[] = []): Promise<void> {
  const ol = await listeners(db, chat.id, 'ONOPENLINEMESSAGEADD');
  if (!ol) return;
  await queueLineMessageAdd(db, ol.handlers, ol.side, {
    id: m.id, chatId: chat.id, text: m.text, system: !!m.system, authorId: m.author_id, createdAt: m.created_at, files, attach: m.attach ? m.attach : '',
  });
}

/** A line chat's message was edited or deleted: OnOpenLineMessageUpdate / Delete. */
export async function tellLineMessageChange(db: Db, chatId: number, messageId: number, kind: 'update' | 'delete'): Promise<void> {
  const event = kind === 'update' ? 'ONOPENLINEMESSAGEUPDATE' : 'ONOPENLINEMESSAGEDELETE';
  const ol = await listeners(db, chatId, event);
  if (ol) await queueLineMessageChange(db, event, ol.handlers, ol.side, chatId, messageId);
}
