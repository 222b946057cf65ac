/**
 * What the im.chat.* methods share: reading CHAT_ID / DIALOG_ID, USERS and AVATAR the way Bitrix24
 * does, finding the chat a user acts on with the documented refusals, and running a change in one
 * transaction. Wire names stay here; the domain gets plain values.
 */
import type { CallContext } from '../rest/registry.ts';
import { fail, type ErrorCode } from '../errors.ts';
import { has, int, pick, str, type Params } from '../rest/params.ts';
import { findChat, isMember } from '../domain/chats.ts';
import { imageInfo, MAX_AVATAR_SIDE, type ImageInfo } from '../domain/images.ts';
import { fileBytes } from './file-param.ts';
import type { Chat, User } from '../domain/types.ts';
import type { Db } from '../store/db.ts';
import { parseJsonInput } from '../wire/json-input.ts';
import { runAction } from '../domain/action.ts';

/** The text of ACCESS_ERROR when a chat cannot be acted on at all (English docs). */
export const UNAVAILABLE = 'Action unavailable';

/**
 * CHAT_ID, or the chat of a `chatXXX` DIALOG_ID (the English docs accept either). A DIALOG_ID of a
 * private dialog or in another form is DIALOG_ID_EMPTY; a missing or non-numeric CHAT_ID (also
 * `chat12`) is CHAT_ID_EMPTY.
 */
export function chatIdParam(p: Params): number {
  if (has(p, 'DIALOG_ID') && !has(p, 'CHAT_ID')) {
    const m = /^chat(\d+)$/i.exec(str(p, 'DIALOG_ID').trim());
    if (!m || Number(m[1]) <= 0) fail('DIALOG_ID_EMPTY');
    return Number(m[1]);
  }
  const raw = str(p, 'CHAT_ID').trim();
  // intval('chat12') is 0 in PHP: a prefixed id is refused, as the English docs say.
  const id = /^\d+$/.test(raw) ? int(p, 'CHAT_ID') : 0;
  if (id <= 0) fail('CHAT_ID_EMPTY');
  return id;
}

/**
 * USERS as distinct positive user ids: a JSON or PHP array, a JSON string of one, or a single id.
 * Items that are not ids are dropped.
 */
export function usersParam(p: Params): number[] {
  let raw = pick(p, 'USERS');
  if (typeof raw === 'string' && /^\s*\[/.test(raw)) {
    raw = parseJsonInput(raw) ?? [];
  }
  const items = raw === undefined || raw === null || raw === '' ? [] : Array.isArray(raw) ? raw : typeof raw === 'object' ? Object.values(raw) : [raw];
  return [...new Set(items.filter((v) => typeof v === 'string' || typeof v === 'number').map((v) => Number(v)).filter((n) => Number.isSafeInteger(n) && n > 0))];
}

/** A picture from AVATAR, or the documented AVATAR_ERROR when it is not one or is too large. */
export function avatarParam(p: Params): ImageInfo {
  const bytes = fileBytes(pick(p, 'AVATAR'));
  const image = bytes && imageInfo(bytes);
  if (!image) fail('AVATAR_ERROR');
  if (!image.width || !image.height || image.width > MAX_AVATAR_SIDE || image.height > MAX_AVATAR_SIDE) {
    fail('AVATAR_ERROR', `Avatar incorrect size (max ${MAX_AVATAR_SIDE}x${MAX_AVATAR_SIDE})`);
  }
  return image;
}

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

/** Run a change as one action (the dispatcher and the hub are woken after its commit). */
export function change<T>(ctx: CallContext, fn: (trx: Db) => Promise<T>): Promise<T> {
  return runAction(ctx.portal, fn);
}
