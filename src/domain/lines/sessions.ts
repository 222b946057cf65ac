/**
 * Sessions of line chats (ol_sessions, docs/OPEN-LINES.md): one handling cycle of a customer's
 * conversation, from the bot or the queue to an operator to closed. This file reads and writes the
 * rows; the transitions between stages are routing.ts.
 */
import type { Generated, Selectable } from 'kysely';
import type { Db } from '../../store/db.ts';
import { isRowId } from '../../store/row-id.ts';

declare module '../../store/schema.ts' {
  interface Database { ol_sessions: OlSessionsTable }
}

export interface OlSessionsTable {
  id: Generated<number>;
  line_id: number;
  chat_id: number;
  /** The customer's user id. */
  customer_id: number;
  /** bot | queue | operator | closed */
  stage: string;
  /** Bitrix24's numeric status (STATUS below), as `lines.status` shows it. */
  status: number;
  /** Who handles it: the bot in the bot stage, the operator it was given to, 0 while nobody is. */
  operator_id: number;
  /** The line's bot in this session (it may have left); 0 when none joined. */
  bot_id: number;
  /** JSON list of operators it is offered to and who have not answered yet (several with QUEUE_TYPE=all). */
  offered: string;
  /** JSON list of operators who skipped it or let it pass in this round of the queue. */
  skipped: string;
  parent_id: number;
  pinned: number;
  spam: number;
  /** The customer's rating: '', 'like' or 'dislike'. */
  vote: string;
  vote_head: number;
  comment_head: string;
  offered_at: number;
  /** When the bot stage ends by itself (WELCOME_BOT_TIME); 0: never. */
  bot_until: number;
  created_at: number;
  answered_at: number;
  closed_at: number;
  /** When the no-answer text (NO_ANSWER_RULE=text) went to the waiting customer; 0: not yet (migration 0026). */
  no_answer_at: number;
  /** The last message of the customer or an operator: auto-close counts from it. */
  last_message_at: number;
}

export type Session = Selectable<OlSessionsTable>;

/**
 * Bitrix24's session status codes: NEW while the bot has it or it is offered and unanswered, WAITING
 * in the queue with nobody to offer it to, ANSWER once an operator took it, then whose turn it is
 * (CLIENT / CLIENT_AFTER_OPERATOR: the customer wrote last; OPERATOR: the operator did), CLOSED, SPAM.
 */
export const STATUS = { NEW: 0, WAITING: 5, ANSWER: 10, CLIENT: 20, CLIENT_AFTER_OPERATOR: 25, OPERATOR: 40, CLOSED: 60, SPAM: 65 } as const;

export type Stage = 'bot' | 'queue' | 'operator' | 'closed';

export const ids = (json: string): number[] => (JSON.parse(json || '[]') as number[]).map(Number);

export async function findSession(db: Db, id: number): Promise<Session | undefined> {
  if (!isRowId(id)) return undefined;
  return db.selectFrom('ol_sessions').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The chat's newest session, open or closed. */
export async function lastSession(db: Db, chatId: number): Promise<Session | undefined> {
  return db.selectFrom('ol_sessions').selectAll().where('chat_id', '=', chatId).orderBy('id', 'desc').limit(1).executeTakeFirst();
}

/** The chat's open session, if any. */
export async function openSession(db: Db, chatId: number): Promise<Session | undefined> {
  const last = await lastSession(db, chatId);
  return last && last.stage !== 'closed' ? last : undefined;
}

/** Sessions of a chat, oldest first. */
export async function sessionsOfChat(db: Db, chatId: number): Promise<Session[]> {
  return db.selectFrom('ol_sessions').selectAll().where('chat_id', '=', chatId).orderBy('id').execute();
}

/**
 * Change a session if it is still as `expected` says (stage and, when given, status and operator):
 * every transition is such a conditional update, so two nodes (or a timer and a person) never both
 * apply one. Answers whether this call changed it.
 */
export async function moveSession(db: Db, s: Session, expected: { stage?: string; status?: number; operator?: number }, set: Partial<Omit<Session, 'id'>>): Promise<boolean> {
  let q = db.updateTable('ol_sessions').set(set).where('id', '=', s.id).where('stage', '=', expected.stage ?? s.stage);
  if (expected.status !== undefined) q = q.where('status', '=', expected.status);
  if (expected.operator !== undefined) q = q.where('operator_id', '=', expected.operator);
  return Number((await q.executeTakeFirst()).numUpdatedRows) > 0;
}

/** Open sessions an operator has (given or offered), for MAX_CHAT and `evenly`. */
export async function openCountByOperator(db: Db, operatorIds: number[]): Promise<Map<number, number>> {
  const counts = new Map(operatorIds.map((id) => [id, 0]));
  if (!operatorIds.length) return counts;
  const rows = await db.selectFrom('ol_sessions').select(['operator_id', 'offered']).where('stage', 'in', ['queue', 'operator']).execute();
  for (const r of rows) {
    const holders = new Set([Number(r.operator_id), ...ids(r.offered)]);
    for (const id of holders) if (counts.has(id)) counts.set(id, counts.get(id)! + 1);
  }
  return counts;
}
