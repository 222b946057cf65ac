/**
 * The dialog parameters: DIALOG_ID, CHAT_ID (or either), USERS, and a dialog opened for the caller.
 * Each reads the wire spelling once and fails with the documented code; generic codecs: src/rest/schema.ts.
 */
import { fail, RestError, type ErrorCode } from '../../errors.ts';
import { has, int, pick, str } from '../../rest/params.ts';
import { Codec } from '../../rest/schema.ts';
import type { CallContext } from '../../rest/registry.ts';
import { parseJsonInput } from '../../wire/json-input.ts';
import { parseDialogId, type Chat, type DialogRef } from '../../domain/types.ts';
import { existingDialog, openDialog } from '../../domain/chats.ts';
import { runAction } from '../../domain/action.ts';

/**
 * DIALOG_ID (`12` or `chat12`) as a reference; `code` when missing or malformed. `emptyChat`: the
 * code for `chat` / `chat0`, where a method names it after the dialog kind (im.message.add);
 * `badChat`: the code for every `chat…` that names no chat (`chatx`, `chat0`: im.dialog.writing).
 */
export function dialogId(code: ErrorCode = 'DIALOG_ID_EMPTY', emptyChat?: ErrorCode, badChat?: ErrorCode): Codec<DialogRef> {
  return new Codec<DialogRef>('DIALOG_ID', (p, name) => {
    const raw = str(p, name).trim();
    if (emptyChat && /^chat0*$/i.test(raw)) fail(emptyChat);
    if (badChat && /^chat/i.test(raw) && !/^chat0*[1-9]\d*$/i.test(raw)) fail(badChat);
    if (!raw) fail(code);
    const ref = parseDialogId(raw);
    if (!ref) fail(code, 'Dialog ID has a wrong format');
    return ref;
  }, true, code);
}

/**
 * CHAT_ID, or the chat of a `chatXXX` DIALOG_ID (the English docs accept either). A DIALOG_ID of a
 * private dialog or in another form is DIALOG_ID_EMPTY; a missing or non-numeric CHAT_ID (also
 * `chat12`: PHP's intval of it is 0) is CHAT_ID_EMPTY (with `emptyDescription` where a method's docs word it so).
 */
export function chatId(emptyDescription?: string): Codec<number> {
  return new Codec<number>('CHAT_ID', (p, name) => {
    if (has(p, 'DIALOG_ID') && !has(p, name)) {
      const m = /^chat(\d+)$/i.exec(str(p, 'DIALOG_ID').trim());
      if (!m || Number(m[1]) <= 0) fail('DIALOG_ID_EMPTY');
      return Number(m[1]);
    }
    const raw = str(p, name).trim();
    const id = /^\d+$/.test(raw) ? int(p, name) : 0;
    if (id <= 0) fail('CHAT_ID_EMPTY', emptyDescription);
    return id;
  }, true, 'CHAT_ID_EMPTY');
}

/**
 * USERS as distinct positive user ids: a JSON or PHP array, a JSON string of one, or a single id.
 * An item that is a nested array or object (or a JSON string that does not parse) is INVALID_FORMAT
 * ("Parameter USERS has wrong type"), or the error a method documents instead (`bad`); other items
 * that are not ids are dropped.
 */
export function users(bad: [ErrorCode, string?] = ['INVALID_FORMAT']): Codec<number[]> {
  return new Codec<number[]>('USERS', (p, name) => {
    let raw = pick(p, name);
    if (typeof raw === 'string' && /^\s*\[/.test(raw)) {
      raw = parseJsonInput(raw);
      if (raw === undefined) fail(...bad);
    }
    const items = raw === undefined || raw === null || raw === '' ? [] : Array.isArray(raw) ? raw : typeof raw === 'object' ? Object.values(raw) : [raw];
    if (items.some((v) => v !== null && typeof v === 'object')) fail(...bad);
    return [...new Set(items.map((v) => Number(v)).filter((n) => Number.isSafeInteger(n) && n > 0))];
  }, false, bad[0]);
}

/**
 * CHAT_ID, or DIALOG_ID when CHAT_ID is not sent: unlike chatId(), a private dialog (a user id) too
 * (im.chat.mute). The readers and errors are chatId()'s and dialogId()'s.
 */
export function chatOrDialog(): Codec<DialogRef> {
  const chat = chatId();
  const dialog = dialogId();
  return new Codec<DialogRef>('CHAT_ID', async (p, name, ctx) => {
    if (has(p, 'DIALOG_ID') && !has(p, name)) return dialog.read(p, 'DIALOG_ID', ctx);
    return { kind: 'chat', chatId: await chat.read(p, name, ctx) };
  }, true, 'CHAT_ID_EMPTY');
}

/**
 * Open the dialog a reference names for the caller: their private chat with a user (created on first
 * use; a bot hears ONIMBOTJOINCHAT), or a chat they may `mode` (open chats are readable by all);
 * ACCESS_ERROR otherwise. For `.map` after a codec that reads a reference.
 */
export function openFor(mode: 'read' | 'write') {
  // Only a private dialog's first opening writes; an existing dialog is opened without a transaction.
  return async (ref: DialogRef, ctx: CallContext): Promise<Chat> =>
    (await existingDialog(ctx.portal.db, ctx.user, ref, mode)) ?? runAction(ctx.portal, (trx) => openDialog(trx, ctx.user, ref, mode));
}

/**
 * DIALOG_ID opened for the caller (openFor): where Bitrix24 checks access to the dialog before it
 * reads the method's other parameters (im.dialog.read: a foreign chat is ACCESS_ERROR whatever
 * MESSAGE_ID says).
 */
export function openedDialog(mode: 'read' | 'write' = 'read'): Codec<Chat> {
  return dialogId().map(openFor(mode));
}

/**
 * `dialogId` of the v2 methods, opened for writing or reading: CHAT_NOT_FOUND when malformed,
 * ACCESS_DENIED for any refusal of the classic opening (the v2 pages name no other code).
 */
export const dialogFor = (mode: 'read' | 'write') => new Codec<Chat>('DIALOG_ID', async (p, name, ctx) => {
  const ref = await dialogId('CHAT_NOT_FOUND').read(p, name, ctx);
  try {
    return await openFor(mode)(ref, ctx);
  } catch (err) {
    if (err instanceof RestError) fail('ACCESS_DENIED');
    throw err;
  }
}, true, 'CHAT_NOT_FOUND');
