/** imconnector.delete.messages: customers deleted messages they sent (named by message.id and chat.id); the line's bots hear of it. */
import { defineMethod } from '../../rest/registry.ts';
import { runAction } from '../../domain/action.ts';
import { deleteFromConnector } from '../../domain/lines/connector-messages.ts';
import { messageMethodParams } from '../codecs/connectors.ts';
import { CHANGE_REFUSED, deletedElement, messagesResult, readElement } from '../imconnector.wire.ts';

defineMethod({
  name: 'imconnector.delete.messages', scope: 'imopenlines', orScopes: ['imconnector'], access: 'app',
  params: messageMethodParams(),
  async handler(ctx, { _connector: connector, _line: line, MESSAGES: messages }) {
    const results: Record<string, unknown>[] = [];
    for (const el of messages) {
      const read = readElement(el, false);
      if (read.errors.length) {
        results.push(deletedElement(read, undefined));
        continue;
      }
      const done = await runAction(ctx.portal, (trx) => deleteFromConnector(trx, connector, line.id, read.message));
      if (typeof done === 'string') read.errors.push(CHANGE_REFUSED[done]);
      results.push(deletedElement(read, typeof done === 'string' ? undefined : done.userId));
    }
    return messagesResult(results);
  },
});
