/**
 * The parameters of imconnector.* (the open-line connectors): the calling application (WRONG_AUTH_TYPE
 * for anything else), CONNECTOR as one of that app's own connectors, LINE, and MESSAGES with the
 * documented ERROR_ARGUMENT texts, read in the order Bitrix24 checks them.
 */
import { fail } from '../../errors.ts';
import { int, pick, str, type Params } from '../../rest/params.ts';
import { Codec } from '../../rest/schema.ts';
import type { App } from '../../domain/types.ts';
import { isWebApp } from '../../domain/web-app.ts';
import { findLine } from '../../domain/lines/lines.ts';
import { connectorOnLine, type Connector } from '../../domain/lines/connectors.ts';
import { ownConnector } from '../../domain/lines/connector-admin.ts';
import type { Line } from '../../domain/lines/config.ts';

/** The description of WRONG_AUTH_TYPE on the imconnector.* pages. */
export const APP_CONTEXT = 'Current authorization type is denied for this method Application context required';

/** The calling application (an OAuth token of an installed app; not a webhook, not the web messenger). */
export function connectorApp(): Codec<App> {
  return new Codec<App>('app', (_p, _name, ctx) => (ctx.app && !isWebApp(ctx.app) ? ctx.app : fail('WRONG_AUTH_TYPE', APP_CONTEXT)));
}

/** Bitrix24's ArgumentNullException text for a missing argument. */
export const nullOrEmpty = (name: string): never => fail('ERROR_ARGUMENT', `Argument '${name}' is null or empty`);

/** A required argument as a string (CONNECTOR lower-cased as registration made it). */
export function argument(lower = false): Codec<string> {
  return new Codec<string>('string', (p, name) => {
    const v = str(p, name).trim();
    return v ? (lower ? v.toLowerCase() : v) : nullOrEmpty(name);
  }, true, 'ERROR_ARGUMENT');
}

/** LINE: a required line id. */
export function lineArgument(): Codec<number> {
  return new Codec<number>('integer', (p, name) => int(p, name) || nullOrEmpty(name), true, 'ERROR_ARGUMENT');
}

/** The calling app's connector named by CONNECTOR (read already): another app's or an unknown one is IMCONNECTOR_NO_CORRECT_PROVIDER. */
export function ownConnectorOf(): Codec<Connector> {
  return new Codec<Connector>('connector', async (p, _name, ctx) => {
    const id = str(p, 'CONNECTOR').trim().toLowerCase();
    return (ctx.app && (await ownConnector(ctx.portal.db, ctx.app.id, id))) || fail('IMCONNECTOR_NO_CORRECT_PROVIDER');
  }, false, 'IMCONNECTOR_NO_CORRECT_PROVIDER');
}

/** The line named by LINE, active, with the connector switched on there: NOT_ACTIVE_LINE otherwise. */
export function activeLineOf(): Codec<Line> {
  return new Codec<Line>('line', async (p, _name, ctx) => {
    const line = await findLine(ctx.portal.db, int(p, 'LINE'));
    const on = line && (await connectorOnLine(ctx.portal.db, str(p, 'CONNECTOR').trim().toLowerCase(), line.id));
    return line && line.active && on?.active ? line : fail('NOT_ACTIVE_LINE');
  }, false, 'NOT_ACTIVE_LINE');
}

/** The line named by LINE when it exists (activate, connector.data.set): NOT_ACTIVE_LINE otherwise. */
export function existingLineOf(): Codec<Line> {
  return new Codec<Line>('line', async (p, _name, ctx) => (await findLine(ctx.portal.db, int(p, 'LINE'))) ?? fail('NOT_ACTIVE_LINE'), false, 'NOT_ACTIVE_LINE');
}

/**
 * MESSAGES: a list of objects each with `blocks` (user, message, chat; im, message, chat for the
 * delivery statuses), with the documented ERROR_ARGUMENT texts for each way it can be wrong.
 */
export function messagesArgument(blocks: string[]): Codec<Params[]> {
  return new Codec<Params[]>('array', (p, name) => {
    const v = pick(p, name);
    if (v === undefined || v === null || v === '' || (typeof v === 'object' && !Object.keys(v).length)) nullOrEmpty(name);
    if (typeof v !== 'object') fail('ERROR_ARGUMENT', `The value of an argument '${name}' must be of type array`);
    const items = Object.values(v as object);
    if (items.some((m) => !m || typeof m !== 'object')) fail('ERROR_ARGUMENT', 'The MESSAGES parameter must be an array of messages (arrays)');
    if (items.some((m) => blocks.some((b) => !pick(m as Params, b) || typeof pick(m as Params, b) !== 'object'))) {
      fail('ERROR_ARGUMENT', 'The incorrect structure of a message inside MESSAGES parameter');
    }
    return items as Params[];
  }, true, 'ERROR_ARGUMENT');
}

/**
 * The parameters of the message methods (send / update / delete.messages), in the order Bitrix24
 * checks them: the calling app, CONNECTOR, LINE, MESSAGES of {user, message, chat}, then that the
 * connector is the app's own and switched on for an active line.
 */
export const messageMethodParams = () => ({
  _app: connectorApp(), CONNECTOR: argument(true), LINE: lineArgument(), MESSAGES: messagesArgument(['user', 'message', 'chat']),
  _connector: ownConnectorOf(), _line: activeLineOf(),
});
