/** The wire shapes the UI reads, as the Chat API documents them (only the fields used here). */

/** A user of im.user.get, im.dialog.messages.get `users` and recent items. */
export interface WireUser {
  id: number; name: string; first_name?: string; last_name?: string; color: string; avatar: string;
  work_position?: string; bot: boolean; status?: string; type?: string;
  /** An open-line customer (a connector user from outside the company). */
  connector?: boolean;
}

/** A message of im.dialog.messages.get. */
export interface WireMessage {
  id: number; chat_id: number; author_id: number; date: string; text: string; system: boolean;
  params: Record<string, unknown> | unknown[]; unread?: boolean;
}

/** A file of im.dialog.messages.get `files`. */
export interface WireFile { id: number; name: string; size?: number; type?: string; urlDownload?: string; urlShow?: string; urlPreview?: string }

/** An item of im.recent.get. */
export interface RecentItem {
  id: number | string; chat_id: number; type: string; title: string;
  avatar: { url: string; color: string };
  message: { id: number; text: string; author_id: number; date: string; attach?: unknown; file?: unknown } | null;
  counter: number; pinned: boolean; unread: boolean;
  chat?: { id: number; type: string; dialog_id?: string; user_counter?: number; owner?: number; entity_type?: string; entity_id?: string; entity_data_1?: string };
  user?: WireUser | { id: 0 };
  /** An open-line chat's session (im.recent.* with open lines): its id, status code and start. */
  lines?: { id: number; status: number; date_create: string };
}

/** The chat of im.dialog.get. */
export interface WireChat {
  id: number; title: string; name?: string; type: string; color: string; avatar: string; user_counter: number;
  dialog_id?: string; owner: number;
  /** false: a bot turned the composer off in this dialog (imbot.v2.Chat.TextField.enabled). */
  text_field_enabled?: boolean;
  /** A Chatbots 2.0 bot's backgroundId in its private dialog (styled in style.css), else null. */
  background_id?: string | null;
  /** `LINES` for an open-line chat; its USER_CODE (`connector|line|chat|user`) and session data (6th field: the session id). */
  entity_type?: string; entity_id?: string; entity_data_1?: string;
}

/** An entry of im.command.list (a Parley addition). */
export interface BotCommand { id: number; bot_id: number; command: string; title: string; params: string; common: boolean }

/** A stored value as text (strings and numbers; anything else is empty): ATTACH, KEYBOARD, MENU fields. */
export const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** The objects of a stored list (ATTACH, KEYBOARD, MENU), skipping anything else it holds. */
export const objectsOf = (v: unknown): Record<string, unknown>[] =>
  (Array.isArray(v) ? v.filter((x): x is Record<string, unknown> => !!x && typeof x === 'object') : []);

/** A message's params as an object, whatever PHP-style empty array the wire used. */
export function paramsOf(m: { params: WireMessage['params'] }): Record<string, unknown> {
  return m.params && !Array.isArray(m.params) && typeof m.params === 'object' ? m.params : {};
}
