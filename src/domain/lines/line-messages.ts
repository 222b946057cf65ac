/**
 * A message written in a line chat by an operator or a bot (im.message.add, imbot.message.add):
 * an operator's first message takes the session it was offered to them, and every such message goes
 * out to the customer's channel. Customers' own messages come in through customers.ts.
 */
import type { Db } from '../../store/db.ts';
import type { Portal } from '../../portal.ts';
import type { Chat, Message, User } from '../types.ts';
import { openSession } from './sessions.ts';
import { operatorWrote } from './routing.ts';
import { forwardToCustomer } from './outgoing.ts';

export async function linePosted(portal: Portal, db: Db, chat: Chat, author: User, message: Message): Promise<void> {
  if (chat.type !== 'L' || message.system || author.external_auth_id) return;
  const session = await openSession(db, chat.id);
  if (session && !author.is_bot) await operatorWrote(portal, db, session, author);
  await forwardToCustomer(portal, db, chat, message, author);
}
