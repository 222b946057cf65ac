/**
 * imopenlines.network.join / network.message.add: network lines on one portal (domain/lines/network.ts).
 * A line is named by its network code (32 hex characters, shown in the console's Lines tab and by
 * imopenlines.config.get as NETWORK_CODE); knowing it is what lets a person join the line or the
 * line write to a person. Only the line's operators and administrators write as the line.
 */
import { defineMethod } from '../../rest/registry.ts';
import { fail } from '../../errors.ts';
import { c } from '../../rest/schema.ts';
import { runAction } from '../../domain/action.ts';
import { findUser } from '../../domain/users.ts';
import { isWebApp } from '../../domain/web-app.ts';
import { joinNetworkLine, lineByCode, networkMessage } from '../../domain/lines/network.ts';
import { isOperatorOf } from '../../domain/lines/lines.ts';
import { newMessage } from '../message-actions.ts';
import { newMessageParams } from '../codecs/messages.ts';

const code = () => c.requiredString('CODE');

defineMethod({
  name: 'imopenlines.network.join', scope: 'imopenlines', access: 'portal',
  params: { CODE: code() },
  // The id of the line's bot, whose dialog the caller now has (the same on a second join).
  handler: (ctx, input) => runAction(ctx.portal, async (trx) => joinNetworkLine(ctx.portal, trx, await lineByCode(trx, input.CODE), ctx.user)),
});

defineMethod({
  name: 'imopenlines.network.message.add', scope: 'imopenlines', access: 'portal',
  // Only LINK buttons are allowed on its keyboard: no bot of an app answers them.
  params: { CODE: code(), USER_ID: c.id('USER_ID_EMPTY'), ...newMessageParams(() => 0) },
  async handler(ctx, input) {
    // Not from a signed-in browser session (the web messenger's own app), as the docs say.
    if (ctx.app && isWebApp(ctx.app)) fail('WRONG_AUTH_TYPE', 'Access for this method not allowed by session authorization');
    if (input.KEYBOARD?.some((b) => !b.LINK && b.TYPE !== 'NEWLINE')) fail('KEYBOARD_ERROR', 'Only LINK buttons are allowed in a network line message');
    await runAction(ctx.portal, async (trx) => {
      const line = await lineByCode(trx, input.CODE);
      // The line speaks through its operators and the portal's administrators, not through anyone who learnt its code.
      if (!ctx.user.is_admin && !(await isOperatorOf(trx, line.id, ctx.user.id))) fail('ACCESS_DENIED', 'Only the line\'s operators and administrators write as the line');
      const person = await findUser(trx, input.USER_ID);
      if (!person || person.is_bot || person.external_auth_id) fail('USER_ID_EMPTY', 'User not found');
      await networkMessage(ctx.portal, trx, line, person, newMessage(input));
    });
    return true;
  },
});
