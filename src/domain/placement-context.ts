/**
 * The dialog (and message) a placement is opened in: the caller must be able to read them, and the
 * dialog's kind decides which bindings show there (`context`).
 */
import type { Db } from '../store/db.ts';
import { fail } from '../errors.ts';
import { existingDialog } from './chats.ts';
import { memberIds } from './members.ts';
import { findUser } from './users.ts';
import { findMessage } from './messages.ts';
import { canReadMessage } from './message-access.ts';
import type { DialogRef, Message, User } from './types.ts';
import type { DialogKind } from './placements.ts';

/** A dialog the viewer may read, with its kind; the chat is absent for a private dialog not yet opened. */
export interface PlacementDialog { kind: DialogKind; chatId?: number }

/**
 * The dialog `ref` names, read by `viewer`: ACCESS_ERROR for a chat they may not read,
 * USER_NOT_FOUND for a private dialog with nobody.
 */
export async function placementDialog(db: Db, viewer: User, ref: DialogRef): Promise<PlacementDialog> {
  const chat = await existingDialog(db, viewer, ref, 'read');
  if (ref.kind === 'user') {
    const other = await findUser(db, ref.userId);
    return { kind: other && !other.is_bot ? 'USER' : undefined, chatId: chat?.id };
  }
  if (!chat) fail('ACCESS_ERROR');
  if (chat.type === 'L') return { kind: 'LINES', chatId: chat.id };
  if (chat.type !== 'P') return { kind: 'CHAT', chatId: chat.id };
  // A private chat named as chat<ID>: the other member decides (a bot's dialog is not USER).
  const others = (await memberIds(db, chat.id)).filter((id) => id !== viewer.id);
  const other = others.length ? await findUser(db, others[0]) : undefined;
  return { kind: other && !other.is_bot ? 'USER' : undefined, chatId: chat.id };
}

/** A message of that dialog the viewer may read, or ACCESS_ERROR. */
export async function placementMessage(db: Db, viewer: User, dialog: PlacementDialog, id: number): Promise<Message> {
  const message = id > 0 ? await findMessage(db, id) : undefined;
  if (!message || message.chat_id !== dialog.chatId || !(await canReadMessage(db, message, viewer.id))) fail('ACCESS_ERROR', 'You do not have access to the specified message');
  return message;
}
