/**
 * The wire of imconnector.*'s message methods: one MESSAGES element read into what the domain takes
 * (src/domain/lines/connector-messages.ts), and the element of the answer built as the docs show it
 * (the internal user id as a string, `date` as the empty object PHP's DateTime becomes, the chat's
 * url as "Link to the original post", disable_crm echoed as extra.disable_tracker).
 */
import { int, obj, pick, str, type Params } from '../rest/params.ts';
import type { ConnectorMessage } from '../domain/lines/connector-messages.ts';

/** Letters (any script), spaces, hyphens and apostrophes, at most 25: the documented rule for user.name / last_name. */
function personName(v: string): string {
  return v.replace(/[^\p{L}\s'-]/gu, '').trim().slice(0, 25);
}

/** A file the connector links (message.files[]): shown as a link in the message, http(s) only. */
function fileLinks(files: unknown): string[] {
  const list = files && typeof files === 'object' ? Object.values(files as object) : [];
  return list.flatMap((f) => {
    const url = str((f ?? {}) as Params, 'url');
    const name = str((f ?? {}) as Params, 'name') || url;
    return /^https?:\/\//i.test(url) ? [`[URL=${url.replace(/[[\]]/g, '')}]${name.replace(/[[\]]/g, '')}[/URL]`] : [];
  });
}

/** One MESSAGES element read: what the domain takes, and why it cannot be taken (its ERRORS) when so. */
export interface ReadElement { message: ConnectorMessage; errors: string[]; raw: { user: Params; message: Params; chat: Params } }

/** Read an element of send/update/delete.messages; `needText`: text or files must be there (send, update). */
export function readElement(el: Params, needText: boolean): ReadElement {
  const user = obj(el, 'user');
  const message = obj(el, 'message');
  const chat = obj(el, 'chat');
  const text = [str(message, 'text'), ...fileLinks(pick(message, 'files'))].filter(Boolean).join('\n');
  const errors: string[] = [];
  if (!str(user, 'id').trim()) errors.push('The user ID is not specified');
  if (!str(chat, 'id').trim()) errors.push('The chat ID is not specified');
  if (needText && !text.trim()) errors.push('The message has neither text nor files');
  if (!needText && !str(message, 'id').trim()) errors.push('The message ID is not specified');
  const gender = str(user, 'gender').toLowerCase();
  return {
    raw: { user, message, chat },
    errors,
    message: {
      user: {
        id: str(user, 'id').trim(), name: personName(str(user, 'name')) || undefined, lastName: personName(str(user, 'last_name')) || undefined,
        email: str(user, 'email') || undefined, url: str(user, 'url') || undefined, gender: gender === 'female' || gender === 'male' ? gender : undefined,
      },
      chat: { id: str(chat, 'id').trim(), name: str(chat, 'name') || undefined, url: str(chat, 'url') || undefined },
      extId: str(message, 'id').trim(),
      text,
      employeeId: int(message, 'user_id') || undefined,
    },
  };
}

/** The answer's element for send.messages / update.messages (`session` only for send). */
export function sentElement(r: ReadElement, userId: number | undefined, session?: { id: number; chatId: number }): Record<string, unknown> {
  const { message, chat, user } = r.raw;
  const extra = {
    ...(str(user, 'skip_phone_validate') === 'Y' ? { skip_phone_validate: 'Y' } : {}),
    ...(str(message, 'disable_crm') === 'Y' ? { disable_tracker: 'Y' } : {}),
  };
  return {
    ...(userId ? { user: String(userId) } : {}),
    message: { id: str(message, 'id'), date: {}, text: str(message, 'text'), files: [] },
    chat: { id: str(chat, 'id'), ...(str(chat, 'name') ? { name: str(chat, 'name') } : {}), ...(str(chat, 'url') ? { description: `Link to the original post: ${str(chat, 'url')}` } : {}) },
    ...(Object.keys(extra).length ? { extra } : {}),
    SUCCESS: !r.errors.length,
    ...(r.errors.length ? { ERRORS: r.errors } : {}),
    ...(session ? { session: { ID: String(session.id), CHAT_ID: String(session.chatId) } } : {}),
  };
}

/** The answer's element for delete.messages: ids, and date / text / files / description only when they were given. */
export function deletedElement(r: ReadElement, userId: number | undefined): Record<string, unknown> {
  const { message, chat } = r.raw;
  const has = (o: Params, k: string) => pick(o, k) !== undefined;
  return {
    ...(userId ? { user: String(userId) } : {}),
    message: {
      id: str(message, 'id'), ...(has(message, 'date') ? { date: int(message, 'date') } : {}),
      ...(has(message, 'text') ? { text: str(message, 'text') } : {}), ...(has(message, 'files') ? { files: [] } : {}),
    },
    chat: { id: str(chat, 'id'), ...(str(chat, 'url') ? { description: `Link to the original post: ${str(chat, 'url')}` } : {}) },
    SUCCESS: !r.errors.length,
    ...(r.errors.length ? { ERRORS: r.errors } : {}),
  };
}

/** What the message methods answer: every element's result, SUCCESS when each succeeded. */
export function messagesResult(results: Record<string, unknown>[]): Record<string, unknown> {
  return { SUCCESS: results.every((r) => r.SUCCESS === true), DATA: { RESULT: results } };
}

/** ERRORS text for a customer's edit or deletion that did nothing. */
export const CHANGE_REFUSED: Record<string, string> = {
  'no-customer': 'No dialog of this user and chat on the line',
  'no-message': 'No message with this ID in the dialog',
  'not-allowed': 'The connector does not allow deleting messages (DEL_EXTERNAL_MESSAGES)',
};
