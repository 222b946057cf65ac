/**
 * Bot context (chat-bots-v2/imbot.v2/bot-context.md): a person opens a dialog with a context — a
 * link's BOT_CONTEXT, or im.v2.Chat.Bot.sendContext — and the Chatbots 2.0 bots of that dialog get
 * it as ONIMBOTV2CONTEXTGET. Classic bots have no such event and are not told.
 */
import type { Db } from '../store/db.ts';
import { fail } from '../errors.ts';
import { isV2 } from '../events/bot-v2-log.ts';
import { botsByIds } from './bots.ts';
import { tellV2Context } from './bot-v2-events.ts';
import type { Chat, User } from './types.ts';

/** Tell the v2 bots among `chat`'s members (the caller aside); BOT_NOT_FOUND when there is none. */
export async function sendBotContext(db: Db, chat: Chat, user: User, context: Record<string, unknown>): Promise<number[]> {
  const members = await db.selectFrom('chat_members').select('user_id').where('chat_id', '=', chat.id).where('user_id', '!=', user.id).execute();
  const bots = (await botsByIds(db, members.map((m) => Number(m.user_id)))).filter(isV2);
  if (!bots.length) fail('BOT_NOT_FOUND', 'The dialog has no Chatbots 2.0 bot to receive the context');
  await tellV2Context(db, chat, user, bots, context);
  return bots.map((b) => b.id);
}
