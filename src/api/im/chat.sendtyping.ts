/** im.chat.sendTyping: the chat form of im.dialog.writing (CHAT_ID, like imbot.chat.sendTyping), in the seed's full method list. */
import { defineMethod } from '../../rest/registry.ts';
import { typeInChat } from '../../domain/dialogs.ts';
import { chatId } from '../codecs/dialogs.ts';

defineMethod({
  name: 'im.chat.sendTyping', scope: 'im', access: 'dialog',
  params: { CHAT_ID: chatId() },
  async handler(ctx, { CHAT_ID }) {
    await typeInChat(ctx.portal, ctx.user, CHAT_ID);
    return true;
  },
});
