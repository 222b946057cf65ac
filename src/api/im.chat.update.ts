/**
 * im.chat.updateTitle, im.chat.updateColor, im.chat.updateAvatar and im.chat.setOwner: a member
 * changing how a group or open chat looks, and its owner handing it over. Any member may change the
 * look (Bitrix24's default "manage_ui: member"); only the owner changes the owner. Each change posts
 * its system line. Codes follow the seed; the private-dialog refusals are the English docs'.
 */
import { defineMethod } from '../rest/registry.ts';
import { fail, type ErrorCode } from '../errors.ts';
import { int, str } from '../rest/params.ts';
import { COLORS, findUser } from '../domain/users.ts';
import { recolorChat, renameChat, setChatAvatar, transferOwnership } from '../domain/chat-admin.ts';
import { avatarParam, change, chatIdParam, memberChat, UNAVAILABLE } from './im.chat.params.ts';

defineMethod({
  name: 'im.chat.updateTitle', scope: 'im', access: 'dialog',
  async handler(ctx, p) {
    const chatId = chatIdParam(p);
    const title = str(p, 'TITLE').trim();
    if (!title) fail('TITLE_EMPTY');
    // The seed's WRONG_REQUEST: the title is already set, or the chat does not exist.
    const wrong: [ErrorCode, string] = ['WRONG_REQUEST', "This title currently set or chat doesn't exist"];
    await change(ctx, async (trx) => {
      const chat = await memberChat(trx, ctx.user, chatId, { missing: wrong, privateText: 'This chat cannot be renamed' });
      if (!(await renameChat(ctx.portal, trx, chat, ctx.user, title))) fail(...wrong);
    });
    return true;
  },
});

defineMethod({
  name: 'im.chat.updateColor', scope: 'im', access: 'dialog',
  async handler(ctx, p) {
    const chatId = chatIdParam(p);
    const color = str(p, 'COLOR').trim().toUpperCase();
    if (!COLORS[color]) fail('WRONG_COLOR');
    const wrong: [ErrorCode, string] = ['WRONG_REQUEST', "This color currently set or chat doesn't exist"];
    await change(ctx, async (trx) => {
      const chat = await memberChat(trx, ctx.user, chatId, { missing: wrong, privateText: UNAVAILABLE });
      if (!(await recolorChat(ctx.portal, trx, chat, ctx.user, color))) fail(...wrong);
    });
    return true;
  },
});

defineMethod({
  name: 'im.chat.updateAvatar', scope: 'im', access: 'dialog',
  async handler(ctx, p) {
    const chatId = chatIdParam(p);
    await change(ctx, async (trx) => {
      const chat = await memberChat(trx, ctx.user, chatId, {
        missing: ['WRONG_REQUEST', "Chat doesn't exist"], privateText: 'The avatar of this chat cannot be changed',
      });
      await setChatAvatar(ctx.portal, trx, chat, ctx.user, avatarParam(p));
    });
    return true;
  },
});

defineMethod({
  name: 'im.chat.setOwner', scope: 'im', access: 'dialog',
  async handler(ctx, p) {
    const chatId = chatIdParam(p);
    const userId = int(p, 'USER_ID');
    if (userId <= 0) fail('USER_ID_EMPTY');
    await change(ctx, async (trx) => {
      const chat = await memberChat(trx, ctx.user, chatId, { privateText: UNAVAILABLE });
      const next = await findUser(trx, userId);
      if (!next || !(await transferOwnership(ctx.portal, trx, chat, ctx.user, next))) {
        fail('WRONG_REQUEST', 'Change owner can only owner and user must be member in chat');
      }
    });
    return true;
  },
});
