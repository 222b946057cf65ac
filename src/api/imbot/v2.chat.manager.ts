/**
 * imbot.v2.Chat.Manager.add / delete (chat-bots-v2/imbot.v2/chats/): the administrators of a chat the
 * bot owns, as imbot.chat.setManager sets them (domain/chat-admin.ts) with the bot's user as the
 * actor; anything else is the pages' ACCESS_DENIED (403).
 */
import { defineMethod, type CallContext } from '../../rest/registry.ts';
import { fail } from '../../errors.ts';
import { c } from '../../rest/schema.ts';
import { runAction } from '../../domain/action.ts';
import { setManager } from '../../domain/chat-admin.ts';
import type { Bot } from '../../domain/types.ts';
import { users } from '../codecs/dialogs.ts';
import { botToken, ownBot } from '../codecs/bots-v2.ts';
import { botActor, chatOfBot } from './v2.chat.ts';

const denied = (): never => fail('ACCESS_DENIED', 'Access denied');

/** `userIds` of Chat.Manager.*: EMPTY_USER_IDS when missing or naming nobody. */
const managerIds = () => users(['EMPTY_USER_IDS']).require((ids) => ids.length > 0, 'EMPTY_USER_IDS');

const params = () => ({ botToken: botToken(), botId: ownBot(), dialogId: c.trimmed(), userIds: managerIds() });

/** Make (or unmake) administrators: only the owner names them; users not in the chat are skipped. */
async function setManagers(ctx: CallContext, bot: Bot, dialogId: string, userIds: number[], manager: boolean) {
  const actor = await botActor(ctx, bot);
  const chat = await chatOfBot(ctx, bot, dialogId);
  if (chat.type === 'P' || chat.owner_id !== bot.id) denied();
  await runAction(ctx.portal, async (trx) => {
    for (const id of userIds) if (id !== bot.id) await setManager(trx, chat, actor, id, manager);
  });
  return { result: true };
}

defineMethod({
  name: 'imbot.v2.Chat.Manager.add', scope: 'imbot', access: 'botv2', denied: 'ACCESS_DENIED', params: params(),
  handler: (ctx, { botId, dialogId, userIds }) => setManagers(ctx, botId, dialogId, userIds, true),
});

defineMethod({
  name: 'imbot.v2.Chat.Manager.delete', scope: 'imbot', access: 'botv2', denied: 'ACCESS_DENIED', params: params(),
  handler: (ctx, { botId, dialogId, userIds }) => setManagers(ctx, botId, dialogId, userIds, false),
});
