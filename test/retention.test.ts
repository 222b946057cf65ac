/**
 * Retention (src/domain/retention.ts) on both databases: rows that only record the past — finished
 * events, the REST call log, the push log, command calls — go once older than their keep window,
 * each kind by its own window; events still pending stay whatever their age. The rows are made by
 * real traffic (an echo bot answering a user), then a pass is run as of later times.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { botEvents, echoBot, restForm, testPortal, waitFor, type Child } from './helpers/portal.ts';
import { installEchoBot, webhookFor } from './helpers/suite.ts';
import { databaseFor } from './helpers/postgres.ts';
import { pruneExpired } from '../src/domain/retention.ts';

const HOUR = 3_600_000;

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`retention on ${dialect}`, () => {
    let portal: Awaited<ReturnType<typeof testPortal>>;
    let bot: Child;
    let drop = async () => {};
    let skip: string | undefined;

    before(async () => {
      const store = await databaseFor(dialect);
      ({ drop, skip } = store);
      if (skip) return;
      portal = await testPortal({ ...(store.db ? { db: store.db } : {}), keepPushesHours: 24, keepEventsHours: 72, keepCallsHours: 96, keepCommandCallsHours: 120, keepOfflineEventsHours: 144 });
      bot = await echoBot();
    });
    after(async () => {
      await bot?.stop();
      await portal?.close();
      await drop();
    });

    test('each kind of record goes after its own window; pending events stay', async (t) => {
      if (skip) return t.skip(skip);
      const { botId, install } = await installEchoBot(portal, bot);
      const anna = await webhookFor(portal, 2);
      // The app takes its bot's messages offline too: they wait in the offline queue.
      assert.equal((await restForm(`${portal.url}/rest/`, 'event.bind', { auth: install.auth.access_token, event: 'ONIMBOTMESSAGEADD', event_type: 'offline' })).body.result, true);
      // A command call (ONIMCOMMANDADD), a message event, pushes and logged calls.
      assert.equal(typeof (await restForm(anna, 'im.message.add', { DIALOG_ID: botId, MESSAGE: '/echo hello' })).body.result, 'number');
      await waitFor('the command event', async () => (await botEvents(bot)).find((e) => e.event === 'ONIMCOMMANDADD'));
      const db = portal.portal.db;
      await waitFor('every event delivered', async () => {
        const open = await db.selectFrom('outbox').select('id').where('status', '!=', 'delivered').execute();
        return open.length === 0;
      });
      // One more event that stays pending: its handler is gone.
      await bot.stop();
      await restForm(anna, 'im.message.add', { DIALOG_ID: botId, MESSAGE: 'nobody listens' });
      await waitFor('a pending event', async () => (await db.selectFrom('outbox').select('id').where('status', '=', 'pending').execute()).length > 0);

      const count = async () => ({
        delivered: (await db.selectFrom('outbox').select('id').where('status', '=', 'delivered').execute()).length,
        pending: (await db.selectFrom('outbox').select('id').where('status', '=', 'pending').execute()).length,
        calls: (await db.selectFrom('rest_calls').select('id').execute()).length,
        pushes: (await db.selectFrom('push_log').select('id').execute()).length,
        commandCalls: (await db.selectFrom('command_calls').select('command_id').execute()).length,
        offline: (await db.selectFrom('offline_events').select('id').execute()).length,
      });
      const start = await count();
      for (const [kind, n] of Object.entries(start)) assert.ok(n > 0, `${kind} rows were made`);

      const now = Date.now();
      assert.deepEqual(await pruneExpired(db, portal.portal.config, now + HOUR), { events: 0, calls: 0, pushes: 0, commandCalls: 0, offline: 0, userEvents: 0, botEvents: 0, fetchedEvents: 0, linkUses: 0 });
      assert.deepEqual(await count(), start);

      const day = await pruneExpired(db, portal.portal.config, now + 25 * HOUR);
      assert.equal(day.pushes, start.pushes);
      assert.deepEqual({ ...(await count()), pushes: start.pushes }, start);

      await pruneExpired(db, portal.portal.config, now + 73 * HOUR);
      assert.deepEqual(await count(), { ...start, delivered: 0, pushes: 0 });

      await pruneExpired(db, portal.portal.config, now + 97 * HOUR);
      assert.deepEqual(await count(), { ...start, delivered: 0, pushes: 0, calls: 0 });

      await pruneExpired(db, portal.portal.config, now + 121 * HOUR);
      assert.deepEqual(await count(), { delivered: 0, pending: start.pending, calls: 0, pushes: 0, commandCalls: 0, offline: start.offline });

      await pruneExpired(db, portal.portal.config, now + 145 * HOUR);
      assert.deepEqual(await count(), { delivered: 0, pending: start.pending, calls: 0, pushes: 0, commandCalls: 0, offline: 0 });
    });
  });
}
