/**
 * Event handlers an application binds with event.bind: which events it may bind (by scope), and
 * binding, unbinding and listing them. One row per (app, event, URL), as in Bitrix24.
 */
import type { Db } from '../store/db.ts';
import { fail } from '../errors.ts';

/**
 * The events a connector's app gets about its connector (src/domain/lines/connector-events.ts): the
 * docs list them under both scopes, so either one lets an app bind them.
 */
const CONNECTOR_EVENTS = ['ONIMCONNECTORMESSAGEADD', 'ONIMCONNECTORMESSAGEUPDATE', 'ONIMCONNECTORMESSAGEDELETE', 'ONIMCONNECTORDIALOGSTART',
  'ONIMCONNECTORDIALOGFINISH', 'ONIMCONNECTORSTATUSDELETE', 'ONIMCONNECTORLINEDELETE'];

/** Events an app may bind with event.bind, by scope. */
export const BINDABLE_EVENTS: Record<string, string[]> = {
  basic: ['ONAPPINSTALL', 'ONAPPUNINSTALL', 'ONAPPUPDATE', 'ONAPPTEST', 'ONOFFLINEEVENT'],
  imbot: ['ONIMBOTMESSAGEADD', 'ONIMBOTMESSAGEUPDATE', 'ONIMBOTMESSAGEDELETE', 'ONIMBOTJOINCHAT', 'ONIMBOTDELETE', 'ONIMCOMMANDADD'],
  imconnector: CONNECTOR_EVENTS,
  imopenlines: [...CONNECTOR_EVENTS, 'ONSESSIONSTART', 'ONSESSIONFINISH', 'ONOPENLINEMESSAGEADD', 'ONOPENLINEMESSAGEUPDATE', 'ONOPENLINEMESSAGEDELETE'],
};

/** The events a caller with these scopes may bind (`basic` ones always). */
export function bindableEvents(scopes: string[]): string[] {
  return [...new Set(Object.entries(BINDABLE_EVENTS).filter(([s]) => s === 'basic' || scopes.includes(s)).flatMap(([, e]) => e))];
}

/** A bound handler row. */
export interface EventBinding {
  event: string;
  handler: string;
  auth_type: number;
  /** 1: offline (handler ''). */
  offline: number;
}

/** How a binding is made: online to a URL, or offline ('' URL) under a source key; ONOFFLINEEVENT's minTimeout. */
export interface BindOptions { offline: boolean; authConnector: string; minTimeout: number }

/**
 * Bind `handler` to `event` for the app (an offline binding has no URL); ERROR_HANDLER_ALREADY_EXIST
 * when that very binding exists.
 */
export async function bindEvent(db: Db, appId: number, event: string, handler: string, authType: number, opts: BindOptions = { offline: false, authConnector: '', minTimeout: 1 }): Promise<void> {
  let dup = db.selectFrom('event_handlers').select('id').where('app_id', '=', appId).where('event', '=', event).where('handler', '=', handler)
    .where('offline', '=', opts.offline ? 1 : 0);
  if (opts.offline) dup = dup.where('auth_connector', '=', opts.authConnector);
  if (await dup.executeTakeFirst()) fail('ERROR_HANDLER_ALREADY_EXIST');
  await db.insertInto('event_handlers').values({
    app_id: appId, event, handler, auth_type: authType, created_at: Date.now(),
    offline: opts.offline ? 1 : 0, auth_connector: opts.authConnector, min_timeout: opts.minTimeout,
  }).execute();
}

/**
 * Unbind the app's handlers of `event` (only `handler` when given), its online ones or, with
 * `offline`, its offline ones; how many were removed.
 */
export async function unbindEvent(db: Db, appId: number, event: string, handler: string, offline = false): Promise<number> {
  let q = db.deleteFrom('event_handlers').where('app_id', '=', appId).where('event', '=', event).where('offline', '=', offline ? 1 : 0);
  if (handler && !offline) q = q.where('handler', '=', handler);
  const res = await q.executeTakeFirst();
  return Number(res.numDeletedRows);
}

/** The app's handlers, in the order they were bound. */
export async function listEventBindings(db: Db, appId: number): Promise<EventBinding[]> {
  return db.selectFrom('event_handlers').select(['event', 'handler', 'auth_type', 'offline']).where('app_id', '=', appId).orderBy('id').execute();
}
