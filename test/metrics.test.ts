/**
 * /metrics (Prometheus text) on its own port: REST calls by method and status, errors by code,
 * event deliveries and their latency per app, push fan-out, open sockets, the outbox's depth — each
 * read after real traffic (a user and an echo bot). Not served on the portal's public port, and
 * not at all unless asked for.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { botEvents, echoBot, restForm, testPortal, waitFor } from './helpers/portal.ts';
import { installEchoBot, webhookFor } from './helpers/suite.ts';
import { hello, listen, socketUrl } from './helpers/realtime.ts';

/** The value of one sample line (`name{labels} value`), or undefined. */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

test('metrics after real traffic', async () => {
  const portal = await testPortal({ metricsPort: 0 });
  const bot = await echoBot();
  try {
    assert.ok(portal.metricsPort, 'the metrics port is bound');
    const scrape = async () => {
      const res = await fetch(`http://127.0.0.1:${portal.metricsPort}/metrics`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /text\/plain/);
      return res.text();
    };
    const { app, botId } = await installEchoBot(portal, bot);
    const anna = await webhookFor(portal, 2);
    const socket = await listen(socketUrl(anna));
    await hello(socket);
    for (let i = 0; i < 3; i++) assert.equal((await restForm(anna, 'server.time')).status, 200);
    const refused = await restForm(anna, 'im.message.add', { DIALOG_ID: 'chat999999', MESSAGE: 'x' });
    assert.ok(refused.body.error, JSON.stringify(refused.body));
    assert.equal((await restForm(anna, 'no.such.method')).status, 404);
    await restForm(anna, 'im.message.add', { DIALOG_ID: botId, MESSAGE: 'hello bot' });
    await waitFor('the echo', async () => (await botEvents(bot)).find((e) => e.event === 'ONIMBOTMESSAGEADD'));
    await waitFor('the push on the socket', async () => socket.pushes.find((p) => p.type === 'message.add'));

    const text = await waitFor('delivery counted', async () => {
      const t = await scrape();
      return (sample(t, 'parley_event_deliveries_total', `app="${app.id}",outcome="delivered"`) ?? 0) >= 2 ? t : undefined;
    });
    assert.equal(sample(text, 'parley_rest_calls_total', 'method="server.time",status="200"'), 3);
    assert.equal(sample(text, 'parley_rest_calls_total', 'method="unknown",status="404"'), 1);
    assert.equal(sample(text, 'parley_rest_errors_total', 'code="ERROR_METHOD_NOT_FOUND"'), 1);
    assert.equal(sample(text, 'parley_rest_errors_total', `code="${refused.body.error}"`), 1);
    assert.equal(sample(text, 'parley_rest_calls_total', `method="im.message.add",status="${refused.status}"`), 1);
    assert.equal(sample(text, 'parley_rest_call_seconds_count', 'method="server.time"'), 3);
    assert.ok((sample(text, 'parley_event_delivery_seconds_count', `app="${app.id}"`) ?? 0) >= 2);
    assert.ok((sample(text, 'parley_push_fanout_seconds_count') ?? 0) >= 1);
    assert.equal(sample(text, 'parley_realtime_sockets'), 1);
    assert.equal(sample(text, 'parley_outbox_events', 'status="pending"'), 0);
    assert.equal(sample(text, 'parley_outbox_oldest_pending_seconds'), 0);

    // A pending event shows in the depth once its handler is gone.
    await bot.stop();
    await restForm(anna, 'im.message.add', { DIALOG_ID: botId, MESSAGE: 'nobody listens' });
    await waitFor('a pending event counted', async () => (sample(await scrape(), 'parley_outbox_events', 'status="pending"') ?? 0) >= 1);
    await socket.close();
    await waitFor('the socket gone', async () => sample(await scrape(), 'parley_realtime_sockets') === 0);

    // Only there: the public port does not serve them (it may answer with the web app's page).
    assert.doesNotMatch(await (await fetch(`${portal.url}/metrics`)).text(), /parley_rest_calls_total/);
  } finally {
    await bot.stop();
    await portal.close();
  }
});

test('no metrics port unless asked for', async () => {
  const portal = await testPortal();
  try {
    assert.equal(portal.metricsPort, undefined);
  } finally {
    await portal.close();
  }
});
