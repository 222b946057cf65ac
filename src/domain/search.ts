/**
 * Search for the messenger's pickers: users and chats by words of their names, and each user's
 * list of recent picks (im.search.last.*).
 */
import type { Generated } from 'kysely';
import type { Db } from '../store/db.ts';
import { fail } from '../errors.ts';
import { isRowId } from '../store/row-id.ts';
import { parseDialogId, type Chat, type DialogRef, type User } from './types.ts';
import { findChat } from './chats.ts';
import { canSee } from './chat-admin.ts';
import { chatMembers, type MemberFact } from './recent.ts';
import { findUser, findUsers, fullName } from './users.ts';

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

/**
 * Active users found by name, last name, position or e-mail, as `viewer` may find them; `peopleOnly`
 * leaves bots out; open-line customers never show. Ordered by id.
 */
export async function searchUsers(db: Db, viewer: User, phrase: string, peopleOnly: boolean): Promise<User[]> {
  let q = db.selectFrom('users').selectAll().where('active', '=', 1).where('external_auth_id', '=', '');
  if (peopleOnly) q = q.where('is_bot', '=', 0);
  const rows = await q.orderBy('id').execute();
  const found = rows.filter((u) => matches(phrase, [fullName(u), u.work_position, u.email, u.login ?? '']));
  const unlisted = await unlistedBots(db, viewer, found.filter((u) => u.is_bot).map((u) => u.id));
  return unlisted.size ? found.filter((u) => !unlisted.has(u.id)) : found;
}

/**
 * The bots of `ids` that `viewer` does not find (chat-bots-v2): one registered with isHidden, for
 * everyone; a `personal` Chatbots 2.0 bot for whoever has no access to it — access being its owner
 * (the user who registered it through a webhook), an administrator, or someone in a chat with it.
 * A dialog already open with either stays where it is.
 */
async function unlistedBots(db: Db, viewer: User, ids: number[]): Promise<Set<number>> {
  if (!ids.length) return new Set();
  const bots = await db.selectFrom('bots').select(['id', 'is_hidden', 'api_version', 'v2_type', 'owner_user_id']).where('id', 'in', ids).execute();
  const out = new Set(bots.filter((b) => Number(b.is_hidden)).map((b) => b.id));
  const personal = bots.filter((b) => !out.has(b.id) && Number(b.api_version) === 2 && b.v2_type === 'personal' && Number(b.owner_user_id) !== viewer.id);
  if (!personal.length || viewer.is_admin) return out;
  const mine = db.selectFrom('chat_members').select('chat_id').where('user_id', '=', viewer.id);
  const shared = await db.selectFrom('chat_members').select('user_id').distinct()
    .where('user_id', 'in', personal.map((b) => b.id)).where('chat_id', 'in', mine).execute();
  const reachable = new Set(shared.map((r) => Number(r.user_id)));
  for (const b of personal) if (!reachable.has(b.id)) out.add(b.id);
  return out;
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

/** Remember a pick (again: it moves to the top). Run it in an action: the delete and insert go together. */
export async function addLast(db: Db, userId: number, ref: DialogRef, now = Date.now()): Promise<void> {
  const key = dialogKey(ref);
  await db.deleteFrom('search_last').where('user_id', '=', userId).where('dialog_id', '=', key).execute();
  await db.insertInto('search_last').values({ user_id: userId, dialog_id: key, created_at: now }).execute();
}

/**
 * Remember a pick of `userId` (im.search.last.add): a user (an unknown one is not an error in
 * Bitrix24: false), or a group or open chat they may see (a private dialog is named by its user id
 * instead): ACCESS_ERROR otherwise.
 */
export async function pickDialog(db: Db, userId: number, ref: DialogRef): Promise<boolean> {
  if (ref.kind === 'user') {
    if (!(await findUser(db, ref.userId))) return false;
  } else {
    const chat = await findChat(db, ref.chatId);
    if (!chat || chat.type === 'P' || !(await canSee(db, chat, userId))) fail('ACCESS_ERROR');
  }
  await addLast(db, userId, ref);
  return true;
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

/** One pick as the list shows it: an active user, or a chat with its members. */
export type LastPick = { kind: 'user'; user: User } | { kind: 'chat'; chat: Chat; members: MemberFact[] };

/** Which kinds of pick a list leaves out. */
export interface PickFilter { skipChat: boolean; skipDialog: boolean; skipLines: boolean }

/**
 * The user's picks, newest first, as they still stand: a user who went away, and a chat the user
 * left (or that went away) drop out; open chats stay visible to all. Every user, chat and member
 * list is fetched once for the whole list.
 */
export async function lastPicks(db: Db, userId: number, skip: PickFilter): Promise<LastPick[]> {
  const refs = (await listLast(db, userId)).map((k) => parseDialogId(k)).filter((r): r is DialogRef => !!r);
  const userIds = skip.skipDialog ? [] : refs.flatMap((r) => (r.kind === 'user' ? [r.userId] : []));
  const chatIds = skip.skipChat ? [] : refs.flatMap((r) => (r.kind === 'chat' && isRowId(r.chatId) ? [r.chatId] : []));
  const [users, chats, members] = await Promise.all([
    findUsers(db, userIds),
    chatIds.length ? db.selectFrom('chats').selectAll().where('id', 'in', chatIds).execute() : [],
    chatMembers(db, chatIds),
  ]);
  const chatById = new Map(chats.map((c) => [c.id, c]));
  const out: LastPick[] = [];
  for (const ref of refs) {
    if (ref.kind === 'user') {
      const user = users.get(ref.userId);
      if (!skip.skipDialog && user && user.active) out.push({ kind: 'user', user });
      continue;
    }
    const chat = chatById.get(ref.chatId);
    const list = members.get(ref.chatId) ?? [];
    if (skip.skipChat || !chat || chat.type === 'P' || (chat.type !== 'O' && !list.some((m) => m.userId === userId))) continue;
    if (skip.skipLines && chat.entity_type === 'LINES') continue;
    out.push({ kind: 'chat', chat, members: list });
  }
  return out;
}
