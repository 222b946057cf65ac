/**
 * imbot.register / unregister / update / bot.list: the classic bot registration API. A bot belongs
 * to the app that registered it; webhook callers name their bot family with CLIENT_ID.
 */
import { defineMethod, type CallContext } from '../rest/registry.ts';
import { fail, type ErrorCode } from '../errors.ts';
import { has, obj, str, type Params } from '../rest/params.ts';
import { c, parseInput, type InputOf } from '../rest/schema.ts';
import { botFamilyApp } from '../domain/apps.ts';
import { botsOfApp, listBots, registerBot, unregisterBot, updateBot, type BotChanges, type BotHandlers, type BotProfileColumn } from '../domain/bots.ts';
import { COLORS, fullName, type NewUser } from '../domain/users.ts';
import type { Bot } from '../domain/types.ts';
import { runAction } from '../domain/action.ts';
import { handlerUrl, namedBot, updateFields } from './codecs/bots.ts';

/**
 * The EVENT_* handler URLs in the order they are checked; EVENT_HANDLER stands for any left out (and
 * is resolved once for all). `required`: imbot.register's three required ones are; in FIELDS of
 * imbot.update none is (a left-out one keeps its URL).
 */
function handlerParams(required: boolean) {
  const url = (code: ErrorCode, must: boolean) => handlerUrl(code, { required: required && must, fallback: 'EVENT_HANDLER' });
  return {
    EVENT_MESSAGE_ADD: url('EVENT_MESSAGE_ADD_ERROR', true),
    EVENT_WELCOME_MESSAGE: url('EVENT_WELCOME_MESSAGE_ERROR', true),
    EVENT_BOT_DELETE: url('EVENT_BOT_DELETE_ERROR', true),
    EVENT_MESSAGE_UPDATE: url('EVENT_MESSAGE_UPDATE_ERROR', false),
    EVENT_MESSAGE_DELETE: url('EVENT_MESSAGE_DELETE_ERROR', false),
  };
}

const REGISTER_HANDLERS = handlerParams(true);
const UPDATE_HANDLERS = handlerParams(false);

/** The handler URLs as the domain names them. */
function botHandlers(h: InputOf<typeof UPDATE_HANDLERS>): BotHandlers {
  return {
    messageAdd: h.EVENT_MESSAGE_ADD, welcome: h.EVENT_WELCOME_MESSAGE, botDelete: h.EVENT_BOT_DELETE,
    messageUpdate: h.EVENT_MESSAGE_UPDATE, messageDelete: h.EVENT_MESSAGE_DELETE,
  };
}

// Only a PNG/JPEG/GIF/WebP data in base64 is kept as an avatar; anything else is dropped.
function avatar(raw: string): string {
  const b64 = raw.replace(/^data:image\/\w+;base64,/, '').replace(/\s+/g, '');
  if (!b64) return '';
  const head = Buffer.from(b64.slice(0, 16), 'base64');
  const isImage = head[0] === 0x89 && head[1] === 0x50 || head[0] === 0xff && head[1] === 0xd8 || head.subarray(0, 3).toString() === 'GIF' || head.subarray(8, 12).toString() === 'WEBP';
  return isImage ? b64 : '';
}

/** A bot's PROPERTIES (a free-form object): its name, colour, avatar and the rest of its profile. */
function profile(props: Params): NewUser {
  const color = str(props, 'COLOR').toUpperCase();
  const gender = str(props, 'PERSONAL_GENDER').toUpperCase();
  return {
    name: str(props, 'NAME').trim(),
    lastName: str(props, 'LAST_NAME').trim(),
    color: COLORS[color] ? color : 'GRAPHITE',
    email: str(props, 'EMAIL'),
    birthday: /^\d{4}-\d{2}-\d{2}$/.test(str(props, 'PERSONAL_BIRTHDAY')) ? str(props, 'PERSONAL_BIRTHDAY') : '',
    workPosition: str(props, 'WORK_POSITION'),
    personalWww: str(props, 'PERSONAL_WWW'),
    gender: gender === 'M' || gender === 'F' ? gender : '',
    avatar: avatar(str(props, 'PERSONAL_PHOTO')),
  };
}

/** PROPERTIES keys, the user column each sets and its field of the read profile. */
const PROFILE_COLUMNS: [string, BotProfileColumn, keyof NewUser][] = [
  ['NAME', 'name', 'name'], ['LAST_NAME', 'last_name', 'lastName'], ['COLOR', 'color', 'color'], ['EMAIL', 'email', 'email'],
  ['PERSONAL_BIRTHDAY', 'birthday', 'birthday'], ['WORK_POSITION', 'work_position', 'workPosition'],
  ['PERSONAL_WWW', 'personal_www', 'personalWww'], ['PERSONAL_GENDER', 'gender', 'gender'], ['PERSONAL_PHOTO', 'avatar', 'avatar'],
];

/**
 * What imbot.update's FIELDS (a free-form object) change: handler URLs (one left out keeps its URL),
 * CODE (unique within the app) and the PROPERTIES sent, each only when sent.
 */
async function botChanges(ctx: CallContext, bot: Bot, fields: Params): Promise<BotChanges> {
  const h = botHandlers(await parseInput(UPDATE_HANDLERS, fields, ctx));
  const handlers: BotHandlers = {
    messageAdd: h.messageAdd || bot.h_message_add, welcome: h.welcome || bot.h_welcome, botDelete: h.botDelete || bot.h_bot_delete,
    messageUpdate: h.messageUpdate || bot.h_message_update, messageDelete: h.messageDelete || bot.h_message_delete,
  };
  const code = str(fields, 'CODE').trim();
  if (code && code !== bot.code) {
    const clash = (await botsOfApp(ctx.portal.db, bot.app_id)).find((b) => b.id !== bot.id && b.code.toLowerCase() === code.toLowerCase());
    if (clash) fail('WRONG_REQUEST', 'Bot with this code already exists');
  }
  const set: BotChanges['profile'] = {};
  if (has(fields, 'PROPERTIES')) {
    const raw = obj(fields, 'PROPERTIES');
    const props = profile(raw);
    if (has(raw, 'NAME') && has(raw, 'LAST_NAME') && !props.name && !props.lastName) fail('NAME_ERROR');
    for (const [key, column, field] of PROFILE_COLUMNS) if (has(raw, key)) set[column] = String(props[field] ?? '');
  }
  return { code: code || bot.code, handlers, profile: set };
}

defineMethod({
  name: 'imbot.register', scope: 'imbot', access: 'bot',
  params: {
    CODE: c.requiredString('CODE_ERROR'),
    EVENT_HANDLER: c.string(),
    ...REGISTER_HANDLERS,
    PROPERTIES: c.object().map(profile).check((p) => !!(p.name || p.lastName), 'NAME_ERROR'),
    TYPE: c.choice(['B', 'O', 'S', 'H'], 'B'),
    OPENLINE: c.string().map((v) => v.toUpperCase() === 'Y', 'Y/N'),
    CLIENT_ID: c.string(),
  },
  async handler(ctx, input) {
    const code = input.CODE;
    return runAction(ctx.portal, async (trx) => {
      const app = await botFamilyApp(trx, ctx, input.CLIENT_ID, true);
      const existing = (await botsOfApp(trx, app.id)).find((b) => b.code.toLowerCase() === code.toLowerCase());
      // Registering the same CODE again answers the existing bot, so reinstall handlers are idempotent.
      if (existing) return existing.id;
      const bot = await registerBot(trx, app, {
        code, type: input.TYPE, openline: input.TYPE === 'O' || input.OPENLINE, clientId: input.CLIENT_ID, handlers: botHandlers(input), profile: input.PROPERTIES,
      });
      return bot.id;
    });
  },
});

defineMethod({
  name: 'imbot.unregister', scope: 'imbot', access: 'bot',
  params: { BOT_ID: namedBot() },
  async handler(ctx, { BOT_ID: { bot } }) {
    await runAction(ctx.portal, (trx) => unregisterBot(trx, bot, ctx.user));
    return true;
  },
});

defineMethod({
  name: 'imbot.update', scope: 'imbot', access: 'bot',
  params: { BOT_ID: namedBot(), FIELDS: updateFields("Update fields can't be empty") },
  async handler(ctx, { BOT_ID: { bot }, FIELDS }) {
    const changes = await botChanges(ctx, bot, FIELDS);
    await runAction(ctx.portal, (trx) => updateBot(trx, bot, changes));
    return true;
  },
});

defineMethod({
  name: 'imbot.bot.list', scope: 'imbot', access: 'bot',
  params: {},
  async handler(ctx) {
    const out: Record<string, unknown> = {};
    for (const r of await listBots(ctx.portal.db)) out[String(r.id)] = { ID: r.id, NAME: fullName(r), CODE: r.code, OPENLINE: r.openline ? 'Y' : 'N' };
    // PHP's json_encode of an empty array is [].
    return Object.keys(out).length ? out : [];
  },
});
