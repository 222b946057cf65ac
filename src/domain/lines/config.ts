/**
 * A line's configuration (imopenlines.config.*): every documented field with its kind and the
 * default a new line gets, how given values are normalized for storage (the `settings` JSON of
 * ol_lines), and the typed view routing reads. Values that are not of a field's kind fall back to
 * its default, as Bitrix24 takes any PARAMS without a field-level error; unknown fields are dropped.
 */
import type { Generated, Selectable } from 'kysely';

declare module '../../store/schema.ts' {
  interface Database { ol_lines: OlLinesTable; ol_queue: OlQueueTable }
}

export interface OlLinesTable {
  id: Generated<number>;
  name: string;
  active: number;
  /** JSON object: field name → normalized value (strings, or arrays for the list fields). */
  settings: string;
  created_at: number;
  modified_at: number;
  modify_user_id: number;
  /** The code a user joins the line as a network line with (imopenlines.network.join): 32 hex characters. */
  network_code: string;
  /** The bot standing for the line in its network users' dialogs; 0 until a user joins. */
  network_bot_id: number;
  /** The public code of the line's website live chat (`/widget/<code>/…`): 24 hex characters, not the network code. */
  livechat_code: string;
}

/** A line's queue in order: operators (`user`) and departments (their active members). */
export interface OlQueueTable { line_id: number; entity_type: string; entity_id: number; position: number }

export type Line = Selectable<OlLinesTable>;

type Kind = { flag: true } | { int: true } | { text: true } | { oneOf: readonly string[] } | { list: true } | { object: true };

const flag = (d: 'Y' | 'N') => ({ kind: { flag: true } as Kind, d });
const int = (d: number) => ({ kind: { int: true } as Kind, d: String(d) });
const str = (d = '') => ({ kind: { text: true } as Kind, d });
const oneOf = (values: readonly string[], d: string) => ({ kind: { oneOf: values } as Kind, d });
/** How a field of the live chat's visitor form is asked for. */
export const FORM_RULES = ['off', 'optional', 'required'] as const;

/**
 * Every config field but ID, LINE_NAME, ACTIVE and QUEUE (columns and ol_queue), in the documented
 * order, with the default of a new line (the docs give none: these are what a new Bitrix24 line shows).
 */
export const CONFIG_FIELDS = {
  QUEUE_TYPE: oneOf(['evenly', 'strictly', 'all'], 'evenly'),
  QUEUE_TIME: int(60),
  NO_ANSWER_TIME: int(60),
  NO_ANSWER_RULE: oneOf(['none', 'text', 'form', 'queue'], 'none'),
  NO_ANSWER_TEXT: str(),
  NO_ANSWER_FORM_ID: int(0),
  NO_ANSWER_BOT_ID: int(0),
  CHECK_AVAILABLE: flag('N'),
  MAX_CHAT: int(0),
  TYPE_MAX_CHAT: oneOf(['answered', 'answered_new', 'closed'], 'answered_new'),
  SESSION_PRIORITY: int(0),
  WELCOME_MESSAGE: flag('Y'),
  WELCOME_MESSAGE_TEXT: str('Welcome to the open line![br]The first available operator will answer you.'),
  SEND_WELCOME_EACH_SESSION: flag('N'),
  WELCOME_BOT_ENABLE: flag('N'),
  WELCOME_BOT_ID: int(0),
  WELCOME_BOT_JOIN: oneOf(['first', 'always'], 'always'),
  WELCOME_BOT_TIME: int(600),
  WELCOME_BOT_LEFT: oneOf(['queue', 'close'], 'queue'),
  WORKTIME_ENABLE: flag('N'),
  WORKTIME_FROM: str('9:00'),
  WORKTIME_TO: str('18:30'),
  WORKTIME_TIMEZONE: str(''),
  WORKTIME_DAYOFF: { kind: { list: true } as Kind, d: [] as string[] },
  WORKTIME_HOLIDAYS: { kind: { list: true } as Kind, d: [] as string[] },
  WORKTIME_DAYOFF_RULE: oneOf(['none', 'text', 'form'], 'text'),
  WORKTIME_DAYOFF_TEXT: str(''),
  WORKTIME_DAYOFF_FORM_ID: int(0),
  WORKTIME_DAYOFF_BOT_ID: int(0),
  CLOSE_RULE: oneOf(['none', 'text', 'form', 'quality'], 'none'),
  CLOSE_TEXT: str(''),
  CLOSE_FORM_ID: int(0),
  CLOSE_BOT_ID: int(0),
  AUTO_CLOSE_RULE: oneOf(['none', 'text', 'form'], 'none'),
  AUTO_CLOSE_TIME: int(14_400),
  AUTO_CLOSE_TEXT: str(''),
  AUTO_CLOSE_FORM_ID: int(0),
  AUTO_CLOSE_BOT_ID: int(0),
  FULL_CLOSE_TIME: int(10),
  AUTO_EXPIRE_TIME: int(86_400),
  CONFIRM_CLOSE: flag('Y'),
  VOTE_MESSAGE: flag('Y'),
  VOTE_TIME_LIMIT: int(0),
  VOTE_BEFORE_FINISH: flag('Y'),
  VOTE_CLOSING_DELAY: flag('N'),
  VOTE_MESSAGE_1_TEXT: str('Please rate the quality of service.'),
  VOTE_MESSAGE_1_LIKE: str('Thank you for your feedback!'),
  VOTE_MESSAGE_1_DISLIKE: str('We are sorry we could not help you. We will do better.'),
  VOTE_MESSAGE_2_TEXT: str('Please rate the quality of service.\n\nSend: 1 - good, 0 - bad'),
  VOTE_MESSAGE_2_LIKE: str('Thank you for your feedback!'),
  VOTE_MESSAGE_2_DISLIKE: str('We are sorry we could not help you. We will do better.'),
  OPERATOR_DATA: oneOf(['profile', 'queue', 'hide'], 'profile'),
  DEFAULT_OPERATOR_DATA: { kind: { object: true } as Kind, d: {} as Record<string, unknown> },
  CRM: flag('N'),
  CRM_CREATE: oneOf(['none', 'lead', 'deal'], 'none'),
  CRM_CREATE_SECOND: str('0'),
  CRM_CREATE_THIRD: flag('Y'),
  CRM_CHAT_TRACKER: flag('N'),
  CRM_FORWARD: flag('N'),
  CRM_TRANSFER_CHANGE: flag('N'),
  CRM_SOURCE: str('create'),
  CATEGORY_ENABLE: flag('N'),
  CATEGORY_ID: int(0),
  LANGUAGE_ID: str('en'),
  TEMPORARY: flag('N'),
  QUICK_ANSWERS_IBLOCK_ID: int(0),
  KPI_FIRST_ANSWER_TIME: int(0),
  KPI_FIRST_ANSWER_ALERT: flag('N'),
  KPI_FIRST_ANSWER_TEXT: str(''),
  KPI_FURTHER_ANSWER_TIME: int(0),
  KPI_FURTHER_ANSWER_ALERT: flag('N'),
  KPI_FURTHER_ANSWER_TEXT: str(''),
  KPI_CHECK_OPERATOR_ACTIVITY: flag('N'),
  USE_WELCOME_FORM: flag('N'),
  WELCOME_FORM_ID: int(0),
  WELCOME_FORM_DELAY: flag('Y'),
  IGNORE_WELCOME_FORM_RESPONSIBLE: flag('N'),
  WATCH_TYPING: flag('Y'),
  AGREEMENT_MESSAGE: flag('N'),
  AGREEMENT_ID: int(0),
  SEND_NOTIFICATION_EMPTY_QUEUE: flag('N'),
  // Parley's: the website live chat's widget (src/domain/lines/livechat.ts). Not Bitrix24 fields.
  LIVECHAT_TITLE: str(''),
  LIVECHAT_COLOR: str('#2f6fde'),
  LIVECHAT_GREETING: str(''),
  LIVECHAT_POSITION: oneOf(['bottom-right', 'bottom-left'], 'bottom-right'),
  LIVECHAT_FORM_NAME: oneOf(FORM_RULES, 'off'),
  LIVECHAT_FORM_EMAIL: oneOf(FORM_RULES, 'off'),
  LIVECHAT_FORM_PHONE: oneOf(FORM_RULES, 'off'),
  /** Site origins allowed to use the live chat (`https://shop.example.com`); empty: any. */
  LIVECHAT_ORIGINS: { kind: { list: true } as Kind, d: [] as string[] },
} as const;

export type ConfigField = keyof typeof CONFIG_FIELDS;
export type Settings = { [K in ConfigField]: (typeof CONFIG_FIELDS)[K]['d'] };

/** A line's settings: its defaults overlaid by what was stored. */
export function settingsOf(line: Pick<Line, 'settings'>): Settings {
  const stored = JSON.parse(line.settings || '{}') as Partial<Settings>;
  const out: Record<string, unknown> = {};
  for (const [k, f] of Object.entries(CONFIG_FIELDS)) out[k] = stored[k as ConfigField] ?? f.d;
  return out as Settings;
}

const FLAG_Y = new Set(['Y', 'y', '1', 'true', 'TRUE', 'on']);

/** One given value in its field's stored form, or undefined when it is not of the field's kind. */
function normalized(field: ConfigField, value: unknown): unknown {
  const kind = CONFIG_FIELDS[field].kind;
  const scalar = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
  if ('flag' in kind) return scalar === undefined ? undefined : FLAG_Y.has(scalar) ? 'Y' : 'N';
  if ('int' in kind) return scalar !== undefined && /^-?\d{1,15}$/.test(scalar.trim()) ? String(Number(scalar.trim())) : undefined;
  if ('text' in kind) return scalar;
  if ('oneOf' in kind) return scalar !== undefined && kind.oneOf.includes(scalar.toLowerCase()) ? scalar.toLowerCase() : undefined;
  if ('list' in kind) {
    const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : value && typeof value === 'object' ? Object.values(value) : undefined;
    return items?.map((v) => String(v).trim()).filter(Boolean).slice(0, 400);
  }
  return value && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
}

/** The given PARAMS merged into stored settings (`base`: what a line has now, for update). */
export function mergedSettings(base: Partial<Settings>, params: Record<string, unknown>): Partial<Settings> {
  const out: Record<string, unknown> = { ...base };
  for (const field of Object.keys(CONFIG_FIELDS) as ConfigField[]) {
    if (!(field in params)) continue;
    const v = normalized(field, params[field]);
    if (v !== undefined) out[field] = v;
  }
  return out as Partial<Settings>;
}

/** The typed settings routing reads (seconds turned into ms where timers use them). */
export interface Routing {
  queueType: 'evenly' | 'strictly' | 'all';
  queueTimeMs: number;
  checkAvailable: boolean;
  maxChat: number;
  welcome: string | undefined;
  welcomeEachSession: boolean;
  bot: { id: number; join: 'first' | 'always'; timeMs: number; left: 'queue' | 'close' } | undefined;
  closeText: string | undefined;
  autoCloseMs: number;
  autoCloseText: string | undefined;
  vote: { text: string; like: string; dislike: string } | undefined;
  /** What a session started outside working hours tells the customer (WORKTIME_DAYOFF_RULE=text). */
  dayoffText: string | undefined;
  /** What a customer waiting this long without an operator's answer is told, once (NO_ANSWER_RULE=text). */
  noAnswer: { text: string; afterMs: number } | undefined;
}

/** What routing needs of a line's settings. */
export function routingOf(s: Settings): Routing {
  const secs = (v: string) => Math.max(0, Number(v) || 0) * 1000;
  return {
    queueType: s.QUEUE_TYPE as Routing['queueType'],
    queueTimeMs: secs(s.QUEUE_TIME),
    checkAvailable: s.CHECK_AVAILABLE === 'Y',
    maxChat: Math.max(0, Number(s.MAX_CHAT) || 0),
    welcome: s.WELCOME_MESSAGE === 'Y' && s.WELCOME_MESSAGE_TEXT ? s.WELCOME_MESSAGE_TEXT : undefined,
    welcomeEachSession: s.SEND_WELCOME_EACH_SESSION === 'Y',
    bot: s.WELCOME_BOT_ENABLE === 'Y' && Number(s.WELCOME_BOT_ID) > 0
      ? { id: Number(s.WELCOME_BOT_ID), join: s.WELCOME_BOT_JOIN as 'first' | 'always', timeMs: secs(s.WELCOME_BOT_TIME), left: s.WELCOME_BOT_LEFT as 'queue' | 'close' }
      : undefined,
    closeText: s.CLOSE_RULE === 'text' && s.CLOSE_TEXT ? s.CLOSE_TEXT : undefined,
    autoCloseMs: secs(s.AUTO_CLOSE_TIME),
    autoCloseText: s.AUTO_CLOSE_RULE === 'text' && s.AUTO_CLOSE_TEXT ? s.AUTO_CLOSE_TEXT : undefined,
    vote: s.VOTE_MESSAGE === 'Y' ? { text: s.VOTE_MESSAGE_2_TEXT, like: s.VOTE_MESSAGE_2_LIKE, dislike: s.VOTE_MESSAGE_2_DISLIKE } : undefined,
    dayoffText: s.WORKTIME_ENABLE === 'Y' && s.WORKTIME_DAYOFF_RULE === 'text' && s.WORKTIME_DAYOFF_TEXT ? s.WORKTIME_DAYOFF_TEXT : undefined,
    noAnswer: s.NO_ANSWER_RULE === 'text' && s.NO_ANSWER_TEXT ? { text: s.NO_ANSWER_TEXT, afterMs: secs(s.NO_ANSWER_TIME) } : undefined,
  };
}
