/** Row types the domain passes around, and the dialog reference it resolves DIALOG_IDs to. */
export type { App, Bot, Chat, Message, User } from '../store/rows.ts';

// DIALOG_ID's two forms are a wire mapping (src/wire/dialog-id.ts); the domain speaks DialogRef.
export { dialogIdFor, parseDialogId, type DialogRef } from '../wire/dialog-id.ts';

/** Message params as stored (ATTACH, KEYBOARD, IS_EDITED, …). */
export type MessageParams = Record<string, unknown>;
