/**
 * Reading a message's content from a call: the text cut at Bitrix24's limit, and ATTACH / KEYBOARD /
 * MENU with Bitrix24's emptiness rules. The message codecs (src/api/codecs/messages.ts) are built on these;
 * `readNewMessage`, `afterPost` and `dialogParam` serve the methods not yet declaring codecs.
 */
import { fail } from '../errors.ts';
import { MESSAGE_MAX_CHARS } from '../wire/limits.ts';
import { flag, int, pick, str, type Params } from '../rest/params.ts';
import { normalizeAttach, type AttachStored } from '../format/attach.ts';
import { normalizeKeyboard, normalizeMenu, type Button } from '../format/keyboard.ts';
import type { Portal } from '../portal.ts';
import type { NewMessage } from '../domain/messages.ts';
import { previewLink } from '../domain/link-preview.ts';

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

/**
 * A new message read from parameters, for imbot.command.answer until it declares the message codecs
 * (it reads the same parts with the same readers); MESSAGE_EMPTY when there is neither text nor ATTACH.
 */
export function readNewMessage(p: Params, botId = int(p, 'BOT_ID')): NewMessage {
  const parts = { ATTACH: readPart('ATTACH', pick(p, 'ATTACH'), false, botId), KEYBOARD: readPart('KEYBOARD', pick(p, 'KEYBOARD'), false, botId), MENU: readPart('MENU', pick(p, 'MENU'), false, botId) };
  const text = capMessage(str(p, 'MESSAGE').trim());
  if (!text && !parts.ATTACH) fail('MESSAGE_EMPTY');
  return { text, attach: parts.ATTACH ?? undefined, keyboard: parts.KEYBOARD ?? undefined, menu: parts.MENU ?? undefined, urlPreview: flag(p, 'URL_PREVIEW', true), system: flag(p, 'SYSTEM') };
}

/** After a message read by readNewMessage is committed: its link preview (src/domain/link-preview.ts). */
export function afterPost(portal: Portal, messageId: number, input: NewMessage): void {
  previewLink(portal, messageId, input.text, input.urlPreview !== false);
}
