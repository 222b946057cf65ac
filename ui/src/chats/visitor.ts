/** Whether the open dialog is a chat the signed-in user only reads (an open chat they have not joined). */
import type { WireChat } from '../types.ts';

/** im.dialog.get answers role "none" to a reader who is not a member. */
export const isVisitor = (chat: WireChat | null): boolean => !!chat && (chat as { role?: string }).role === 'none';

/** Whether the chat has settings to show: a group or open chat the user is a member of. */
export const hasSettings = (chat: WireChat | null): boolean => !!chat && chat.type !== 'private' && !isVisitor(chat);
