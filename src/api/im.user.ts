/** im.user.get: a user's messenger profile (the caller's own when ID is absent). */
import { defineMethod } from '../rest/registry.ts';
import { fail } from '../rest/errors.ts';
import { has, int } from '../rest/params.ts';
import { wireUser } from './wire.ts';

defineMethod({
  name: 'im.user.get', scope: 'im',
  async handler(ctx, p) {
    if (!has(p, 'ID')) return wireUser(ctx.portal, ctx.user);
    const id = int(p, 'ID');
    if (id <= 0) fail('ID_EMPTY');
    const user = await ctx.portal.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    if (!user) fail('USER_NOT_EXISTS');
    return wireUser(ctx.portal, user);
  },
});
