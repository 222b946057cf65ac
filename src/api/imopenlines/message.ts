/**
 * imopenlines.message.*: start a new session from a message of the conversation
 * (message.session.start) and keep a message as one of the line's quick answers (message.quick.save).
 */
import { fail } from '../../errors.ts';
import { defineMethod } from '../../rest/registry.ts';
import { c } from '../../rest/schema.ts';
import { runAction } from '../../domain/action.ts';
import { quoteIntoSession, saveQuickAnswer, startByHand } from '../../domain/lines/operations.ts';
import { lineChat } from '../codecs/line-sessions.ts';

defineMethod({
  name: 'imopenlines.message.session.start', scope: 'imopenlines', access: 'line', denied: 'ACCESS_DENIED',
  params: { CHAT_ID: lineChat(), MESSAGE_ID: c.int() },
  handler: (ctx, { CHAT_ID: chat, MESSAGE_ID: messageId }) => runAction(ctx.portal, async (trx) => {
    const exists = messageId > 0 && (await trx.selectFrom('messages').select('id').where('id', '=', messageId).where('chat_id', '=', chat.id).executeTakeFirst());
    if (!exists) fail('CHAT_ID', 'The message is not one of this conversation');
    await startByHand(ctx.portal, trx, chat, ctx.user);
    await quoteIntoSession(ctx.portal, trx, chat, messageId);
    return true;
  }),
});

defineMethod({
  name: 'imopenlines.message.quick.save', scope: 'imopenlines', access: 'line', denied: 'ACCESS_DENIED',
  params: { CHAT_ID: lineChat(), MESSAGE_ID: c.int() },
  handler: (ctx, { CHAT_ID: chat, MESSAGE_ID: messageId }) => runAction(ctx.portal, async (trx) => {
    if (!(await saveQuickAnswer(trx, chat, messageId, ctx.user))) fail('CANT_SAVE_QUICK_ANSWER');
    return true;
  }),
});
