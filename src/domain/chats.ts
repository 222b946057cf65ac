/**
 * Chats: private dialogs (one per pair of users), group chats and open chats; membership and the
 * access rule every method relies on (you see a chat you are in; open chats are visible to all).
 */
import type { Db } from '../store/db.ts';
import type { Portal } from '../portal.ts';
import { fail } from '../errors.ts';
import { tellJoin } from './bot-v2-events.ts';
import { tellUserJoin } from './user-v2-events.ts';
import { COLORS, findUser, findUsers, fullName } from './users.ts';
import { botsByIds } from './bots.ts';
import { postSystemMessage } from './messages.ts';
import { systemLines } from './system-lines.ts';
import { membersAmong, isMember, memberIds } from './members.ts';
import { afterCommit } from './action.ts';
import type { Chat, DialogRef, User } from './types.ts';
import { isRowId } from '../store/row-id.ts';

export { isMember, memberIds, membersAmong } from './members.ts';

/** Find a chat by id. */
export async function findChat(db: Db, id: number): Promise<Chat | undefined> {
  if (!isRowId(id)) return undefined;
  return db.selectFrom('chats').selectAll().where('id', '=', id).executeTakeFirst();
}

// Adds the users not yet in the chat (one read, one insert); returns them in the order given.
async function addMembers(db: Db, chatId: number, userIds: number[]): Promise<number[]> {
  const wanted = [...new Set(userIds)];
  const present = await membersAmong(db, chatId, wanted);
  const added = wanted.filter((uid) => !present.has(uid));
  if (!added.length) return added;
  const now = Date.now();
  await db.insertInto('chat_members').values(added.map((uid) => ({ chat_id: chatId, user_id: uid, last_read_id: 0, joined_at: now }))).execute();
  return added;
}

/**
 * The private chat of two users, created on first use. When a person opens (or first writes to) a
 * dialog with a bot, the bot gets ONIMBOTJOINCHAT.
 */
export async function privateChat(db: Db, opener: User, otherId: number, announce = true): Promise<Chat> {
  const other = await findUser(db, otherId);
  if (!other) fail('USER_NOT_FOUND');
  const [lo, hi] = [opener.id, other.id].sort((a, b) => a - b);
  const key = privateKey(lo, hi);
  const existing = await db.selectFrom('chats').selectAll().where('private_key', '=', key).executeTakeFirst();
  if (existing) return existing;
  // Two first messages at once (PostgreSQL): the loser's insert does nothing and it reads the winner's chat.
  const chat = await db.insertInto('chats').values({
    type: 'P', private_key: key, title: '', description: '', color: '', avatar: '', owner_id: 0,
    entity_type: '', entity_id: '', entity_data_1: '', entity_data_2: '', entity_data_3: '', last_message_id: 0, created_at: Date.now(),
  }).onConflict((oc) => oc.column('private_key').doNothing()).returningAll().executeTakeFirst();
  if (!chat) return db.selectFrom('chats').selectAll().where('private_key', '=', key).executeTakeFirstOrThrow();
  await addMembers(db, chat.id, lo === hi ? [lo] : [lo, hi]);
  if (announce && other.is_bot && !opener.is_bot) await tellJoin(db, chat, await botsByIds(db, [other.id]), opener);
  return chat;
}

/** The key that makes a private chat one per pair of users. */
function privateKey(a: number, b: number): string {
  return a < b ? `${a}:${b}` : `${b}:${a}`;
}

/**
 * openDialog() as far as it can go without writing: a chat reference never writes, a private dialog
 * only when it is created. Answers undefined for a private dialog still to be made (then openDialog
 * in an action makes it), so reading an existing dialog needs no transaction.
 */
export async function existingDialog(db: Db, caller: User, ref: DialogRef, mode: 'read' | 'write'): Promise<Chat | undefined> {
  if (ref.kind === 'chat') return openDialog(db, caller, ref, mode);
  if (!(await findUser(db, ref.userId))) fail('USER_NOT_FOUND');
  return db.selectFrom('chats').selectAll().where('private_key', '=', privateKey(caller.id, ref.userId)).executeTakeFirst();
}

/** Resolve a DIALOG_ID for a caller: their private chat with a user, or a chat they may see. */
export async function openDialog(db: Db, caller: User, ref: DialogRef, mode: 'read' | 'write'): Promise<Chat> {
  if (ref.kind === 'user') return privateChat(db, caller, ref.userId);
  const chat = await findChat(db, ref.chatId);
  if (!chat) fail('ACCESS_ERROR');
  if (await isMember(db, chat.id, caller.id)) return chat;
  if (mode === 'read' && chat.type === 'O') return chat;
  fail('ACCESS_ERROR');
}

/**
 * The private dialog of users `from` and `to`, where a bot writes a system line on `caller`'s behalf:
 * only one of those two may ask (the token in an event's `auth` is the user who wrote, so a bot can
 * answer into that user's dialogs). ACCESS_ERROR / USER_NOT_FOUND otherwise.
 */
export async function lineDialog(db: Db, caller: User, from: number, to: number): Promise<Chat> {
  if (caller.id !== from && caller.id !== to) fail('ACCESS_ERROR');
  const fromUser = await findUser(db, from);
  if (!fromUser) fail('USER_NOT_FOUND');
  return privateChat(db, fromUser, to, false);
}

/** What it takes to create a group or open chat. */
export interface NewChat {
  type: 'C' | 'O';
  title: string;
  description: string;
  color: string;
  ownerId: number;
  userIds: number[];
  entityType: string;
  entityId: string;
  avatar?: string;
}

/** Create a chat with its members; bots among them get ONIMBOTJOINCHAT. Returns the chat. */
export async function createChat(portal: Portal, db: Db, creator: User, input: NewChat): Promise<Chat> {
  const users = await findUsers(db, [input.ownerId, creator.id, ...input.userIds]);
  const missing = input.userIds.filter((id) => !users.has(id));
  if (missing.length) fail('USER_NOT_FOUND', `User not found: ${missing.join(', ')}`);
  const colorNames = Object.keys(COLORS);
  const color = input.color && COLORS[input.color] ? input.color : colorNames[Math.floor(Math.random() * colorNames.length)];
  const owner = users.get(input.ownerId) ?? creator;
  const others = input.userIds.filter((id) => id !== creator.id).map((id) => users.get(id)!);
  const title = input.title || `Chat with ${[creator, ...others].slice(0, 4).map(fullName).join(', ')}`;
  const chat = await db.insertInto('chats').values({
    type: input.type, private_key: null, title, description: input.description, color, avatar: input.avatar ?? '',
    owner_id: owner.id, entity_type: input.entityType, entity_id: input.entityId, entity_data_1: '', entity_data_2: '', entity_data_3: '',
    last_message_id: 0, created_at: Date.now(),
  }).returningAll().executeTakeFirstOrThrow();
  await addMembers(db, chat.id, [creator.id, owner.id, ...input.userIds]);
  await postSystemMessage(portal, db, chat, systemLines.chatCreated(creator, title), creator.id);
  const bots = await botsByIds(db, input.userIds.filter((id) => users.get(id)?.is_bot));
  if (bots.length) await tellJoin(db, chat, bots, creator);
  return chat;
}

/** How users join a chat. */
export interface InviteOptions {
  /** The new members see only messages from their joining on (im.chat.user.add HIDE_HISTORY=Y). */
  hideHistory?: boolean;
}

/**
 * Add users to a group chat; new bot members get ONIMBOTJOINCHAT. Returns the ids actually added.
 * A user inviting only themselves (joining an open chat) gets "X joined the chat".
 */
export async function inviteUsers(portal: Portal, db: Db, chat: Chat, actor: User, userIds: number[], opts: InviteOptions = {}): Promise<number[]> {
  const users = await findUsers(db, userIds);
  const missing = userIds.filter((id) => !users.has(id));
  if (missing.length) fail('USER_NOT_FOUND', `User not found: ${missing.join(', ')}`);
  const added = await addMembers(db, chat.id, userIds);
  if (!added.length) return added;
  const joined = added.length === 1 && added[0] === actor.id;
  const said = joined ? systemLines.chatJoined(actor) : systemLines.chatInvited(actor, added.map((id) => users.get(id)!));
  const line = await postSystemMessage(portal, db, chat, said, actor.id);
  // The join line is the first message they may read, so they see who brought them in.
  if (opts.hideHistory) {
    await db.updateTable('chat_members').set({ start_id: line.id }).where('chat_id', '=', chat.id).where('user_id', 'in', added).execute();
  }
  const bots = await botsByIds(db, added.filter((id) => users.get(id)!.is_bot));
  if (bots.length) await tellJoin(db, chat, bots, actor);
  await tellUserJoin(db, chat, added.map((id) => users.get(id)!), await memberIds(db, chat.id));
  return added;
}

/**
 * Tell the members of a chat that `userId` is typing there: an ephemeral signal to their open clients
 * (not stored, not replayed — a missed one costs nothing), sent once the action `db` belongs to commits.
 */
export async function announceTyping(portal: Portal, db: Db, chatId: number, userId: number, show: TypingShow = {}): Promise<void> {
  afterCommit(portal, db).signal(await memberIds(db, chatId), { type: 'typing', chatId, userId, ...show });
}

/**
 * How a bot's indicator shows (imbot.v2.Chat.InputAction.notify): `action`, the status code the
 * messenger words ("… is thinking"), instead of "typing"; `seconds`, how long it stays up.
 */
export interface TypingShow { action?: string; seconds?: number }
