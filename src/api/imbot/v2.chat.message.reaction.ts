/**
 * imbot.v2.Chat.Message.Reaction.add / delete (chat-bots-v2/imbot.v2/messages/): a v2 bot reacting to
 * a message of a chat it is in, with any code the page lists. As Bitrix24 keeps reactions: one per
 * person (or bot) and message — adding another replaces it; the same one again is
 * REACTION_ALREADY_SET; deleting one not set is REACTION_NOT_FOUND (Bitrix24's reaction service
 * answers that too); any reaction shows as the classic like (PARAMS.LIKE, ♥ in the messenger).
 * The message's author, if a v2 bot, hears ONIMBOTV2REACTIONCHANGE with the code.
 */
import { defineMethod, type CallContext } from '../../rest/registry.ts';
import { fail } from '../../errors.ts';
import { int, str } from '../../rest/params.ts';
import { Codec } from '../../rest/schema.ts';
import { runAction } from '../../domain/action.ts';
import { setReaction, takeReaction } from '../../domain/messages.ts';
import { findLikeableMessage } from '../../domain/message-access.ts';
import type { Bot } from '../../domain/types.ts';
import { botToken, ownBot } from '../codecs/bots-v2.ts';
import { botActor } from './v2.chat.ts';

/** The reaction codes, as Reaction.add's page lists them. */
export const REACTIONS: ReadonlySet<string> = new Set([
  'like', 'dislike', 'faceWithTearsOfJoy', 'redHeart', 'neutralFace', 'fire', 'cry', 'slightlySmilingFace', 'winkingFace',
  'laugh', 'kiss', 'wonder', 'slightlyFrowningFace', 'loudlyCryingFace', 'faceWithStuckOutTongue',
  'faceWithStuckOutTongueAndWinkingEye', 'smilingFaceWithSunglasses', 'confusedFace', 'flushedFace', 'thinkingFace', 'angry',
  'smilingFaceWithHorns', 'faceWithThermometer', 'facepalm', 'poo', 'flexedBiceps', 'clappingHands', 'raisedHand',
  'smilingFaceWithHeartEyes', 'smilingFaceWithHearts', 'pleadingFace', 'relievedFace', 'foldedHands', 'okHand',
]);

/** `reaction`: a listed code (exactly as written); REACTION_NOT_FOUND otherwise. */
const reaction = () => new Codec<string>('string', (p, n) => {
  const code = str(p, n).trim();
  if (!REACTIONS.has(code)) fail('REACTION_NOT_FOUND');
  return code;
}, true, 'REACTION_NOT_FOUND');

/** `messageId`: a missing one names no message of the bot's chats (ACCESS_DENIED). */
const messageId = () => new Codec<number>('integer', (p, n) => int(p, n), true, 'ACCESS_DENIED');

/** Set (or take back) the bot's reaction `code` on a message it sees. */
async function react(ctx: CallContext, bot: Bot, id: number, code: string, add: boolean) {
  const actor = await botActor(ctx, bot);
  // A message of a chat the bot is in, and that it sees (not deleted, not in history hidden from it).
  const message = id > 0 ? await findLikeableMessage(ctx.portal.db, id, actor) : undefined;
  if (!message) fail('ACCESS_DENIED', 'Access denied');
  const changed = await runAction(ctx.portal, (trx) => (add ? setReaction : takeReaction)(trx, message, actor.id, code));
  if (!changed) fail(add ? 'REACTION_ALREADY_SET' : 'REACTION_NOT_FOUND');
  return { result: true };
}

const params = () => ({ botToken: botToken(), botId: ownBot(), messageId: messageId(), reaction: reaction() });

defineMethod({
  name: 'imbot.v2.Chat.Message.Reaction.add', scope: 'imbot', access: 'botv2', denied: 'ACCESS_DENIED', params: params(),
  handler: (ctx, { botId, messageId: id, reaction: code }) => react(ctx, botId, id, code, true),
});

defineMethod({
  name: 'imbot.v2.Chat.Message.Reaction.delete', scope: 'imbot', access: 'botv2', denied: 'ACCESS_DENIED', params: params(),
  handler: (ctx, { botId, messageId: id, reaction: code }) => react(ctx, botId, id, code, false),
});
