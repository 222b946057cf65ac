/**
 * A message's parameters (im.message.*, imbot.message.*, im.notify.*): who writes, the text, ATTACH / KEYBOARD / MENU with the bot their buttons address, and the message acted on.
 * Each reads the wire spelling once and fails with the documented code; generic codecs: src/rest/schema.ts.
 */
import { fail } from '../../errors.ts';
import { int, pick, str, type Params } from '../../rest/params.ts';
import { c, Codec } from '../../rest/schema.ts';
import type { CallContext } from '../../rest/registry.ts';
import { type Message, type User } from '../../domain/types.ts';
import { capMessage, emptyPart, readPart, type RichKind, type RichPart } from '../message-input.ts';
import { findUser } from '../../domain/users.ts';
import { findEditableMessage, findLikeableMessage } from '../../domain/message-access.ts';
import type { AttachStored } from '../../format/attach.ts';
import { bbcodeIsBlank } from '../../format/bbcode-text.ts';
import type { Button } from '../../format/keyboard.ts';
import { callingBot } from './bots.ts';

/** A message text: trimmed and cut at Bitrix24's limit (capMessage); '' when absent. */
export function messageText(): Codec<string> {
  return new Codec<string>('BB-code', (p, name) => capMessage(str(p, name).trim()));
}

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
 * content, as in Bitrix24. On top of that a text that shows nothing once its tags are gone
 * (`[b][/b]`, `[i] [/i]`) is refused too — it would be an empty bubble — unless an ATTACH or a
 * KEYBOARD comes with it. Declared after ATTACH, KEYBOARD and MENU: Bitrix24 rejects a malformed part first.
 */
export function newMessageText(): Codec<string> {
  return new Codec('BB-code', async (p, name, ctx) => {
    const text = await messageText().read(p, name, ctx);
    const sent = (key: string) => {
      const raw = pick(p, key);
      return raw !== undefined && raw !== null && !emptyPart(raw);
    };
    if (!sent('ATTACH') && (!text || (!sent('KEYBOARD') && bbcodeIsBlank(text)))) fail('MESSAGE_EMPTY');
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
