/**
 * Reading a message's content from a call: the text cut at Bitrix24's limit, and ATTACH / KEYBOARD /
 * MENU with Bitrix24's emptiness rules. The message codecs (src/api/codecs/messages.ts) are built on these.
 */
import { MESSAGE_MAX_CHARS } from '../wire/limits.ts';
import { normalizeAttach, type AttachStored } from '../format/attach.ts';
import { normalizeKeyboard, normalizeMenu, type Button } from '../format/keyboard.ts';

/**
 * Bitrix24 keeps the first MESSAGE_MAX_CHARS characters of a message's text and marks the cut with
 * " (...)". Characters are code points, as PHP's mb_substr counts them.
 */
export function capMessage(text: string): string {
  if (text.length <= MESSAGE_MAX_CHARS) return text;
  let chars = 0;
  let end = 0;
  for (const ch of text) {
    if (chars === MESSAGE_MAX_CHARS) return `${text.slice(0, end)} (...)`;
    chars++;
    end += ch.length;
  }
  return text;
}

/** The rich parts of a message. */
export type RichKind = 'ATTACH' | 'KEYBOARD' | 'MENU';

/** What each rich part is stored as. */
export interface RichPart { ATTACH: AttachStored; KEYBOARD: Button[]; MENU: Button[] }

const NORMALIZE: { [K in RichKind]: (raw: unknown, owner: number) => RichPart[K] } = {
  ATTACH: (raw) => normalizeAttach(raw), KEYBOARD: normalizeKeyboard, MENU: normalizeMenu,
};

/**
 * Bitrix24 checks `isset` / `!empty`: a JSON null is absent, and an empty part ('', '0', [], {}) is
 * skipped on a new message (SDKs send empty optional fields).
 */
export function emptyPart(raw: unknown): boolean {
  return raw === '' || raw === '0' || raw === 0 || raw === false || (typeof raw === 'object' && raw !== null && Object.keys(raw).length === 0);
}

/**
 * One rich part as stored: undefined when absent (or empty on a new message), null when an edit
 * removes it (an empty value or 'N'). `owner` is the bot its buttons address (KEYBOARD, MENU).
 */
export function readPart<K extends RichKind>(kind: K, raw: unknown, edit: boolean, owner: number): RichPart[K] | null | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (edit && (emptyPart(raw) || raw === 'N')) return null;
  if (emptyPart(raw)) return undefined;
  return NORMALIZE[kind](raw, owner);
}
