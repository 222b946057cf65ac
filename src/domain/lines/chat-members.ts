/**
 * Who is in a line chat: the customer always; the line's bot while it handles the session; the
 * operators it is offered to or taken by. Joining and leaving leave a line in the chat for the
 * operators (not sent to the customer), and a bot that joins gets ONIMBOTJOINCHAT as in any chat.
 * Each person's open clients hear of it: the members by the line's message.add, the one who left by
 * a chat.update of their own.
 */
import type { Db } from '../../store/db.ts';
import type { Portal } from '../../portal.ts';
import type { Chat, User } from '../types.ts';
import { systemLines } from '../system-lines.ts';
import { postSystemMessage } from '../messages.ts';
import { botsByIds } from '../bots.ts';
import { tellJoin } from '../bot-v2-events.ts';
import { queuePush } from '../../realtime/push-log.ts';

/** Add `user` to the line chat (nothing when already in); `customer` is whom a bot's ONIMBOTJOINCHAT names. */
export async function enterLineChat(portal: Portal, db: Db, chat: Chat, user: User, customer: User): Promise<boolean> {
  const added = await db.insertInto('chat_members').values({ chat_id: chat.id, user_id: user.id, last_read_id: 0, joined_at: Date.now() })
    .onConflict((oc) => oc.columns(['chat_id', 'user_id']).doNothing()).executeTakeFirst();
  if (!Number(added.numInsertedOrUpdatedRows)) return false;
  await postSystemMessage(portal, db, chat, systemLines.lineJoined(user));
  if (user.is_bot) await tellJoin(db, chat, await botsByIds(db, [user.id]), customer);
  return true;
}

/** Take `user` out of the line chat (nothing when not in). */
export async function leaveLineChat(portal: Portal, db: Db, chat: Chat, user: User): Promise<boolean> {
  const gone = await db.deleteFrom('chat_members').where('chat_id', '=', chat.id).where('user_id', '=', user.id).executeTakeFirst();
  if (!Number(gone.numDeletedRows)) return false;
  await postSystemMessage(portal, db, chat, systemLines.lineLeft(user));
  // The system line reaches the members only: the one who left hears that the chat changed for them
  // (an operator passed over, or who lost the session to another), so their workspace drops it now.
  // Joining needs no push of its own: the "joined" line is pushed to the members, the newcomer among them.
  await queuePush(db, [user.id], 'chat.update', { chatId: chat.id });
  return true;
}
