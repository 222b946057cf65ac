/** Row types the domain passes around, and the dialog reference it resolves DIALOG_IDs to. */
import type { Message } from '../store/rows.ts';

export type { App, Bot, Chat, Message, User } from '../store/rows.ts';

// DIALOG_ID's two forms are a wire mapping (src/wire/dialog-id.ts); the domain speaks DialogRef.
export { dialogIdFor, parseDialogId, type DialogRef } from '../wire/dialog-id.ts';

/** A message with its likes and files: what its wire shape (src/wire/message.ts) is built from. */
/** A message with its likes (everyone with a reaction, oldest first), each one's reaction code, and its files. */
export type MessageView = Message & { liked_by: number[]; reactions: Record<number, string>; file_ids: number[] };
