/**
 * Connectors as their apps manage them (imconnector.register / unregister / activate /
 * connector.data.set / status / list): a connector belongs to the app that registered it and only
 * that app changes it or writes through it; switching it off on a line tells the app
 * (ONIMCONNECTORSTATUSDELETE), deleting a line tells the apps whose connectors were on it
 * (ONIMCONNECTORLINEDELETE), and uninstalling an app removes its connectors.
 */
import type { Db } from '../../store/db.ts';
import { connectorOnLine, findConnector, type Connector } from './connectors.ts';
import { tellConnectorApp } from './connector-events.ts';
import { lineDeleteData, statusDeleteData } from '../../events/connector-events.ts';

/** What imconnector.register gives, read and checked. */
export interface ConnectorInput {
  id: string;
  name: string;
  icon: Record<string, unknown>;
  iconDisabled: Record<string, unknown>;
  placementHandler: string;
  /** The boolean options given (DEL_EXTERNAL_MESSAGES, …, CHAT_GROUP); the others keep their defaults. */
  options: Record<string, boolean>;
}

/**
 * Register a connector for the app, or update it when the app registered that id before. Answers
 * false when the id is another app's connector (that one is left as it is).
 */
export async function registerConnector(db: Db, appId: number, input: ConnectorInput): Promise<boolean> {
  const found = await findConnector(db, input.id);
  if (found && found.app_id !== appId) return false;
  const row = {
    name: input.name, icon: JSON.stringify(input.icon), icon_disabled: JSON.stringify(input.iconDisabled),
    placement_handler: input.placementHandler, options: JSON.stringify(input.options),
  };
  if (found) await db.updateTable('ol_connectors').set(row).where('id', '=', input.id).execute();
  else await db.insertInto('ol_connectors').values({ id: input.id, app_id: appId, ...row, created_at: Date.now() }).execute();
  return true;
}

/** The app's own connector by id; another app's or an unknown one is undefined alike. */
export async function ownConnector(db: Db, appId: number, id: string): Promise<Connector | undefined> {
  const found = await findConnector(db, id);
  return found && found.app_id === appId ? found : undefined;
}

/** Remove the app's connector and its lines; false when the app has no connector of that id. */
export async function unregisterConnector(db: Db, appId: number, id: string): Promise<boolean> {
  const own = await ownConnector(db, appId, id);
  if (!own) return false;
  await db.deleteFrom('ol_connector_lines').where('connector', '=', id).execute();
  await db.deleteFrom('ol_connectors').where('id', '=', id).execute();
  return true;
}

/** An uninstalled app's connectors go, with their lines (its customers' chats stay as history). */
export async function removeAppConnectors(db: Db, appId: number): Promise<void> {
  const ids = (await db.selectFrom('ol_connectors').select('id').where('app_id', '=', appId).execute()).map((r) => r.id);
  if (!ids.length) return;
  await db.deleteFrom('ol_connector_lines').where('connector', 'in', ids).execute();
  await db.deleteFrom('ol_connectors').where('id', 'in', ids).execute();
}

/**
 * The connectors a portal has, code → name: the built-in ones (none yet; the website live chat will
 * be `livechat`) and those apps registered.
 */
export async function connectorNames(db: Db): Promise<Map<string, string>> {
  const rows = await db.selectFrom('ol_connectors').select(['id', 'name']).orderBy('created_at').orderBy('id').execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/**
 * Switch the connector on or off on a line. Switching off a connector that was on tells its app
 * (ONIMCONNECTORSTATUSDELETE, Parley's reading of "the connector was disabled on the line").
 */
export async function activateConnector(db: Db, connector: Connector, lineId: number, active: boolean): Promise<void> {
  const was = await connectorOnLine(db, connector.id, lineId);
  if (was) await db.updateTable('ol_connector_lines').set({ active: active ? 1 : 0 }).where('connector', '=', connector.id).where('line_id', '=', lineId).execute();
  else await db.insertInto('ol_connector_lines').values({ connector: connector.id, line_id: lineId, active: active ? 1 : 0, data: '', configured: 0, error: 0, created_at: Date.now() }).execute();
  if (was?.active && !active) await tellConnectorApp(db, connector, 'ONIMCONNECTORSTATUSDELETE', `connector:${connector.id}`, statusDeleteData(connector.id, lineId));
}

/** The channel's data on a line (connector.data.set, written as a whole); it marks the connector configured there. */
export async function setConnectorData(db: Db, connector: Connector, lineId: number, data: Record<string, string>): Promise<void> {
  const json = JSON.stringify(data);
  const was = await connectorOnLine(db, connector.id, lineId);
  if (was) await db.updateTable('ol_connector_lines').set({ data: json, configured: 1 }).where('connector', '=', connector.id).where('line_id', '=', lineId).execute();
  else await db.insertInto('ol_connector_lines').values({ connector: connector.id, line_id: lineId, active: 0, data: json, configured: 1, error: 0, created_at: Date.now() }).execute();
}

/** A connector's state on a line: switched on, configured (connector.data.set), in error; all false when never set up there. */
export async function connectorStatus(db: Db, connector: string, lineId: number): Promise<{ active: boolean; configured: boolean; error: boolean }> {
  const row = lineId ? await connectorOnLine(db, connector, lineId) : undefined;
  return { active: !!row?.active, configured: !!row?.configured, error: !!row?.error };
}

/** A line is being deleted: each app with a connector on it hears of it (ONIMCONNECTORLINEDELETE), and the connector leaves the line. */
export async function lineGoneForConnectors(db: Db, lineId: number): Promise<void> {
  const rows = await db.selectFrom('ol_connector_lines').select('connector').where('line_id', '=', lineId).execute();
  const told = new Set<number>();
  for (const r of rows) {
    const connector = await findConnector(db, r.connector);
    if (!connector || told.has(connector.app_id)) continue;
    told.add(connector.app_id);
    await tellConnectorApp(db, connector, 'ONIMCONNECTORLINEDELETE', `connector:${connector.id}`, lineDeleteData(lineId));
  }
  await db.deleteFrom('ol_connector_lines').where('line_id', '=', lineId).execute();
}
