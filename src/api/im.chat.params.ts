/**
 * Transition (issue 9): im.dialog.read.ts (im.chat.sendTyping) still reads CHAT_ID and the member's
 * chat from here. Converted methods use the chatId() codec (codecs.ts) and memberChat from
 * domain/chat-admin.ts; remove this file once nothing imports it.
 */
import { fail } from '../errors.ts';
import { has, int, str, type Params } from '../rest/params.ts';

/** The chat a user changes, as domain/chat-admin.ts finds it (re-exported for the transition). */
export { memberChat } from '../domain/chat-admin.ts';

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
