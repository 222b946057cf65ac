/**
 * Fixtures made through the running portal's REST API before anything is measured: group chats
 * with members, messages to read, bots whose handler is a bench process. Setup only; nothing here
 * is timed.
 */
import { buildQuery } from '../../src/wire/php-query.ts';

/** Call a REST method on a webhook base URL; throws on an error answer. */
export async function call<T = unknown>(hook: string, method: string, params: Record<string, unknown> = {}): Promise<T> {
  const res = await fetch(`${hook}${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: buildQuery(params),
  });
  const json = (await res.json()) as { result?: T; error?: string };
  if (json.error !== undefined) throw new Error(`${method}: ${JSON.stringify(json)}`);
  return json.result as T;
}

/** How many members one im.chat.user.add carries (far under PHP's 1,000 input variables). */
const MEMBERS_PER_CALL = 200;

/** A group chat created by `ownerHook` with these members; returns its id. */
export async function groupChat(ownerHook: string, title: string, memberIds: number[]): Promise<number> {
  const first = memberIds.slice(0, MEMBERS_PER_CALL);
  const chatId = await call<number>(ownerHook, 'im.chat.add', { TYPE: 'CHAT', TITLE: title, USERS: first });
  for (let i = MEMBERS_PER_CALL; i < memberIds.length; i += MEMBERS_PER_CALL) {
    await call(ownerHook, 'im.chat.user.add', { CHAT_ID: chatId, USERS: memberIds.slice(i, i + MEMBERS_PER_CALL) });
  }
  return chatId;
}

/** `count` messages from `hook` into a dialog (a user id or `chatN`). */
export async function postMessages(hook: string, dialogId: string | number, count: number, text = 'seeded message'): Promise<void> {
  for (let i = 0; i < count; i++) await call(hook, 'im.message.add', { DIALOG_ID: dialogId, MESSAGE: `${text} ${i}` });
}

/**
 * A bot registered from a script with an administrator's webhook (CLIENT_ID names its app, as a
 * developer's script does), whose events go to `handlerUrl`; returns the bot's id.
 */
export async function registerBot(adminHook: string, code: string, handlerUrl: string): Promise<number> {
  return call<number>(adminHook, 'imbot.register', {
    CODE: code, TYPE: 'B', EVENT_HANDLER: handlerUrl, CLIENT_ID: `bench-${code}`, PROPERTIES: { NAME: `Bench ${code}` },
  });
}
