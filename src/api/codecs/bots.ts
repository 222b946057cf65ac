/**
 * The calling bot and app (BOT_ID, CLIENT_ID, looked up once per call), handler URLs, commands and update FIELDS (imbot.*, imbot.command.*, event.*).
 * Each reads the wire spelling once and fails with the documented code; generic codecs: src/rest/schema.ts.
 */
import { fail, type ErrorCode } from '../../errors.ts';
import { int, str, type Params } from '../../rest/params.ts';
import { c, Codec } from '../../rest/schema.ts';
import type { CallContext } from '../../rest/registry.ts';
import { type App, type Bot } from '../../domain/types.ts';
import { botFamilyApp } from '../../domain/apps.ts';
import { appBot } from '../../domain/bots.ts';
import { findAppCommand, type Command } from '../../domain/commands.ts';
import { allowedHandlerUrl, type HandlerUrlChecks } from '../handler-url.ts';

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
