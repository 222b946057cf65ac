/**
 * imconnector.send.messages (customers write to the line), imconnector.send.status.delivery (a line
 * message reached the customer: its external ids recorded, the chat read up to it) and
 * imconnector.send.status.reading (documented as a stub: it checks its arguments and answers success).
 */
import { defineMethod } from '../../rest/registry.ts';
import { int, obj, pick, type Params } from '../../rest/params.ts';
import { runAction } from '../../domain/action.ts';
import { confirmDelivery, receiveFromConnector } from '../../domain/lines/connector-messages.ts';
import { argument, connectorApp, lineArgument, messageMethodParams, messagesArgument, ownConnectorOf } from '../codecs/connectors.ts';
import { messagesResult, readElement, sentElement } from '../imconnector.wire.ts';

const SCOPES = { scope: 'imopenlines', orScopes: ['imconnector'] } as const;

defineMethod({
  name: 'imconnector.send.messages', ...SCOPES, access: 'app',
  params: messageMethodParams(),
  async handler(ctx, { _connector: connector, _line: line, MESSAGES: messages }) {
    const results: Record<string, unknown>[] = [];
    // One action per message, in order: each message starts or moves its session before the next one is read.
    for (const el of messages) {
      const read = readElement(el, true);
      if (read.errors.length) {
        results.push(sentElement(read, undefined));
        continue;
      }
      const got = await runAction(ctx.portal, (trx) => receiveFromConnector(ctx.portal, trx, connector, line, read.message));
      results.push(sentElement(read, got.userId, { id: got.sessionId, chatId: got.chatId }));
    }
    return messagesResult(results);
  },
});

/** A delivery status element: the line message (im.chat_id, im.message_id) and its ids on the connector's side (message.id[]). */
function statusOf(el: Params): { chatId: number; messageId: number; extIds: string[] } {
  const im = obj(el, 'im');
  const ids = pick(obj(el, 'message'), 'id');
  const extIds = ids && typeof ids === 'object' ? Object.values(ids).map(String) : ids === undefined || ids === '' ? [] : [String(ids)];
  return { chatId: int(im, 'chat_id'), messageId: int(im, 'message_id'), extIds };
}

defineMethod({
  name: 'imconnector.send.status.delivery', ...SCOPES, access: 'app',
  params: {
    _app: connectorApp(), CONNECTOR: argument(true), LINE: lineArgument(), MESSAGES: messagesArgument(['im', 'message', 'chat']),
    _connector: ownConnectorOf(),
  },
  async handler(ctx, { _connector: connector, MESSAGES: messages }) {
    // A message that did not go out through this connector is passed over: the answer is the documented empty DATA either way.
    await runAction(ctx.portal, async (trx) => {
      for (const el of messages) {
        const s = statusOf(el);
        if (s.chatId && s.messageId) await confirmDelivery(trx, connector, s.chatId, s.messageId, s.extIds);
      }
    });
    return { SUCCESS: true, DATA: [] };
  },
});

defineMethod({
  name: 'imconnector.send.status.reading', ...SCOPES, access: 'app',
  params: {
    _app: connectorApp(), CONNECTOR: argument(true), LINE: lineArgument(), MESSAGES: messagesArgument(['im', 'message', 'chat']),
    _connector: ownConnectorOf(),
  },
  async handler() {
    // Documented as "essentially useless; the handler is a stub that simply returns true": delivery already marks read.
    return { SUCCESS: true, DATA: [] };
  },
});
