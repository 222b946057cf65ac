/**
 * parley.event.fetch.list: the developer console's view of the v2 event log — what Chatbots 2.0
 * bots in fetch mode (imbot.v2.Event.get) and users subscribed to im.v2 events (im.v2.Event.get)
 * are given by polling, which never passes the outbox and so is not in parley.event.list. Newest
 * first, 50 a page; `status` waiting until the reader acknowledges it with `offset`, then fetched
 * (kept PARLEY_KEEP_FETCHED_EVENTS_HOURS). Administrators only, as the rest of the console.
 */
import { defineMethod } from '../../rest/registry.ts';
import { int } from '../../rest/params.ts';
import { c } from '../../rest/schema.ts';
import { listV2Log } from '../../events/bot-v2-log.ts';
import { ADMIN_SCOPE } from '../../domain/apps.ts';
import { admin } from '../codecs/callers.ts';
import { wireDate } from '../wire.ts';
import { logPage } from './log-page.ts';

defineMethod({
  name: 'parley.event.fetch.list', scope: ADMIN_SCOPE, access: 'admin',
  params: { _admin: admin(), FILTER: c.object().map((f) => (int(f, 'BOT_ID') > 0 ? int(f, 'BOT_ID') : undefined)) },
  handler: (ctx, { FILTER: botId }) => logPage(ctx, (offset, limit) => listV2Log(ctx.portal.db, botId, offset, limit), (rows) => rows.map((r) => ({
    id: r.id, bot_id: r.botId, user_id: r.userId, event: r.type, status: r.fetchedAt ? 'fetched' : 'waiting',
    created: wireDate(r.createdAt), fetched: r.fetchedAt ? wireDate(r.fetchedAt) : null, data: r.data,
  }))),
});
