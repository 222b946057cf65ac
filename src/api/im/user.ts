/**
 * im.user.get, im.user.list.get and the caller's presence: im.user.status.get / set,
 * im.user.status.idle.start / end; im.user.business.list.
 */
import { defineMethod, Page, paginate } from '../../rest/registry.ts';
import { fail } from '../../errors.ts';
import { flag, has, int, str } from '../../rest/params.ts';
import { findUsers } from '../../domain/users.ts';
import { endIdle, isStatus, setStatus, startIdle } from '../../domain/presence.ts';
import { idList } from './department.ts';
import { wireUser } from '../wire.ts';
import { isRowId } from '../../store/row-id.ts';

defineMethod({
  name: 'im.user.get', scope: 'im', access: 'portal',
  async handler(ctx, p) {
    // AVATAR_HR is accepted and ignored: avatar_hr is always in the answer, as the English docs say.
    if (!has(p, 'ID')) return wireUser(ctx.portal, ctx.user);
    const id = int(p, 'ID');
    if (id <= 0) fail('ID_EMPTY');
    // Deactivated users (removed bots) are still shown, so this is not findUser.
    const user = isRowId(id) ? await ctx.portal.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst() : undefined;
    if (!user) fail('USER_NOT_EXISTS');
    return wireUser(ctx.portal, user);
  },
});

defineMethod({
  name: 'im.user.list.get', scope: 'im', access: 'portal',
  async handler(ctx, p) {
    const ids = idList(p, 'ID');
    if (!ids) fail('INVALID_FORMAT', 'A wrong format for the ID field is passed');
    const users = await findUsers(ctx.portal.db, ids);
    // RESULT_TYPE=array (English docs): a plain list of the users found; otherwise a map with null for unknown ids.
    if (str(p, 'RESULT_TYPE').toLowerCase() === 'array') {
      return ids.filter((id) => users.has(id)).map((id) => wireUser(ctx.portal, users.get(id)!));
    }
    return Object.fromEntries(ids.map((id) => [String(id), users.has(id) ? wireUser(ctx.portal, users.get(id)!) : null]));
  },
});

defineMethod({
  name: 'im.user.status.get', scope: 'im', access: 'self',
  async handler(ctx) {
    return ctx.user.status || false;
  },
});

defineMethod({
  name: 'im.user.status.set', scope: 'im', access: 'self',
  async handler(ctx, p) {
    // Case-sensitive, lower case only, as the English docs specify.
    const status = str(p, 'STATUS').trim();
    if (!isStatus(status)) fail('STATUS_ERROR');
    await setStatus(ctx.portal.db, ctx.user.id, status);
    return true;
  },
});

defineMethod({
  name: 'im.user.status.idle.start', scope: 'im', access: 'self',
  async handler(ctx, p) {
    // AGO: minutes since the user went away; 10 when absent, at least 1 (English docs).
    const ago = has(p, 'AGO') && str(p, 'AGO').trim() !== '' ? Math.max(1, int(p, 'AGO')) : 10;
    await startIdle(ctx.portal.db, ctx.user.id, ago);
    return true;
  },
});

defineMethod({
  name: 'im.user.status.idle.end', scope: 'im', access: 'self',
  async handler(ctx) {
    await endIdle(ctx.portal.db, ctx.user.id);
    return true;
  },
});

defineMethod({
  // Named in the seed's method list without a description. Parley has no business-user licences:
  // every active person (bots excluded) counts, as with im.search.user.list's BUSINESS=Y. Pages by
  // `start`; USER_DATA=Y gives user objects instead of ids.
  name: 'im.user.business.list', scope: 'im', access: 'portal',
  async handler(ctx, p) {
    const rows = await ctx.portal.db.selectFrom('users').selectAll().where('active', '=', 1).where('is_bot', '=', 0).orderBy('id').execute();
    const page = paginate(rows, ctx.start);
    const items = page.items as typeof rows;
    return new Page(flag(p, 'USER_DATA') ? items.map((u) => wireUser(ctx.portal, u)) : items.map((u) => u.id), page.total, page.next);
  },
});
