/**
 * The calling Chatbots 2.0 bot (imbot.v2.*): `botToken` (an incoming webhook must send it; an OAuth
 * app's bot needs none, its app is its owner) and `botId`, checked in the order the pages list their
 * codes: BOT_TOKEN_NOT_SPECIFIED, BOT_ID_REQUIRED, BOT_NOT_FOUND, BOT_OWNERSHIP_ERROR.
 */
import { fail } from '../../errors.ts';
import { int, obj, str, type Params } from '../../rest/params.ts';
import { Codec } from '../../rest/schema.ts';
import type { CallContext } from '../../rest/registry.ts';
import { ownedBot, type V2Caller } from '../../domain/bots-v2.ts';
import type { Bot } from '../../domain/types.ts';

/** The longest botToken taken (bot-register.md; longer ones are refused since 06.08.2026). */
export const MAX_BOT_TOKEN = 40;

/**
 * Who calls, with the botToken a webhook call carries: top-level `botToken`, or for Bot.register
 * (`inFields`) `fields.botToken` as its page shows it, the top-level one as the quick start sends it.
 */
export function v2Caller(ctx: CallContext, p: Params, inFields = false): V2Caller {
  const token = ((inFields ? str(obj(p, 'fields'), 'botToken') : '') || str(p, 'botToken')).trim();
  if (!ctx.app && !token) fail('BOT_TOKEN_NOT_SPECIFIED');
  return { app: ctx.app, user: ctx.user, scopes: ctx.scopes, token: ctx.app ? '' : token };
}

/** `botToken`: required of a webhook caller (BOT_TOKEN_NOT_SPECIFIED), ignored for an OAuth app. */
export function botToken(inFields = false): Codec<V2Caller> {
  return new Codec('string', (p, _name, ctx) => v2Caller(ctx, p, inFields), false, 'BOT_TOKEN_NOT_SPECIFIED');
}

/** `botId` of a bot the caller owns: BOT_ID_REQUIRED, BOT_NOT_FOUND, BOT_OWNERSHIP_ERROR. */
export function ownBot(): Codec<Bot> {
  return new Codec<Bot>('integer', async (p, name, ctx) => {
    const caller = v2Caller(ctx, p);
    const id = int(p, name);
    if (id <= 0) fail('BOT_ID_REQUIRED');
    return ownedBot(ctx.portal.db, id, caller);
  }, true, 'BOT_ID_REQUIRED');
}
