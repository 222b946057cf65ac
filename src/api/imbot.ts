/**
 * imbot.register / unregister / update / bot.list: the classic bot registration API. A bot belongs
 * to the app that registered it; webhook callers name their bot family with CLIENT_ID.
 */
import { defineMethod, type App, type CallContext } from '../rest/registry.ts';
import { fail, type ErrorCode } from '../errors.ts';
import { has, int, obj, str, type Params } from '../rest/params.ts';
import { secret } from '../auth/tokens.ts';
import { ADMIN_SCOPE } from '../domain/apps.ts';
import { botsOfApp, registerBot, unregisterBot, type BotHandlers } from '../domain/bots.ts';
import { COLORS, fullName } from '../domain/users.ts';
import type { Bot } from '../domain/types.ts';
import type { Db } from '../store/db.ts';
import { runAction } from '../domain/action.ts';
import { allowedHandlerUrl, type HandlerUrlChecks } from './handler-url.ts';

const BOT_TYPES = ['B', 'O', 'S', 'H'];

/**
 * The app a bot call acts for: the OAuth app, or for a webhook the app named by CLIENT_ID (created on
 * first registration, as Bitrix24 keys webhook bots by `custom<CLIENT_ID>`).
 */
export async function botApp(ctx: CallContext, p: Params, db: Db = ctx.portal.db, create = false): Promise<App> {
  if (ctx.app) return ctx.app;
  const clientId = str(p, 'CLIENT_ID');
  if (!clientId) fail('ACCESS_DENIED', 'Access denied! Client ID not specified');
  const code = `custom${clientId}`;
  const found = await db.selectFrom('apps').selectAll().where('client_id', '=', code).executeTakeFirst();
  if (found) return found;
  if (!create) fail('BOT_ID_ERROR');
  return db.insertInto('apps').values({
    code, name: `Webhook bot ${clientId}`, client_id: code, client_secret: secret(24), application_token: secret(16),
    // The bot family inherits the webhook's scopes, but never the admin scope: its event tokens go to
    // bot handlers, and a scope is only ever granted by asking for it by name.
    handler_url: '', scope: ctx.scopes.filter((s) => s !== ADMIN_SCOPE).join(','), version: 1, installed: 1, install_user_id: ctx.user.id, created_at: Date.now(),
  }).returningAll().executeTakeFirstOrThrow();
}

/** The bot a call names with BOT_ID (or the app's first bot), checked to belong to the calling app. */
export async function callerBot(ctx: CallContext, p: Params): Promise<{ bot: Bot; app: App }> {
  const app = await botApp(ctx, p);
  const db = ctx.portal.db;
  if (!has(p, 'BOT_ID') || !str(p, 'BOT_ID')) {
    const first = (await botsOfApp(db, app.id))[0];
    if (!first) fail('BOT_ID_ERROR');
    return { bot: first, app };
  }
  const bot = await db.selectFrom('bots').selectAll().where('id', '=', int(p, 'BOT_ID')).executeTakeFirst();
  if (!bot) fail('BOT_ID_ERROR');
  if (bot.app_id !== app.id) fail('APP_ID_ERROR');
  return { bot, app };
}

/** Read the EVENT_* handler URLs; `required` lists the ones that must be present. */
async function handlers(ctx: CallContext, p: Params, base: Partial<BotHandlers>, required: boolean): Promise<BotHandlers> {
  const all = str(p, 'EVENT_HANDLER');
  // EVENT_HANDLER usually stands for all five: its host is resolved and checked once.
  const checks: HandlerUrlChecks = new Map();
  const pickUrl = async (key: string, code: ErrorCode, current: string | undefined, must: boolean) => {
    const raw = str(p, key) || all;
    if (!raw) {
      if (must) fail(code);
      return current ?? '';
    }
    return allowedHandlerUrl(ctx, raw, code, undefined, checks);
  };
  return {
    messageAdd: await pickUrl('EVENT_MESSAGE_ADD', 'EVENT_MESSAGE_ADD_ERROR', base.messageAdd, required),
    welcome: await pickUrl('EVENT_WELCOME_MESSAGE', 'EVENT_WELCOME_MESSAGE_ERROR', base.welcome, required),
    botDelete: await pickUrl('EVENT_BOT_DELETE', 'EVENT_BOT_DELETE_ERROR', base.botDelete, required),
    messageUpdate: await pickUrl('EVENT_MESSAGE_UPDATE', 'EVENT_MESSAGE_UPDATE_ERROR', base.messageUpdate, false),
    messageDelete: await pickUrl('EVENT_MESSAGE_DELETE', 'EVENT_MESSAGE_DELETE_ERROR', base.messageDelete, false),
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

function profile(props: Params) {
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

defineMethod({
  name: 'imbot.register', scope: 'imbot', access: 'bot',
  async handler(ctx, p) {
    const code = str(p, 'CODE').trim();
    if (!code) fail('CODE_ERROR');
    const h = await handlers(ctx, p, {}, true);
    const props = profile(obj(p, 'PROPERTIES'));
    if (!props.name && !props.lastName) fail('NAME_ERROR');
    let type = str(p, 'TYPE').toUpperCase() || 'B';
    if (!BOT_TYPES.includes(type)) type = 'B';
    return runAction(ctx.portal, async (trx) => {
      const app = await botApp(ctx, p, trx, true);
      const existing = (await botsOfApp(trx, app.id)).find((b) => b.code.toLowerCase() === code.toLowerCase());
      // Registering the same CODE again answers the existing bot, so reinstall handlers are idempotent.
      if (existing) return existing.id;
      const bot = await registerBot(trx, app, {
        code, type, openline: type === 'O' || str(p, 'OPENLINE').toUpperCase() === 'Y', clientId: str(p, 'CLIENT_ID'), handlers: h, profile: props,
      });
      return bot.id;
    });
  },
});

defineMethod({
  name: 'imbot.unregister', scope: 'imbot', access: 'bot',
  async handler(ctx, p) {
    if (!int(p, 'BOT_ID')) fail('BOT_ID_ERROR');
    const { bot } = await callerBot(ctx, p);
    await runAction(ctx.portal, (trx) => unregisterBot(trx, bot, ctx.user));
    return true;
  },
});

defineMethod({
  name: 'imbot.update', scope: 'imbot', access: 'bot',
  async handler(ctx, p) {
    if (!int(p, 'BOT_ID')) fail('BOT_ID_ERROR');
    const { bot, app } = await callerBot(ctx, p);
    const fields = obj(p, 'FIELDS');
    if (Object.keys(fields).length === 0) fail('WRONG_REQUEST', "Update fields can't be empty");
    const h = await handlers(ctx, fields, {
      messageAdd: bot.h_message_add, welcome: bot.h_welcome, botDelete: bot.h_bot_delete,
      messageUpdate: bot.h_message_update, messageDelete: bot.h_message_delete,
    }, false);
    const db = ctx.portal.db;
    const code = str(fields, 'CODE').trim();
    if (code && code !== bot.code) {
      const clash = (await botsOfApp(db, app.id)).find((b) => b.id !== bot.id && b.code.toLowerCase() === code.toLowerCase());
      if (clash) fail('WRONG_REQUEST', 'Bot with this code already exists');
    }
    const userSet: Record<string, string> = {};
    if (has(fields, 'PROPERTIES')) {
      const raw = obj(fields, 'PROPERTIES');
      const props = profile(raw);
      if (has(raw, 'NAME') && has(raw, 'LAST_NAME') && !props.name && !props.lastName) fail('NAME_ERROR');
      const map: Record<string, [string, string]> = {
        NAME: ['name', props.name], LAST_NAME: ['last_name', props.lastName], COLOR: ['color', props.color], EMAIL: ['email', props.email],
        PERSONAL_BIRTHDAY: ['birthday', props.birthday], WORK_POSITION: ['work_position', props.workPosition],
        PERSONAL_WWW: ['personal_www', props.personalWww], PERSONAL_GENDER: ['gender', props.gender], PERSONAL_PHOTO: ['avatar', props.avatar],
      };
      for (const [key, [col, val]] of Object.entries(map)) if (has(raw, key)) userSet[col] = val;
    }
    await runAction(ctx.portal, async (trx) => {
      await trx.updateTable('bots').set({
        code: code || bot.code, h_message_add: h.messageAdd, h_welcome: h.welcome, h_bot_delete: h.botDelete,
        h_message_update: h.messageUpdate, h_message_delete: h.messageDelete,
      }).where('id', '=', bot.id).execute();
      if (Object.keys(userSet).length) await trx.updateTable('users').set(userSet).where('id', '=', bot.id).execute();
    });
    return true;
  },
});

defineMethod({
  name: 'imbot.bot.list', scope: 'imbot', access: 'bot',
  async handler(ctx) {
    const db = ctx.portal.db;
    const rows = await db.selectFrom('bots').innerJoin('users', 'users.id', 'bots.id')
      .select(['bots.id', 'bots.code', 'bots.openline', 'users.name', 'users.last_name']).orderBy('bots.id').execute();
    const out: Record<string, unknown> = {};
    for (const r of rows) out[String(r.id)] = { ID: r.id, NAME: fullName(r), CODE: r.code, OPENLINE: r.openline ? 'Y' : 'N' };
    // PHP's json_encode of an empty array is [].
    return Object.keys(out).length ? out : [];
  },
});
