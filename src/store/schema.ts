/**
 * Row types of every table, as Kysely sees them. Times are Unix milliseconds; flags are 0/1 so
 * that one schema serves SQLite and PostgreSQL alike.
 */
import type { Generated } from 'kysely';

export interface SettingsTable { key: string; value: string }

export interface DepartmentsTable {
  id: Generated<number>;
  name: string;
  parent_id: number | null;
  head_user_id: number | null;
}

export interface UsersTable {
  id: Generated<number>;
  login: string | null;
  password_hash: string | null;
  name: string;
  last_name: string;
  email: string;
  work_position: string;
  gender: string;
  color: string;
  avatar: string;
  personal_www: string;
  birthday: string;
  /** JSON array of department ids. */
  departments: string;
  is_admin: number;
  is_bot: number;
  active: number;
  created_at: number;
  /** '' for a person of the portal; `imconnector` for an open-line customer (docs/OPEN-LINES.md), who never signs in. */
  external_auth_id: Generated<string>;
}

export interface AppsTable {
  id: Generated<number>;
  code: string;
  name: string;
  client_id: string;
  client_secret: string;
  application_token: string;
  /** Where ONAPPINSTALL is POSTed ("initial installation path" of a local server app). */
  handler_url: string;
  /** Comma-separated scopes. */
  scope: string;
  version: number;
  installed: number;
  /** The admin who installed it: its tokens belong to this user. */
  install_user_id: number;
  created_at: number;
}

/** Token pairs; both tokens are stored as SHA-256 hex (src/auth/secret-hash.ts, migration 0014). */
export interface TokensTable {
  access_hash: string;
  refresh_hash: string;
  app_id: number;
  user_id: number;
  scope: string;
  expires_at: number;
  refresh_expires_at: number;
  created_at: number;
}

/** Authorization codes, stored as SHA-256 hex. */
export interface OAuthCodesTable { code_hash: string; app_id: number; user_id: number; expires_at: number }

export interface WebhooksTable {
  id: Generated<number>;
  user_id: number;
  /** SHA-256 hex of the code in the webhook URL. */
  code_hash: string;
  /** The code's first characters, to tell webhooks apart in listings (the rest is never stored). */
  code_hint: Generated<string>;
  scope: string;
  title: string;
  created_at: number;
}

/** Browser sessions; the cookie's value is stored as SHA-256 hex. */
export interface SessionsTable { id_hash: string; user_id: number; expires_at: number }

export interface EventHandlersTable {
  id: Generated<number>;
  app_id: number;
  event: string;
  handler: string;
  auth_type: number;
  created_at: number;
}

export interface BotsTable {
  /** Equal to the bot's user id. */
  id: number;
  app_id: number;
  code: string;
  type: string;
  openline: number;
  /** Value of CLIENT_ID for bots registered through a webhook. */
  client_id: string;
  h_message_add: string;
  h_message_update: string;
  h_message_delete: string;
  h_welcome: string;
  h_bot_delete: string;
  created_at: number;
}

export interface ChatsTable {
  id: Generated<number>;
  /** P private, C group, O open. */
  type: string;
  /** "lo:hi" user ids for private dialogs; null otherwise. Unique. */
  private_key: string | null;
  title: string;
  description: string;
  color: string;
  avatar: string;
  owner_id: number;
  entity_type: string;
  entity_id: string;
  entity_data_1: string;
  entity_data_2: string;
  entity_data_3: string;
  last_message_id: number;
  created_at: number;
  /** 0: a bot turned the composer off for this dialog (imbot.v2.Chat.TextField.enabled, migration 0028). */
  text_field_enabled: Generated<number>;
}

export interface ChatMembersTable {
  chat_id: number;
  user_id: number;
  last_read_id: number;
  joined_at: number;
  /** 1: a chat administrator (imbot.chat.setManager); the owner is one implicitly. */
  manager: Generated<number>;
  /** First message id this member may read (HIDE_HISTORY); 0 = the whole history. */
  start_id: Generated<number>;
  /** 1: notifications muted (im.chat.mute). */
  muted: Generated<number>;
  /** 1: pinned in the recent list (im.recent.pin). */
  pinned: Generated<number>;
  /** Hidden from the recent list (im.recent.hide): the newest message id when hidden, 0 when shown; a newer message shows it again. */
  hidden: Generated<number>;
  /** 1: marked unread by hand (im.recent.unread / im.dialog.unread). */
  marked_unread: Generated<number>;
}

/**
 * A message. What Bitrix24 shows in a message's PARAMS is kept in typed columns (and its likes and
 * files in message_likes and message_files); src/wire/message.ts builds PARAMS from them. ATTACH,
 * KEYBOARD and MENU are structures Bitrix24 defines: each is JSON in a column of its own, as stored
 * after normalizing (src/format/attach.ts, keyboard.ts). Migration 0017 moved them out of one blob.
 */
export interface MessagesTable {
  id: Generated<number>;
  chat_id: number;
  author_id: number;
  text: string;
  system: number;
  /** 1: deleted, shown as IS_DELETED (text and rich parts are gone). */
  deleted: number;
  created_at: number;
  updated_at: number;
  /** JSON list of the attach objects the author gave (ATTACH without the link preview); null when none. */
  attach: string | null;
  /** JSON list of keyboard buttons; null when none. */
  keyboard: string | null;
  /** JSON list of context-menu items; null when none. */
  menu: string | null;
  /** 0: the author asked for no link preview (URL_PREVIEW=N). */
  url_preview: Generated<number>;
  /** The message this one answers (REPLY_ID); 0 when none. */
  reply_id: Generated<number>;
  /** 1: edited (IS_EDITED). */
  edited: Generated<number>;
  /** 1: a BLOCK=Y button was pressed; the bot's next KEYBOARD lifts it (KEYBOARD_BLOCKED). */
  keyboard_blocked: Generated<number>;
  /** The link preview's id (URL_ID; the message's own id, there is no URL table); 0 when none. */
  url_id: Generated<number>;
  /** 1: the text is the previewed link alone (URL_ONLY). */
  url_only: Generated<number>;
  /** JSON of the preview's attach object (a RICH_LINK block), shown after the author's ATTACH; null when none. */
  url_attach: string | null;
  /** What a system line reports (domain/system-lines.ts), '' for any other message or an older line (migration 0031). */
  system_code: Generated<string>;
  /** JSON of the facts of that report (who, which title), null when there is no code. */
  system_params: string | null;
  /** JSON of where a forwarded copy came from (wire/message.ts ForwardInfo); null for an original. Migration 0032. */
  forward: Generated<string | null>;
  /** The sender's dedup key (imbot.v2 templateId); '' when none. Migration 0032. */
  uuid: Generated<string>;
}

/** One like of a message: a row per (message, user). */
export interface MessageLikesTable {
  message_id: number;
  user_id: number;
  /** Which reaction (Chatbots 2.0's codes; `like` for a classic like). Migration 0035. */
  reaction: Generated<string>;
  created_at: number;
}

/** The files a message carries (FILE_ID), in the order they were posted. */
export interface MessageFilesTable {
  message_id: number;
  file_id: number;
  position: number;
}

export interface OutboxTable {
  id: Generated<number>;
  app_id: number;
  event: string;
  handler_id: number;
  handler_url: string;
  /** Events with one key are delivered strictly in id order (handler + dialog). */
  order_key: string;
  /** JSON of {event, data, …} with auth markers resolved to fresh tokens at send time. */
  payload: string;
  /** pending | delivered | dead | discarded (events/dead-letters.ts) */
  status: string;
  attempts: number;
  next_attempt_at: number;
  claimed_until: number;
  last_status: number;
  last_error: string;
  last_response: string;
  last_latency_ms: number;
  created_at: number;
  delivered_at: number;
}

export interface CommandsTable {
  id: Generated<number>;
  bot_id: number;
  app_id: number;
  /** The word after the slash, without it. */
  command: string;
  /** 1: usable in every chat; 0: only where the bot is a member. */
  common: number;
  /** 1: not listed for autocomplete (keyboard-only). */
  hidden: number;
  extranet_support: number;
  client_id: string;
  /** Where ONIMCOMMANDADD goes. */
  handler_url: string;
  /** JSON list of {LANGUAGE_ID, TITLE, PARAMS}. */
  lang: string;
  created_at: number;
}

export interface TasksTable {
  id: Generated<number>;
  title: string;
  description: string;
  /** Bitrix24 task status code as a string ('2' pending … '5' completed). */
  status: string;
  /** '0' low, '1' normal, '2' high. */
  priority: string;
  responsible_id: number;
  created_by: number;
  /** Unix ms, 0 when there is no deadline. */
  deadline: number;
  created_at: number;
  changed_at: number;
  closed_at: number;
}

/** The whole database as Kysely sees it. */
export interface Database {
  settings: SettingsTable;
  departments: DepartmentsTable;
  users: UsersTable;
  apps: AppsTable;
  tokens: TokensTable;
  oauth_codes: OAuthCodesTable;
  webhooks: WebhooksTable;
  sessions: SessionsTable;
  event_handlers: EventHandlersTable;
  bots: BotsTable;
  chats: ChatsTable;
  chat_members: ChatMembersTable;
  messages: MessagesTable;
  message_likes: MessageLikesTable;
  message_files: MessageFilesTable;
  outbox: OutboxTable;
  commands: CommandsTable;
  tasks: TasksTable;
}
