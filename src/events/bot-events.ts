/**
 * Wire payloads of the classic bot events (ONIMBOTJOINCHAT, ONIMBOTMESSAGEADD/UPDATE/DELETE,
 * ONIMBOTDELETE), built from the rows the domain passes exactly in the documented shape, and queued per
 * (application, handler URL): one POST carries every bot of that app the event concerns.
 */
import type { Db } from '../store/db.ts';
import type { Bot, Chat, Message, User } from '../store/rows.ts';
import { dialogIdFor } from '../wire/dialog-id.ts';
import { fullName } from '../wire/names.ts';
import { wireAttach } from '../wire/message.ts';
import { botAuth } from './auth-markers.ts';
import { enqueue, type OutboxEvent } from './outbox.ts';

const YN = (b: boolean | number) => (b ? 'Y' : 'N');
const LANGUAGE = 'en';

/** `data[USER]` of message events (10 keys); join events use the first six. */
export function userData(u: User, short = false): Record<string, string> {
  const base = {
    ID: String(u.id), NAME: fullName(u), FIRST_NAME: u.name, LAST_NAME: u.last_name,
    WORK_POSITION: u.work_position, GENDER: u.gender,
  };
  if (short) return base;
  // An open-line customer (external_auth_id imconnector) is a connector user, from outside the company.
  const connector = u.external_auth_id === 'imconnector';
  return { ...base, IS_BOT: YN(u.is_bot), IS_CONNECTOR: YN(connector), IS_NETWORK: 'N', IS_EXTRANET: YN(connector) };
}

// Group bots by (app, handler URL) so each app gets one POST naming all its bots.
function groupByHandler(bots: Bot[], url: (b: Bot) => string): Map<string, { appId: number; url: string; bots: Bot[] }> {
  const groups = new Map<string, { appId: number; url: string; bots: Bot[] }>();
  for (const b of bots) {
    const u = url(b);
    if (!u) continue;
    const key = `${b.app_id}\n${u}`;
    const g = groups.get(key) ?? { appId: b.app_id, url: u, bots: [] };
    g.bots.push(b);
    groups.set(key, g);
  }
  return groups;
}

const botBlock = (bots: Bot[]) => Object.fromEntries(bots.map((b) => [String(b.id), botAuth(b.id, b.code)]));

function chatFields(chat: Chat): Record<string, string> {
  return {
    CHAT_ID: String(chat.id), CHAT_TITLE: chat.title, CHAT_AUTHOR_ID: String(chat.owner_id), CHAT_AVATAR: '0',
    CHAT_COLOR: chat.color, CHAT_ENTITY_TYPE: chat.entity_type, CHAT_ENTITY_ID: chat.entity_id,
    CHAT_ENTITY_DATA_1: chat.entity_data_1, CHAT_ENTITY_DATA_2: chat.entity_data_2, CHAT_ENTITY_DATA_3: chat.entity_data_3,
    CHAT_EXTRANET: 'N', CHAT_CAN_POST: 'MEMBER', IS_MANAGER: 'N',
  };
}

/** ONIMBOTJOINCHAT: a user opened a private dialog with the bot, or the bot was added to a chat. */
export async function queueJoin(db: Db, chat: Chat, bots: Bot[], user: User): Promise<void> {
  const events: OutboxEvent[] = [];
  for (const g of groupByHandler(bots, (b) => b.h_welcome).values()) {
    const bot = g.bots[0];
    const params: Record<string, string> = chat.type === 'P'
      ? { CHAT_TYPE: 'P', MESSAGE_TYPE: 'P', BOT_ID: String(bot.id), USER_ID: String(user.id), TO_USER_ID: String(user.id),
          FROM_USER_ID: String(bot.id), DIALOG_ID: String(user.id), CHAT_ID: String(chat.id), CHAT_ENTITY_TYPE: chat.entity_type, LANGUAGE }
      : { CHAT_TYPE: chat.type, MESSAGE_TYPE: chat.type, BOT_ID: String(bot.id), USER_ID: String(user.id), CHAT_ID: String(chat.id),
          CHAT_AUTHOR_ID: String(chat.owner_id), CHAT_ENTITY_TYPE: chat.entity_type, CHAT_ENTITY_ID: chat.entity_id,
          ACCESS_HISTORY: '1', DIALOG_ID: `chat${chat.id}`, LANGUAGE };
    events.push({
      appId: g.appId, event: 'ONIMBOTJOINCHAT', handlerUrl: g.url, stream: `chat${chat.id}`, authUserId: user.id,
      data: { BOT: botBlock(g.bots), PARAMS: params, USER: userData(user, true) },
    });
  }
  await enqueue(db, events);
}

/** What a message event needs to know about its message. */
export interface MessageEventInput {
  chat: Chat;
  message: Message;
  author: User;
  /** The text sent to the bot: in group chats the bot's mention is removed. */
  text: string;
  memberCount: number;
  mentioned: number[];
  prevMessageId?: number;
}

/** PARAMS of ONIMBOTMESSAGEADD (and of ONIMCOMMANDADD) for one bot. */
export function messageParams(m: MessageEventInput, bot: Bot): Record<string, unknown> {
  const { chat, message, author } = m;
  const priv = chat.type === 'P';
  const params: Record<string, unknown> = {
    MESSAGE: m.text,
    TEMPLATE_ID: '',
    MESSAGE_TYPE: chat.type,
    FROM_USER_ID: String(author.id),
    DIALOG_ID: priv ? String(author.id) : `chat${chat.id}`,
    TO_CHAT_ID: String(chat.id),
    AUTHOR_ID: String(author.id),
    SYSTEM: YN(message.system),
    TO_USER_ID: priv ? String(bot.id) : String(m.mentioned.includes(bot.id) ? bot.id : 0),
    PUSH: 'Y', PUSH_IMPORTANT: 'N', RECENT_SKIP_AUTHOR: 'N', CONVERT: 'N', SKIP_COMMAND: 'N', SKIP_COUNTER_INCREMENTS: 'N',
    SILENT_CONNECTOR: 'N', SKIP_CONNECTOR: 'N', IMPORTANT_CONNECTOR: 'N', NO_SESSION_OL: 'N', FAKE_RELATION: '0', SKIP_URL_INDEX: 'N',
    COMMAND_CONTEXT: 'TEXTAREA',
    CHAT_USER_COUNT: String(m.memberCount),
    PLATFORM_CONTEXT: 'web',
    MESSAGE_ID: String(message.id),
    CHAT_TYPE: chat.type,
    LANGUAGE,
  };
  if (!priv) {
    Object.assign(params, chatFields(chat), {
      CHAT_PREV_MESSAGE_ID: String(m.prevMessageId ?? 0),
      RID: String(author.id),
      MENTIONED_LIST: Object.fromEntries(m.mentioned.map((id) => [String(id), String(id)])),
      MESSAGE_ORIGINAL: message.text,
    });
  }
  const attach = wireAttach(message);
  if (attach) params.ATTACH = attach;
  return params;
}

/** ONIMBOTMESSAGEADD to each bot that should see a new message. */
export async function queueMessageAdd(db: Db, m: MessageEventInput, bots: Bot[]): Promise<void> {
  const events: OutboxEvent[] = [];
  for (const g of groupByHandler(bots, (b) => b.h_message_add).values()) {
    events.push({
      appId: g.appId, event: 'ONIMBOTMESSAGEADD', handlerUrl: g.url, stream: `chat${m.chat.id}`, authUserId: m.author.id,
      data: { BOT: botBlock(g.bots), PARAMS: messageParams(m, g.bots[0]), USER: userData(m.author) },
    });
  }
  await enqueue(db, events);
}

// Update and delete carry a smaller PARAMS set (docs: ID, CHAT_ID, AUTHOR_ID, MESSAGE, …).
function changeParams(m: MessageEventInput, bot: Bot, text: string): Record<string, unknown> {
  const { chat, message, author } = m;
  const priv = chat.type === 'P';
  const params: Record<string, unknown> = {
    ID: String(message.id), CHAT_ID: String(chat.id), AUTHOR_ID: String(message.author_id), MESSAGE: text,
    MESSAGE_TYPE: chat.type, CHAT_AUTHOR_ID: String(chat.owner_id), CHAT_ENTITY_TYPE: chat.entity_type,
    CHAT_ENTITY_ID: chat.entity_id, CHAT_ENTITY_DATA_1: chat.entity_data_1, CHAT_ENTITY_DATA_2: chat.entity_data_2,
    CHAT_ENTITY_DATA_3: chat.entity_data_3, FROM_USER_ID: String(author.id),
    TO_USER_ID: priv ? String(bot.id) : String(m.mentioned.includes(bot.id) ? bot.id : 0),
    CHAT_USER_COUNT: String(m.memberCount), PLATFORM_CONTEXT: 'web',
    DIALOG_ID: dialogIdFor(chat, bot.id), MESSAGE_ID: String(message.id), CHAT_TYPE: chat.type, LANGUAGE,
  };
  if (!priv) {
    params.MENTIONED_LIST = Object.fromEntries(m.mentioned.map((id) => [String(id), String(id)]));
    params.MESSAGE_ORIGINAL = message.text;
  }
  return params;
}

/** ONIMBOTMESSAGEUPDATE or ONIMBOTMESSAGEDELETE to each bot that bound the matching handler. */
export async function queueMessageChange(db: Db, kind: 'update' | 'delete', m: MessageEventInput, bots: Bot[]): Promise<void> {
  const event = kind === 'update' ? 'ONIMBOTMESSAGEUPDATE' : 'ONIMBOTMESSAGEDELETE';
  const events: OutboxEvent[] = [];
  for (const g of groupByHandler(bots, (b) => (kind === 'update' ? b.h_message_update : b.h_message_delete)).values()) {
    events.push({
      appId: g.appId, event, handlerUrl: g.url, stream: `chat${m.chat.id}`, authUserId: m.author.id,
      data: { BOT: botBlock(g.bots), PARAMS: changeParams(m, g.bots[0], m.text), USER: userData(m.author) },
    });
  }
  await enqueue(db, events);
}

/** ONIMBOTDELETE: only BOT_ID and BOT_CODE; `auth` is the user who removed it (0: reduced block). */
export async function queueBotDelete(db: Db, bot: Bot, byUserId: number): Promise<void> {
  await enqueue(db, [{
    appId: bot.app_id, event: 'ONIMBOTDELETE', handlerUrl: bot.h_bot_delete, stream: 'app', authUserId: byUserId,
    data: { BOT_ID: String(bot.id), BOT_CODE: bot.code },
  }]);
}
