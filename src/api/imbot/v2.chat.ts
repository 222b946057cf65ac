/**
 * imbot.v2.Chat.add / get / update / leave / setOwner (chat-bots-v2/imbot.v2/chats/): a v2 bot
 * creating and managing group chats. The bodies are imbot.chat.*'s (../chat-actions.ts and
 * domain/chat-admin.ts) with the bot's user as the actor; a chat is named by `dialogId` and must be
 * one the bot is in, else ACCESS_DENIED "Bot is not a participant in the chat" (403), as each page
 * lists it. Members and managers: v2.chat.member.ts.
 */
import { defineMethod, type CallContext } from '../../rest/registry.ts';
import { fail, RestError } from '../../errors.ts';
import { has, int, pick, str, type Params } from '../../rest/params.ts';
import { c } from '../../rest/schema.ts';
import { runAction } from '../../domain/action.ts';
import { findUser, findUsers, COLORS } from '../../domain/users.ts';
import { findChat, memberIds } from '../../domain/chats.ts';
import { botChat } from '../../domain/bot-v2-chats.ts';
import { describeChat, recolorChat, renameChat, setChatAvatar, transferOwnership } from '../../domain/chat-admin.ts';
import type { Bot, Chat, User } from '../../domain/types.ts';
import { avatar, avatarIfValid } from '../codecs/chat-looks.ts';
import { users } from '../codecs/dialogs.ts';
import { addChat, asBot, IM_RULES, removeChatMember } from '../chat-actions.ts';
import { answerUser, chatAnswer } from '../bots-v2.wire.ts';
import { botToken, ownBot } from '../codecs/bots-v2.ts';
import { capMessage } from '../message-input.ts';

const denied = (): never => fail('ACCESS_DENIED', 'Access denied');

/** The bot's user, the actor of every chat body. */
export async function botActor(ctx: CallContext, bot: Bot): Promise<User> {
  return (await findUser(ctx.portal.db, bot.id)) ?? denied();
}

/** The chat `dialogId` names, if the bot is in it; ACCESS_DENIED otherwise. */
export async function chatOfBot(ctx: CallContext, bot: Bot, dialogId: string): Promise<Chat> {
  return (await botChat(ctx.portal.db, bot.id, dialogId)) ?? denied();
}

/**
 * A colour as the v2 pages name it (`lightBlue`; the classic `LIGHT_BLUE` too) as the palette's key;
 * '' when it is none, so a new chat gets one of the palette and an update leaves the colour.
 */
function colorKey(f: Params): string {
  const key = str(f, 'color').trim().replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
  return COLORS[key] ? key : '';
}

/** Run a chat body; a refusal it makes (not a member, not allowed, private dialog) is the page's ACCESS_DENIED. */
export async function orDenied<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof RestError && ['ACCESS_ERROR', 'WRONG_REQUEST'].includes(err.code)) denied();
    throw err;
  }
}

const dialog = () => c.trimmed();

/** The longest description kept (the pages name none; a cap before any work, as for titles). */
const MAX_DESCRIPTION = 4000;

defineMethod({
  name: 'imbot.v2.Chat.add', scope: 'imbot', access: 'botv2', denied: 'ACCESS_DENIED',
  params: { botToken: botToken(), botId: ownBot(), fields: c.object() },
  async handler(ctx, { botId: bot, fields }) {
    const actor = await botActor(ctx, bot);
    const id = await addChat(ctx.portal, asBot(actor), {
      USERS: await users().read(fields, 'userIds', ctx), OWNER_ID: int(fields, 'ownerId'), TYPE: 'CHAT',
      TITLE: str(fields, 'title').trim(), DESCRIPTION: str(fields, 'description').slice(0, MAX_DESCRIPTION), COLOR: colorKey(fields), ENTITY_TYPE: '', ENTITY_ID: '',
      AVATAR: await avatarIfValid().read(fields, 'avatar', ctx), MESSAGE: capMessage(str(fields, 'message').trim()),
    });
    const chat = (await findChat(ctx.portal.db, id))!;
    // The participants besides the bot, as the page's example lists them.
    const others = (await memberIds(ctx.portal.db, id)).filter((u) => u !== bot.id);
    const found = await findUsers(ctx.portal.db, others);
    return {
      chat: await chatAnswer(ctx.portal, chat, bot.id, true),
      users: others.flatMap((u) => (found.get(u) ? [answerUser(ctx.portal, found.get(u)!)] : [])),
    };
  },
});

defineMethod({
  name: 'imbot.v2.Chat.get', scope: 'imbot', access: 'botv2', denied: 'ACCESS_DENIED',
  params: { botToken: botToken(), botId: ownBot(), dialogId: dialog() },
  async handler(ctx, { botId: bot, dialogId }) {
    return { chat: await chatAnswer(ctx.portal, await chatOfBot(ctx, bot, dialogId), bot.id) };
  },
});

defineMethod({
  name: 'imbot.v2.Chat.update', scope: 'imbot', access: 'botv2', denied: 'ACCESS_DENIED',
  params: { botToken: botToken(), botId: ownBot(), dialogId: dialog(), fields: c.object() },
  async handler(ctx, { botId: bot, dialogId, fields }) {
    const actor = await botActor(ctx, bot);
    const chat = await chatOfBot(ctx, bot, dialogId);
    // A private dialog has no title, colour or avatar of its own.
    if (chat.type === 'P') denied();
    const image = has(fields, 'avatar') ? await avatar().read(fields, 'avatar', ctx) : undefined;
    const title = str(fields, 'title').trim();
    const colour = colorKey(fields);
    await runAction(ctx.portal, async (trx) => {
      // Each change posts its system line; one already in place changes nothing.
      if (title) await renameChat(ctx.portal, trx, chat, actor, title);
      if (has(fields, 'description')) await describeChat(trx, chat, String(pick(fields, 'description') ?? '').slice(0, MAX_DESCRIPTION));
      if (colour) await recolorChat(ctx.portal, trx, chat, actor, colour);
      if (image) await setChatAvatar(ctx.portal, trx, chat, actor, image);
    });
    return { result: true };
  },
});

defineMethod({
  name: 'imbot.v2.Chat.leave', scope: 'imbot', access: 'botv2', denied: 'ACCESS_DENIED',
  params: { botToken: botToken(), botId: ownBot(), dialogId: dialog() },
  async handler(ctx, { botId: bot, dialogId }) {
    const actor = await botActor(ctx, bot);
    const chat = await chatOfBot(ctx, bot, dialogId);
    if (chat.type === 'P') denied();
    // The page names no refusal for an owner: the chat passes on as when a user leaves (domain leaveChat).
    await orDenied(() => removeChatMember(ctx.portal, { user: actor, rules: IM_RULES }, chat.id, bot.id, { refused: 'Access denied' }));
    return { result: true };
  },
});

defineMethod({
  name: 'imbot.v2.Chat.setOwner', scope: 'imbot', access: 'botv2', denied: 'ACCESS_DENIED',
  params: { botToken: botToken(), botId: ownBot(), dialogId: dialog(), userId: c.int() },
  async handler(ctx, { botId: bot, dialogId, userId }) {
    const actor = await botActor(ctx, bot);
    const chat = await chatOfBot(ctx, bot, dialogId);
    // Only the owner hands the chat over, and only to a member (transferOwnership's rule).
    const next = userId > 0 ? await findUser(ctx.portal.db, userId) : undefined;
    if (!next || chat.type === 'P') denied();
    const done = await runAction(ctx.portal, (trx) => transferOwnership(ctx.portal, trx, chat, actor, next!));
    if (!done) denied();
    return { result: true };
  },
});
