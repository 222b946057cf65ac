/** imconnector.chat.name.set: the connector renames a customer's line chat, named by its external chat (and user). */
import { defineMethod } from '../../rest/registry.ts';
import { c } from '../../rest/schema.ts';
import { fail } from '../../errors.ts';
import { runAction } from '../../domain/action.ts';
import { renameFromConnector } from '../../domain/lines/connector-messages.ts';
import { activeLineOf, connectorApp, ownConnectorOf } from '../codecs/connectors.ts';

const MISSING = 'Required parameters NAME, CHAT_ID, USER_ID, CONNECTOR, or LINE are missing';

defineMethod({
  name: 'imconnector.chat.name.set', scope: 'imconnector', orScopes: ['imopenlines'], access: 'app',
  params: {
    _app: connectorApp(),
    CONNECTOR: c.requiredString('ERROR_ARGUMENT', MISSING).map((v) => v.toLowerCase()), LINE: c.id('ERROR_ARGUMENT', MISSING),
    CHAT_ID: c.requiredString('ERROR_ARGUMENT', MISSING), NAME: c.requiredString('ERROR_ARGUMENT', MISSING),
    // Required by the docs for connectors without group chats, yet their example leaves it out: without it the external chat's one customer is renamed.
    USER_ID: c.trimmed(),
    _connector: ownConnectorOf(), _line: activeLineOf(),
  },
  async handler(ctx, { _connector: connector, _line: line, CHAT_ID: chatId, USER_ID: userId, NAME: name }) {
    if (!(await runAction(ctx.portal, (trx) => renameFromConnector(trx, connector, line.id, chatId, userId, name)))) fail('CHAT_RENAMING_FAILED');
    return { SUCCESS: true, DATA: { RESULT: {} } };
  },
});
