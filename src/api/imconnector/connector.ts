/** imconnector.connector.data.set: the external channel a connector serves on a line (DATA, written as a whole). */
import { defineMethod } from '../../rest/registry.ts';
import { c } from '../../rest/schema.ts';
import { str } from '../../rest/params.ts';
import { runAction } from '../../domain/action.ts';
import { setConnectorData } from '../../domain/lines/connector-admin.ts';
import { argument, connectorApp, existingLineOf, lineArgument, nullOrEmpty, ownConnectorOf } from '../codecs/connectors.ts';

defineMethod({
  name: 'imconnector.connector.data.set', scope: 'imopenlines', orScopes: ['imconnector'], access: 'app',
  params: {
    _app: connectorApp(), CONNECTOR: argument(true), LINE: lineArgument(),
    DATA: c.object().map((d) => (Object.keys(d).length ? d : nullOrEmpty('DATA'))),
    _connector: ownConnectorOf(), _line: existingLineOf(),
  },
  async handler(ctx, { _connector: connector, _line: line, DATA: data }) {
    // ID, URL, URL_IM, NAME: the documented fields, each a string; the others are not kept.
    const fields = Object.fromEntries(['ID', 'URL', 'URL_IM', 'NAME'].map((k) => [k, str(data, k)]));
    await runAction(ctx.portal, (trx) => setConnectorData(trx, connector, line.id, fields));
    return true;
  },
});
