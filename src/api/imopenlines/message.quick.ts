/**
 * imopenlines.message.quick.list, a Parley addition: the quick answers of a line chat's line, newest
 * first, as `[{id, text}]`. Bitrix24 documents only saving one (imopenlines.message.quick.save); the
 * web messenger's operators need to read them back to insert one into a reply.
 */
import { defineMethod } from '../../rest/registry.ts';
import { lineIdOfChat, quickAnswersOf } from '../../domain/lines/operations.ts';
import { lineChat } from '../codecs/line-sessions.ts';

defineMethod({
  name: 'imopenlines.message.quick.list', scope: 'imopenlines', access: 'line', denied: 'ACCESS_DENIED',
  params: { CHAT_ID: lineChat() },
  handler: async (ctx, { CHAT_ID: chat }) =>
    (await quickAnswersOf(ctx.portal.db, lineIdOfChat(chat))).map((q) => ({ id: Number(q.id), text: q.text })),
});
