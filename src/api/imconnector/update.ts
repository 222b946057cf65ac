/** imconnector.update.messages: customers edited messages they sent (named by message.id and chat.id); the line's bots hear of it. */
import { defineMethod } from '../../rest/registry.ts';
import { runAction } from '../../domain/action.ts';
import { editFromConnector } from '../../domain/lines/connector-messages.ts';
import { messageMethodParams } from '../codecs/connectors.ts';
import { CHANGE_REFUSED, messagesResult, readElement, sentElement } from '../imconnector.wire.ts';

defineMethod({
  name: 'imconnector.update.messages', scope: 'imopenlines', orScopes: ['imconnector'], access: 'app',
  params: messageMethodParams(),
  async handler(ctx, { _connector: connector, _line: line, MESSAGES: messages }) {
    const results: Record<string, unknown>[] = [];
    for (const el of messages) {
      const read = readElement(el, true);
      if (!read.message.extId) read.errors.push('The message ID is not specified');
      if (read.errors.length) {
        results.push(sentElement(read, undefined));
        continue;
      }
      const done = await runAction(ctx.portal, (trx) => editFromConnector(trx, connector, line.id, read.message));
      if (typeof done === 'string') read.errors.push(CHANGE_REFUSED[done]);
      results.push(sentElement(read, typeof done === 'string' ? undefined : done.userId));
    }
    return messagesResult(results);
  },
});
