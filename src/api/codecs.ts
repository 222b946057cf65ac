/**
 * The Bitrix24 parameter codecs every family shares: DIALOG_ID, CHAT_ID, USERS, a message text and
 * the calling bot. Each reads the wire spelling once and fails with the documented code, so two
 * methods that take the same parameter read it the same way. Generic codecs: src/rest/schema.ts.
 */
import { fail, type ErrorCode } from '../errors.ts';
import { has, int, list, pick, str } from '../rest/params.ts';
import { Codec } from '../rest/schema.ts';
import { parseJsonInput } from '../rest/json-input.ts';
import { parseDialogId, type DialogRef } from '../domain/types.ts';
import { normalizeAttach } from '../format/attach.ts';
import { capMessage } from './message-input.ts';
import { callerBot } from './imbot.bot.ts';
import { parseScopes } from '../domain/apps.ts';
import type { User } from '../domain/types.ts';

/**
 * DIALOG_ID (`12` or `chat12`) as a reference; `code` when missing or malformed. `emptyChat`: the
 * code for `chat` / `chat0`, where a method names it after the dialog kind (im.message.add).
 */
export function dialogId(code: ErrorCode = 'DIALOG_ID_EMPTY', emptyChat?: ErrorCode): Codec<DialogRef> {
  return new Codec<DialogRef>('DIALOG_ID', (p, name) => {
    const raw = str(p, name).trim();
    if (emptyChat && /^chat0*$/i.test(raw)) fail(emptyChat);
    if (!raw) fail(code);
    const ref = parseDialogId(raw);
    if (!ref) fail(code, 'Dialog ID has a wrong format');
    return ref;
  }, true, code);
}

/**
 * CHAT_ID, or the chat of a `chatXXX` DIALOG_ID (the English docs accept either). A DIALOG_ID of a
 * private dialog or in another form is DIALOG_ID_EMPTY; a missing or non-numeric CHAT_ID (also
 * `chat12`: PHP's intval of it is 0) is CHAT_ID_EMPTY.
 */
export function chatId(): Codec<number> {
  return new Codec<number>('CHAT_ID', (p, name) => {
    if (has(p, 'DIALOG_ID') && !has(p, name)) {
      const m = /^chat(\d+)$/i.exec(str(p, 'DIALOG_ID').trim());
      if (!m || Number(m[1]) <= 0) fail('DIALOG_ID_EMPTY');
      return Number(m[1]);
    }
    const raw = str(p, name).trim();
    const id = /^\d+$/.test(raw) ? int(p, name) : 0;
    if (id <= 0) fail('CHAT_ID_EMPTY');
    return id;
  }, true, 'CHAT_ID_EMPTY');
}

/**
 * USERS as distinct positive user ids: a JSON or PHP array, a JSON string of one, or a single id.
 * An item that is a nested array or object is INVALID_FORMAT ("Parameter USERS has wrong type");
 * other items that are not ids are dropped.
 */
export function users(): Codec<number[]> {
  return new Codec<number[]>('USERS', (p, name) => {
    let raw = pick(p, name);
    if (typeof raw === 'string' && /^\s*\[/.test(raw)) {
      raw = parseJsonInput(raw);
      if (raw === undefined) fail('INVALID_FORMAT');
    }
    const items = raw === undefined || raw === null || raw === '' ? [] : Array.isArray(raw) ? raw : typeof raw === 'object' ? Object.values(raw) : [raw];
    if (items.some((v) => v !== null && typeof v === 'object')) fail('INVALID_FORMAT');
    return [...new Set(items.map((v) => Number(v)).filter((n) => Number.isSafeInteger(n) && n > 0))];
  }, false, 'INVALID_FORMAT');
}

/** A message text: trimmed and cut at Bitrix24's limit (capMessage); '' when absent. */
export function messageText(): Codec<string> {
  return new Codec<string>('BB-code', (p, name) => capMessage(str(p, name).trim()));
}

/**
 * The calling bot: BOT_ID (or the app's first bot) checked to belong to the calling app; for a
 * webhook, the app named by CLIENT_ID. BOT_ID_ERROR / APP_ID_ERROR as documented. Declare it first
 * in an imbot.* schema: Bitrix24 finds the bot before it reads anything else.
 */
export function bot(): Codec<Awaited<ReturnType<typeof callerBot>>> {
  return new Codec('BOT_ID', (p, _name, ctx) => callerBot(ctx, p), false, 'BOT_ID_ERROR');
}

// Notifications (im.notify.*) and the paging positions they share with dialogs.

/**
 * ATTACH as Bitrix24 checks it with `!empty`: null when absent or empty ('', '0', [], {} — SDKs send
 * those for an attachment they do not have), otherwise normalised (ATTACH_ERROR, ATTACH_OVERSIZE).
 */
export function attach(): Codec<unknown[] | null> {
  return new Codec<unknown[] | null>('ATTACH', (p, name) => {
    const raw = pick(p, name);
    if (raw === undefined || raw === null || raw === '' || raw === '0' || raw === 0 || raw === false) return null;
    if (typeof raw === 'object' && Object.keys(raw).length === 0) return null;
    return normalizeAttach(raw);
  }, false, 'ATTACH_ERROR');
}

/**
 * An id to page from (LAST_ID, FIRST_ID): undefined when absent or empty, `code` when it is not
 * digits (the English docs' LAST_ID_STRING, "Last ID can't be string").
 */
export function position(code: ErrorCode, description?: string): Codec<number | undefined> {
  return new Codec<number | undefined>('integer', (p, name) => {
    const raw = pick(p, name);
    if (raw === undefined || raw === null || raw === '') return undefined;
    if (!/^\s*\d+\s*$/.test(String(raw))) fail(code, description);
    return int(p, name);
  }, false, code);
}

// Parley's own methods (parley.*, the developer console).

/**
 * The caller as a portal administrator, or ACCESS_DENIED: only an administrator may manage local
 * applications and webhooks in Bitrix24. Declare it first (as `_admin`, not a wire parameter) in
 * every parley.* schema, so that nobody else learns anything from the parameter errors.
 */
export function admin(): Codec<User> {
  return new Codec<User>('caller', (_p, _name, ctx) => {
    if (!ctx.user.is_admin) fail('ACCESS_DENIED', 'Only a portal administrator may use the developer console methods');
    return ctx.user;
  }, false, 'ACCESS_DENIED');
}

/** SCOPE of a new app or webhook: known scope names, comma-separated or a list; ERROR_ARGUMENT otherwise. */
export function scopes(): Codec<string[]> {
  return new Codec<string[]>('scope list', (p, name) => {
    const raw = Array.isArray(pick(p, name)) ? list(p, name).map(String).join(',') : str(p, name);
    const { scopes, bad } = parseScopes(raw);
    if (!scopes.length) fail('ERROR_ARGUMENT', `${name} must name at least one scope, e.g. imbot,im`);
    if (bad.length) fail('ERROR_ARGUMENT', `Unknown scope: ${bad.join(', ')}`);
    return scopes;
  }, true, 'ERROR_ARGUMENT');
}
