/**
 * imbot.v2.Chat.Message.Reaction.add / delete (chat-bots-v2/imbot.v2/messages/): a v2 bot reacting to
 * a message of a chat it is in. Parley's messenger has one reaction, the like (a row of
 * message_likes, shown as ♥ with its count): the code `like` is that like, and the page's other codes
 * are REACTION_NOT_FOUND — the page itself says its list may shrink. The body is imbot.message.like's
 * (domain likeMessage), so the message's author, if a v2 bot, hears ONIMBOTV2REACTIONCHANGE.
 */
import { defineMethod } from '../../rest/registry.ts';
import { fail } from '../../errors.ts';
import { int, str } from '../../rest/params.ts';
import { Codec } from '../../rest/schema.ts';
import { runAction } from '../../domain/action.ts';
import { likeMessage } from '../../domain/messages.ts';
import { findLikeableMessage } from '../../domain/message-access.ts';
import { botToken, ownBot } from '../codecs/bots-v2.ts';
import { botActor } from './v2.chat.ts';

/** The reaction codes Parley keeps: its like. */
const REACTIONS = new Set(['like']);

/** `reaction`: a code Parley keeps; REACTION_NOT_FOUND otherwise. */
const reaction = () => new Codec<string>('string', (p, n) => {
  const code = str(p, n).trim();
  if (!REACTIONS.has(code)) fail('REACTION_NOT_FOUND');
  return code;
}, true, 'REACTION_NOT_FOUND');

/** `messageId`: a missing one names no message of the bot's chats (ACCESS_DENIED). */
const messageId = () => new Codec<number>('integer', (p, n) => int(p, n), true, 'ACCESS_DENIED');

for (const [name, add] of [['imbot.v2.Chat.Message.Reaction.add', true], ['imbot.v2.Chat.Message.Reaction.delete', false]] as const) {
  defineMethod({
    name, scope: 'imbot', access: 'botv2', denied: 'ACCESS_DENIED',
    params: { botToken: botToken(), botId: ownBot(), messageId: messageId(), reaction: reaction() },
    async handler(ctx, { botId: bot, messageId: id }) {
      const actor = await botActor(ctx, bot);
      // A message of a chat the bot is in, and that it sees (not deleted, not in history hidden from it).
      const message = id > 0 ? await findLikeableMessage(ctx.portal.db, id, actor) : undefined;
      if (!message) fail('ACCESS_DENIED', 'Access denied');
      const changed = await runAction(ctx.portal, (trx) => likeMessage(trx, message, actor.id, add ? 'plus' : 'minus'));
      // Setting it twice is the page's REACTION_ALREADY_SET; removing one not set leaves nothing to do.
      if (add && !changed) fail('REACTION_ALREADY_SET');
      return { result: true };
    },
  });
}
