/**
 * im.user.get, im.user.list.get and the caller's presence: im.user.status.get / set,
 * im.user.status.idle.start / end; im.user.business.list.
 */
import { defineMethod, Page, paginate } from '../../rest/registry.ts';
import { fail } from '../../errors.ts';
import { c } from '../../rest/schema.ts';
import { runAction } from '../../domain/action.ts';
import { activeUsers } from '../../domain/departments.ts';
import { findAnyUser, findUsers } from '../../domain/users.ts';
import { endIdle, isStatus, setStatus, startIdle } from '../../domain/presence.ts';
import { idList } from '../codecs/lists.ts';
import { wireUser } from '../wire.ts';

defineMethod({
  name: 'im.user.get', scope: 'im', access: 'portal',
  // Without ID, the caller. AVATAR_HR is accepted and ignored: avatar_hr is always in the answer, as the English docs say.
  params: { ID: c.optional(c.int().require((v) => v > 0, 'ID_EMPTY')) },
  async handler(ctx, { ID: id }) {
    if (id === undefined) return wireUser(ctx.portal, ctx.user);
    // Deactivated users (removed bots) are still shown.
    const user = await findAnyUser(ctx.portal.db, id);
    if (!user) fail('USER_NOT_EXISTS');
    return wireUser(ctx.portal, user);
  },
});

defineMethod({
  name: 'im.user.list.get', scope: 'im', access: 'portal',
  params: { ID: idList('INVALID_FORMAT', 'A wrong format for the ID field is passed'), RESULT_TYPE: c.string() },
  async handler(ctx, { ID: ids, RESULT_TYPE: resultType }) {
    const users = await findUsers(ctx.portal.db, ids);
    // RESULT_TYPE=array (English docs): a plain list of the users found; otherwise a map with null for unknown ids.
    if (resultType.toLowerCase() === 'array') {
      return ids.filter((id) => users.has(id)).map((id) => wireUser(ctx.portal, users.get(id)!));
    }
    return Object.fromEntries(ids.map((id) => [String(id), users.has(id) ? wireUser(ctx.portal, users.get(id)!) : null]));
  },
});

defineMethod({
  name: 'im.user.status.get', scope: 'im', access: 'self',
  params: {},
  async handler(ctx) {
    return ctx.user.status || false;
  },
});

defineMethod({
  name: 'im.user.status.set', scope: 'im', access: 'self',
  // Case-sensitive, lower case only, as the English docs specify.
  params: { STATUS: c.trimmed().map((v) => (isStatus(v) ? v : fail('STATUS_ERROR')), 'online|dnd|away|break') },
  async handler(ctx, { STATUS: status }) {
    await runAction(ctx.portal, (trx) => setStatus(trx, ctx.user.id, status));
    return true;
  },
});

defineMethod({
  name: 'im.user.status.idle.start', scope: 'im', access: 'self',
  // AGO: minutes since the user went away; 10 when absent, at least 1 (English docs).
  params: { AGO: c.trimmed().map((v) => (v === '' ? 10 : Math.max(1, Number.parseInt(v, 10) || 0)), 'integer') },
  async handler(ctx, { AGO: ago }) {
    await runAction(ctx.portal, (trx) => startIdle(trx, ctx.user.id, ago));
    return true;
  },
});

defineMethod({
  name: 'im.user.status.idle.end', scope: 'im', access: 'self',
  params: {},
  async handler(ctx) {
    await runAction(ctx.portal, (trx) => endIdle(trx, ctx.user.id));
    return true;
  },
});

// Named in the seed's method list without a description. Parley has no business-user licences:
// every active person (bots excluded) counts, as with im.search.user.list's BUSINESS=Y. Pages by
// `start`; USER_DATA=Y gives user objects instead of ids.
defineMethod({
  name: 'im.user.business.list', scope: 'im', access: 'portal',
  params: { USER_DATA: c.flag() },
  async handler(ctx, { USER_DATA: userData }) {
    const people = (await activeUsers(ctx.portal.db)).filter((u) => !u.is_bot);
    const page = paginate(people, ctx.start);
    const items = page.items as typeof people;
    return new Page(userData ? items.map((u) => wireUser(ctx.portal, u)) : items.map((u) => u.id), page.total, page.next);
  },
});
