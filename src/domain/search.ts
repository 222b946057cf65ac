/**
 * Search for the messenger's pickers: users and chats by words of their names, and each user's
 * list of recent picks (im.search.last.*).
 */
import type { Generated } from 'kysely';
import type { Db } from '../store/db.ts';
import type { Chat, DialogRef, User } from './types.ts';
import { fullName } from './users.ts';

declare module '../store/schema.ts' {
  interface Database { search_last: SearchLastTable }
}

/** One recent search pick of a user. */
export interface SearchLastTable {
  id: Generated<number>;
  user_id: number;
  /** As the client sent it, normalised: a user id, or `chat<ID>`. */
  dialog_id: string;
  created_at: number;
}

/** The shortest phrase searched for (the seed: "from three characters"). */
export const MIN_PHRASE = 3;

const words = (s: string) => s.toLocaleLowerCase().split(/[^\p{L}\p{N}@._-]+/u).filter(Boolean);

/**
 * Whether every word of the phrase starts a word of one of the texts ("ann pet" finds Анна
 * Петрова's "Anna Petrova"), case-insensitively, in any script.
 */
export function matches(phrase: string, texts: string[]): boolean {
  const have = texts.flatMap(words);
  const want = words(phrase);
  return want.length > 0 && want.every((w) => have.some((h) => h.startsWith(w)));
}

/** Active users found by name, last name, position or e-mail; `peopleOnly` leaves bots out. Ordered by id. */
export async function searchUsers(db: Db, phrase: string, peopleOnly: boolean): Promise<User[]> {
  let q = db.selectFrom('users').selectAll().where('active', '=', 1);
  if (peopleOnly) q = q.where('is_bot', '=', 0);
  const rows = await q.orderBy('id').execute();
  return rows.filter((u) => matches(phrase, [fullName(u), u.work_position, u.email, u.login ?? '']));
}

/** Group and open chats the user may see (member, or open to all) whose title matches. Ordered by id. */
export async function searchChats(db: Db, userId: number, phrase: string): Promise<Chat[]> {
  const mine = db.selectFrom('chat_members').select('chat_id').where('user_id', '=', userId);
  const rows = await db.selectFrom('chats').selectAll()
    .where('type', 'in', ['C', 'O'])
    .where((eb) => eb.or([eb('type', '=', 'O'), eb('id', 'in', mine)]))
    .orderBy('id').execute();
  return rows.filter((c) => matches(phrase, [c.title]));
}

/** The stored spelling of a dialog reference. */
export const dialogKey = (ref: DialogRef) => (ref.kind === 'chat' ? `chat${ref.chatId}` : String(ref.userId));

/** Remember a pick (again: it moves to the top). */
export async function addLast(db: Db, userId: number, ref: DialogRef, now = Date.now()): Promise<void> {
  const key = dialogKey(ref);
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('search_last').where('user_id', '=', userId).where('dialog_id', '=', key).execute();
    await trx.insertInto('search_last').values({ user_id: userId, dialog_id: key, created_at: now }).execute();
  });
}

/** Forget a pick; whether there was one. */
export async function deleteLast(db: Db, userId: number, ref: DialogRef): Promise<boolean> {
  const res = await db.deleteFrom('search_last').where('user_id', '=', userId).where('dialog_id', '=', dialogKey(ref)).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

/** How many picks a user's list keeps; older ones fall off. */
export const LAST_KEEP = 50;

/** The user's picks, newest first. */
export async function listLast(db: Db, userId: number): Promise<string[]> {
  const rows = await db.selectFrom('search_last').select('dialog_id').where('user_id', '=', userId)
    .orderBy('created_at', 'desc').orderBy('id', 'desc').limit(LAST_KEEP).execute();
  return rows.map((r) => r.dialog_id);
}
