/**
 * The Bitrix24 parameter codecs every family shares: DIALOG_ID, CHAT_ID, USERS, a message text and
 * the calling bot. Each reads the wire spelling once and fails with the documented code, so two
 * methods that take the same parameter read it the same way. Generic codecs: src/rest/schema.ts.
 */
import { fail, type ErrorCode } from '../errors.ts';
import { has, int, list, pick, str, type Params } from '../rest/params.ts';
import { c, Codec } from '../rest/schema.ts';
import type { CallContext } from '../rest/registry.ts';
import { parseJsonInput } from '../wire/json-input.ts';
import { parseDialogId, type App, type Bot, type Chat, type DialogRef, type Message, type User } from '../domain/types.ts';
import { openDialog } from '../domain/chats.ts';
import { runAction } from '../domain/action.ts';
import { capMessage, emptyPart, readPart, type RichKind, type RichPart } from './message-input.ts';
import { botFamilyApp, parseScopes } from '../domain/apps.ts';
import { appBot } from '../domain/bots.ts';
import { findUser } from '../domain/users.ts';
import { findEditableMessage, findLikeableMessage } from '../domain/message-access.ts';
import type { AttachStored } from '../format/attach.ts';
import type { Button } from '../format/keyboard.ts';
import { imageInfo, MAX_AVATAR_SIDE, type ImageInfo } from '../domain/images.ts';
import { findAppCommand, type Command } from '../domain/commands.ts';
import { fileBytes } from './file-param.ts';
import { allowedHandlerUrl, type HandlerUrlChecks } from './handler-url.ts';

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

/** A message text: trimmed and cut at Bitrix24's limit (capMessage); '' when absent. */
export function messageText(): Codec<string> {
  return new Codec<string>('BB-code', (p, name) => capMessage(str(p, name).trim()));
}

/**
 * The calling bot: BOT_ID (or the app's first bot) checked to belong to the calling app; for a
 * webhook, the app named by CLIENT_ID. BOT_ID_ERROR / APP_ID_ERROR as documented. Declare it where
 * the method looks the bot up: first in most imbot.* schemas; imbot.chat.* check CHAT_ID (and the
 * parameters they read with it) before the bot, as Bitrix24's shared im/imbot chat code does.
 */
export function bot(): Codec<{ bot: Bot; app: App }> {
  return new Codec('BOT_ID', (p, _name, ctx) => callingBot(ctx, p), false, 'BOT_ID_ERROR');
}

// Keyed by the call's parameters: every codec of one call that needs the calling bot shares one lookup.
const botOfCall = new WeakMap<Params, Promise<{ bot: Bot; app: App }>>();

/** The calling bot (see `bot()`), looked up once per call however many codecs ask for it (BOT_ID, a KEYBOARD's owner, …). */
export function callingBot(ctx: CallContext, p: Params): Promise<{ bot: Bot; app: App }> {
  let found = botOfCall.get(p);
  if (!found) botOfCall.set(p, (found = lookUpBot(ctx, p)));
  return found;
}

async function lookUpBot(ctx: CallContext, p: Params): Promise<{ bot: Bot; app: App }> {
  const app = await botFamilyApp(ctx.portal.db, ctx, str(p, 'CLIENT_ID'));
  // An empty BOT_ID is none: the app's first bot.
  return { bot: await appBot(ctx.portal.db, app, str(p, 'BOT_ID') ? int(p, 'BOT_ID') : undefined), app };
}

// ── Chats, bots, commands and event handlers (im.chat.*, imbot.*, imbot.command.*, event.*) ──

/** The app a bot call acts for (a webhook names its bot family with CLIENT_ID): see botFamilyApp. */
export function botFamily(): Codec<App> {
  return new Codec('CLIENT_ID', (p, name, ctx) => botFamilyApp(ctx.portal.db, ctx, str(p, name)), false, 'ACCESS_DENIED');
}

/** A BOT_ID that must be sent (imbot.unregister / update): BOT_ID_ERROR before the app is looked at, then as bot(). */
export function namedBot(): Codec<{ bot: Bot; app: App }> {
  const named = bot();
  return new Codec('BOT_ID', (p, name, ctx) => {
    if (!int(p, name)) fail('BOT_ID_ERROR');
    return named.read(p, name, ctx);
  }, true, 'BOT_ID_ERROR');
}

/** AVATAR as a picture (base64, `[name, base64]` or a file part); AVATAR_ERROR when it is not one or is too large. */
export function avatar(): Codec<ImageInfo> {
  return new Codec<ImageInfo>('image', (p, name) => {
    const bytes = fileBytes(pick(p, name));
    const image = bytes && imageInfo(bytes);
    if (!image) fail('AVATAR_ERROR');
    if (!image.width || !image.height || image.width > MAX_AVATAR_SIDE || image.height > MAX_AVATAR_SIDE) {
      fail('AVATAR_ERROR', `Avatar incorrect size (max ${MAX_AVATAR_SIDE}x${MAX_AVATAR_SIDE})`);
    }
    return image;
  }, true, 'AVATAR_ERROR');
}

/** AVATAR on a new chat: a picture that is not one is dropped (undefined), as Bitrix24 does on create. */
export function avatarIfValid(): Codec<ImageInfo | undefined> {
  const picture = avatar();
  return new Codec<ImageInfo | undefined>('image', async (p, name, ctx) => {
    if (!has(p, name)) return undefined;
    try {
      return await picture.read(p, name, ctx);
    } catch {
      return undefined;
    }
  });
}

/** COLOR: a chat colour's name, trimmed and upper-cased ('' when absent); whether it is one is the method's check. */
export function color(): Codec<string> {
  return new Codec<string>('color', (p, name) => str(p, name).trim().toUpperCase());
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

/** A command word (COMMAND): trimmed, without the slash a user types before it. */
export function commandWord(): Codec<string> {
  return new Codec<string>('string', (p, name) => str(p, name).trim().replace(/^\//, ''));
}

// The handler URLs one call has checked: a method reading several URLs (EVENT_HANDLER standing for
// all of imbot.register's) resolves each host once. Keyed by the call's parameters object.
const checked = new WeakMap<Params, HandlerUrlChecks>();

/**
 * An event handler URL (imbot.register EVENT_*, EVENT_COMMAND_ADD, event.bind `handler`) that the
 * handler policy allows, or `code`. Absent: `fallback`'s value when given (EVENT_HANDLER), else ''
 * or, when `required`, `code`. `wrongUrl`: the text for a malformed URL.
 */
export function handlerUrl(code: ErrorCode, opts: { required?: boolean; fallback?: string; wrongUrl?: string } = {}): Codec<string> {
  return new Codec<string>('URL', (p, name, ctx) => {
    const raw = str(p, name) || (opts.fallback ? str(p, opts.fallback) : '');
    if (!raw) {
      // event.bind answers an empty handler as a malformed one (its `wrongUrl` text).
      if (opts.required) fail(code, opts.wrongUrl);
      return '';
    }
    let checks = checked.get(p);
    if (!checks) checked.set(p, (checks = new Map()));
    return allowedHandlerUrl(ctx, raw, code, opts.wrongUrl, checks);
  }, !!opts.required, code);
}

/** COMMAND_ID as a command of the calling app (CLIENT_ID for a webhook): COMMAND_ID_ERROR / APP_ID_ERROR. */
export function appCommand(): Codec<Command> {
  const family = botFamily();
  return new Codec<Command>('COMMAND_ID', async (p, name, ctx) => {
    const app = await family.read(p, 'CLIENT_ID', ctx);
    return findAppCommand(ctx.portal.db, app.id, int(p, name));
  }, true, 'COMMAND_ID_ERROR');
}

/** The calling application, for methods an app calls about itself (event.*): WRONG_AUTH_TYPE for a webhook. */
export function callingApp(): Codec<App> {
  return new Codec<App>('app', (_p, _name, ctx) => ctx.app ?? fail('WRONG_AUTH_TYPE', 'Application context required'));
}

/** FIELDS of an update (imbot.update, imbot.command.update): a free-form object; empty is WRONG_REQUEST with the method's text. */
export function updateFields(emptyText: string): Codec<Params> {
  return c.object().check((f) => Object.keys(f).length > 0, 'WRONG_REQUEST', emptyText);
}

// Notifications (im.notify.*) and the paging positions they share with dialogs.

/**
 * ATTACH as Bitrix24 checks it with `!empty`: null when absent or empty ('', '0', [], {} — SDKs send
 * those for an attachment they do not have), otherwise normalised (ATTACH_ERROR, ATTACH_OVERSIZE).
 * `edit` (im.message.update, imbot.message.update): undefined when absent (the attach stays), null
 * when an empty value or N removes it.
 */
export function attach(): Codec<AttachStored | null>;
export function attach(edit: true): Codec<AttachStored | null | undefined>;
export function attach(edit = false): Codec<AttachStored | null | undefined> {
  const read = part('ATTACH', undefined, edit);
  return edit ? read : read.map((v) => v ?? null);
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

// --- messages (im.message.*, imbot.message.*): who writes, the content, the message acted on ---

const userOfCall = new WeakMap<Params, Promise<User>>();

/** The user who writes: the caller for im.*, the calling bot for imbot.* (found once per call). */
export type Actor = (ctx: CallContext, p: Params) => Promise<User>;

/** im.*: the calling user writes. */
export const callerActor: Actor = async (ctx) => ctx.user;

/** imbot.*: the calling bot writes, as its user; BOT_ID_ERROR when that user is gone. */
export const botActor: Actor = (ctx, p) => {
  let found = userOfCall.get(p);
  if (!found) {
    found = callingBot(ctx, p).then(async ({ bot: b }) => (await findUser(ctx.portal.db, b.id)) ?? fail('BOT_ID_ERROR'));
    userOfCall.set(p, found);
  }
  return found;
};

/** BOT_ID as `bot()` reads it, answering the bot's user: who writes for imbot.message.* and imbot.chat.sendTyping. */
export function botUser(): Codec<User> {
  return new Codec('BOT_ID', (p, _name, ctx) => botActor(ctx, p), false, 'BOT_ID_ERROR');
}

/**
 * The bot a KEYBOARD's or MENU's buttons address: for imbot.* the calling bot; for im.* the BOT_ID
 * parameter (0: the one the full form names, if any), or the caller when a bot writes through im.*.
 */
export type ButtonOwner = (ctx: CallContext, p: Params) => number | Promise<number>;

/** im.*: see ButtonOwner. */
export const ownerFromParam: ButtonOwner = (ctx, p) => (ctx.user.is_bot ? ctx.user.id : int(p, 'BOT_ID'));

/** imbot.*: the calling bot. */
export const ownerBot: ButtonOwner = async (ctx, p) => (await callingBot(ctx, p)).bot.id;

function part<K extends RichKind>(kind: K, owner: ButtonOwner | undefined, edit: boolean): Codec<RichPart[K] | null | undefined> {
  const error = `${kind}_ERROR` as const;
  return new Codec(kind, async (p, name, ctx) => {
    const raw = pick(p, name);
    if (raw === undefined || raw === null) return undefined;
    return readPart(kind, raw, edit, owner ? await owner(ctx, p) : 0);
  }, false, error);
}

/** KEYBOARD, its buttons addressed to `owner`'s bot; KEYBOARD_ERROR / KEYBOARD_OVERSIZE; `edit` as for attach. */
export function keyboard(owner: ButtonOwner): Codec<Button[] | undefined>;
export function keyboard(owner: ButtonOwner, edit: true): Codec<Button[] | null | undefined>;
export function keyboard(owner: ButtonOwner, edit = false): Codec<Button[] | null | undefined> {
  return part('KEYBOARD', owner, edit);
}

/** MENU, its items addressed to `owner`'s bot; MENU_ERROR / MENU_OVERSIZE; `edit` as for attach. */
export function menu(owner: ButtonOwner): Codec<Button[] | undefined>;
export function menu(owner: ButtonOwner, edit: true): Codec<Button[] | null | undefined>;
export function menu(owner: ButtonOwner, edit = false): Codec<Button[] | null | undefined> {
  return part('MENU', owner, edit);
}

/**
 * MESSAGE of a new message (as messageText reads it); MESSAGE_EMPTY when neither it nor ATTACH has
 * content. Declared after ATTACH, KEYBOARD and MENU: Bitrix24 rejects a malformed part first.
 */
export function newMessageText(): Codec<string> {
  return new Codec('BB-code', async (p, name, ctx) => {
    const text = await messageText().read(p, name, ctx);
    const raw = pick(p, 'ATTACH');
    if (!text && (raw === undefined || raw === null || emptyPart(raw))) fail('MESSAGE_EMPTY');
    return text;
  }, true, 'MESSAGE_EMPTY');
}

/**
 * A new message's content, in the order Bitrix24 checks it: ATTACH, KEYBOARD, MENU (buttons
 * addressed to `owner`'s bot), MESSAGE (MESSAGE_EMPTY), URL_PREVIEW (default Y), SYSTEM.
 */
export function newMessageParams(owner: ButtonOwner) {
  return {
    ATTACH: attach(), KEYBOARD: keyboard(owner), MENU: menu(owner), MESSAGE: newMessageText(), URL_PREVIEW: c.flag(true), SYSTEM: c.flag(),
  };
}

/**
 * An edit's content: MESSAGE (undefined when not sent), ATTACH, KEYBOARD, MENU (null: removed) and
 * URL_PREVIEW (whether a new text's link gets its preview).
 */
export function editParams(owner: ButtonOwner) {
  return {
    MESSAGE: c.optional(messageText()), ATTACH: attach(true), KEYBOARD: keyboard(owner, true), MENU: menu(owner, true), URL_PREVIEW: c.flag(true),
  };
}

/**
 * MESSAGE_ID of a message `actor` may edit or delete (domain/message-access.ts): MESSAGE_ID_ERROR
 * when missing or not a number, CANT_EDIT_MESSAGE for any message that is not theirs to change.
 */
export function editableMessage(actor: Actor): Codec<Message> {
  return c.id('MESSAGE_ID_ERROR').map(async (id, ctx, p) => (await findEditableMessage(ctx.portal.db, id, await actor(ctx, p))) ?? fail('CANT_EDIT_MESSAGE'));
}

/**
 * MESSAGE_ID of a message `actor` may like: MESSAGE_ID_ERROR when missing, and "Message not found"
 * for one deleted, missing or out of their sight (no hint that it exists).
 */
export function likeableMessage(actor: Actor): Codec<Message> {
  return c.id('MESSAGE_ID_ERROR').map(async (id, ctx, p) => (await findLikeableMessage(ctx.portal.db, id, await actor(ctx, p))) ?? fail('MESSAGE_ID_ERROR', 'Message not found'));
}

/** ACTION of a like: plus or minus; anything else is auto (a toggle), the documented default. */
export function likeAction(): Codec<'plus' | 'minus' | 'auto'> {
  return c.string().map((v) => (v.toLowerCase() === 'plus' ? 'plus' : v.toLowerCase() === 'minus' ? 'minus' : 'auto'), 'plus|minus|auto');
}

// --- dialogs, recent, files, users, departments, search (im.dialog.*, im.recent.*, im.disk.*, im.user.*, im.department.*, im.search.*)

/**
 * Open the dialog a reference names for the caller: their private chat with a user (created on first
 * use; a bot hears ONIMBOTJOINCHAT), or a chat they may `mode` (open chats are readable by all);
 * ACCESS_ERROR otherwise. For `.map` after a codec that reads a reference.
 */
export function openFor(mode: 'read' | 'write') {
  return (ref: DialogRef, ctx: CallContext): Promise<Chat> => runAction(ctx.portal, (trx) => openDialog(trx, ctx.user, ref, mode));
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
 * Ids from a parameter documented as "an array, or a string with a JSON array": `ID[]=1&ID[]=2`,
 * `{"ID":[1,2]}`, `ID=[1,2]`; a lone number is a list of one. Distinct, in order; `code` when
 * absent, empty or holding anything but positive ids (im.user.list.get, im.department.*).
 */
export function idList(code: ErrorCode, description?: string): Codec<number[]> {
  return new Codec<number[]>('array', (p, name) => {
    let v = pick(p, name);
    if (typeof v === 'string') {
      const s = v.trim();
      v = /^\d+$/.test(s) ? [s] : parseJsonInput(s);
    } else if (typeof v === 'number') v = [v];
    if (v && typeof v === 'object' && !Array.isArray(v)) v = Object.values(v);
    if (!Array.isArray(v) || v.length === 0) fail(code, description);
    const ids = v.map((x) => Number(x));
    if (ids.some((n) => !Number.isSafeInteger(n) || n <= 0)) fail(code, description);
    return [...new Set(ids)];
  }, true, code);
}

/** OFFSET of a list: the first item, 0 when absent or negative. */
export function offset(): Codec<number> {
  return new Codec<number>('integer', (p, name) => Math.max(0, int(p, name)));
}

/** LIMIT of a list: `fallback` when absent or not positive, at most `max` (each method documents both). */
export function pageSize(fallback: number, max: number): Codec<number> {
  return new Codec<number>('integer', (p, name) => {
    const n = int(p, name);
    return n > 0 ? Math.min(n, max) : fallback;
  });
}

/**
 * The caller must be an intranet user: bots (and, in Bitrix24, extranet users) may not read the
 * company structure. Reads no parameter: declare it first, under a `_` key, where Bitrix24 checks the
 * caller before the parameters (im.department.*, im.search.department.list).
 */
export function intranetCaller(): Codec<true> {
  return new Codec<true>('caller', (_p, _name, ctx) => {
    if (ctx.user.is_bot) fail('ACCESS_ERROR', 'Only intranet users have access to this method.');
    return true;
  }, false, 'ACCESS_ERROR');
}
