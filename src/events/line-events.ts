/**
 * Wire payloads of the open-line events (imopenlines: ONSESSIONSTART, ONSESSIONFINISH,
 * ONOPENLINEMESSAGEADD/UPDATE/DELETE; imconnector: ONIMCONNECTORDIALOGSTART/FINISH) in the documented
 * shapes, queued to the handlers the domain names (src/domain/lines/line-events.ts decides who).
 * These events carry `eventId` in their envelope instead of `event_handler_id` (dispatcher.ts).
 */
import type { Db } from '../store/db.ts';
import { isoDate as wireDate } from '../wire/dates.ts';
import { enqueue, type OutboxEvent } from './outbox.ts';

/** The events whose envelope names the handler `eventId`, as the open-lines pages show it. */
export const EVENT_ID_ENVELOPE = new Set(['ONSESSIONSTART', 'ONSESSIONFINISH', 'ONOPENLINEMESSAGEADD', 'ONOPENLINEMESSAGEUPDATE', 'ONOPENLINEMESSAGEDELETE',
  'ONIMCONNECTORDIALOGSTART', 'ONIMCONNECTORDIALOGFINISH']);

/** Where a line event goes: an app's handler URLs for one event. */
export interface LineHandlers { appId: number; authUserId: number; urls: string[] }

/** The customer's side of a line chat, as the events' `connector` block names it. */
export interface ConnectorSide { connector: string; lineId: number; extChatId: string; extUserId: string }

/** A session as the events show it. */
export interface SessionFacts { id: number; closed: boolean; parentId: number; closeTermMinutes: number; chatId: number }

/** A message as ONOPENLINEMESSAGEADD shows it. */
export interface MessageFacts { id: number; chatId: number; text: string; system: boolean; authorId: number; createdAt: number; files: number[]; attach: string }

// The docs show the external ids as numbers; a connector's own non-numeric id stays a string.
const extId = (v: string): number | string => (/^\d{1,15}$/.test(v) ? Number(v) : v);

const connectorBlock = (c: ConnectorSide) => ({ connector_id: c.connector, line_id: c.lineId, chat_id: extId(c.extChatId), user_id: extId(c.extUserId) });

function queued(h: LineHandlers, event: string, chatId: number, data: unknown): OutboxEvent[] {
  return h.urls.map((url) => ({ appId: h.appId, event, handlerUrl: url, stream: `chat${chatId}`, authUserId: h.authUserId, data }));
}

/** The `DATA` item of the session events (and of the connector's dialog events). */
function sessionItem(c: ConnectorSide, s: SessionFacts) {
  return {
    connector: connectorBlock(c),
    session: { id: s.id, closed: s.closed ? 'Y' : 'N', parent_id: s.parentId, close_term: s.closeTermMinutes },
    chat: { id: s.chatId },
    user: { id: extId(c.extUserId) },
  };
}

/** ONSESSIONSTART / ONSESSIONFINISH. */
export async function queueSessionEvent(db: Db, event: 'ONSESSIONSTART' | 'ONSESSIONFINISH', h: LineHandlers, c: ConnectorSide, s: SessionFacts): Promise<void> {
  await enqueue(db, queued(h, event, s.chatId, { DATA: [sessionItem(c, s)] }));
}

/** ONIMCONNECTORDIALOGSTART / ONIMCONNECTORDIALOGFINISH: the session events' DATA with CONNECTOR and LINE (a string). */
export async function queueDialogEvent(db: Db, event: 'ONIMCONNECTORDIALOGSTART' | 'ONIMCONNECTORDIALOGFINISH', h: LineHandlers, c: ConnectorSide, s: SessionFacts): Promise<void> {
  await enqueue(db, queued(h, event, s.chatId, { CONNECTOR: c.connector, LINE: String(c.lineId), DATA: [sessionItem(c, s)] }));
}

/** ONOPENLINEMESSAGEADD. */
export async function queueLineMessageAdd(db: Db, h: LineHandlers, c: ConnectorSide, m: MessageFacts): Promise<void> {
  const item = {
    connector: connectorBlock(c),
    chat: { id: m.chatId },
    message: { id: m.id, date: wireDate(m.createdAt), text: m.text, files: m.files, attach: m.attach, system: m.system ? 'Y' : 'N', user_id: m.authorId },
    ref: [],
    extra: { EXTRA_URL: '' },
  };
  await enqueue(db, queued(h, 'ONOPENLINEMESSAGEADD', m.chatId, { DATA: [item] }));
}

/** ONOPENLINEMESSAGEUPDATE / ONOPENLINEMESSAGEDELETE. */
export async function queueLineMessageChange(db: Db, event: 'ONOPENLINEMESSAGEUPDATE' | 'ONOPENLINEMESSAGEDELETE', h: LineHandlers, c: ConnectorSide, chatId: number, messageId: number): Promise<void> {
  const data = { CONNECTOR: c.connector, LINE: c.lineId, DATA: [{ im: { chat_id: chatId, message_id: messageId }, message: { id: messageId }, chat: { id: chatId } }] };
  await enqueue(db, queued(h, event, chatId, data));
}
