/**
 * imbot.v2.Event.get (chat-bots-v2/imbot.v2/events/event-get.md): a fetch-mode bot polls its events.
 * `offset` acknowledges every event below it (they are deleted and never answered again); what is
 * not acknowledged is answered again, oldest first, so an event is never lost before it is. Each
 * event's `data.bot` is the full Bot object as the bot is now (events.md, FETCH mode; no tokens).
 */
import { defineMethod } from '../../rest/registry.ts';
import { fail } from '../../errors.ts';
import { int, str } from '../../rest/params.ts';
import { c, Codec } from '../../rest/schema.ts';
import { runAction } from '../../domain/action.ts';
import { pollV2Log, subscribedOf } from '../../events/bot-v2-log.ts';
import { isoDate } from '../../wire/dates.ts';
import { answerBot } from '../bots-v2.wire.ts';
import { botToken, ownBot } from '../codecs/bots-v2.ts';

/** Events per call: 1–1000, 100 when not given (a value outside is brought within). */
const MAX_LIMIT = 1000;

defineMethod({
  name: 'imbot.v2.Event.get', scope: 'imbot', access: 'botv2',
  params: {
    botToken: botToken(),
    botId: ownBot(),
    // Absent on a first call: nothing is acknowledged.
    offset: new Codec<number | undefined>('integer', (p, n) => (str(p, n).trim() !== '' ? int(p, n) : undefined)),
    limit: c.int().map((v) => (v <= 0 ? 100 : Math.min(v, MAX_LIMIT))),
    withUserEvents: c.flag(),
  },
  async handler(ctx, { botId: bot, offset, limit, withUserEvents }) {
    // withUserEvents merges the caller's own im.v2 events (never another user's): scope im, and subscribed.
    if (withUserEvents) {
      if (!ctx.scopes.includes('im')) fail('SCOPE_ERROR');
      if (!(await subscribedOf(ctx.portal.db, [ctx.user.id])).length) fail('USER_NOT_SUBSCRIBED');
    }
    const reader = withUserEvents ? { botId: bot.id, userId: ctx.user.id } : { botId: bot.id };
    const page = await runAction(ctx.portal, (trx) => pollV2Log(trx, reader, offset, limit, ctx.portal.clock.now()));
    const botObject = page.events.some((e) => e.forBot) ? await answerBot(ctx.portal, bot, true) : undefined;
    return {
      events: page.events.map((e) => ({ eventId: e.eventId, type: e.type, date: isoDate(e.createdAt), data: e.forBot ? { bot: botObject, ...e.data } : e.data })),
      nextOffset: page.nextOffset,
      hasMore: page.hasMore,
    };
  },
});
