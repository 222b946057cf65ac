/**
 * Transition (issue 9): imbot.message.* and imbot/command.ts still call these readers of the calling
 * bot; converted methods declare the bot() / botFamily() codecs (codecs.ts) instead, and the
 * registration API is in src/api/imbot.ts. Remove once nothing imports this file.
 */
import type { CallContext } from '../rest/registry.ts';
import type { Params } from '../rest/params.ts';
import { bot, botFamily } from './codecs.ts';

/** The app a bot call acts for, as the botFamily() codec reads it. */
export async function botApp(ctx: CallContext, p: Params) {
  return botFamily().read(p, 'CLIENT_ID', ctx);
}

/** The bot a call names (BOT_ID, or the app's first) and its app, as the bot() codec reads them. */
export async function callerBot(ctx: CallContext, p: Params) {
  return bot().read(p, 'BOT_ID', ctx);
}
