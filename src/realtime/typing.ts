/**
 * "X is typing…": an ephemeral signal to the open clients of a chat's members (not stored, not
 * replayed — a missed one costs nothing). Used by im.dialog.writing, im.chat.sendTyping and
 * imbot.chat.sendTyping.
 */
import type { Portal } from '../portal.ts';
import { memberIds } from '../domain/chats.ts';

/** Tell the members of `chatId` that `userId` is typing there. */
export async function announceTyping(portal: Portal, chatId: number, userId: number): Promise<void> {
  portal.signal(await memberIds(portal.db, chatId), { type: 'typing', chatId, userId });
}
