/**
 * `parley events test`: send a test event to an app's handler from the command line, as the
 * developer console's "Send a test event" form does (src/domain/test-events.ts says what each event
 * refers to). Prints the new delivery's id (`parley events show ID`), or with --preview the payload
 * that would be sent, JSON. What the portal refuses (unknown app, an event the app has no handler
 * for, a user or chat that does not fit) is a usage error: exit 2 with the error's code.
 */
import type { Command } from 'commander';
import { RestError } from '../errors.ts';
import { findApp } from '../domain/apps.ts';
import { isWebApp } from '../domain/web-app.ts';
import { findUser } from '../domain/users.ts';
import { sendTestEvent, TEST_EVENTS } from '../domain/test-events.ts';
import type { CliKit } from './task.ts';

/** Add `test` to the `events` command group (cli/events.ts makes the group). */
export function testEventCommand(cli: Command, kit: CliKit): void {
  const events = cli.commands.find((c) => c.name() === 'events');
  if (!events) throw new Error('the events command group is registered first');
  kit.dbOptions(events.command('test').description('send a test event to an app\'s handler (marked X-Parley-Test: 1) and print its delivery ID'))
    .requiredOption('--app <id>', 'app ID')
    .requiredOption('--event <event>', TEST_EVENTS.join(', '))
    .option('--bot <id>', 'the bot it is about (when the app has several)')
    .option('--user <id>', 'the person it is from (default: the user who installed the app)')
    .option('--chat <id>', 'a chat the bot and the user are in (default: their private dialog)')
    .option('--text <text>', 'the user\'s message (ONIMBOTMESSAGEADD; the new text for ONIMBOTMESSAGEUPDATE)')
    .option('--command <command>', 'the command (ONIMCOMMANDADD), without or with its /')
    .option('--params <text>', 'the command\'s parameters (ONIMCOMMANDADD)')
    .option('--message <id>', 'the message (ONIMBOTMESSAGEUPDATE / DELETE; default: the user\'s newest in the dialog)')
    .option('--preview', 'print the payload that would be sent (JSON) and send nothing')
    .action(async (o) => kit.withPortal(o, async (portal) => {
      const num = (v: string | undefined, name: string) => (v === undefined ? undefined : kit.positiveInt(v, name));
      const appId = kit.positiveInt(o.app, '--app');
      const app = await findApp(portal.db, appId);
      if (!app || isWebApp(app)) throw kit.usage(`no app ${appId}`);
      const caller = (await findUser(portal.db, app.install_user_id)) ?? (await findUser(portal.db, 1));
      if (!caller) throw kit.usage('no user to send it as: pass --user');
      try {
        const sent = await sendTestEvent(portal, {
          app, event: String(o.event).trim(), caller, botId: num(o.bot, '--bot'), userId: num(o.user, '--user'), chatId: num(o.chat, '--chat'),
          messageId: num(o.message, '--message'), text: o.text, command: o.command, commandParams: o.params, preview: !!o.preview,
        });
        if (o.preview) {
          console.log(JSON.stringify(sent.events.map((e) => ({ event: e.event, handler: e.handlerUrl, data: e.data, auth_user_id: e.authUserId })), null, 2));
        } else {
          for (const id of sent.ids) console.log(id);
        }
      } catch (err) {
        if (err instanceof RestError) throw kit.usage(`${err.code}: ${err.description}`);
        throw err;
      }
    }));
}
