/** Row types the domain passes around. */
import type { Selectable } from 'kysely';
import type { BotsTable, ChatsTable, MessagesTable } from '../store/schema.ts';

export type { User, App } from '../rest/registry.ts';
/** A chat row. */
export type Chat = Selectable<ChatsTable>;
/** A message row. */
export type Message = Selectable<MessagesTable>;
/** A bot row (its id is its user id). */
export type Bot = Selectable<BotsTable>;

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
export function dialogIdFor(chat: Chat, viewerId: number): string {
  if (chat.type === 'P' && chat.private_key) {
    const [a, b] = chat.private_key.split(':').map(Number);
    return String(a === viewerId ? b : a);
  }
  return `chat${chat.id}`;
}

/** Message params as stored (ATTACH, KEYBOARD, IS_EDITED, …). */
export type MessageParams = Record<string, unknown>;
