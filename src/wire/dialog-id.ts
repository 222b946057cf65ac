/**
 * DIALOG_ID, both ways: a user id for a private dialog, `chat<ID>` for a chat. Methods read it
 * (api/), event payloads and method answers write it (events/, api/); the domain works with the
 * parsed DialogRef.
 */

/** Dialog ids as clients write them: a user id for private dialogs, `chat<ID>` for chats. */
export type DialogRef = { kind: 'user'; userId: number } | { kind: 'chat'; chatId: number };

/** Parse a DIALOG_ID; null when it is neither form. */
export function parseDialogId(raw: string): DialogRef | null {
  const s = raw.trim();
  const chat = /^chat(\d+)$/i.exec(s);
  if (chat) return { kind: 'chat', chatId: Number(chat[1]) };
  if (/^\d+$/.test(s) && Number(s) > 0) return { kind: 'user', userId: Number(s) };
  return null;
}

/** The DIALOG_ID of a chat as seen by `viewerId`: the other user for private chats. */
export function dialogIdFor(chat: { id: number; type: string; private_key: string | null }, viewerId: number): string {
  if (chat.type === 'P' && chat.private_key) {
    const [a, b] = chat.private_key.split(':').map(Number);
    return String(a === viewerId ? b : a);
  }
  return `chat${chat.id}`;
}
