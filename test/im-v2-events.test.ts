/**
 * im.v2 user events over real HTTP on SQLite and PostgreSQL: im.v2.Event.subscribe / unsubscribe /
 * get (a subscribed user's ONIMV2MESSAGEADD / UPDATE / DELETE / REACTIONCHANGE / JOINCHAT, offset acknowledgement, limit and
 * hasMore, nothing recorded while unsubscribed), imbot.v2.Event.get with withUserEvents (the bot's
 * and its caller's events merged, one offset for both; USER_NOT_SUBSCRIBED, SCOPE_ERROR), and the
 * 24-hour retention.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { restJson } from './helpers/portal.ts';
import { portalSuite, webhookFor, type TestPortal } from './helpers/suite.ts';
import { pruneExpired } from '../src/domain/retention.ts';

const ANNA = 2;
const IVAN = 3;
const HOUR = 3_600_000;

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`im.v2.Event on ${dialect}`, () => {
    let portal: TestPortal;
    let skip: string | undefined;
    let anna: string;
    let ivan: string;
    const ok = async (base: string, method: string, params: Record<string, unknown> = {}) => {
      const r = await restJson(base, method, params);
      assert.equal(r.status, 200, `${method}: ${JSON.stringify(r.body)}`);
      return r.body.result;
    };

    before(async () => {
      const s = await portalSuite(dialect);
      if ('skip' in s) return void (skip = s.skip);
      portal = s;
      anna = await webhookFor(portal, ANNA, 'imbot,im');
      ivan = await webhookFor(portal, IVAN, 'im');
    });
    after(async () => {
      await portal?.close();
    });

    test('subscribe, a message to the user, get, acknowledge; update and delete; unsubscribe', async (t) => {
      if (skip) return t.skip(skip);
      assert.deepEqual(await ok(anna, 'im.v2.Event.get'), { events: [], nextOffset: 0, hasMore: false }, 'not subscribed: empty');
      await ok(ivan, 'im.message.add', { DIALOG_ID: ANNA, MESSAGE: 'unheard' });
      assert.equal(await ok(anna, 'im.v2.Event.subscribe'), true);
      assert.equal(await ok(anna, 'im.v2.Event.subscribe'), true, 'idempotent');
      assert.deepEqual((await ok(anna, 'im.v2.Event.get')).events, [], 'nothing from before the subscription');

      const id = await ok(ivan, 'im.message.add', { DIALOG_ID: ANNA, MESSAGE: 'Hello Anna' });
      const page = await ok(anna, 'im.v2.Event.get');
      assert.equal(page.events.length, 1);
      const [ev] = page.events;
      assert.equal(ev.type, 'ONIMV2MESSAGEADD');
      assert.match(ev.date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
      assert.deepEqual(Object.keys(ev.data), ['message', 'chat', 'user', 'language']);
      assert.equal(ev.data.message.id, id);
      assert.equal(ev.data.message.text, 'Hello Anna');
      assert.equal(ev.data.message.authorId, IVAN);
      assert.equal(ev.data.chat.dialogId, String(IVAN), "the chat as Anna sees it: her dialog with Ivan");
      assert.equal(ev.data.user.id, IVAN);
      assert.equal(ev.data.language, 'en');
      assert.equal(page.nextOffset, ev.eventId + 1);
      assert.equal(page.hasMore, false);
      // Not acknowledged: answered again.
      assert.equal((await ok(anna, 'im.v2.Event.get')).events[0].eventId, ev.eventId);

      // Ivan likes his own message and takes it back: ONIMV2REACTIONCHANGE, add then delete.
      await ok(ivan, 'im.message.like', { MESSAGE_ID: id, ACTION: 'plus' });
      await ok(ivan, 'im.message.like', { MESSAGE_ID: id, ACTION: 'minus' });
      const reactions = await ok(anna, 'im.v2.Event.get', { offset: page.nextOffset });
      assert.deepEqual(reactions.events.map((e: any) => [e.type, e.data.reaction, e.data.action]),
        [['ONIMV2REACTIONCHANGE', 'like', 'add'], ['ONIMV2REACTIONCHANGE', 'like', 'delete']]);
      assert.deepEqual(Object.keys(reactions.events[0].data), ['reaction', 'action', 'message', 'chat', 'user', 'language']);
      assert.equal(reactions.events[0].data.message.id, id);
      assert.equal(reactions.events[0].data.user.id, IVAN);
      await ok(anna, 'im.v2.Event.get', { offset: reactions.nextOffset });

      await ok(ivan, 'im.message.update', { MESSAGE_ID: id, MESSAGE: 'Hello again' });
      await ok(ivan, 'im.message.delete', { MESSAGE_ID: id });
      const next = await ok(anna, 'im.v2.Event.get', { offset: reactions.nextOffset, limit: 1 });
      assert.deepEqual(next.events.map((e: any) => e.type), ['ONIMV2MESSAGEUPDATE']);
      assert.equal(next.events[0].data.message.text, 'Hello again');
      assert.equal(next.hasMore, true);
      const last = await ok(anna, 'im.v2.Event.get', { offset: next.nextOffset });
      assert.deepEqual(last.events.map((e: any) => e.type), ['ONIMV2MESSAGEDELETE']);
      assert.deepEqual(Object.keys(last.events[0].data), ['messageId', 'chat', 'user', 'language']);
      assert.equal(last.events[0].data.messageId, id);
      const done = await ok(anna, 'im.v2.Event.get', { offset: last.nextOffset });
      assert.deepEqual(done, { events: [], nextOffset: last.nextOffset, hasMore: false });
      // Ivan is not subscribed: his own stream stays empty.
      assert.deepEqual((await ok(ivan, 'im.v2.Event.get')).events, []);

      // Unsubscribed: nothing new is recorded; what was recorded stays until acknowledged.
      await ok(ivan, 'im.message.add', { DIALOG_ID: ANNA, MESSAGE: 'kept' });
      assert.equal(await ok(anna, 'im.v2.Event.unsubscribe'), true);
      assert.equal(await ok(anna, 'im.v2.Event.unsubscribe'), true, 'idempotent');
      await ok(ivan, 'im.message.add', { DIALOG_ID: ANNA, MESSAGE: 'not recorded' });
      const after = await ok(anna, 'im.v2.Event.get', { offset: last.nextOffset });
      assert.deepEqual(after.events.map((e: any) => e.data.message.text), ['kept']);
      await ok(anna, 'im.v2.Event.get', { offset: after.nextOffset });
    });

    test('ONIMV2JOINCHAT: a user invited into a chat of a subscribed member', async (t) => {
      if (skip) return t.skip(skip);
      await ok(anna, 'im.v2.Event.subscribe');
      const start = await ok(anna, 'im.v2.Event.get');
      await ok(anna, 'im.v2.Event.get', { offset: start.nextOffset });
      const chatId = await ok(anna, 'im.chat.add', { TITLE: `Join ${dialect}`, USERS: [IVAN] });
      assert.equal(await ok(anna, 'im.chat.user.add', { CHAT_ID: chatId, USERS: [4] }), true);
      const page = await ok(anna, 'im.v2.Event.get');
      const join = page.events.find((e: any) => e.type === 'ONIMV2JOINCHAT');
      assert.ok(join, JSON.stringify(page.events.map((e: any) => e.type)));
      assert.deepEqual(Object.keys(join.data), ['dialogId', 'chat', 'user', 'language']);
      assert.equal(join.data.dialogId, `chat${chatId}`);
      assert.equal(join.data.chat.id, chatId);
      assert.equal(join.data.user.id, 4);
      await ok(anna, 'im.v2.Event.get', { offset: page.nextOffset });
      await ok(anna, 'im.v2.Event.unsubscribe');
    });

    test('imbot.v2.Event.get withUserEvents: bot and user events merged, one offset acknowledges both', async (t) => {
      if (skip) return t.skip(skip);
      const token = `tok_${dialect}_merged`;
      const reg = await ok(anna, 'imbot.v2.Bot.register', { botToken: token, fields: { code: `merge_${dialect}`, eventMode: 'fetch', properties: { name: 'Merge' } } });
      const botId = reg.bot.id;
      const get = (extra: Record<string, unknown> = {}) => restJson(anna, 'imbot.v2.Event.get', { botId, botToken: token, withUserEvents: true, ...extra });

      const refused = await get();
      assert.deepEqual([refused.status, refused.body.error], [400, 'USER_NOT_SUBSCRIBED']);
      await ok(anna, 'im.v2.Event.subscribe');
      const noScope = await webhookFor(portal, ANNA, 'imbot');
      const scopeless = await restJson(noScope, 'imbot.v2.Event.get', { botId, botToken: token, withUserEvents: true });
      assert.equal(scopeless.body.error, 'SCOPE_ERROR');

      // Clear the bot's own backlog (none yet but its join events, if any) before the merged part.
      const start = await ok(anna, 'imbot.v2.Event.get', { botId, botToken: token });
      await ok(anna, 'imbot.v2.Event.get', { botId, botToken: token, offset: start.nextOffset });

      await ok(ivan, 'im.message.add', { DIALOG_ID: botId, MESSAGE: 'to the bot' });
      await ok(ivan, 'im.message.add', { DIALOG_ID: ANNA, MESSAGE: 'to Anna' });
      const merged = (await get()).body.result;
      const types = merged.events.map((e: any) => e.type);
      assert.ok(types.includes('ONIMBOTV2MESSAGEADD') && types.includes('ONIMV2MESSAGEADD'), JSON.stringify(types));
      const ids = merged.events.map((e: any) => e.eventId);
      assert.deepEqual(ids, [...ids].sort((a: number, b: number) => a - b), 'in id order');
      const botEv = merged.events.find((e: any) => e.type === 'ONIMBOTV2MESSAGEADD');
      assert.equal(botEv.data.bot.id, botId, 'a bot event carries the bot');
      const userEv = merged.events.find((e: any) => e.type === 'ONIMV2MESSAGEADD' && e.data.message.text === 'to Anna');
      assert.equal(userEv.data.bot, undefined, 'a user event does not');
      // Without withUserEvents the bot sees only its own.
      assert.ok((await ok(anna, 'imbot.v2.Event.get', { botId, botToken: token })).events.every((e: any) => e.type.startsWith('ONIMBOTV2')));

      const acked = (await get({ offset: merged.nextOffset })).body.result;
      assert.deepEqual(acked.events, []);
      assert.deepEqual((await ok(anna, 'im.v2.Event.get')).events, [], 'the user events were acknowledged too');
      await ok(anna, 'im.v2.Event.unsubscribe');
    });

    test('retention: user events go after 24 hours, read or not', async (t) => {
      if (skip) return t.skip(skip);
      await ok(anna, 'im.v2.Event.subscribe');
      await ok(ivan, 'im.message.add', { DIALOG_ID: ANNA, MESSAGE: 'short-lived' });
      assert.equal((await ok(anna, 'im.v2.Event.get')).events.length, 1);
      const now = Date.now();
      assert.equal((await pruneExpired(portal.portal.db, portal.portal.config, now + 23 * HOUR)).userEvents, 0);
      // The unread one, and the ones read earlier (kept as fetched for the console) with it.
      const userRows = await portal.portal.db.selectFrom('bot_v2_events').select('id').where('bot_id', '=', 0).execute();
      assert.equal((await pruneExpired(portal.portal.db, portal.portal.config, now + 25 * HOUR)).userEvents, userRows.length);
      assert.deepEqual((await ok(anna, 'im.v2.Event.get')).events, []);

      // A fetch-mode bot's unfetched events go after PARLEY_KEEP_BOT_EVENTS_HOURS (720).
      const token = `tok_${dialect}_retention`;
      const botId = (await ok(anna, 'imbot.v2.Bot.register', { botToken: token, fields: { code: `ret_${dialect}`, eventMode: 'fetch', properties: { name: 'Ret' } } })).bot.id;
      await ok(ivan, 'im.message.add', { DIALOG_ID: botId, MESSAGE: 'never fetched' });
      assert.ok((await ok(anna, 'imbot.v2.Event.get', { botId, botToken: token })).events.length > 0);
      assert.equal((await pruneExpired(portal.portal.db, portal.portal.config, now + 719 * HOUR)).botEvents, 0);
      assert.ok((await pruneExpired(portal.portal.db, portal.portal.config, now + 721 * HOUR)).botEvents > 0);
      assert.deepEqual((await ok(anna, 'imbot.v2.Event.get', { botId, botToken: token })).events, []);
    });
  });
}
