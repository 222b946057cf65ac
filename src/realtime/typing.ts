/**
 * "X is typing…": an ephemeral signal to the open clients of a chat's members (not stored, not
 * replayed — a missed one costs nothing). Who the members are is the caller's to say (the domain's
 * announceTyping in domain/chats.ts, for im.dialog.writing, im.chat.sendTyping and imbot.chat.sendTyping).
 */
import type { Portal } from '../portal.ts';

/** Tell `memberIds` (the members of `chatId`) that `userId` is typing there. */
export function signalTyping(portal: Portal, memberIds: Iterable<number>, chatId: number, userId: number): void {
  portal.signal(memberIds, { type: 'typing', chatId, userId });
}
