/**
 * The developer console explains every delivery (parley.event.get, parley.call.list FILTER[EVENT_ID]):
 * a handler that fails twice, then answers and calls imbot.message.add, leaves three attempts on
 * record — each with its status, the headers exactly as sent and the body with its tokens masked —
 * and the event's REST calls are exactly the ones its app made while handling it, not another
 * app's call made at the same time. On SQLite and PostgreSQL.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import { parseQuery } from '../src/wire/php-query.ts';
import { restForm, waitFor } from './helpers/portal.ts';
import { addApp, portalSuite, webhookFor, type TestPortal } from './helpers/suite.ts';
import { expectOk } from './helpers/rest-assert.ts';

/** A POST as the handler got it. */
interface Seen { path: string; headers: http.IncomingHttpHeaders; body: string; form: any }

async function rest(auth: any, method: string, params: Record<string, unknown>): Promise<any> {
  const { buildQuery } = await import('../src/wire/php-query.ts');
  const res = await fetch(`${auth.client_endpoint}${method}`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: buildQuery({ ...params, auth: auth.access_token }),
  });
  return res.json();
}

/**
 * Two apps' handlers on one loopback server: app A (/a) registers a bot, answers its first two
 * messages with HTTP 500 and the third by calling imbot.message.add; app B (/b) only keeps its auth,
 * with which /a makes B's call during the same attempt.
 */
async function handlers() {
  const seen: Seen[] = [];
  const state: { authB?: any; botId?: number; reply?: any; otherCall?: any } = {};
  let messages = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => void (async () => {
      const form = parseQuery(body) as any;
      seen.push({ path: req.url ?? '', headers: req.headers, body, form });
      const me = `http://127.0.0.1:${(server.address() as { port: number }).port}/a`;
      if (req.url === '/b') {
        if (form.event === 'ONAPPINSTALL') state.authB = form.auth;
      } else if (form.event === 'ONAPPINSTALL') {
        const r = await rest(form.auth, 'imbot.register', { CODE: 'tries', TYPE: 'B', EVENT_HANDLER: me, PROPERTIES: { NAME: 'Tries' } });
        state.botId = Number(r.result);
      } else if (form.event === 'ONIMBOTMESSAGEADD') {
        messages++;
        if (messages <= 2) return res.writeHead(500).end(`failure ${messages}`);
        state.reply = await rest(form.auth, 'imbot.message.add', { BOT_ID: state.botId, DIALOG_ID: form.data.PARAMS.DIALOG_ID, MESSAGE: 'third time lucky' });
        state.otherCall = await rest(state.authB, 'app.info', {});
      }
      res.end('ok');
    })());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { seen, state, a: `${base}/a`, b: `${base}/b`, close: () => server.close() };
}

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`delivery attempts and the calls made while handling on ${dialect}`, () => {
    let running: TestPortal;
    let h: Awaited<ReturnType<typeof handlers>>;
    before(async () => {
      const s = await portalSuite(dialect, { eventFirstDelayMs: 50, eventMaxDelayMs: 100 });
      if ('skip' in s) throw new Error(s.skip);
      running = s;
      h = await handlers();
    });
    after(async () => {
      h?.close();
      await running?.close();
    });

    test('three attempts with the request as sent, tokens masked, and exactly the app\'s calls', async () => {
      const admin = await webhookFor(running, 1, 'im,imbot,parley');
      const appB = await addApp(running, { name: 'Other', handler: h.b, scope: 'im' });
      const appA = await addApp(running, { name: 'Tries', handler: h.a, scope: 'imbot,im' });
      await waitFor('both installed', async () => h.state.botId && h.state.authB);
      expectOk(await restForm(admin, 'im.message.add', { DIALOG_ID: h.state.botId, MESSAGE: 'hello' }));
      await waitFor('the third attempt answered', async () => h.state.otherCall);
      const posts = h.seen.filter((s) => s.form.event === 'ONIMBOTMESSAGEADD');
      const eventId = Number(posts[0].headers['x-parley-delivery']);

      const shown = await waitFor('the event delivered', async () => {
        const r = expectOk(await restForm(admin, 'parley.event.get', { ID: eventId }));
        return r.status === 'delivered' ? r : undefined;
      });
      assert.equal(shown.app_id, appA.id);
      assert.equal(shown.attempt_count, 3);
      assert.deepEqual(shown.attempts.map((a: any) => [a.attempt, a.state, a.status, a.error, a.response]),
        [[1, 'finished', 500, 'HTTP 500', 'failure 1'], [2, 'finished', 500, 'HTTP 500', 'failure 2'], [3, 'finished', 200, '', 'ok']]);
      for (const [i, a] of shown.attempts.entries()) {
        const got = posts[i];
        assert.equal(a.request.url, h.a);
        assert.equal(typeof a.latency_ms, 'number');
        // The headers as sent are the ones the handler got.
        for (const name of ['x-parley-delivery', 'x-parley-attempt', 'x-parley-signature', 'content-type', 'content-length', 'user-agent', 'host']) {
          assert.equal(String(a.request.headers[name]), got.headers[name], name);
        }
        assert.equal(a.request.headers['x-parley-signature'], `sha256=${crypto.createHmac('sha256', appA.client_secret).update(got.body).digest('hex')}`);
        // The body is the one sent, but for the masked tokens.
        const stored = new URLSearchParams(a.request.body);
        const sent = new URLSearchParams(got.body);
        assert.deepEqual([...stored.keys()], [...sent.keys()]);
        for (const key of ['auth[access_token]', 'auth[refresh_token]', 'auth[application_token]']) {
          assert.ok(sent.get(key)!.length >= 16, key);
          assert.equal(stored.get(key), '(hidden)', key);
        }
        assert.equal(stored.get('data[PARAMS][MESSAGE]'), 'hello');
        assert.equal(stored.get('auth[domain]'), sent.get('auth[domain]'));
        const text = JSON.stringify(shown);
        for (const secret of [got.form.auth.access_token, got.form.auth.refresh_token, got.form.auth.application_token, appA.client_secret]) {
          assert.ok(!text.includes(secret), 'no secret in the answer');
        }
      }
      assert.deepEqual(shown.request, shown.attempts[2].request);

      // The log is written in batches after each answer: wait until both calls of the third attempt are in it.
      await waitFor('the calls logged', async () => {
        const calls = expectOk(await restForm(admin, 'parley.call.list', { FILTER: { METHOD: 'app.info', APP_ID: appB.id } }));
        const mine = expectOk(await restForm(admin, 'parley.call.list', { FILTER: { METHOD: 'imbot.message.add', APP_ID: appA.id } }));
        return calls.length && mine.length;
      });
      const during = expectOk(await restForm(admin, 'parley.call.list', { FILTER: { EVENT_ID: eventId } }));
      assert.deepEqual(during.map((c: any) => [c.method, c.app_id, c.result]), [['imbot.message.add', appA.id, h.state.reply.result]]);
      // The other app's call, made at the same time, is in the log but not the event's.
      const other = expectOk(await restForm(admin, 'parley.call.list', { FILTER: { APP_ID: appB.id, METHOD: 'app.info' } }));
      assert.equal(other.length, 1);
      // The app's own imbot.register, made while handling ONAPPINSTALL, is another event's.
      const install = h.seen.find((s) => s.path === '/a' && s.form.event === 'ONAPPINSTALL')!;
      const installCalls = expectOk(await restForm(admin, 'parley.call.list', { FILTER: { EVENT_ID: Number(install.headers['x-parley-delivery']) } }));
      assert.ok(installCalls.some((c: any) => c.method === 'imbot.register'));
      assert.ok(!installCalls.some((c: any) => c.method === 'app.info'));
      // An unknown event made no calls, and is not found.
      assert.deepEqual(expectOk(await restForm(admin, 'parley.call.list', { FILTER: { EVENT_ID: 424242 } })), []);
      assert.equal((await restForm(admin, 'parley.event.get', { ID: 424242 })).body.error, 'ERROR_NOT_FOUND');
    });
  });
}
