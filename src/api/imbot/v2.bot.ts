/**
 * imbot.v2.Bot.register / update / get / list / unregister (chat-bots-v2/imbot.v2/bots/): Chatbots
 * 2.0 bots, owned by an OAuth app or, through an incoming webhook, by their botToken. JSON bodies
 * with camelCase names; a form body spells the same (`fields[code]=…`).
 */
import { defineMethod, type CallContext } from '../../rest/registry.ts';
import { fail } from '../../errors.ts';
import { flag, has, obj, pick, str, type Params } from '../../rest/params.ts';
import { c, Codec } from '../../rest/schema.ts';
import { runAction } from '../../domain/action.ts';
import { COLORS, findUser, type NewUser } from '../../domain/users.ts';
import { unregisterBot } from '../../domain/bots.ts';
import { botFields, findBotByCode, findBotById, ownedBots, ownsBot, registerV2Bot, updateV2Bot, V2_TYPES, type NewV2Bot, type V2BotChanges, type V2Type } from '../../domain/bots-v2.ts';
import { allowedHandlerUrl } from '../handler-url.ts';
import { decodeBase64, imageInfo, MAX_AVATAR_SIDE } from '../../domain/images.ts';
import { answerBot, answerUser, botAnswer } from '../bots-v2.wire.ts';
import { botToken, MAX_BOT_TOKEN, ownBot } from '../codecs/bots-v2.ts';

/** The chat backgrounds a bot may name (bot-register.md); anything else is normalised to none. */
const BACKGROUNDS = ['azure', 'mint', 'steel', 'slate', 'teal', 'cornflower', 'sky', 'peach', 'frost'];

const background = (raw: unknown) => (typeof raw === 'string' && BACKGROUNDS.includes(raw) ? raw : '');

// A colour code as the docs spell it (`lightBlue`) in the palette's spelling (LIGHT_BLUE); unknown: none.
function colorName(raw: string): string | undefined {
  const name = raw.trim().replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
  return COLORS[name] ? name : undefined;
}

/** The token of a new bot or a rotation: BOT_TOKEN_INVALID_LENGTH past 40 characters. */
function checkedToken(token: string): string {
  if ([...token].length > MAX_BOT_TOKEN) fail('BOT_TOKEN_INVALID_LENGTH');
  return token;
}

/**
 * properties.avatar: a picture in base64 (kept as base64, as a classic bot's), BOT_AVATAR_INCORRECT_TYPE
 * when it is not one, BOT_AVATAR_INCORRECT_SIZE past 5000 pixels a side.
 */
function avatarOf(props: Params): string | undefined {
  if (!has(props, 'avatar') || !str(props, 'avatar')) return undefined;
  const bytes = decodeBase64(str(props, 'avatar'));
  const picture = bytes && imageInfo(bytes);
  if (!picture) fail('BOT_AVATAR_INCORRECT_TYPE');
  if (picture.width > MAX_AVATAR_SIDE || picture.height > MAX_AVATAR_SIDE) fail('BOT_AVATAR_INCORRECT_SIZE');
  return picture.bytes.toString('base64');
}

/** The event mode and handler URL: BOT_INVALID_EVENT_MODE, BOT_WEBHOOK_URL_REQUIRED, BOT_INVALID_CALLBACK. */
async function delivery(ctx: CallContext, mode: string, url: string): Promise<{ eventMode: 'fetch' | 'webhook'; webhookUrl: string }> {
  if (mode !== 'fetch' && mode !== 'webhook') fail('BOT_INVALID_EVENT_MODE');
  if (mode === 'fetch') return { eventMode: mode, webhookUrl: url ? await allowedHandlerUrl(ctx, url, 'BOT_INVALID_CALLBACK') : '' };
  if (!url) fail('BOT_WEBHOOK_URL_REQUIRED');
  return { eventMode: mode, webhookUrl: await allowedHandlerUrl(ctx, url, 'BOT_INVALID_CALLBACK') };
}

/** Bot.register's `fields`, checked in the order of its page's error table. */
function registerFields(): Codec<Omit<NewV2Bot, 'token'>> {
  return new Codec('object', async (p, name, ctx) => {
    const f = obj(p, name);
    const code = str(f, 'code').trim();
    if (!code) fail('BOT_CODE_REQUIRED');
    const props = obj(f, 'properties');
    const botName = str(props, 'name').trim();
    if (!botName) fail('BOT_PROPERTIES_REQUIRED');
    const type = (str(f, 'type').trim() || 'bot') as V2Type;
    if (!V2_TYPES.includes(type)) fail('BOT_INVALID_TYPE');
    const { eventMode, webhookUrl } = await delivery(ctx, str(f, 'eventMode').trim() || 'fetch', str(f, 'webhookUrl').trim());
    const gender = str(props, 'gender').toUpperCase();
    const profile: NewUser = {
      name: botName, lastName: str(props, 'lastName').trim(), workPosition: str(props, 'workPosition'),
      color: colorName(str(props, 'color')), gender: gender === 'M' || gender === 'F' ? gender : '', avatar: avatarOf(props),
    };
    return {
      code, type, eventMode, webhookUrl, profile, backgroundId: background(pick(f, 'backgroundId')),
      isHidden: flag(f, 'isHidden'), isReactionsEnabled: flag(f, 'isReactionsEnabled', true), isSupportOpenline: flag(f, 'isSupportOpenline'),
    };
  }, true, 'BOT_CODE_REQUIRED');
}

defineMethod({
  name: 'imbot.v2.Bot.register', scope: 'imbot', access: 'botv2',
  params: { botToken: botToken(true), fields: registerFields() },
  async handler(ctx, { botToken: caller, fields }) {
    const input: NewV2Bot = { ...fields, token: caller.app ? '' : checkedToken(caller.token) };
    const { bot } = await runAction(ctx.portal, (trx) => registerV2Bot(trx, caller, input));
    return botAnswer(ctx.portal, bot);
  },
});

/** Bot.update's `fields`: each change only when sent. */
async function updateChanges(ctx: CallContext, f: Params, current: { event_mode: string; webhook_url: string }): Promise<V2BotChanges> {
  const changes: V2BotChanges = { profile: {} };
  if (has(f, 'eventMode') || has(f, 'webhookUrl')) {
    const mode = has(f, 'eventMode') ? str(f, 'eventMode').trim() : current.event_mode || 'fetch';
    const url = has(f, 'webhookUrl') ? str(f, 'webhookUrl').trim() : current.webhook_url;
    Object.assign(changes, await delivery(ctx, mode, url));
  }
  // An empty string or spaces is ignored (bot-update.md).
  const token = str(f, 'botToken').trim();
  if (token) changes.token = checkedToken(token);
  if (has(f, 'isHidden')) changes.isHidden = flag(f, 'isHidden');
  if (has(f, 'isReactionsEnabled')) changes.isReactionsEnabled = flag(f, 'isReactionsEnabled');
  if (has(f, 'isSupportOpenline')) changes.isSupportOpenline = flag(f, 'isSupportOpenline');
  if (has(f, 'backgroundId')) changes.backgroundId = background(pick(f, 'backgroundId'));
  const props = obj(f, 'properties');
  if (str(props, 'name').trim()) changes.profile.name = str(props, 'name').trim();
  if (has(props, 'lastName')) changes.profile.last_name = str(props, 'lastName').trim();
  if (has(props, 'workPosition')) changes.profile.work_position = str(props, 'workPosition');
  // A colour or gender spelled wrongly is ignored.
  const color = colorName(str(props, 'color'));
  if (color) changes.profile.color = color;
  const gender = str(props, 'gender').toUpperCase();
  if (gender === 'M' || gender === 'F') changes.profile.gender = gender;
  const picture = avatarOf(props);
  if (picture) changes.profile.avatar = picture;
  return changes;
}

defineMethod({
  name: 'imbot.v2.Bot.update', scope: 'imbot', access: 'botv2',
  params: { botToken: botToken(), botId: ownBot(), fields: c.object() },
  async handler(ctx, { botId: bot, fields }) {
    const changes = await updateChanges(ctx, fields, bot);
    const updated = await runAction(ctx.portal, (trx) => updateV2Bot(trx, bot, changes));
    return botAnswer(ctx.portal, updated);
  },
});

defineMethod({
  name: 'imbot.v2.Bot.get', scope: 'imbot', access: 'botv2',
  params: { botToken: botToken(), botId: c.int(), code: c.trimmed() },
  async handler(ctx, { botToken: caller, botId, code }) {
    if (botId <= 0 && !code) fail('PARAMS_REQUIRED');
    const bot = botId > 0 ? await findBotById(ctx.portal.db, botId) : await findBotByCode(ctx.portal.db, caller, code);
    if (!bot) fail('BOT_NOT_FOUND');
    // Its owner sees the extended Bot object; anyone else the brief one (bot-get.md).
    return botAnswer(ctx.portal, bot, ownsBot(bot, caller));
  },
});

defineMethod({
  name: 'imbot.v2.Bot.list', scope: 'imbot', access: 'botv2',
  params: { botToken: botToken(), filter: c.object(), limit: c.int(), offset: c.int() },
  async handler(ctx, { botToken: caller, filter, limit, offset }) {
    const type = str(filter, 'type').trim();
    const all = (await ownedBots(ctx.portal.db, caller)).filter((b) => !type || botFields(b).type === type);
    const size = limit > 0 ? limit : 50;
    const from = Math.max(0, offset);
    const page = all.slice(from, from + size);
    const bots = await Promise.all(page.map((b) => answerBot(ctx.portal, b, true)));
    const users = [];
    for (const b of page) {
      const u = await findUser(ctx.portal.db, b.id);
      if (u) users.push(answerUser(ctx.portal, u));
    }
    return { bots, users, hasNextPage: from + size < all.length };
  },
});

defineMethod({
  name: 'imbot.v2.Bot.unregister', scope: 'imbot', access: 'botv2',
  params: { botToken: botToken(), botId: ownBot() },
  async handler(ctx, { botId: bot }) {
    await runAction(ctx.portal, (trx) => unregisterBot(trx, bot, ctx.user));
    return { result: true };
  },
});
