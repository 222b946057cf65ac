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
import { forwardToCustomer, outgoingChanged } from './outgoing.ts';
import { tellLineMessage, tellLineMessageChange } from './line-events.ts';

/** An operator's or a bot's message posted in a line chat (`files`: the ids it carries, im.disk.file.commit). */
export async function linePosted(portal: Portal, db: Db, chat: Chat, author: User, message: Message, files: number[] = []): Promise<void> {
  if (chat.type !== 'L' || message.system || author.external_auth_id) return;
  const session = await openSession(db, chat.id);
  if (session && !author.is_bot) await operatorWrote(portal, db, session, author);
  await tellLineMessage(db, chat, message, files);
  // Silent mode (imopenlines.session.mode.silent, entity_data_3 = Y): operators' messages stay inside.
  if (chat.entity_data_3 === 'Y' && !author.is_bot) return;
  await forwardToCustomer(portal, db, chat, message, author);
}

/**
 * A message of a line chat was edited (`text`: its new text, when that changed) or deleted
 * (im.message.update / delete, imbot.message.*): OnOpenLineMessageUpdate / Delete, and the
 * customer's connector hears of it when the message had gone out to them.
 */
export async function lineMessageChanged(db: Db, message: Message, kind: 'update' | 'delete', text?: string): Promise<void> {
  const chat = await db.selectFrom('chats').select('type').where('id', '=', message.chat_id).executeTakeFirst();
  if (chat?.type !== 'L') return;
  await tellLineMessageChange(db, message.chat_id, message.id, kind);
  if (kind === 'delete' || text !== undefined) await outgoingChanged(db, kind, message, text ?? '');
}
