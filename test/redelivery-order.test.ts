/**
 * Redelivery keeps each stream's order (issue 8, finding 13). A handler down for longer than the
 * retry budget dead-letters the head of its (handler, dialog) stream; later events of that stream
 * wait behind it instead of overtaking it, so `parley events redeliver` (here its domain function,
 * run in-process; or parley.event.redeliver) hands the bot m1, m2, m3, m4 — never m4 first. `parley
 * events discard` (parley.event.discard) gives a dead event up and lets the stream go on. Other streams are not held up. SQLite and PostgreSQL.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { botEvents, echoBot, restForm, waitFor, type Child } from './helpers/portal.ts';
import { discardEvents, installEchoBot, redeliverEvents, webhookFor, portalSuite, type TestPortal } from './helpers/suite.ts';
import { expectOk } from './helpers/rest-assert.ts';

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`redelivery order on ${dialect}`, () => {
    let portal: TestPortal;
    let bot: Child;
    let botId: number;
    let anna: string;
    let boris: string;
    let admin: string;
    let skip: string | undefined;

    // The retry budget is two quick attempts: an outage of a second outlasts it.
    before(async () => {
      const suite = await portalSuite(dialect, { eventAttempts: 2, eventFirstDelayMs: 50, eventMaxDelayMs: 50, eventTimeoutMs: 1000 });
      if ('skip' in suite) return void (skip = suite.skip);
      portal = suite;
      bot = await echoBot();
      ({ botId } = await installEchoBot(portal, bot));
      anna = await webhookFor(portal, 2);
      boris = await webhookFor(portal, 3);
      admin = await webhookFor(portal, 1, 'im,imbot,parley');
      for (const hook of [anna, boris]) await restForm(hook, 'im.dialog.get', { DIALOG_ID: botId });
      // Both welcomes are out before the outage starts.
      await waitFor('welcomes delivered', async () => (await botEvents(bot)).filter((e) => e.event === 'ONIMBOTJOINCHAT').length === 2);
      await waitFor('welcome rows delivered', async () => {
        const open = await portal.portal.db.selectFrom('outbox').select('id').where('status', '!=', 'delivered').execute();
        return open.length === 0;
      });
    });

    after(async () => {
      await bot?.stop();
      await portal?.close();
    });

    const messagesOf = async (b: Child, from: number) => (await botEvents(b)).filter((e) => e.event === 'ONIMBOTMESSAGEADD' && e.data.PARAMS.FROM_USER_ID === String(from))
      .map((e) => e.data.PARAMS.MESSAGE as string);
    const rowsOf = (text: string) => portal.portal.db.selectFrom('outbox').selectAll()
      .where('event', '=', 'ONIMBOTMESSAGEADD').where('payload', 'like', `%"${text}"%`).execute();

    // Stop the bot, send texts while it is down, and wait until the first one is dead-lettered and the
    // rest of the stream has settled (dead too, or waiting untried behind it).
    async function outage(hook: string, texts: string[]) {
      // Every earlier delivery is recorded first, so stopping the bot cannot cut one short.
      await waitFor('nothing pending', async () => !(await portal.portal.db.selectFrom('outbox').select('id').where('status', '=', 'pending').executeTakeFirst()));
      const port = bot.port;
      await bot.stop();
      for (const t of texts) expectOk(await restForm(hook, 'im.message.add', { DIALOG_ID: botId, MESSAGE: t }));
      await waitFor(`${texts[0]} dead-lettered`, async () => (await rowsOf(texts[0]))[0]?.status === 'dead');
      // Long enough for every later one to exhaust its own budget if it were tried.
      await new Promise((r) => setTimeout(r, 1500));
      return port;
    }

    test('m1..m3 die in an outage, m4 comes after it: redeliver hands the bot m1, m2, m3, m4', async (t) => {
      if (skip) return t.skip(skip);
      const port = await outage(anna, ['m1', 'm2', 'm3']);
      bot = await echoBot(port);
      expectOk(await restForm(anna, 'im.message.add', { DIALOG_ID: botId, MESSAGE: 'm4' }));
      // Boris's dialog is another stream: the outage of Anna's does not hold it up.
      expectOk(await restForm(boris, 'im.message.add', { DIALOG_ID: botId, MESSAGE: 'boris after' }));
      await waitFor('the other stream delivered', async () => (await messagesOf(bot, 3)).includes('boris after'));
      // Boris's event is the sentinel: it was committed after m4, and the dispatcher leases due rows
      // in id order, so the lease that took it would have taken m4 too, were m4 free to go.
      assert.deepEqual(await messagesOf(bot, 2), [], 'm4 waits behind the dead-lettered m1 instead of overtaking it');
      const m4 = (await rowsOf('m4'))[0];
      assert.equal(m4.status, 'pending');
      assert.equal(m4.attempts, 0);
      assert.equal(Number(m4.claimed_until), 0, 'never leased');

      assert.ok(await redeliverEvents(portal) >= 1, 'm1 at least is queued again');
      const got = await waitFor('all four', async () => {
        const m = await messagesOf(bot, 2);
        return m.length >= 4 && m;
      });
      assert.deepEqual(got, ['m1', 'm2', 'm3', 'm4']);
    });

    test('discarding the dead head lets the rest of its stream go, in order; parley.event.redeliver keeps order too', async (t) => {
      if (skip) return t.skip(skip);
      const port = await outage(anna, ['d1', 'd2', 'd3']);
      bot = await echoBot(port);
      const d1 = (await rowsOf('d1'))[0];
      const listed = expectOk(await restForm(admin, 'parley.event.list', { FILTER: { STATUS: 'pending' } })) as any[];
      const waiting = listed.find((e) => e.data?.PARAMS?.MESSAGE === 'd2');
      assert.equal(waiting.waiting_for, d1.id, 'the console says what a waiting event waits for');

      assert.equal(await discardEvents(portal, [d1.id]), 1);
      const rest = await waitFor('d2, d3', async () => {
        const m = await messagesOf(bot, 2);
        return m.includes('d3') && m;
      });
      assert.deepEqual(rest.slice(-2), ['d2', 'd3']);
      assert.ok(!rest.includes('d1'), 'a discarded event is not delivered');
      assert.equal((await rowsOf('d1'))[0].status, 'discarded');

      // Over REST: an outage again, one more message after it, then parley.event.redeliver.
      const port2 = await outage(anna, ['r1', 'r2']);
      bot = await echoBot(port2);
      expectOk(await restForm(anna, 'im.message.add', { DIALOG_ID: botId, MESSAGE: 'r3' }));
      // A sentinel on Boris's stream, committed after r3: delivered, it proves r3 was passed over.
      expectOk(await restForm(boris, 'im.message.add', { DIALOG_ID: botId, MESSAGE: 'boris sentinel' }));
      await waitFor('the sentinel delivered', async () => (await messagesOf(bot, 3)).includes('boris sentinel'));
      assert.deepEqual(await messagesOf(bot, 2), []);
      const r3 = (await rowsOf('r3'))[0];
      assert.equal(r3.status, 'pending');
      assert.equal(Number(r3.claimed_until), 0, 'never leased');
      const dead = expectOk(await restForm(admin, 'parley.event.list', { FILTER: { STATUS: 'dead' } })) as any[];
      expectOk(await restForm(admin, 'parley.event.redeliver', { IDS: dead.map((e) => e.id) }));
      const got = await waitFor('r1..r3', async () => {
        const m = await messagesOf(bot, 2);
        return m.length >= 3 && m;
      });
      assert.deepEqual(got, ['r1', 'r2', 'r3']);
    });
  });
}
