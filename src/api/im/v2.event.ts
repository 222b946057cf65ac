/**
 * im.v2.Event.subscribe / unsubscribe / get (chat-bots-v2/im.v2/events/): the calling user's own
 * messenger events (ONIMV2*), recorded while they are subscribed (domain/user-v2-events.ts) into the
 * v2 event log, read by polling with the same offset acknowledgement as a bot's Event.get: `offset`
 * deletes every one of the user's events below it. One reader per user, as the docs state: whoever
 * acknowledges removes them for every app. Kept 24 hours by default (retention).
 */
import { defineMethod } from '../../rest/registry.ts';
import { int, str } from '../../rest/params.ts';
import { c, Codec } from '../../rest/schema.ts';
import { runAction } from '../../domain/action.ts';
import { pollV2Log, setSubscribed } from '../../events/bot-v2-log.ts';
import { isoDate } from '../../wire/dates.ts';

/** Events per call: 1–1000, 100 when not given (a value outside is brought within). */
const MAX_LIMIT = 1000;

defineMethod({
  name: 'im.v2.Event.subscribe', scope: 'im', access: 'self',
  params: {},
  async handler(ctx) {
    await runAction(ctx.portal, (trx) => setSubscribed(trx, ctx.user.id, true, ctx.portal.clock.now()));
    return true;
  },
});

defineMethod({
  name: 'im.v2.Event.unsubscribe', scope: 'im', access: 'self',
  params: {},
  async handler(ctx) {
    await runAction(ctx.portal, (trx) => setSubscribed(trx, ctx.user.id, false, ctx.portal.clock.now()));
    return true;
  },
});

defineMethod({
  name: 'im.v2.Event.get', scope: 'im', access: 'self',
  params: {
    // Absent on a first call: nothing is acknowledged.
    offset: new Codec<number | undefined>('integer', (p, n) => (str(p, n).trim() !== '' ? int(p, n) : undefined)),
    limit: c.int().map((v) => (v <= 0 ? 100 : Math.min(v, MAX_LIMIT))),
  },
  async handler(ctx, { offset, limit }) {
    // Not subscribed: nothing was recorded, so the answer is simply empty (the docs' "no error").
    const page = await runAction(ctx.portal, (trx) => pollV2Log(trx, { userId: ctx.user.id }, offset, limit, ctx.portal.clock.now()));
    return {
      events: page.events.map((e) => ({ eventId: e.eventId, type: e.type, date: isoDate(e.createdAt), data: e.data })),
      nextOffset: page.nextOffset,
      hasMore: page.hasMore,
    };
  },
});
