/**
 * imbot.v2.Chat.User.add / delete / list and Chat.Manager.add / delete (chat-bots-v2/imbot.v2/chats/):
 * the members and administrators of a chat the bot is in. The bodies are imbot.chat.user.* and
 * imbot.chat.setManager's (../chat-actions.ts, domain/chat-admin.ts) with the bot's user as the
 * actor; what they refuse is the pages' ACCESS_DENIED (403).
 */
import { defineMethod } from '../../rest/registry.ts';
import { fail } from '../../errors.ts';
import { obj, str } from '../../rest/params.ts';
import { c, Codec } from '../../rest/schema.ts';
import { runAction } from '../../domain/action.ts';
import { findUsers } from '../../domain/users.ts';
import { setManager } from '../../domain/chat-admin.ts';
import { memberPage, type MemberOrder } from '../../domain/bot-v2-chats.ts';
import { users } from '../codecs/dialogs.ts';
import { addChatMembers, asBot, removeChatMember } from '../chat-actions.ts';
import { answerUser } from '../bots-v2.wire.ts';
import { botToken, ownBot } from '../codecs/bots-v2.ts';
import { botActor, chatOfBot, orDenied } from './v2.chat.ts';

const denied = (): never => fail('ACCESS_DENIED', 'Access denied');

/** `userIds` of Chat.Manager.*: EMPTY_USER_IDS when missing or naming nobody. */
const managerIds = () => users(['EMPTY_USER_IDS']).require((ids) => ids.length > 0, 'EMPTY_USER_IDS');

defineMethod({
  name: 'imbot.v2.Chat.User.add', scope: 'imbot', access: 'botv2', denied: 'ACCESS_DENIED',
  params: { botToken: botToken(), botId: ownBot(), dialogId: c.trimmed(), userIds: users() },
  async handler(ctx, { botId: bot, dialogId, userIds }) {
    const actor = await botActor(ctx, bot);
    const chat = await chatOfBot(ctx, bot, dialogId);
    // Users already in the chat (or unknown, or deactivated) are skipped; nobody left to add is the page's refusal.
    await orDenied(() => addChatMembers(ctx.portal, asBot(actor), chat.id, userIds, false));
    return { result: true };
  },
});

defineMethod({
  name: 'imbot.v2.Chat.User.delete', scope: 'imbot', access: 'botv2', denied: 'ACCESS_DENIED',
  params: { botToken: botToken(), botId: ownBot(), dialogId: c.trimmed(), userId: c.int() },
  async handler(ctx, { botId: bot, dialogId, userId }) {
    const actor = await botActor(ctx, bot);
    const chat = await chatOfBot(ctx, bot, dialogId);
    // Only the owner and administrators remove others, nobody removes the owner (domain checkRemove).
    await orDenied(() => removeChatMember(ctx.portal, asBot(actor), chat.id, userId, { refused: 'Access denied' }));
    return { result: true };
  },
});

const ORDER_FIELDS = ['id', 'lastSendMessageId', 'userId'] as const;

/** `order`: one of ORDER_FIELDS with ASC or DESC (`{"id": "ASC"}`, the default). */
function memberOrder(p: Record<string, unknown>): MemberOrder {
  const o = obj(p, 'order');
  const field = ORDER_FIELDS.find((f) => Object.hasOwn(o, f)) ?? 'id';
  return { field, desc: str(o, field).toUpperCase() === 'DESC' };
}

defineMethod({
  name: 'imbot.v2.Chat.User.list', scope: 'imbot', access: 'botv2', denied: 'ACCESS_DENIED',
  params: {
    botToken: botToken(), botId: ownBot(), dialogId: c.trimmed(),
    order: new Codec<MemberOrder>('object', (p) => memberOrder(p)), limit: c.int(),
  },
  async handler(ctx, { botId: bot, dialogId, order, limit }) {
    const chat = await chatOfBot(ctx, bot, dialogId);
    // 1–200, 50 when not sent; out of range is brought into it.
    const n = limit > 0 ? Math.min(limit, 200) : 50;
    const ids = await memberPage(ctx.portal.db, chat.id, order, n);
    const found = await findUsers(ctx.portal.db, ids);
    return ids.flatMap((id) => (found.get(id) ? [answerUser(ctx.portal, found.get(id)!)] : []));
  },
});

for (const [name, manager] of [['imbot.v2.Chat.Manager.add', true], ['imbot.v2.Chat.Manager.delete', false]] as const) {
  defineMethod({
    name, scope: 'imbot', access: 'botv2', denied: 'ACCESS_DENIED',
    params: { botToken: botToken(), botId: ownBot(), dialogId: c.trimmed(), userIds: managerIds() },
    async handler(ctx, { botId: bot, dialogId, userIds }) {
      const actor = await botActor(ctx, bot);
      const chat = await chatOfBot(ctx, bot, dialogId);
      // Only the owner names administrators (owner role required); users not in the chat are skipped.
      if (chat.type === 'P' || chat.owner_id !== bot.id) denied();
      await runAction(ctx.portal, async (trx) => {
        for (const id of userIds) if (id !== bot.id) await setManager(trx, chat, actor, id, manager);
      });
      return { result: true };
    },
  });
}
