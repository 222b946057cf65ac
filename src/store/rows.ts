/**
 * Row types as read from the store. Every layer passes them around (the domain, the transport's
 * caller identity, sign-in), so they live here, below all of them, rather than in one of them.
 */
import type { Selectable } from 'kysely';
import type { AppsTable, BotsTable, ChatsTable, CommandsTable, MessagesTable, UsersTable, WebhooksTable } from './schema.ts';

/** A user row. */
export type User = Selectable<UsersTable>;
/** An app row. */
export type App = Selectable<AppsTable>;
/** An incoming webhook row. */
export type Webhook = Selectable<WebhooksTable>;
/** A chat row. */
export type Chat = Selectable<ChatsTable>;
/** A message row. */
export type Message = Selectable<MessagesTable>;
/** A bot row (its id is its user id). */
export type Bot = Selectable<BotsTable>;
/** A bot command row. */
export type Command = Selectable<CommandsTable>;
