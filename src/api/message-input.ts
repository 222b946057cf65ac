/**
 * Reading a message's content from a call, shared by imbot.message.* and im.message.*: text,
 * ATTACH / KEYBOARD / MENU, SYSTEM and URL_PREVIEW, with the documented errors; and the rich link a
 * URL in the text gets once the message is committed.
 */
import { fail } from '../errors.ts';
import { MESSAGE_MAX_CHARS } from '../wire/limits.ts';
import { flag, int, pick, str, type Params } from '../rest/params.ts';
import { normalizeAttach } from '../format/attach.ts';
import { normalizeKeyboard, normalizeMenu } from '../format/keyboard.ts';
import { buildRichLink, firstUrl, isLinkOnly } from '../format/url-preview.ts';
import { parseDialogId, type DialogRef, type Message, type MessageParams, type User } from '../domain/types.ts';
import type { ErrorCode } from '../errors.ts';
import type { Portal } from '../portal.ts';
import { deleteMessage, editMessage, findMessage } from '../domain/messages.ts';
import { runAction } from '../domain/action.ts';

/** A message body read from parameters. */
export interface MessageInput {
  text: string;
  params: MessageParams;
  system: boolean;
}

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

type Kind = 'ATTACH' | 'KEYBOARD' | 'MENU';
const NORMALIZE: Record<Kind, (raw: unknown, botId: number) => unknown> = {
  ATTACH: (raw) => normalizeAttach(raw), KEYBOARD: normalizeKeyboard, MENU: normalizeMenu,
};

/**
 * One rich part in its stored form: undefined when absent, null when an edit clears it. Bitrix24
 * checks `isset` / `!empty` first: a JSON null is absent, and an empty part ('', '0', [], {}) is
 * skipped on a new message (SDKs send empty optional fields) and clears the part on an edit, as 'N' does.
 */
function richPart(kind: Kind, raw: unknown, clearable: boolean, botId: number): unknown {
  if (raw === undefined || raw === null) return undefined;
  const empty = raw === '' || raw === '0' || raw === 0 || raw === false || (typeof raw === 'object' && Object.keys(raw).length === 0);
  if (clearable && (empty || raw === 'N')) return null;
  if (empty) return undefined;
  return NORMALIZE[kind](raw, botId);
}

/**
 * Read a new message; MESSAGE_EMPTY when there is neither text nor an attachment. `botId` is the bot
 * writing it (its keyboard and menu buttons are addressed to it); otherwise the BOT_ID parameter.
 */
export function readNewMessage(p: Params, botId = int(p, 'BOT_ID')): MessageInput {
  const text = capMessage(str(p, 'MESSAGE').trim());
  const params: MessageParams = {};
  for (const kind of ['ATTACH', 'KEYBOARD', 'MENU'] as const) {
    const v = richPart(kind, pick(p, kind), false, botId);
    if (v) params[kind] = v;
  }
  if (!text && !params.ATTACH) fail('MESSAGE_EMPTY');
  if (!flag(p, 'URL_PREVIEW', true)) params.URL_PREVIEW = 'N';
  return { text, params, system: flag(p, 'SYSTEM') };
}

/** Read an edit: text undefined when MESSAGE was not sent; rich parts null when cleared. */
export function readEdit(p: Params, botId = int(p, 'BOT_ID')): { text: string | undefined; params: MessageParams } {
  const raw = pick(p, 'MESSAGE');
  const text = raw === undefined ? undefined : capMessage(str(p, 'MESSAGE').trim());
  const params: MessageParams = {};
  for (const kind of ['ATTACH', 'KEYBOARD', 'MENU'] as const) {
    const v = richPart(kind, pick(p, kind), true, botId);
    if (v !== undefined) params[kind] = v;
  }
  return { text, params };
}

/**
 * Apply an edit read from parameters; an empty MESSAGE with nothing else deletes the message (as
 * documented). `markAttach`: an ATTACH change marks the message edited (im.message.update's IS_EDITED).
 */
export async function applyEdit(portal: Portal, message: Message, actor: User, p: Params, markAttach = false): Promise<void> {
  const edit = readEdit(p, actor.is_bot ? actor.id : undefined);
  const retext = !!edit.text && edit.text !== message.text;
  await runAction(portal, async (trx) => {
    if (edit.text === '' && !Object.values(edit.params).some(Boolean)) return deleteMessage(trx, message, actor, false);
    if (markAttach && edit.params.ATTACH !== undefined) edit.params.IS_EDITED = 'Y';
    await editMessage(trx, message, actor, edit.text || undefined, retext ? withoutPreview(message, edit.params) : edit.params);
  });
  if (retext) afterPost(portal, message.id, { text: edit.text!, params: flag(p, 'URL_PREVIEW', true) ? {} : { URL_PREVIEW: 'N' } });
}

// A new text drops the rich link of the old one (URL_ID, URL_ONLY and its attach), unless the edit sets ATTACH itself.
function withoutPreview(message: Message, params: MessageParams): MessageParams {
  const old = JSON.parse(message.params) as MessageParams;
  if (!Array.isArray(old.URL_ID)) return params;
  const ids = new Set(old.URL_ID.map(String));
  const out: MessageParams = { ...params, URL_ID: null, URL_ONLY: null };
  if (out.ATTACH === undefined && Array.isArray(old.ATTACH)) {
    const kept = old.ATTACH.filter((a) => !ids.has(String((a as { ID?: unknown }).ID)));
    out.ATTACH = kept.length ? kept : null;
  }
  return out;
}

/**
 * After a message is committed: when URL_PREVIEW is not 'N' and its text has an http(s) URL, fetch
 * the page and add its rich link (URL_ID, URL_ONLY and a transparent RICH_LINK attach, as in the
 * seed's im.dialog.messages.get example). Best effort and not awaited: the REST answer never waits
 * for a remote page, and a failed preview only leaves the message as it was.
 */
export function afterPost(portal: Portal, messageId: number, input: Pick<MessageInput, 'text' | 'params'>): void {
  if (input.params.URL_PREVIEW === 'N') return;
  const url = firstUrl(input.text);
  if (!url) return;
  addPreview(portal, messageId, input.text, url).catch((err) => console.error('[url-preview] failed for message', messageId, err));
}

async function addPreview(portal: Portal, messageId: number, text: string, url: string): Promise<void> {
  const block = await buildRichLink(url, { allowPrivate: portal.config.urlPreviewPrivate });
  if (!block) return;
  await runAction(portal, async (trx) => {
    const m = await findMessage(trx, messageId);
    // Deleted or edited meanwhile: the preview belongs to a text that is gone.
    if (!m || m.deleted || m.text !== text) return;
    const params = JSON.parse(m.params) as MessageParams;
    // There is no URL table: the message id names the URL, as URL_ID names the metadata row in Bitrix24.
    const attach = { ID: String(messageId), BLOCKS: [block], COLOR: 'transparent' };
    const previous = new Set((Array.isArray(params.URL_ID) ? params.URL_ID : []).map(String));
    const others = Array.isArray(params.ATTACH) ? params.ATTACH.filter((a) => !previous.has(String((a as { ID?: unknown }).ID))) : [];
    params.URL_ID = [messageId];
    if (isLinkOnly(text, url)) params.URL_ONLY = 'Y';
    params.ATTACH = [...others, attach];
    await trx.updateTable('messages').set({ params: JSON.stringify(params) }).where('id', '=', messageId).execute();
  });
}

/** DIALOG_ID read and parsed; `code` when it is missing or malformed (DIALOG_ID_EMPTY unless a method documents another). */
export function dialogParam(p: Params, code: ErrorCode = 'DIALOG_ID_EMPTY'): DialogRef {
  const raw = str(p, 'DIALOG_ID').trim();
  if (!raw) fail(code);
  const ref = parseDialogId(raw);
  if (!ref) fail(code, 'Dialog ID has a wrong format');
  return ref;
}
