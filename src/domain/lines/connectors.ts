/**
 * Connectors (imconnector.*): the channels customers write from, registered by apps and switched on
 * per line, the customers they bring (a portal user and a line chat each) and the connector's own
 * ids of line messages. The methods that manage connectors build on these rows.
 */
import type { Generated, Selectable } from 'kysely';
import type { Db } from '../../store/db.ts';

declare module '../../store/schema.ts' {
  interface Database {
    ol_connectors: OlConnectorsTable;
    ol_connector_lines: OlConnectorLinesTable;
    ol_customers: OlCustomersTable;
    ol_message_links: OlMessageLinksTable;
  }
}

export interface OlConnectorsTable {
  /** The connector's code (imconnector.register ID, lower case). */
  id: string;
  app_id: number;
  name: string;
  /** JSON of ICON / ICON_DISABLED as given. */
  icon: string;
  icon_disabled: string;
  placement_handler: string;
  /** JSON of the flags (DEL_EXTERNAL_MESSAGES, …, CHAT_GROUP). */
  options: string;
  created_at: number;
}

export interface OlConnectorLinesTable {
  connector: string;
  line_id: number;
  active: number;
  /** JSON of connector.data.set's DATA (ID, URL, URL_IM, NAME); '' until set. */
  data: string;
  /** 1 once connector.data.set was called (CONFIGURED). */
  configured: number;
  error: number;
  created_at: number;
}

export interface OlCustomersTable {
  id: Generated<number>;
  connector: string;
  line_id: number;
  ext_chat_id: string;
  ext_user_id: string;
  /** What one line chat is per: `user:<ext user id>`, or `chat:<ext chat id>` for a CHAT_GROUP connector. */
  group_key: string;
  ext_chat_name: string;
  ext_chat_url: string;
  /** The portal user standing for the customer (external_auth_id = imconnector). */
  user_id: number;
  chat_id: number;
  created_at: number;
}

export interface OlMessageLinksTable {
  message_id: number;
  chat_id: number;
  connector: string;
  /** JSON list of the message's ids on the connector's side (connectorMid). */
  ext_ids: string;
  /** 1: the customer wrote it; 0: it went out to the customer. */
  incoming: number;
  /** 1 once the connector confirmed delivery (send.status.delivery). */
  delivered: number;
  created_at: number;
}

export type Connector = Selectable<OlConnectorsTable>;
export type ConnectorLine = Selectable<OlConnectorLinesTable>;
export type Customer = Selectable<OlCustomersTable>;

export async function findConnector(db: Db, id: string): Promise<Connector | undefined> {
  return db.selectFrom('ol_connectors').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function connectorOnLine(db: Db, connector: string, lineId: number): Promise<ConnectorLine | undefined> {
  return db.selectFrom('ol_connector_lines').selectAll().where('connector', '=', connector).where('line_id', '=', lineId).executeTakeFirst();
}

/** A connector option (register's boolean flags); `fallback` when not given. */
export function connectorOption(c: Connector, name: string, fallback: boolean): boolean {
  const v = (JSON.parse(c.options || '{}') as Record<string, unknown>)[name];
  return v === undefined ? fallback : v === true || v === 'Y' || v === 'true' || v === 1 || v === '1';
}

export async function customerOfChat(db: Db, chatId: number): Promise<Customer | undefined> {
  return db.selectFrom('ol_customers').selectAll().where('chat_id', '=', chatId).executeTakeFirst();
}

export async function findCustomer(db: Db, connector: string, lineId: number, groupKey: string): Promise<Customer | undefined> {
  return db.selectFrom('ol_customers').selectAll().where('connector', '=', connector).where('line_id', '=', lineId).where('group_key', '=', groupKey).executeTakeFirst();
}

/** Record a line message's ids on the connector's side. */
export async function linkMessage(db: Db, link: { messageId: number; chatId: number; connector: string; extIds: string[]; incoming: boolean }): Promise<void> {
  await db.insertInto('ol_message_links').values({
    message_id: link.messageId, chat_id: link.chatId, connector: link.connector, ext_ids: JSON.stringify(link.extIds),
    incoming: link.incoming ? 1 : 0, delivered: link.incoming ? 1 : 0, created_at: Date.now(),
  }).onConflict((oc) => oc.column('message_id').doNothing()).execute();
}
