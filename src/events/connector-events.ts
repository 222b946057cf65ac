/**
 * The `data` of the events a connector's app gets (OnImConnector*), exactly as the docs show each:
 * the message events with upper-case CONNECTOR / LINE / MESSAGES (the edited message's external ids a
 * list, the deleted one's a single id), the status event with lower-case keys, the line event a bare
 * line id. The envelope (event, event_handler_id, ts, auth) is the dispatcher's, as for every event.
 */

/** One line message as the message events name it: its chat and id here, the chat on the connector's side. */
export interface ConnectorMessageRef { chatId: number; messageId: number; extChatId: string }

/** ONIMCONNECTORMESSAGEADD: an operator's, a bot's or the line's message to send to the customer. */
export function messageAddData(connector: string, lineId: number, m: ConnectorMessageRef & { userId: number; text: string }) {
  return {
    CONNECTOR: connector, LINE: lineId,
    MESSAGES: [{ im: { chat_id: m.chatId, message_id: m.messageId }, message: { user_id: m.userId, text: m.text, files: [] as unknown[] }, chat: { id: m.extChatId } }],
  };
}

/** ONIMCONNECTORMESSAGEUPDATE: an operator edited a message that went out; `extIds` as delivery reported them. */
export function messageUpdateData(connector: string, lineId: number, m: ConnectorMessageRef & { extIds: string[]; text: string }) {
  return {
    CONNECTOR: connector, LINE: lineId,
    MESSAGES: [{ im: { chat_id: m.chatId, message_id: m.messageId }, message: { id: m.extIds, text: m.text }, chat: { id: m.extChatId } }],
  };
}

/** ONIMCONNECTORMESSAGEDELETE: an operator deleted a message that went out (its external id a string here). */
export function messageDeleteData(connector: string, lineId: number, m: ConnectorMessageRef & { extId: string }) {
  return {
    CONNECTOR: connector, LINE: lineId,
    MESSAGES: [{ im: { chat_id: m.chatId, message_id: m.messageId }, message: { id: m.extId }, chat: { id: m.extChatId } }],
  };
}

/** ONIMCONNECTORSTATUSDELETE: the connector was switched off on a line (lower-case keys, as documented). */
export function statusDeleteData(connector: string, lineId: number) {
  return { connector, line: lineId };
}

/** ONIMCONNECTORLINEDELETE: `data` is the deleted line's id itself. */
export function lineDeleteData(lineId: number): number {
  return lineId;
}
