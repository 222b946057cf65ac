/**
 * parley.user.password.set: an administrator at the developer console gives a person a new password
 * (a self-hosted portal has no "forgot password" mail). The person's web sessions and messenger
 * tokens end and a lock of their login is lifted (src/domain/account-passwords.ts). Only a person at
 * the console may (access kind `console`): a token, however privileged, never sets a password.
 */
import { defineMethod } from '../../rest/registry.ts';
import { c } from '../../rest/schema.ts';
import { ADMIN_SCOPE } from '../../domain/apps.ts';
import { passwordOwner, replacePassword } from '../../domain/account-passwords.ts';
import { consoleAdmin } from '../codecs/callers.ts';

defineMethod({
  name: 'parley.user.password.set', scope: ADMIN_SCOPE, access: 'console',
  params: {
    _console: consoleAdmin('sets passwords'),
    ID: c.id('ID_EMPTY', 'ID (the user) is required'),
    // As typed: spaces are a password's own (the policy says what is too short).
    PASSWORD: c.string(),
  },
  async handler(ctx, { ID: id, PASSWORD: password }) {
    await replacePassword(ctx.portal, await passwordOwner(ctx.portal, id), password);
    return true;
  },
});
