/**
 * imconnector.register / unregister / list / activate / status: an application's open-line
 * connectors (docs/OPEN-LINES.md, README "Connectors"). Application context only (a webhook is
 * WRONG_AUTH_TYPE); scope imopenlines or imconnector, as the docs list both. register and unregister
 * answer their own failures inside `result` with HTTP 200: {"result":{"result":false,"error",…}}.
 */
import { defineMethod } from '../rest/registry.ts';
import { c } from '../rest/schema.ts';
import { ERRORS, type ErrorCode } from '../errors.ts';
import { str, type Params } from '../rest/params.ts';
import { runAction } from '../domain/action.ts';
import { activateConnector, connectorNames, connectorStatus, registerConnector, unregisterConnector } from '../domain/lines/connector-admin.ts';
import { argument, connectorApp, existingLineOf, lineArgument, nullOrEmpty, ownConnectorOf } from './codecs/connectors.ts';

const SCOPES = { scope: 'imopenlines', orScopes: ['imconnector'] } as const;

/** The boolean options of imconnector.register; what is not given keeps its documented default (read where it is used). */
const OPTIONS = ['DEL_EXTERNAL_MESSAGES', 'EDIT_INTERNAL_MESSAGES', 'DEL_INTERNAL_MESSAGES', 'NEWSLETTER', 'NEED_SYSTEM_MESSAGES', 'NEED_SIGNATURE', 'CHAT_GROUP'] as const;

/** A boolean as register's options are sent: true / false, Y / N, 1 / 0. */
const yes = (v: unknown) => v === true || ['y', 'yes', 'true', '1'].includes(String(v).toLowerCase());

/** register's and unregister's answer: `{result: true}`, or a failure inside the result (HTTP 200). */
function outcome(error?: ErrorCode): Record<string, unknown> {
  return error ? { result: false, error, error_description: ERRORS[error][1] } : { result: true };
}

/** An icon object as given (COLOR, SIZE, POSITION, DATA_IMAGE), strings only. */
function icon(v: Params): Record<string, string> {
  return Object.fromEntries(['DATA_IMAGE', 'COLOR', 'SIZE', 'POSITION'].filter((k) => str(v, k)).map((k) => [k, str(v, k)]));
}

defineMethod({
  name: 'imconnector.register', ...SCOPES, access: 'app',
  params: {
    _app: connectorApp(), ID: c.trimmed(), NAME: c.trimmed(), ICON: c.object(), ICON_DISABLED: c.object(), PLACEMENT_HANDLER: c.trimmed(),
    ...Object.fromEntries(OPTIONS.map((o) => [o, c.raw('Y/N')])) as Record<(typeof OPTIONS)[number], ReturnType<typeof c.raw>>,
  },
  async handler(ctx, input) {
    const id = input.ID.toLowerCase();
    if (!id) return outcome('CONNECTOR_ID_REQUIRED');
    if (id.includes('.')) return outcome('APPLICATION_REGISTRATION_ERROR_POINT');
    // Digits, Latin letters and _ (lower-cased), as the docs allow; anything else is not a code.
    if (!/^[a-z0-9_]{1,100}$/.test(id)) return outcome('GENERAL_CONNECTOR_REGISTRATION_ERROR');
    if (!input.NAME) return outcome('NAME_REQUIRED');
    if (!str(input.ICON, 'DATA_IMAGE')) return outcome('ICON_REQUIRED');
    if (!input.PLACEMENT_HANDLER || !URL.canParse(input.PLACEMENT_HANDLER) || !/^https?:$/.test(new URL(input.PLACEMENT_HANDLER).protocol)) return outcome('NO_PLACEMENT_HANDLER');
    const options = Object.fromEntries(OPTIONS.filter((o) => input[o] !== undefined && input[o] !== '').map((o) => [o, yes(input[o])]));
    const done = await runAction(ctx.portal, (trx) => registerConnector(trx, input._app.id, {
      id, name: input.NAME, icon: icon(input.ICON), iconDisabled: icon(input.ICON_DISABLED), placementHandler: input.PLACEMENT_HANDLER, options,
    }));
    // The id is another application's connector: it stays that app's.
    return outcome(done ? undefined : 'APPLICATION_REGISTRATION_ERROR');
  },
});

defineMethod({
  name: 'imconnector.unregister', ...SCOPES, access: 'app',
  params: { _app: connectorApp(), ID: c.trimmed().map((v) => v.toLowerCase()) },
  async handler(ctx, { _app: app, ID: id }) {
    const done = id ? await runAction(ctx.portal, (trx) => unregisterConnector(trx, app.id, id)) : false;
    return outcome(done ? undefined : 'APPLICATION_UNREGISTRATION_ERROR');
  },
});

defineMethod({
  name: 'imconnector.list', ...SCOPES, access: 'app',
  params: { _app: connectorApp() },
  async handler(ctx) {
    // Every connector of the portal, code → name, as the docs show (built-in ones too, when Parley has them).
    return Object.fromEntries(await connectorNames(ctx.portal.db));
  },
});

/**
 * ACTIVE as Parley reads it: the docs say "any non-empty value enables, empty or 0 disables" and
 * recommend 1/0 or Y/N, so N (and false) disable too.
 */
const activeValue = (v: string) => !['', '0', 'n', 'false'].includes(v.trim().toLowerCase());

defineMethod({
  name: 'imconnector.activate', ...SCOPES, access: 'app',
  params: {
    _app: connectorApp(), CONNECTOR: argument(true), LINE: lineArgument(),
    ACTIVE: c.raw('string').map((v) => {
      // Absent is the ArgumentNullException the docs list; sent empty is "off".
      if (v === undefined || v === null || typeof v === 'object') return nullOrEmpty('ACTIVE');
      return activeValue(String(v));
    }),
    _connector: ownConnectorOf(), _line: existingLineOf(),
  },
  async handler(ctx, { _connector: connector, _line: line, ACTIVE: active }) {
    await runAction(ctx.portal, (trx) => activateConnector(trx, connector, line.id, active));
    return true;
  },
});

defineMethod({
  name: 'imconnector.status', ...SCOPES, access: 'app',
  params: { _app: connectorApp(), CONNECTOR: argument(true), LINE: c.int(), _connector: ownConnectorOf() },
  async handler(ctx, { _connector: connector, LINE: lineId }) {
    const s = await connectorStatus(ctx.portal.db, connector.id, lineId);
    // STATUS: on, configured and not in error (the settings page's rule); LINE=0 is no line: all false.
    return { LINE: lineId, CONNECTOR: connector.id, ERROR: s.error, CONFIGURED: s.configured, STATUS: s.active && s.configured && !s.error };
  },
});
