/**
 * Reading a message's content from a call, shared by imbot.message.* and im.message.*: text,
 * ATTACH / KEYBOARD / MENU, SYSTEM and URL_PREVIEW, with the documented errors.
 */
import { fail } from '../rest/errors.ts';
import { flag, pick, str, type Params } from '../rest/params.ts';
import { richPart } from '../format/rich.ts';
import { parseDialogId, type DialogRef, type Message, type MessageParams, type User } from '../domain/types.ts';
import type { ErrorCode } from '../rest/errors.ts';
import type { Portal } from '../portal.ts';
import { deleteMessage, editMessage } from '../domain/messages.ts';

/** A message body read from parameters. */
export interface MessageInput {
  text: string;
  params: MessageParams;
  system: boolean;
}

/** Read a new message; MESSAGE_EMPTY when there is neither text nor an attachment. */
export function readNewMessage(p: Params): MessageInput {
  const text = str(p, 'MESSAGE').trim();
  const params: MessageParams = {};
  for (const kind of ['ATTACH', 'KEYBOARD', 'MENU'] as const) {
    const v = richPart(kind, pick(p, kind));
    if (v) params[kind] = v;
  }
  if (!text && !params.ATTACH) fail('MESSAGE_EMPTY');
  if (!flag(p, 'URL_PREVIEW', true)) params.URL_PREVIEW = 'N';
  return { text, params, system: flag(p, 'SYSTEM') };
}

/** Read an edit: text undefined when MESSAGE was not sent; rich parts null when cleared. */
export function readEdit(p: Params): { text: string | undefined; params: MessageParams } {
  const raw = pick(p, 'MESSAGE');
  const text = raw === undefined ? undefined : str(p, 'MESSAGE').trim();
  const params: MessageParams = {};
  for (const kind of ['ATTACH', 'KEYBOARD', 'MENU'] as const) {
    const v = richPart(kind, pick(p, kind), true);
    if (v !== undefined) params[kind] = v;
  }
  return { text, params };
}

/** Apply an edit read from parameters; an empty MESSAGE with nothing else deletes the message (as documented). */
export async function applyEdit(portal: Portal, message: Message, actor: User, p: Params): Promise<void> {
  const edit = readEdit(p);
  await portal.db.transaction().execute(async (trx) => {
    if (edit.text === '' && !Object.values(edit.params).some(Boolean)) await deleteMessage(portal, trx, message, actor, false);
    else await editMessage(portal, trx, message, actor, edit.text || undefined, edit.params);
  });
  portal.wake();
}

/** DIALOG_ID read and parsed; `code` when it is missing or malformed (DIALOG_ID_EMPTY unless a method documents another). */
export function dialogParam(p: Params, code: ErrorCode = 'DIALOG_ID_EMPTY'): DialogRef {
  const raw = str(p, 'DIALOG_ID').trim();
  if (!raw) fail(code);
  const ref = parseDialogId(raw);
  if (!ref) fail(code, 'Dialog ID has a wrong format');
  return ref;
}
