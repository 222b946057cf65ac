/**
 * Opening an IFRAME chat app: the frame's address with the query Bitrix24 documents (BOT_ID … the
 * hashes a frame checks with its HASH), from the composer (`textarea`) or from a bot's KEYBOARD or
 * MENU button naming the app (`button`: MESSAGE_ID and the button's APP_PARAMS as BUTTON_PARAMS).
 */
import crypto from 'node:crypto';
import type { Db } from '../store/db.ts';
import { fail } from '../errors.ts';
import type { Chat, Message, User } from './types.ts';
import type { ChatApp, DialogKind } from './chat-apps.ts';
import { findMessage } from './messages.ts';
import { canReadMessage } from './message-access.ts';

const md5 = (s: string) => crypto.createHash('md5').update(s).digest('hex');

/** The button a frame is opened from: its message and the APP_PARAMS stored on it. */
export interface LaunchButton { messageId: number; params: string }

/**
 * The KEYBOARD or MENU button of message `messageId` that opens `app`, for `viewer` in `chat`. The
 * message must be one they read in that chat, written by a bot of the application that registered
 * the app (so nobody else's message can hand a frame parameters in its name), and carry an enabled
 * button with the app's APP_ID — with APP_PARAMS equal to `wanted` when the caller names one of
 * several. The parameters come from the stored message, never from the caller. MESSAGE_ID_ERROR otherwise.
 */
export async function launchButton(db: Db, app: ChatApp, chat: Chat, viewer: User, messageId: number, wanted: string | undefined): Promise<LaunchButton> {
  const message = await findMessage(db, messageId);
  if (!message || message.chat_id !== chat.id || message.deleted || !(await canReadMessage(db, message, viewer.id))) {
    fail('MESSAGE_ID_ERROR', 'Message not found in this dialog');
  }
  const author = await db.selectFrom('bots').select('app_id').where('id', '=', message.author_id).executeTakeFirst();
  const button = author && Number(author.app_id) === app.app_id ? appButtons(message, app.id).find((b) => wanted === undefined || b.params === wanted) : undefined;
  if (!button) fail('MESSAGE_ID_ERROR', 'The message has no button of this chat app');
  return { messageId: message.id, params: button.params };
}

/** The enabled KEYBOARD and MENU buttons of a message that name chat app `appId`. */
function appButtons(message: Message, appId: number): { params: string }[] {
  const out: { params: string }[] = [];
  for (const stored of [message.keyboard, message.menu]) {
    const buttons = stored ? (JSON.parse(stored) as Record<string, unknown>[]) : [];
    for (const b of buttons) {
      if (Number(b.APP_ID) === appId && b.DISABLED !== 'Y') out.push({ params: typeof b.APP_PARAMS === 'string' ? b.APP_PARAMS : '' });
    }
  }
  return out;
}

/** What a frame is opened with. */
export interface LaunchInput {
  app: ChatApp;
  /** The app's bot's code ('' for an app without a bot). */
  botCode: string;
  viewer: User;
  chat: Chat;
  kind: DialogKind;
  /** DIALOG_ID as the viewer names the dialog. */
  dialogId: string;
  language: string;
  isChrome: boolean;
  button?: LaunchButton;
}

/**
 * The frame's URL: the registered IFRAME with the documented query appended. DOMAIN is the portal's
 * public base URL; DOMAIN_HASH = md5(DOMAIN's host + HASH) and USER_HASH = md5(USER_ID + HASH), as
 * the docs' PHP check computes them (parse_url's host: no port). DIALOG_ENTITY_ID and
 * DIALOG_ENTITY_DATA_1 are a line chat's entity fields (empty elsewhere); DIALOG_CONTEXT is the
 * dialog's kind in CONTEXT's words.
 */
export function frameUrl(publicUrl: string, l: LaunchInput): string {
  const url = new URL(l.app.iframe);
  const host = new URL(publicUrl).hostname;
  const query: [string, string][] = [
    ['BOT_ID', String(l.app.bot_id)], ['BOT_CODE', l.botCode], ['APP_ID', String(l.app.id)], ['APP_CODE', l.app.code],
    ['DOMAIN', publicUrl], ['DOMAIN_HASH', md5(host + l.app.hash)],
    ['USER_ID', String(l.viewer.id)], ['USER_HASH', md5(String(l.viewer.id) + l.app.hash)],
    ['DIALOG_ID', l.dialogId], ['CONTEXT', l.button ? 'button' : 'textarea'], ['LANG', l.language], ['IS_CHROME', l.isChrome ? 'Y' : 'N'],
  ];
  if (l.button) query.push(['MESSAGE_ID', String(l.button.messageId)], ['BUTTON_PARAMS', l.button.params]);
  const line = l.kind.context === 'lines';
  query.push(['DIALOG_ENTITY_ID', line ? l.chat.entity_id : ''], ['DIALOG_ENTITY_DATA_1', line ? l.chat.entity_data_1 : ''], ['DIALOG_CONTEXT', l.kind.context]);
  for (const [k, v] of query) url.searchParams.append(k, v);
  return url.toString();
}
