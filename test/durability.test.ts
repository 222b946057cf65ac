/**
 * Event delivery survives failures: a portal killed with SIGKILL while the bot's handler is down
 * delivers every event, in order, after restart; failing handlers are retried, then dead-lettered
 * and re-delivered on request; an attempt cut off by the kill is on record as running while its
 * lease lasts, then as interrupted.
 */
import { test } from 'node:test';
import net from 'node:net';
import assert from 'node:assert/strict';
import { botEvents, cli, echoBot, freePort, portalProcess, restForm, tempDir, testPortal, waitFor } from './helpers/portal.ts';
import { addApp, installEchoBot, operatorPortal, webhookFor } from './helpers/suite.ts';

const fastRetries = {
  PARLEY_EVENT_FIRST_DELAY_MS: '100', PARLEY_EVENT_MAX_DELAY_MS: '300', PARLEY_EVENT_TIMEOUT_MS: '1000', PARLEY_EVENT_GRACE_MS: '300', PARLEY_EVENT_ATTEMPTS: '1000',
};

test('kill -9 while the handler is down: every event arrives, in order, after restart', async () => {
  const dataDir = tempDir();
  const portalPort = await freePort();
  const botPort = await freePort();
  let portal = await portalProcess(dataDir, portalPort, fastRetries);
  let bot = await echoBot(botPort);
  try {
    // Set up as a `parley` command would, beside the portal process (which polls for the rows).
    const state = await operatorPortal({ dataDir });
    const anna = await webhookFor(state, 2);
    const { botId } = await installEchoBot(state, bot).finally(() => state.close());
    // Open the dialog while the bot is up, so the welcome is already out of the way.
    await restForm(anna, 'im.dialog.get', { DIALOG_ID: botId });
    await waitFor('welcome', async () => (await botEvents(bot)).some((e) => e.event === 'ONIMBOTJOINCHAT'));
    await bot.stop();

    const texts = Array.from({ length: 12 }, (_, i) => `message ${i + 1}`);
    for (const text of texts) assert.equal((await restForm(anna, 'im.message.add', { DIALOG_ID: botId, MESSAGE: text })).status, 200);
    // Let the dispatcher fail a few times against the dead handler, then kill the portal outright.
    await new Promise((r) => setTimeout(r, 700));
    portal.proc.kill('SIGKILL');
    await portal.stop();

    portal = await portalProcess(dataDir, portalPort, fastRetries);
    bot = await echoBot(botPort);
    const got = await waitFor('all 12 messages', async () => {
      const evs = (await botEvents(bot)).filter((e) => e.event === 'ONIMBOTMESSAGEADD');
      return evs.length >= texts.length && evs;
    }, 30_000);
    assert.deepEqual(got.map((e: any) => e.data.PARAMS.MESSAGE), texts, 'each message once, in the order written');
    // Tokens are minted at send time: the redelivered events carry working credentials.
    const reply = await waitFor('replies', async () => {
      const r = await restForm(anna, 'im.dialog.messages.get', { DIALOG_ID: botId, LIMIT: 50 });
      return r.body.result.messages.filter((m: any) => m.text.startsWith('echo: message')).length === texts.length;
    }, 30_000);
    assert.ok(reply);
  } finally {
    await bot.stop();
    await portal.stop();
  }
});

test('a failing handler is retried with backoff, dead-lettered, and re-delivered on request', async () => {
  const portal = await testPortal({ eventAttempts: 3, eventFirstDelayMs: 50, eventMaxDelayMs: 100 });
  const bot = await echoBot(0, 'B');
  try {
    const { botId } = await installEchoBot(portal, bot);
    const anna = await webhookFor(portal, 2);
    await restForm(anna, 'im.dialog.get', { DIALOG_ID: botId });
    // Wait until the welcome's delivery is recorded, so stopping the bot cannot cut that POST short.
    await waitFor('welcome delivered', async () => (await portal.portal.db.selectFrom('outbox').select('id')
      .where('event', '=', 'ONIMBOTJOINCHAT').where('status', '=', 'delivered').executeTakeFirst()));
    await bot.stop();
    await restForm(anna, 'im.message.add', { DIALOG_ID: botId, MESSAGE: 'into the void' });
    await waitFor('dead letter', async () => portal.portal.db.selectFrom('outbox').select('id')
      .where('event', '=', 'ONIMBOTMESSAGEADD').where('status', '=', 'dead').executeTakeFirst());
    // What the operator sees of it (one `parley events list`, not one per poll: each costs a start of node).
    const { stdout: dead } = await cli(['events', 'list', '--status', 'dead', '--data', portal.dataDir]);
    assert.match(dead, /ONIMBOTMESSAGEADD.*attempts=3/);
    const row = await portal.portal.db.selectFrom('outbox').selectAll().where('status', '=', 'dead').executeTakeFirstOrThrow();
    assert.ok(row.last_error, 'the failure reason is kept');

    const revived = await echoBot(Number(new URL(row.handler_url).port));
    try {
      const deadRows = await portal.portal.db.selectFrom('outbox').select(['event', 'last_error']).where('status', '=', 'dead').execute();
      assert.deepEqual(deadRows.map((r) => r.event), ['ONIMBOTMESSAGEADD'], JSON.stringify(deadRows));
      const { stdout } = await cli(['events', 'redeliver', '--data', portal.dataDir]);
      assert.match(stdout, /^1 event\(s\) queued again/);
      const ev = await waitFor('redelivered event', async () => (await botEvents(revived)).find((e) => e.event === 'ONIMBOTMESSAGEADD'));
      assert.equal(ev.data.PARAMS.MESSAGE, 'into the void');
    } finally {
      await revived.stop();
    }
  } finally {
    await bot.stop();
    await portal.close();
  }
});

test('a handler that answers 500 twice gets the event on the third attempt', async () => {
  const portal = await testPortal({ eventAttempts: 5, eventFirstDelayMs: 50, eventMaxDelayMs: 100 });
  const bot = await echoBot(0, 'B', { FAIL_FIRST: '2' });
  try {
    // The first two POSTs (ONAPPINSTALL's first attempts) fail; the install still arrives.
    const { botId } = await installEchoBot(portal, bot);
    assert.ok(botId > 0);
    const row = await portal.portal.db.selectFrom('outbox').selectAll().where('event', '=', 'ONAPPINSTALL').executeTakeFirstOrThrow();
    assert.equal(row.attempts, 3);
    assert.equal(row.status, 'delivered');
  } finally {
    await bot.stop();
    await portal.close();
  }
});

test('an attempt cut off by kill -9 shows as running while its lease lasts, then as interrupted', { timeout: 60_000 }, async () => {
  const dataDir = tempDir();
  const portalPort = await freePort();
  // A handler that takes the POST and never answers: the attempt is in flight when the portal dies.
  const got: string[] = [];
  const silent = net.createServer((socket) => socket.once('data', (d) => got.push(d.toString('latin1'))));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  const handler = `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}/`;
  let portal = await portalProcess(dataDir, portalPort, fastRetries);
  try {
    const state = await operatorPortal({ dataDir });
    await addApp(state, { name: 'Silent', handler, scope: 'imbot' }).finally(() => state.close());
    await waitFor('the POST in flight', async () => got.some((g) => g.startsWith('POST ')));
    portal.proc.kill('SIGKILL');
    await portal.stop();
    const show = async () => {
      const out = JSON.parse((await cli(['events', 'show', '1', '--data', dataDir])).stdout);
      return out.attempt_log as { attempt: number; state: string; status: number; finished: string }[];
    };
    const [running] = await show();
    assert.deepEqual([running.attempt, running.state, running.status], [1, 'running', 0]);
    // Lease: the 1 s timeout, the 300 ms grace and 5 s more; after it the attempt is interrupted.
    const log = await waitFor('interrupted', async () => {
      const l = await show();
      return l[0].state === 'interrupted' && l;
    }, 15_000);
    assert.equal(log.length, 1, 'nothing else was attempted while the portal was down');
  } finally {
    await portal.stop();
    silent.close();
  }
});
