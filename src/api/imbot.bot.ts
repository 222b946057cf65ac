/**
 * Transition (issue 9): imbot.message.* still calls this reader of the calling bot; converted methods
 * declare the bot() codec (codecs.ts) instead, and the registration API is in src/api/imbot.ts.
 * Remove once nothing imports this file.
 */
import type { CallContext } from '../rest/registry.ts';
import type { Params } from '../rest/params.ts';
import { bot } from './codecs.ts';

/** The bot a call names (BOT_ID, or the app's first) and its app, as the bot() codec reads them. */
export async function callerBot(ctx: CallContext, p: Params) {
  return bot().read(p, 'BOT_ID', ctx);
}
