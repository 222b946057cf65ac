/** parley.bot.list (admins only, see app.ts): every bot with its handlers and commands, for the developer console. */
import { defineMethod } from '../../rest/registry.ts';
import { c } from '../../rest/schema.ts';
import { ADMIN_SCOPE } from '../../domain/apps.ts';
import { listBots } from '../../domain/bots.ts';
import { fullName } from '../../domain/users.ts';
import { admin } from '../codecs/callers.ts';
import { wireDate } from '../wire.ts';

defineMethod({
  name: 'parley.bot.list', scope: ADMIN_SCOPE, access: 'admin',
  // APP_ID: only that app's bots; absent or 0, every bot.
  params: { _admin: admin(), APP_ID: c.int() },
  async handler(ctx, { APP_ID: appId }) {
    const bots = await listBots(ctx.portal.db, appId > 0 ? appId : undefined);
    return bots.map((b) => ({
      id: b.id, app_id: b.app_id, code: b.code, type: b.type, openline: !!b.openline, name: fullName(b),
      handlers: { message_add: b.h_message_add, message_update: b.h_message_update, message_delete: b.h_message_delete, welcome: b.h_welcome, bot_delete: b.h_bot_delete },
      commands: b.commands.map((cmd) => ({
        id: cmd.id, command: cmd.command, common: !!cmd.common, hidden: !!cmd.hidden, extranet_support: !!cmd.extranet_support,
        handler: cmd.handler_url, lang: JSON.parse(cmd.lang) as unknown,
      })),
      date_create: wireDate(b.created_at),
    }));
  },
});
