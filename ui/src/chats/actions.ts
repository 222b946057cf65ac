/**
 * What a user does to group and open chats, each through its public im.chat.* method: create, invite,
 * remove, rename, recolour, change the picture or the owner, mute, leave and join. Refusals are shown
 * as the portal words them (code and description), never guessed in advance: the API is the judge of
 * who may do what.
 */
import { call } from '../api.ts';
import { dialog, openDialog } from '../dialog.ts';
import { loadRecent, me, rememberUsers, report } from '../store.ts';
import type { WireChat, WireUser } from '../types.ts';
import type { ChatColor } from './strings.ts';

/** Run an action; false (after showing why) when the portal refused it. */
async function attempt(fn: () => Promise<unknown>): Promise<boolean> {
  try {
    await fn();
    return true;
  } catch (err) {
    report(err);
    return false;
  }
}

/** The chat as im.dialog.get answers it now (for the open dialog's header and the settings panel). */
export async function reloadChat(): Promise<void> {
  if (!dialog.dialogId.startsWith('chat')) return;
  const id = dialog.dialogId;
  const chat = await call<WireChat>('im.dialog.get', { DIALOG_ID: id });
  if (dialog.dialogId === id) dialog.chat = chat;
}

/** What the new-chat form collects. */
export interface NewChat { title: string; userIds: number[]; open: boolean; color: ChatColor | '' }

/** Create a chat (im.chat.add) and open it; resolves with its id, or 0 when refused. */
export async function createChat(input: NewChat): Promise<number> {
  try {
    const id = await call<number>('im.chat.add', {
      TYPE: input.open ? 'OPEN' : 'CHAT', TITLE: input.title.trim(), USERS: input.userIds, ...(input.color ? { COLOR: input.color } : {}),
    });
    await loadRecent().catch(() => {});
    location.hash = `#/dialog/chat${id}`;
    return id;
  } catch (err) {
    report(err);
    return 0;
  }
}

/** The members of a chat (im.chat.user.list for the ids, im.user.list.get for who they are). */
export async function loadMembers(chatId: number): Promise<WireUser[]> {
  const ids = await call<number[]>('im.chat.user.list', { CHAT_ID: chatId });
  if (!ids.length) return [];
  const found = await call<Record<string, WireUser | null>>('im.user.list.get', { ID: ids });
  const list = Object.values(found).filter((u): u is WireUser => !!u);
  rememberUsers(list);
  return list;
}

/** Invite people (im.chat.user.add); HIDE_HISTORY keeps earlier messages from them. */
export const invite = (chatId: number, userIds: number[], hideHistory: boolean) =>
  attempt(() => call('im.chat.user.add', { CHAT_ID: chatId, USERS: userIds, HIDE_HISTORY: hideHistory ? 'Y' : 'N' }));

/** Remove someone (im.chat.user.delete): the portal decides whether this user may. */
export const removeMember = (chatId: number, userId: number) => attempt(() => call('im.chat.user.delete', { CHAT_ID: chatId, USER_ID: userId }));

/** Rename (im.chat.updateTitle). */
export const rename = (chatId: number, title: string) => attempt(() => call('im.chat.updateTitle', { CHAT_ID: chatId, TITLE: title.trim() }));

/** Recolour (im.chat.updateColor) with one of the 16 colour names. */
export const recolor = (chatId: number, color: ChatColor) => attempt(() => call('im.chat.updateColor', { CHAT_ID: chatId, COLOR: color }));

/** Hand the chat to another member (im.chat.setOwner). */
export const setOwner = (chatId: number, userId: number) => attempt(() => call('im.chat.setOwner', { CHAT_ID: chatId, USER_ID: userId }));

/** A file's content as base64 (the AVATAR parameter's encoding). */
function base64Of(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });
}

/** Upload a picture for the chat (im.chat.updateAvatar with the file as base64). */
export const setAvatar = (chatId: number, file: File) =>
  attempt(async () => call('im.chat.updateAvatar', { CHAT_ID: chatId, AVATAR: await base64Of(file) }));

/** Mute or unmute the chat for this user (im.chat.mute); the recent list shows it. */
export async function setMuted(chatId: number, mute: boolean): Promise<boolean> {
  const ok = await attempt(() => call('im.chat.mute', { CHAT_ID: chatId, MUTE: mute ? 'Y' : 'N' }));
  if (ok) await Promise.all([reloadChat(), loadRecent()]).catch(() => {});
  return ok;
}

/** Whether the signed-in user muted the chat, from its mute_list (a map of ids, or [] when empty). */
export function isMuted(chat: { mute_list?: unknown } | null | undefined): boolean {
  const list = chat?.mute_list;
  const id = me.value?.id;
  if (!id || !list) return false;
  return Array.isArray(list) ? list.map(Number).includes(id) : !!(list as Record<string, unknown>)[String(id)];
}

/** Leave the chat (im.chat.leave) and go back to the list. */
export async function leave(chatId: number): Promise<boolean> {
  const ok = await attempt(() => call('im.chat.leave', { CHAT_ID: chatId }));
  if (ok) {
    location.hash = '#/';
    await loadRecent().catch(() => {});
  }
  return ok;
}

/** Join an open chat one is reading (im.chat.user.add with one's own id), then show it as a member. */
export async function join(chatId: number): Promise<boolean> {
  const id = me.value?.id;
  if (!id) return false;
  const ok = await attempt(() => call('im.chat.user.add', { CHAT_ID: chatId, USERS: [id] }));
  if (ok) {
    await openDialog(dialog.dialogId);
    await loadRecent().catch(() => {});
  }
  return ok;
}
