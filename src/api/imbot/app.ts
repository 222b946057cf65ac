/**
 * imbot.app.register / unregister / update: chat apps, an application's buttons in the messenger's
 * composer (a JS command or an IFRAME page) and the frames its bots' KEYBOARD / MENU buttons open.
 * What the messenger asks of them is parley.chatapp.* (api/parley/chatapp.ts).
 */
import { defineMethod } from '../../rest/registry.ts';
import { fail } from '../../errors.ts';
import { c, Codec } from '../../rest/schema.ts';
import { runAction } from '../../domain/action.ts';
import { deleteChatApp, registerChatApp, updateChatApp, type ChatAppFields } from '../../domain/chat-apps.ts';
import { updateFields } from '../codecs/bots.ts';
import { chatAppFields, chatAppOwner, ownChatApp } from '../codecs/chat-apps.ts';

defineMethod({
  name: 'imbot.app.register', scope: 'imbot', access: 'bot',
  params: {
    BOT_ID: chatAppOwner(),
    CODE: c.requiredString('PARAMS_ERROR', "CODE can't be empty").check((v) => v.length <= 255, 'PARAMS_ERROR', 'CODE is longer than 255 characters'),
    // Listed for the method listing; `_fields` reads them together (codecs/chat-apps.ts chatAppFields).
    JS_METHOD: c.string(), JS_PARAM: c.string(), IFRAME: c.string(), IFRAME_WIDTH: c.int(), IFRAME_HEIGHT: c.int(), HASH: c.string(),
    ICON_FILE: c.string(), CONTEXT: c.string(), HIDDEN: c.flag(), EXTRANET_SUPPORT: c.flag(), LIVECHAT_SUPPORT: c.flag(),
    IFRAME_POPUP: c.flag(), LANG: c.list(),
    _fields: new Codec('fields', (p, _name, ctx) => chatAppFields(ctx, p)),
  },
  async handler(ctx, input) {
    const { bot, app } = input.BOT_ID;
    // Register reads every field (with its default), so the partial is whole here.
    const fields = input._fields as ChatAppFields;
    return runAction(ctx.portal, (trx) => registerChatApp(trx, app.id, bot?.id ?? 0, input.CODE, fields));
  },
});

defineMethod({
  name: 'imbot.app.unregister', scope: 'imbot', access: 'bot',
  params: { APP_ID: ownChatApp() },
  async handler(ctx, { APP_ID: app }) {
    await runAction(ctx.portal, (trx) => deleteChatApp(trx, app.id));
    return true;
  },
});

defineMethod({
  name: 'imbot.app.update', scope: 'imbot', access: 'bot',
  params: { APP_ID: ownChatApp(), FIELDS: updateFields("Chat app can't be updated") },
  async handler(ctx, { APP_ID: app, FIELDS }) {
    const changes = chatAppFields(ctx, FIELDS, app);
    if (!Object.keys(changes).length) fail('WRONG_REQUEST', "Chat app can't be updated");
    await runAction(ctx.portal, (trx) => updateChatApp(trx, app.id, changes));
    return true;
  },
});
