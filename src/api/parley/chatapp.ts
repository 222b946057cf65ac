/**
 * parley.chatapp.list / launch: what the web messenger asks of chat apps (imbot.app.*) — the apps
 * offered in a dialog's composer (any client with scope `im` may list them), and the address of an
 * IFRAME app's frame with its signed query. Public methods like every other the messenger calls: no
 * back door. Launch answers only the messenger's own session: its USER_HASH tells the app's frame
 * "this is the user", which an app or webhook acting for the user must not be able to say to another app.
 */
import { defineMethod } from '../../rest/registry.ts';
import { fail } from '../../errors.ts';
import { c } from '../../rest/schema.ts';
import { dialogIdFor } from '../../domain/types.ts';
import { chatAppPhrase, chatAppsOffered, dialogKind, findChatApp, offeredIn, userMayUse, type ChatApp } from '../../domain/chat-apps.ts';
import { frameUrl, launchButton } from '../../domain/chat-app-launch.ts';
import { botsByIds } from '../../domain/bots.ts';
import { openedDialog } from '../codecs/dialogs.ts';
import { messengerCaller } from '../codecs/callers.ts';

/** Where a chat app's icon is served (versioned, so a new icon is a new URL); null without one. */
const iconUrl = (publicUrl: string, app: ChatApp) => (app.icon ? `${publicUrl}/chat-app-icon/${app.id}?v=${app.updated_at}` : null);

defineMethod({
  name: 'parley.chatapp.list', scope: 'im', access: 'read',
  params: { DIALOG_ID: openedDialog('read'), LANGUAGE_ID: c.string() },
  async handler(ctx, { DIALOG_ID: chat, LANGUAGE_ID }) {
    const { apps } = await chatAppsOffered(ctx.portal.db, chat, ctx.user);
    const language = LANGUAGE_ID.trim().toLowerCase() || 'en';
    return apps.map((app) => {
      const phrase = chatAppPhrase(app, language);
      return {
        id: app.id, code: app.code, bot_id: app.bot_id, type: app.js_method ? 'js' : 'iframe',
        title: phrase?.TITLE ?? app.code, description: phrase?.DESCRIPTION ?? '', copyright: phrase?.COPYRIGHT ?? '',
        icon: iconUrl(ctx.portal.publicUrl, app),
        ...(app.js_method
          ? { js_method: app.js_method, js_param: app.js_param }
          : { width: app.iframe_width, height: app.iframe_height, popup: !!app.iframe_popup }),
      };
    });
  },
});

defineMethod({
  name: 'parley.chatapp.launch', scope: 'im', access: 'messenger',
  params: {
    _messenger: messengerCaller('opens chat apps'),
    DIALOG_ID: openedDialog('read'),
    APP_ID: c.id('CHAT_APP_ID_ERROR'),
    // Context mode: the message whose KEYBOARD or MENU button names the app, and which of its buttons (APP_PARAMS).
    MESSAGE_ID: c.int(),
    BUTTON_PARAMS: c.optional(c.string()),
    LANGUAGE_ID: c.string(),
    IS_CHROME: c.flag(),
  },
  async handler(ctx, input) {
    const db = ctx.portal.db;
    const chat = input.DIALOG_ID;
    const app = await findChatApp(db, input.APP_ID);
    const kind = await dialogKind(db, chat, ctx.user);
    // From the composer only an app offered there; from a button, any app of the button's bot's
    // application the user may use (a HIDDEN app is opened this way; CONTEXT is the button's).
    const button = input.MESSAGE_ID > 0 && app ? await launchButton(db, app, chat, ctx.user, input.MESSAGE_ID, input.BUTTON_PARAMS) : undefined;
    if (!app || !(button ? userMayUse(app, ctx.user) : offeredIn(app, kind, ctx.user))) fail('CHAT_APP_ID_ERROR');
    if (!app.iframe) fail('PARAMS_ERROR', 'The chat app is a JS command, not an IFRAME app');
    const bot = app.bot_id ? (await botsByIds(db, [app.bot_id]))[0] : undefined;
    const url = frameUrl(ctx.portal.publicUrl, {
      app, botCode: bot?.code ?? '', viewer: ctx.user, chat, kind, dialogId: dialogIdFor(chat, ctx.user.id),
      language: input.LANGUAGE_ID.trim().toLowerCase().slice(0, 8) || 'en', isChrome: input.IS_CHROME, button,
    });
    // Context mode opens in the dialog, never as a popup (seed).
    return { url, width: app.iframe_width, height: app.iframe_height, popup: !button && !!app.iframe_popup, context: button ? 'button' : 'textarea' };
  },
});
