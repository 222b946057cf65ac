/**
 * Managing a group or open chat: title, colour, avatar, members leaving or being removed, the owner
 * and the administrators, a member's mute, and finding a chat by the external entity it is bound to. Each change posts
 * the system line a messenger shows ("X changed the chat title to …") in the caller's transaction.
 * Who may do what is decided here; the api layer maps a refusal to its documented wire error.
 */
import type { Db } from '../store/db.ts';
import type { Portal } from '../portal.ts';
import { systemLines } from './system-lines.ts';
import { findChat } from './chats.ts';
import { isMember, memberIds } from './members.ts';
import { fail, type ErrorCode } from '../errors.ts';
import { postSystemMessage } from './messages.ts';
import type { ImageInfo } from './images.ts';
import type { Chat, User } from './types.ts';
import { isRowId } from '../store/row-id.ts';
import { queuePush } from '../realtime/push-log.ts';

// How a user is named in a system line; the client renders it as a link to the profile.

/** The longest chat title kept (Bitrix24's column size); longer titles are cut. */
export const MAX_TITLE = 255;

/** Group and open chats bound to an external entity (ENTITY_TYPE + ENTITY_ID), oldest first. */
export async function chatsByEntity(db: Db, entityType: string, entityId: string): Promise<Chat[]> {
  return db.selectFrom('chats').selectAll().where('entity_type', '=', entityType).where('entity_id', '=', entityId)
    .where('type', '!=', 'P').orderBy('id').execute();
}

/** Whether a user may see a chat without being in it: open chats are visible to everyone. */
export async function canSee(db: Db, chat: Chat, userId: number): Promise<boolean> {
  return chat.type === 'O' || (await isMember(db, chat.id, userId));
}

/** Whether a user administers a chat: its owner, or a member made a manager. */
export async function isManager(db: Db, chat: Chat, userId: number): Promise<boolean> {
  if (chat.owner_id === userId) return true;
  const row = await db.selectFrom('chat_members').select('manager').where('chat_id', '=', chat.id).where('user_id', '=', userId).executeTakeFirst();
  return !!row?.manager;
}

/** Rename a chat; false when it already has this title. */
export async function renameChat(portal: Portal, db: Db, chat: Chat, actor: User, title: string): Promise<boolean> {
  const next = title.trim().slice(0, MAX_TITLE);
  if (next === chat.title) return false;
  await db.updateTable('chats').set({ title: next }).where('id', '=', chat.id).execute();
  await postSystemMessage(portal, db, { ...chat, title: next }, systemLines.chatRenamed(actor, next), actor.id);
  return true;
}

/** Change a chat's colour (a key of COLORS, checked by the caller); false when it already has it. */
export async function recolorChat(portal: Portal, db: Db, chat: Chat, actor: User, color: string): Promise<boolean> {
  if (color === chat.color) return false;
  await db.updateTable('chats').set({ color }).where('id', '=', chat.id).execute();
  await postSystemMessage(portal, db, { ...chat, color }, systemLines.chatColor(actor), actor.id);
  return true;
}

/** Set a chat's description (no system line: Bitrix24 writes none for it); its members' clients reload the chat. */
export async function describeChat(db: Db, chat: Chat, description: string): Promise<void> {
  if (description === chat.description) return;
  await db.updateTable('chats').set({ description }).where('id', '=', chat.id).execute();
  await queuePush(db, await memberIds(db, chat.id), 'chat.update', { chatId: chat.id });
}

/**
 * Turn a dialog's text field on or off for everyone in it (imbot.v2.Chat.TextField.enabled); its
 * members' clients reload the chat and their composers follow. False when it was so already.
 */
export async function setTextField(db: Db, chat: Chat, enabled: boolean): Promise<boolean> {
  const res = await db.updateTable('chats').set({ text_field_enabled: enabled ? 1 : 0 }).where('id', '=', chat.id)
    .where('text_field_enabled', '=', enabled ? 0 : 1).executeTakeFirst();
  if (!Number(res.numUpdatedRows)) return false;
  await queuePush(db, await memberIds(db, chat.id), 'chat.update', { chatId: chat.id });
  return true;
}

/** Replace a chat's avatar (stored as base64, served at /chat-avatar/{id}). */
export async function setChatAvatar(portal: Portal, db: Db, chat: Chat, actor: User, image: ImageInfo): Promise<void> {
  const avatar = image.bytes.toString('base64');
  await db.updateTable('chats').set({ avatar }).where('id', '=', chat.id).execute();
  await postSystemMessage(portal, db, { ...chat, avatar }, systemLines.chatAvatar(actor), actor.id);
}

/** Why a member cannot be removed, or null when `actor` may remove `target`. */
export type RemoveRefusal = 'private' | 'owner' | 'not-member' | 'not-allowed';

/**
 * Check that `actor` may remove `targetId` (themselves: leaving). Private dialogs keep their two
 * members; the owner cannot leave or be removed without handing the chat over first; removing
 * someone else takes the owner or a manager.
 */
export async function checkRemove(db: Db, chat: Chat, actorId: number, targetId: number): Promise<RemoveRefusal | null> {
  if (chat.type === 'P') return 'private';
  if (!(await isMember(db, chat.id, targetId))) return 'not-member';
  if (targetId === chat.owner_id) return 'owner';
  if (targetId !== actorId && !(await isManager(db, chat, actorId))) return 'not-allowed';
  return null;
}

/** Remove a member (checked with checkRemove): "X left the chat" or "X removed Y from the chat". */
export async function removeMember(portal: Portal, db: Db, chat: Chat, actor: User, target: User): Promise<void> {
  await db.deleteFrom('chat_members').where('chat_id', '=', chat.id).where('user_id', '=', target.id).execute();
  const line = target.id === actor.id ? systemLines.chatLeft(actor) : systemLines.chatRemoved(actor, target);
  await postSystemMessage(portal, db, chat, line, actor.id);
}

/**
 * Hand a chat to another member. Only the owner may, and only to a member; false otherwise. Giving
 * it to the current owner changes nothing and succeeds.
 */
export async function transferOwnership(portal: Portal, db: Db, chat: Chat, actor: User, next: User): Promise<boolean> {
  if (chat.type === 'P' || chat.owner_id !== actor.id || !(await isMember(db, chat.id, next.id))) return false;
  if (next.id === chat.owner_id) return true;
  await db.updateTable('chats').set({ owner_id: next.id }).where('id', '=', chat.id).execute();
  await postSystemMessage(portal, db, { ...chat, owner_id: next.id }, systemLines.chatOwner(next), actor.id);
  return true;
}

/** Make a member an administrator or take it back; only the owner may, and only for a member. */
export async function setManager(db: Db, chat: Chat, actor: User, userId: number, manager: boolean): Promise<boolean> {
  if (chat.type === 'P' || chat.owner_id !== actor.id || !(await isMember(db, chat.id, userId))) return false;
  await db.updateTable('chat_members').set({ manager: manager ? 1 : 0 }).where('chat_id', '=', chat.id).where('user_id', '=', userId).execute();
  return true;
}

/** Ids of a chat's administrators: the owner first, then the managers. */
export async function managerIds(db: Db, chat: Chat): Promise<number[]> {
  const rows = await db.selectFrom('chat_members').select('user_id').where('chat_id', '=', chat.id).where('manager', '=', 1).orderBy('user_id').execute();
  return [...new Set([...(chat.owner_id ? [chat.owner_id] : []), ...rows.map((r) => r.user_id)])];
}

/**
 * A member leaves a group or open chat ("X left the chat"). When the owner leaves, the chat passes to
 * an administrator, or else to the longest-standing member ("Y is now the chat owner"), so a chat
 * never stays without an owner who can manage it. Returns the new owner's id, or null.
 */
export async function leaveChat(portal: Portal, db: Db, chat: Chat, actor: User): Promise<number | null> {
  await removeMember(portal, db, chat, actor, actor);
  if (chat.owner_id !== actor.id) return null;
  const rest = await memberIds(db, chat.id);
  if (!rest.length) return null;
  const managers = await managerIds(db, { ...chat, owner_id: 0 });
  const heirId = managers.find((id) => rest.includes(id)) ?? rest[0];
  const heir = await db.selectFrom('users').selectAll().where('id', '=', heirId).executeTakeFirst();
  if (!heir) return null;
  await db.updateTable('chats').set({ owner_id: heir.id }).where('id', '=', chat.id).execute();
  await postSystemMessage(portal, db, { ...chat, owner_id: heir.id }, systemLines.chatOwner(heir));
  return heir.id;
}

/** Mute or unmute a chat's notifications for one member; false when they are not a member. */
export async function setMuted(db: Db, chatId: number, userId: number, muted: boolean): Promise<boolean> {
  if (!isRowId(chatId)) return false;
  const res = await db.updateTable('chat_members').set({ muted: muted ? 1 : 0 }).where('chat_id', '=', chatId).where('user_id', '=', userId).executeTakeFirst();
  if (!Number(res.numUpdatedRows)) return false;
  // The member's other clients show the chat muted and count it apart.
  await queuePush(db, [userId], 'chat.update', { chatId });
  return true;
}

/** The text of ACCESS_ERROR when a chat cannot be acted on at all (English docs). */
export const UNAVAILABLE = 'Action unavailable';

/** How a method refuses a chat it cannot act on. */
export interface Gate {
  /** The error when the chat does not exist, where the seed documents one; otherwise ACCESS_ERROR "Action unavailable". */
  missing?: [ErrorCode, string?];
  /** The ACCESS_ERROR text when the method does not work on private dialogs; unset: private dialogs are fine. */
  privateText?: string;
}

/**
 * The chat `user` changes: it must exist and have them as a member (open chats are readable by all,
 * but only their members change them); ACCESS_ERROR "Action unavailable" otherwise.
 */
export async function memberChat(db: Db, user: User, chatId: number, gate: Gate = {}): Promise<Chat> {
  const chat = await findChat(db, chatId);
  if (!chat) {
    if (gate.missing) fail(gate.missing[0], gate.missing[1]);
    fail('ACCESS_ERROR', UNAVAILABLE);
  }
  if (!(await isMember(db, chat.id, user.id))) fail('ACCESS_ERROR', UNAVAILABLE);
  if (chat.type === 'P' && gate.privateText) fail('ACCESS_ERROR', gate.privateText);
  return chat;
}
