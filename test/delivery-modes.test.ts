/**
 * An app's delivery mode (src/domain/apps.ts DELIVERY_MODES, src/events/dispatcher.ts): `once`
 * sends each event one time, as Bitrix24 does, and gives a failed one up without holding its
 * dialog's later events; `retry` (the default) retries, and when a failing handler answers again
 * the events waiting on it go at once instead of sitting out their backoff. And the console's
 * controls: retry a pending event now (parley.event.retry), send a delivered one again
 * (parley.event.resend).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { restForm, waitFor } from './helpers/portal.ts';
import { addApp, reinstallApp, sqlitePortalFor, webhookFor } from './helpers/suite.ts';
import { runAction } from '../src/domain/action.ts';
import { enqueue } from '../src/events/outbox.ts';
import { addLocalApp } from '../src/domain/apps.ts';

/**
 * A handler on a port of its own that can be taken down (connections refused) and brought back on
 * the same port, or set to answer 500; it records the events it got.
 */
async function handler() {
  const got: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      got.push(String(new URLSearchParams(body).get('event')));
      res.writeHead(h.failing ? 500 : 200).end('ok');
    });
  });
  const listen = (port = 0) => new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  await listen();
  const port = (server.address() as { port: number }).port;
  const h = {
    failing: false,
    got,
    url: `http://127.0.0.1:${port}/`,
    down: () => new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    }),
    up: () => listen(port),
    close: () => server.close(),
  };
  return h;
}

describe('delivery modes', () => {
  const portal = sqlitePortalFor({ eventFirstDelayMs: 300, eventMaxDelayMs: 300, eventAttempts: 50 });

  const rowOf = (appId: number, event: string) =>
    portal().portal.db.selectFrom('outbox').selectAll().where('app_id', '=', appId).where('event', '=', event).executeTakeFirst();

  test('once: one attempt, a failed event is given up and the next of its stream still goes', async () => {
    const h = await handler();
    try {
      h.failing = true;
      const app = await addLocalApp(portal().portal, { name: 'Once', handlerUrl: h.url, scopes: ['im'], installUserId: 1, delivery: 'once' });
      await waitFor('ONAPPINSTALL given up', async () => (await rowOf(app.id, 'ONAPPINSTALL'))?.status === 'discarded');
      h.failing = false;
      await reinstallApp(portal(), app.id);
      await waitFor('ONAPPUPDATE delivered', async () => (await rowOf(app.id, 'ONAPPUPDATE'))?.status === 'delivered');
      const install = (await rowOf(app.id, 'ONAPPINSTALL'))!;
      const update = (await rowOf(app.id, 'ONAPPUPDATE'))!;
      assert.equal(install.order_key, update.order_key, 'one stream');
      assert.equal(install.attempts, 1);
      assert.equal(install.last_status, 500);
      assert.deepEqual(h.got, ['ONAPPINSTALL', 'ONAPPUPDATE'], 'the failed event was not sent again');
    } finally {
      h.close();
    }
  });

  test('retry: when an unreachable handler answers again, an event waiting out a long backoff goes at once', async () => {
    const h = await handler();
    try {
      await h.down();
      const app = await addApp(portal(), { name: 'Retry', handler: h.url, scope: 'im' });
      assert.equal(app.delivery_mode, 'retry');
      await waitFor('ONAPPINSTALL failed once', async () => ((await rowOf(app.id, 'ONAPPINSTALL'))?.last_error ?? '') !== '');
      const admin = await webhookFor(portal(), 1, 'parley');
      const stateOf = async () => ((await restForm(admin, 'parley.app.list')).body.result as { id: number; handler_state: string }[]).find((a) => a.id === app.id)?.handler_state;
      assert.equal(await stateOf(), 'unreachable');
      // A second stream of the same handler fails too, and is made to wait a minute.
      await runAction(portal().portal, (trx) => enqueue(trx, [{ appId: app.id, event: 'ONPARLEYWAITING', handlerUrl: h.url, stream: 'other', data: {}, authUserId: 0 }]));
      await waitFor('the other stream failed', async () => ((await rowOf(app.id, 'ONPARLEYWAITING'))?.attempts ?? 0) >= 1);
      const waiting = (await rowOf(app.id, 'ONPARLEYWAITING'))!;
      assert.equal(waiting.last_status, 0, 'not reached');
      await portal().portal.db.updateTable('outbox').set({ next_attempt_at: Date.now() + 60_000 }).where('id', '=', waiting.id).execute();
      await h.up();
      // ONAPPINSTALL's next retry (300 ms) succeeds; the waiting event goes right after it.
      await waitFor('ONAPPINSTALL delivered', async () => (await rowOf(app.id, 'ONAPPINSTALL'))?.status === 'delivered', 5_000);
      await waitFor('the waiting event delivered well before its minute', async () => (await rowOf(app.id, 'ONPARLEYWAITING'))?.status === 'delivered', 5_000);
      assert.equal(await stateOf(), 'ok');
    } finally {
      h.close();
    }
  });

  test('parley.event.retry sends a pending event now; parley.event.resend sends a delivered one again, as the next attempt', async () => {
    const admin = await webhookFor(portal(), 1, 'parley');
    const h = await handler();
    try {
      h.failing = true;
      const app = await addApp(portal(), { name: 'Controls', handler: h.url, scope: 'im' });
      await waitFor('ONAPPINSTALL failed', async () => ((await rowOf(app.id, 'ONAPPINSTALL'))?.attempts ?? 0) >= 1);
      const row = (await rowOf(app.id, 'ONAPPINSTALL'))!;
      await portal().portal.db.updateTable('outbox').set({ next_attempt_at: Date.now() + 60_000 }).where('id', '=', row.id).execute();
      h.failing = false;
      const retried = await restForm(admin, 'parley.event.retry', { ID: row.id });
      assert.deepEqual(retried.body.result, { count: 1 });
      await waitFor('delivered at once, not in a minute', async () => (await rowOf(app.id, 'ONAPPINSTALL'))?.status === 'delivered', 5_000);
      // A delivered event is not "retried": nothing pending by that id.
      assert.deepEqual((await restForm(admin, 'parley.event.retry', { ID: row.id })).body.result, { count: 0 });
      const before = h.got.length;
      const attempts = (await rowOf(app.id, 'ONAPPINSTALL'))!.attempts;
      assert.deepEqual((await restForm(admin, 'parley.event.resend', { IDS: [row.id] })).body.result, { count: 1 });
      await waitFor('sent again', async () => h.got.length > before && (await rowOf(app.id, 'ONAPPINSTALL'))?.status === 'delivered');
      const again = (await rowOf(app.id, 'ONAPPINSTALL'))!;
      assert.equal(again.attempts, attempts + 1, 'the next attempt number');
      assert.equal(h.got.at(-1), 'ONAPPINSTALL');
      // A pending event whose last attempt timed out is not hurried: that attempt may still be running.
      await portal().portal.db.updateTable('outbox').set({ status: 'pending', next_attempt_at: Date.now() + 60_000, last_error: 'no answer within 35000 ms' }).where('id', '=', row.id).execute();
      assert.deepEqual((await restForm(admin, 'parley.event.retry', { ID: row.id })).body.result, { count: 0 });
      await portal().portal.db.updateTable('outbox').set({ status: 'discarded' }).where('id', '=', row.id).execute();
      const none = await restForm(admin, 'parley.event.retry', {});
      assert.equal(none.body.error, 'ERROR_ARGUMENT');
    } finally {
      h.close();
    }
  });

  test('once: a resent event is sent again (only an interrupted attempt is never repeated)', async () => {
    const admin = await webhookFor(portal(), 1, 'parley');
    const h = await handler();
    try {
      const app = await addLocalApp(portal().portal, { name: 'OnceResend', handlerUrl: h.url, scopes: ['im'], installUserId: 1, delivery: 'once' });
      await waitFor('delivered', async () => (await rowOf(app.id, 'ONAPPINSTALL'))?.status === 'delivered');
      const row = (await rowOf(app.id, 'ONAPPINSTALL'))!;
      assert.deepEqual((await restForm(admin, 'parley.event.resend', { ID: row.id })).body.result, { count: 1 });
      await waitFor('delivered again', async () => h.got.filter((e) => e === 'ONAPPINSTALL').length === 2 && (await rowOf(app.id, 'ONAPPINSTALL'))?.status === 'delivered');
      // An attempt claimed and never finished (its dispatcher died): in once mode it is given up, not repeated.
      await portal().portal.db.updateTable('outbox').set({ status: 'pending', next_attempt_at: 0, claimed_until: 0, last_status: 0, last_error: '' }).where('id', '=', row.id).execute();
      await waitFor('given up', async () => (await rowOf(app.id, 'ONAPPINSTALL'))?.status === 'discarded');
      assert.match((await rowOf(app.id, 'ONAPPINSTALL'))!.last_error, /interrupted/);
      assert.equal(h.got.filter((e) => e === 'ONAPPINSTALL').length, 2);
    } finally {
      h.close();
    }
  });

  test('parley.app.add takes DELIVERY (retry or once) and refuses anything else; parley.app.list shows it', async () => {
    const admin = await webhookFor(portal(), 1, 'parley');
    const h = await handler();
    try {
      const made = await restForm(admin, 'parley.app.add', { NAME: 'Mode', HANDLER: h.url, SCOPE: 'im', DELIVERY: 'ONCE', INSTALL: 'N' });
      assert.equal(made.status, 200, JSON.stringify(made.body));
      assert.equal(made.body.result.delivery, 'once');
      const bad = await restForm(admin, 'parley.app.add', { NAME: 'Bad', HANDLER: h.url, SCOPE: 'im', DELIVERY: 'twice' });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error, 'ERROR_ARGUMENT');
      assert.match(bad.body.error_description, /DELIVERY must be one of: retry, once/);
      const listed = (await restForm(admin, 'parley.app.list')).body.result as { id: number; delivery: string }[];
      assert.equal(listed.find((a) => a.id === made.body.result.id)?.delivery, 'once');
    } finally {
      h.close();
    }
  });
});
