/**
 * What people do with line sessions besides routing (imopenlines.session.*, operator.*,
 * message.*): who may act on a line chat, start a session by hand, join, pin, silent mode, the
 * supervisor's rating, quick answers. In Parley's model (docs/OPEN-LINES.md "Acting on sessions"):
 * a line's operators and the portal's administrators act on its sessions; a customer never does.
 */
import type { Generated } from 'kysely';
import { fail } from '../../errors.ts';
import type { Db } from '../../store/db.ts';
import type { Portal } from '../../portal.ts';
import type { Chat, User } from '../types.ts';
import { findChat } from '../chats.ts';
import { postSystemMessage } from '../messages.ts';
import { findUser } from '../users.ts';
import { fullName } from '../../wire/names.ts';
import { isOperatorOf } from './lines.ts';
import { answer, finish, startSession } from './routing.ts';
import { findLine } from './lines.ts';
import { lastSession, moveSession, openSession, type Session } from './sessions.ts';
import { enterLineChat } from './chat-members.ts';

declare module '../../store/schema.ts' {
  interface Database { ol_quick_answers: OlQuickAnswersTable }
}

/** A quick answer of a line (imopenlines.message.quick.save). */
export interface OlQuickAnswersTable { id: Generated<number>; line_id: number; text: string; message_id: number; created_by: number; created_at: number }

/** The line a line chat belongs to now: its USER_CODE's second field (a transfer to another line rewrites it). */
export function lineIdOfChat(chat: Chat): number {
  return Number(chat.entity_id.split('|')[1]) || 0;
}

/** Whether `user` may act on the line's sessions: an administrator, or one of its operators; never a customer or a bot. */
export async function mayActOnLine(db: Db, user: User, lineId: number): Promise<boolean> {
  if (user.external_auth_id === 'imconnector' || user.is_bot || !user.active) return false;
  return !!user.is_admin || isOperatorOf(db, lineId, user.id);
}

/**
 * A line chat named by CHAT_ID that `user` may act on: CHAT_ID when there is no such chat
 * (`emptyCode` when the id is missing), CHAT_TYPE when it is no line chat, ACCESS_DENIED otherwise.
 */
export async function actableLineChat(db: Db, user: User, chatId: number, emptyCode: 'CHAT_ID' | 'CHAT_ID_EMPTY' = 'CHAT_ID'): Promise<Chat> {
  if (chatId <= 0) fail(emptyCode);
  const chat = await findChat(db, chatId);
  if (!chat) fail(emptyCode === 'CHAT_ID_EMPTY' ? 'CHAT_ID_EMPTY' : 'CHAT_ID');
  if (chat.type !== 'L') fail('CHAT_TYPE');
  if (!(await mayActOnLine(db, user, lineIdOfChat(chat)))) fail('ACCESS_DENIED', 'You cannot open this conversation as you do not have sufficient rights');
  return chat;
}

/** The chat's open session, or CHAT_ID when it has none (the conversation is closed). */
export async function currentSession(db: Db, chat: Chat): Promise<Session> {
  return (await openSession(db, chat.id)) ?? fail('CHAT_ID', 'The conversation has no open session');
}

/**
 * Start a session by hand (imopenlines.session.start, message.session.start): an open one is
 * finished first; the new one is `by`'s at once (they started it), without the bot or the queue.
 */
export async function startByHand(portal: Portal, db: Db, chat: Chat, by: User): Promise<Session> {
  const open = await openSession(db, chat.id);
  if (open) await finish(portal, db, open, by, 'finish');
  const line = await findLine(db, lineIdOfChat(chat));
  const last = await lastSession(db, chat.id);
  const customer = last ? await findUser(db, last.customer_id) : undefined;
  if (!line || !customer) fail('CHAT_ID', 'The conversation has no line or customer');
  const fresh = (await findChat(db, chat.id))!;
  const s = await startSession(portal, db, line, fresh, customer, { quiet: true });
  await answer(portal, db, s, by);
  return s;
}

/** `user` joins the conversation as one more participant, without taking it (imopenlines.session.join). */
export async function joinSession(portal: Portal, db: Db, chat: Chat, user: User): Promise<void> {
  const last = await lastSession(db, chat.id);
  const customer = last ? await findUser(db, last.customer_id) : undefined;
  await enterLineChat(portal, db, chat, user, customer ?? user);
}

/** Pin (or unpin) the session to its operator: a pinned session is not closed automatically (AUTO_CLOSE_TIME) and stays theirs. */
export async function pinSession(db: Db, s: Session, pin: boolean): Promise<boolean> {
  return moveSession(db, s, { stage: s.stage }, { pinned: pin ? 1 : 0 });
}

/** Pin or unpin all of `operatorId`'s open sessions; answers the ids changed. */
export async function pinAll(db: Db, operatorId: number, pin: boolean): Promise<number[]> {
  const rows = await db.selectFrom('ol_sessions').select('id').where('stage', '=', 'operator').where('operator_id', '=', operatorId)
    .where('pinned', '=', pin ? 0 : 1).orderBy('id', 'desc').execute();
  const changed = rows.map((r) => Number(r.id));
  if (changed.length) await db.updateTable('ol_sessions').set({ pinned: pin ? 1 : 0 }).where('id', 'in', changed).execute();
  return changed;
}

/** Silent mode of a line chat (entity_data_3 Y/N): operators' messages stay inside, for colleagues only. */
export async function setSilent(db: Db, chat: Chat, silent: boolean): Promise<void> {
  await db.updateTable('chats').set({ entity_data_3: silent ? 'Y' : 'N' }).where('id', '=', chat.id).execute();
}

/** The supervisor's rating (1..5, 0 kept) and comment of a session (imopenlines.session.head.vote). */
export async function headVote(db: Db, s: Session, rating: number | undefined, comment: string | undefined): Promise<void> {
  await db.updateTable('ol_sessions').set({
    ...(rating !== undefined ? { vote_head: rating } : {}), ...(comment !== undefined ? { comment_head: comment } : {}),
  }).where('id', '=', s.id).execute();
}

/** Who may rate a session as its supervisor: an administrator (Parley has no supervisor role of its own). */
export const mayVoteHead = (user: User) => !!user.is_admin && !user.external_auth_id;

/** Save a message of the chat as a quick answer of its line; false when the message is not one of the chat's or has no text. */
export async function saveQuickAnswer(db: Db, chat: Chat, messageId: number, by: User): Promise<boolean> {
  const m = messageId > 0 ? await db.selectFrom('messages').select(['id', 'text', 'chat_id', 'deleted']).where('id', '=', messageId).executeTakeFirst() : undefined;
  if (!m || Number(m.chat_id) !== chat.id || m.deleted || !m.text.trim()) return false;
  await db.insertInto('ol_quick_answers').values({ line_id: lineIdOfChat(chat), text: m.text, message_id: m.id, created_by: by.id, created_at: Date.now() }).execute();
  return true;
}

/** A line's quick answers, newest first. */
export async function quickAnswersOf(db: Db, lineId: number): Promise<{ id: number; text: string }[]> {
  return db.selectFrom('ol_quick_answers').select(['id', 'text']).where('line_id', '=', lineId).orderBy('id', 'desc').execute();
}

/** The line chat of a USER_CODE (`imol|` prefix allowed). */
export async function chatByUserCode(db: Db, code: string): Promise<Chat | undefined> {
  const bare = code.trim().replace(/^imol\|/, '');
  if (!bare) return undefined;
  return db.selectFrom('chats').selectAll().where('entity_type', '=', 'LINES').where('entity_id', '=', bare).where('type', '=', 'L').executeTakeFirst();
}

/** A message of a line chat moved into a new session (imopenlines.message.session.start): quoted at the new session's start. */
export async function quoteIntoSession(portal: Portal, db: Db, chat: Chat, messageId: number): Promise<boolean> {
  const m = messageId > 0 ? await db.selectFrom('messages').selectAll().where('id', '=', messageId).executeTakeFirst() : undefined;
  if (!m || Number(m.chat_id) !== chat.id) return false;
  const author = m.author_id ? await findUser(db, m.author_id) : undefined;
  await postSystemMessage(portal, db, chat, `[QUOTE]${author ? `${fullName(author)}: ` : ''}${m.text}[/QUOTE]`);
  return true;
}
