/**
 * A message's PARAMS as Bitrix24 shows them (im.dialog.messages.get `params`, the recent list's
 * `file` / `attach`, ATTACH of ONIMBOTMESSAGEADD), built from the typed columns the store keeps
 * (src/store/schema.ts, MessagesTable) and the message's likes and files. The one mapper of a
 * message's state to the wire: REST answers and event payloads both use it.
 */
import { isOnlyEmoji } from './only-emoji.ts';

/** What PARAMS are built from: a message row's columns, its likes and its files. */
export interface MessageState {
  /** The text (LARGE_FONT is read from it); absent where only state is shown. */
  text?: string;
  deleted: number;
  attach: string | null;
  keyboard: string | null;
  menu: string | null;
  url_preview: number;
  reply_id: number;
  edited: number;
  keyboard_blocked: number;
  url_id: number;
  url_only: number;
  url_attach: string | null;
  /** Who liked it, in the order they did. */
  liked_by: number[];
  /** Its files (FILE_ID), in the order they were posted. */
  file_ids: number[];
  /** A system line's kind and facts (domain/system-lines.ts); '' and null for every other message. */
  system_code?: string;
  system_params?: string | null;
  /** Where a forwarded copy came from (JSON of ForwardInfo); null or absent for an original. */
  forward?: string | null;
}

/**
 * Where a forwarded message came from: the original's id, author, chat and date; the chat's title
 * then, only when it was an open chat ('' otherwise: a closed chat's title is not told to the
 * forward's readers, as Bitrix24 gives FORWARD_CHAT_TITLE for open channels only); and Bitrix24's
 * context id of the original (absent in copies made before it was kept).
 */
export interface ForwardInfo { id: number; userId: number; chatId: number; chatTitle: string; date: number; contextId?: string }

/** A message's forward origin, when it is a forwarded copy. */
export const forwardOf = (m: { forward?: string | null }): ForwardInfo | null => (m.forward ? (JSON.parse(m.forward) as ForwardInfo) : null);

/**
 * FORWARD_CONTEXT_ID, Bitrix24's context id of the original: `<dialog>/<messageId>`, the dialog being
 * `chat<id>` for a group chat and `<companion>:<forwarder>` (user ids) for a private one.
 */
export const forwardContextId = (f: ForwardInfo) => f.contextId ?? `chat${f.chatId}/${f.id}`;

const parsed = (v: string | null): unknown[] | undefined => (v === null ? undefined : (JSON.parse(v) as unknown[]));

/** ATTACH as the wire shows it: the author's attach objects, then the link preview's; undefined when none. */
export function wireAttach(m: Pick<MessageState, 'attach' | 'url_attach'>): unknown[] | undefined {
  const own = parsed(m.attach) ?? [];
  const all = m.url_attach === null ? own : [...own, JSON.parse(m.url_attach) as unknown];
  return all.length ? all : undefined;
}

/**
 * PARAMS of a message, each key only when it has a value, in one fixed order (the documented example's
 * URL_ID, URL_ONLY, ATTACH first; state such as IS_EDITED and LIKE after the content).
 */
export function wireParams(m: MessageState): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (m.file_ids.length) out.FILE_ID = m.file_ids;
  if (m.url_id) out.URL_ID = [m.url_id];
  if (m.url_only) out.URL_ONLY = 'Y';
  const attach = wireAttach(m);
  if (attach) out.ATTACH = attach;
  if (m.keyboard !== null) out.KEYBOARD = parsed(m.keyboard);
  if (m.menu !== null) out.MENU = parsed(m.menu);
  if (!m.url_preview) out.URL_PREVIEW = 'N';
  if (m.reply_id) out.REPLY_ID = m.reply_id;
  if (m.edited) out.IS_EDITED = 'Y';
  if (m.keyboard_blocked) out.KEYBOARD_BLOCKED = 'Y';
  if (m.deleted) out.IS_DELETED = 'Y';
  if (m.liked_by.length) out.LIKE = m.liked_by;
  if (!m.deleted && m.text !== undefined && isOnlyEmoji(m.text)) out.LARGE_FONT = 'Y';
  // A system line's kind, so a client can word it in its reader's language; its text stays as stored.
  if (m.system_code) {
    out.COMPONENT_ID = m.system_code;
    out.COMPONENT_PARAMS = JSON.parse(m.system_params ?? '{}');
  }
  const forward = forwardOf(m);
  if (forward) {
    out.FORWARD_ID = forward.id;
    out.FORWARD_CONTEXT_ID = forwardContextId(forward);
    out.FORWARD_USER_ID = forward.userId;
    if (forward.chatTitle) out.FORWARD_CHAT_TITLE = forward.chatTitle;
  }
  return out;
}
