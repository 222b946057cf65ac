/**
 * The developer console's "Send a test event" (admins only, see app.ts): parley.testevent.list
 * names the events an app has a handler for (with its bots and commands), parley.testevent.send
 * fires one at its handler through the outbox, built by the code that builds the real event and
 * marked as a test (`X-Parley-Test: 1`, `test: true` in parley.event.list). What each event refers
 * to is in src/domain/test-events.ts. PREVIEW=Y answers the payload without posting or sending.
 */
import { defineMethod } from '../../rest/registry.ts';
import { c } from '../../rest/schema.ts';
import { ADMIN_SCOPE } from '../../domain/apps.ts';
import { sendTestEvent, testableEvents } from '../../domain/test-events.ts';
import { admin } from '../codecs/callers.ts';
import { localApp } from './app.ts';

defineMethod({
  name: 'parley.testevent.list', scope: ADMIN_SCOPE, access: 'admin',
  params: { _admin: admin(), APP_ID: localApp('APP_ID') },
  async handler(ctx, { APP_ID: app }) {
    return (await testableEvents(ctx.portal.db, app)).map((e) => ({
      event: e.event, bots: e.bots, commands: e.commands.map((cmd) => ({ id: cmd.id, bot_id: cmd.botId, command: cmd.command })),
    }));
  },
});

defineMethod({
  name: 'parley.testevent.send', scope: ADMIN_SCOPE, access: 'admin',
  params: {
    _admin: admin(),
    APP_ID: localApp('APP_ID'),
    EVENT: c.requiredString('ERROR_ARGUMENT', 'EVENT is required'),
    // Which bot (when the app has several handling EVENT), which person, which chat (0: their private dialog).
    BOT_ID: c.int(),
    USER_ID: c.int(),
    CHAT_ID: c.int(),
    // The user's text (ONIMBOTMESSAGEADD; the new text of ONIMBOTMESSAGEUPDATE).
    MESSAGE: c.string(),
    COMMAND: c.trimmed(),
    COMMAND_PARAMS: c.string(),
    MESSAGE_ID: c.int(),
    PREVIEW: c.flag(),
  },
  async handler(ctx, input) {
    const positive = (n: number) => (n > 0 ? n : undefined);
    const sent = await sendTestEvent(ctx.portal, {
      app: input.APP_ID, event: input.EVENT.trim(), caller: ctx.user,
      botId: positive(input.BOT_ID), userId: positive(input.USER_ID), chatId: positive(input.CHAT_ID), messageId: positive(input.MESSAGE_ID),
      text: input.MESSAGE, command: input.COMMAND, commandParams: input.COMMAND_PARAMS, preview: input.PREVIEW,
    });
    return {
      // The deliveries (empty in a preview) and what they carry, as parley.event.list shows them.
      ids: sent.ids,
      events: sent.events.map((e, i) => ({
        id: sent.ids[i] ?? 0, event: e.event, handler: e.handlerUrl, data: e.data, auth_user_id: e.authUserId, test: true,
      })),
      chat_id: sent.chatId, message_id: sent.messageId, preview: input.PREVIEW,
    };
  },
});
