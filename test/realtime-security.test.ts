/**
 * /realtime sockets live no longer than their credentials, and cannot exhaust the portal.
 * - Revocation: a deleted webhook (through the console's REST method, and through the `parley` CLI
 *   in another process), an uninstalled app, a web sign-out, an expired token and a deactivated
 *   user each close the open sockets with 4401 and the REST error code. A portal whose periodic
 *   re-check is ten minutes away shows the in-process revocations are acted on at once; one that
 *   re-checks every 300 ms catches what another process did.
 * - Limits: per credential, per client address and in all, refused before the handshake with a
 *   Bitrix24-shaped error, while REST keeps answering; clients that reset mid-upgrade free their slot
 *   and cannot crash the portal; a stalled authentication is refused after its timeout.
 * Revocation runs on SQLite and PostgreSQL.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { WebSocket } from 'ws';
import { cli, inTime, restForm, testPortal, waitFor, where } from './helpers/portal.ts';
import { expectError, expectOk } from './helpers/rest-assert.ts';
import { TestClock } from './helpers/clock.ts';
import { addApp, addUser, portalSuite } from './helpers/suite.ts';
import { readRefusal } from './helpers/realtime.ts';
import { socketCap } from '../src/realtime/limits.ts';
import { clientNetwork } from '../src/net/addresses.ts';

type Portal = Awaited<ReturnType<typeof testPortal>>;

/** An open socket, its pushes, and how it ended. */
interface Sock { ws: WebSocket; pushes: any[]; closed: Promise<{ code: number; reason: string }> }

function open(url: string, localAddress?: string): Promise<Sock> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { localAddress });
    const pushes: any[] = [];
    const closed = new Promise<{ code: number; reason: string }>((done) => ws.once('close', (code, reason) => done({ code, reason: String(reason) })));
    ws.on('message', (data) => pushes.push(JSON.parse(String(data))));
    ws.once('open', () => resolve({ ws, pushes, closed }));
    ws.once('unexpected-response', (_req, res) => {
      res.resume();
      ws.terminate();
      reject(Object.assign(new Error(`refused ${res.statusCode}`), { status: res.statusCode }));
    });
    ws.on('error', reject);
  });
}

/** Open, retrying for a moment: a slot freed by a socket that just closed comes back a little later on the server. */
function openWhenFree(url: string, localAddress?: string): Promise<Sock> {
  return waitFor(`room for ${url}`, async () => open(url, localAddress).catch(() => undefined), 3000);
}

/** The HTTP answer to an upgrade the portal refuses (it must never become a WebSocket). */
function refusal(url: string, localAddress?: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { localAddress });
    ws.once('open', () => {
      ws.close();
      reject(new Error(`${url} was accepted`));
    });
    ws.once('unexpected-response', (_req, res) => readRefusal(ws, res, resolve));
    ws.on('error', () => {});
  });
}

const hello = (s: Sock) => waitFor('hello', async () => s.pushes.find((p) => p.type === 'hello'));


/** Resolves with how the socket ended, or fails after `ms`. */
function closedWithin(s: Sock, ms: number): Promise<{ code: number; reason: string }> {
  return inTime(s.closed, ms, 'socket still open');
}

function wsBase(p: Portal): string {
  return `${p.url.replace(/^http/, 'ws')}/realtime`;
}

/** ?webhook=USER:CODE for a webhook URL http://…/rest/USER/CODE/. */
function hookParam(hook: string): string {
  const m = /\/rest\/(\d+)\/(\w+)\/$/.exec(hook)!;
  return `webhook=${m[1]}:${m[2]}`;
}

/** A seeded user's web session (cookie) and web-app access token, signed in as the messenger does. */
async function signIn(p: Portal, userId: number): Promise<{ cookie: string; token: string }> {
  const line = fs.readFileSync(path.join(p.dataDir, 'credentials.txt'), 'utf8').split('\n').find((l) => l.startsWith(`${userId}\t`))!;
  const [, login, password] = line.split('\t');
  const res = await fetch(`${p.url}/web/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login, password }) });
  assert.equal(res.status, 200);
  const cookie = res.headers.get('set-cookie')!.split(';')[0];
  return { cookie, token: await webToken(p, cookie) };
}

async function webToken(p: Portal, cookie: string): Promise<string> {
  const res = await fetch(`${p.url}/web/token`, { headers: { cookie } });
  assert.equal(res.status, 200, 'GET /web/token');
  return ((await res.json()) as { access_token: string }).access_token;
}

/** A REST call with an access token. */
function rest(p: Portal, token: string, method: string, params: Record<string, unknown> = {}) {
  return restForm(`${p.url}/rest/`, method, { ...params, auth: token });
}

/** A webhook made in the developer console (the admin's web token): its id and URL. */
async function consoleWebhook(p: Portal, admin: string, userId: number, scope = 'im'): Promise<{ id: number; url: string }> {
  return expectOk(await rest(p, admin, 'parley.webhook.add', { USER_ID: userId, SCOPE: scope }));
}

/** A loopback app handler that keeps the token block of its ONAPPINSTALL. */
async function installHandler(): Promise<{ url: string; token: Promise<string>; close(): void }> {
  let got: (t: string) => void = () => {};
  const token = new Promise<string>((r) => (got = r));
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      if (form.get('event') === 'ONAPPINSTALL') got(form.get('auth[access_token]') ?? '');
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/`, token, close: () => server.close() };
}

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`realtime sockets end with their credentials (${dialect})`, () => {
    // hooked: its periodic re-check is far away, so only this process's own revocations close sockets.
    let hooked: Portal;
    // polling: re-checks every 300 ms (what another process did), tokens live 3 s, authentication may take 1.5 s.
    let polling: Portal;
    // polling's clock: the expired-token test moves it past the tokens' life instead of waiting.
    const pollingClock = new TestClock();
    let skip: string | undefined;
    let admin: string;
    // polling's tokens live 3 s: its admin token is asked for each time from the admin's session.
    let pollingAdminCookie: string;
    const pollingAdmin = () => webToken(polling, pollingAdminCookie);

    before(async () => {
      const first = await portalSuite(dialect, { realtimeRecheckMs: 600_000 });
      if ('skip' in first) return void (skip = first.skip);
      hooked = first;
      const second = await portalSuite(dialect, { realtimeRecheckMs: 300, tokenTtl: 3, realtimeAuthTimeoutMs: 1500 }, { clock: pollingClock });
      if ('skip' in second) return void (skip = second.skip);
      polling = second;
      admin = (await signIn(hooked, 1)).token;
      pollingAdminCookie = (await signIn(polling, 1)).cookie;
    });
    after(async () => {
      await hooked?.close();
      await polling?.close();
    });

    test('a webhook deleted in the console closes its sockets at once, and only its own', async (t) => {
      if (skip) return t.skip(skip);
      const doomed = await consoleWebhook(hooked, admin, 2);
      const other = await consoleWebhook(hooked, admin, 2);
      const [a, b, keep] = await Promise.all([open(`${wsBase(hooked)}?${hookParam(doomed.url)}`), open(`${wsBase(hooked)}?${hookParam(doomed.url)}`), open(`${wsBase(hooked)}?${hookParam(other.url)}`)]);
      await Promise.all([a, b, keep].map(hello));
      expectOk(await rest(hooked, admin, 'parley.webhook.delete', { ID: doomed.id }));
      for (const s of [a, b]) assert.deepEqual(await closedWithin(s, 3000), { code: 4401, reason: 'INVALID_CREDENTIALS' });
      // The other webhook of the same user still hears its pushes.
      const id = expectOk(await rest(hooked, admin, 'im.message.add', { DIALOG_ID: 2, MESSAGE: 'still there?' }));
      await waitFor('push on the surviving socket', async () => keep.pushes.find((p) => p.type === 'message.add' && p.messageId === id));
      const again = await refusal(`${wsBase(hooked)}?${hookParam(doomed.url)}`);
      expectError(again, 401, 'INVALID_CREDENTIALS');
      keep.ws.close();
    });

    test('a webhook deleted with the parley CLI in another process closes its sockets at the next re-check', async (t) => {
      if (skip) return t.skip(skip);
      const hook = await consoleWebhook(polling, await pollingAdmin(), 3);
      const s = await open(`${wsBase(polling)}?${hookParam(hook.url)}`);
      await hello(s);
      await cli(['webhook', 'delete', String(hook.id), ...where(polling)]);
      assert.deepEqual(await closedWithin(s, 5000), { code: 4401, reason: 'INVALID_CREDENTIALS' });
    });

    test('uninstalling an app closes the sockets opened with its tokens', async (t) => {
      if (skip) return t.skip(skip);
      const handler = await installHandler();
      try {
        const app = await addApp(hooked, { name: 'Listener', handler: handler.url, scope: 'im' });
        const token = await handler.token;
        const s = await open(`${wsBase(hooked)}?auth=${token}`);
        await hello(s);
        expectOk(await rest(hooked, admin, 'parley.app.uninstall', { ID: app.id }));
        assert.deepEqual(await closedWithin(s, 3000), { code: 4401, reason: 'invalid_token' });
      } finally {
        handler.close();
      }
    });

    test('signing out of the web messenger closes its sockets; signing in again opens new ones', async (t) => {
      if (skip) return t.skip(skip);
      const web = await signIn(hooked, 2);
      const s = await open(`${wsBase(hooked)}?auth=${web.token}`);
      await hello(s);
      const out = await fetch(`${hooked.url}/web/logout`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: web.cookie }, body: '{}' });
      assert.equal(out.status, 200);
      assert.deepEqual(await closedWithin(s, 3000), { code: 4401, reason: 'invalid_token' });
      // What the messenger then does: ask /web/token again — refused without a session, so it stops.
      assert.equal((await fetch(`${hooked.url}/web/token`, { headers: { cookie: web.cookie } })).status, 401);
      const back = await signIn(hooked, 2);
      const s2 = await open(`${wsBase(hooked)}?auth=${back.token}`);
      await hello(s2);
      s2.ws.close();
    });

    test('an expired token closes its socket; a fresh token from the session reconnects and resumes', async (t) => {
      if (skip) return t.skip(skip);
      const web = await signIn(polling, 3);
      const s = await open(`${wsBase(polling)}?auth=${web.token}`);
      const { id: seen } = await hello(s);
      // polling's tokens live 3 s: move its clock past that; the next re-check finds the token expired.
      pollingClock.advance(4000);
      assert.deepEqual(await closedWithin(s, 8000), { code: 4401, reason: 'expired_token' });
      const hook = await consoleWebhook(polling, await pollingAdmin(), 2);
      const missed = expectOk(await restForm(hook.url, 'im.message.add', { DIALOG_ID: 3, MESSAGE: 'while you were away' }));
      const fresh = await webToken(polling, web.cookie);
      assert.notEqual(fresh, web.token);
      const s2 = await open(`${wsBase(polling)}?auth=${fresh}&since=${seen}`);
      await waitFor('the missed push, replayed', async () => s2.pushes.find((p) => p.type === 'message.add' && p.messageId === missed));
      s2.ws.close();
    });

    test('deactivating a user from another connection closes their sockets', async (t) => {
      if (skip) return t.skip(skip);
      const userId = await addUser(polling, { name: 'Short', lastName: 'Lived' });
      const hook = await consoleWebhook(polling, await pollingAdmin(), userId);
      const s = await open(`${wsBase(polling)}?${hookParam(hook.url)}`);
      await hello(s);
      await deactivate(polling, userId);
      assert.deepEqual(await closedWithin(s, 5000), { code: 4401, reason: 'authorization_error' });
    });

    if (dialect === 'postgres') {
      test('a stalled authentication is refused after its timeout, and clients resetting meanwhile free their slots without harm', async (t) => {
        if (skip) return t.skip(skip);
        const hook = await consoleWebhook(polling, await pollingAdmin(), 2);
        const target = `${wsBase(polling)}?${hookParam(hook.url)}`;
        // Another session holds the webhooks table: every webhook authentication waits.
        const locker = new pg.Client({ connectionString: polling.db });
        await locker.connect();
        try {
          await locker.query('BEGIN');
          await locker.query('LOCK TABLE webhooks IN ACCESS EXCLUSIVE MODE');
          const started = Date.now();
          const slow = refusal(target);
          // Upgrades whose clients vanish while they wait (a reset on a socket Node handed over without an error listener).
          for (let i = 0; i < 10; i++) await resetMidUpgrade(polling, `/realtime?${hookParam(hook.url)}`);
          const answer = await inTime(slow, 8000, 'no answer to the stalled upgrade');
          expectError(answer, 503, 'REALTIME_BUSY');
          assert.ok(Date.now() - started >= 1400, 'refused only after the authentication timeout');
          // The waiting upgrades hold few database connections: REST with a token (it needs no
          // webhooks) still gets one.
          expectOk(await inTime((async () => rest(polling, await pollingAdmin(), 'server.time'))(), 5000, 'REST did not answer'));
        } finally {
          await locker.query('ROLLBACK');
          await locker.end();
        }
        const s = await open(target);
        await hello(s);
        s.ws.close();
      });
    }
  });
}

/** Set a user inactive through a connection of the test's own, as another program would. */
async function deactivate(p: Portal, userId: number): Promise<void> {
  if (p.db) {
    const c = new pg.Client({ connectionString: p.db });
    await c.connect();
    await c.query('UPDATE users SET active = 0 WHERE id = $1', [userId]);
    await c.end();
    return;
  }
  const { default: SQLite } = await import('better-sqlite3');
  const file = new SQLite(path.join(p.dataDir, 'parley.sqlite'));
  file.pragma('busy_timeout = 10000');
  file.prepare('UPDATE users SET active = 0 WHERE id = ?').run(userId);
  file.close();
}

/** Send an upgrade request and reset the connection right away. */
function resetMidUpgrade(p: Portal, target: string, localAddress?: string): Promise<void> {
  const { port } = new URL(p.url);
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port: Number(port), localAddress }, () => {
      sock.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`, () => {
        setTimeout(() => {
          sock.resetAndDestroy();
          resolve();
        }, 20);
      });
    });
    sock.on('error', () => resolve());
  });
}

describe('realtime socket limits', () => {
  let portal: Portal;
  let admin: string;

  before(async () => {
    portal = await testPortal({ realtimePerCredential: 3, realtimePerAddress: 5, realtimeMaxSockets: 8 });
    admin = (await signIn(portal, 1)).token;
  });
  after(async () => {
    await portal?.close();
  });

  const closeAll = async (socks: Sock[]) => {
    for (const s of socks) s.ws.close();
    await Promise.all(socks.map((s) => s.closed));
  };

  test('one credential holds at most its cap; other credentials and REST are unaffected', async () => {
    const a = await consoleWebhook(portal, admin, 2);
    const b = await consoleWebhook(portal, admin, 2);
    const held = await Promise.all([1, 2, 3].map(() => openWhenFree(`${wsBase(portal)}?${hookParam(a.url)}`)));
    const over = await refusal(`${wsBase(portal)}?${hookParam(a.url)}`);
    expectError(over, 429, 'TOO_MANY_CONNECTIONS');
    assert.match(over.body.error_description, /3 realtime connections .* one credential/);
    const other = await openWhenFree(`${wsBase(portal)}?${hookParam(b.url)}`);
    expectOk(await restForm(a.url, 'server.time'));
    // A slot comes back when a socket closes.
    held[0].ws.close();
    await held[0].closed;
    const again = await openWhenFree(`${wsBase(portal)}?${hookParam(a.url)}`);
    await closeAll([...held.slice(1), other, again]);
  });

  test('one address holds at most its cap, another address is still served, and so is REST', async () => {
    const hooks = await Promise.all([1, 2].map(() => consoleWebhook(portal, admin, 3)));
    const first = [...await Promise.all([1, 2, 3].map(() => openWhenFree(`${wsBase(portal)}?${hookParam(hooks[0].url)}`))),
      ...await Promise.all([1, 2].map(() => openWhenFree(`${wsBase(portal)}?${hookParam(hooks[1].url)}`)))];
    const fresh = await consoleWebhook(portal, admin, 4);
    const over = await refusal(`${wsBase(portal)}?${hookParam(fresh.url)}`);
    expectError(over, 429, 'TOO_MANY_CONNECTIONS');
    assert.match(over.body.error_description, /5 realtime connections .* one address/);
    const elsewhere = await openWhenFree(`${wsBase(portal)}?${hookParam(fresh.url)}`, '127.0.0.2');
    expectOk(await restForm(fresh.url, 'im.message.add', { DIALOG_ID: 3, MESSAGE: 'REST still answers' }));
    await closeAll([...first, elsewhere]);
  });

  test('the global cap refuses with 503 before the handshake, and REST keeps answering', async () => {
    const hooks = await Promise.all([1, 2, 3].map(() => consoleWebhook(portal, admin, 2)));
    const open8 = [
      ...await Promise.all([0, 0, 0, 1, 1].map((h) => openWhenFree(`${wsBase(portal)}?${hookParam(hooks[h].url)}`, '127.0.0.1'))),
      ...await Promise.all([1, 2, 2].map((h) => openWhenFree(`${wsBase(portal)}?${hookParam(hooks[h].url)}`, '127.0.0.2'))),
    ];
    const over = await refusal(`${wsBase(portal)}?${hookParam(hooks[2].url)}`, '127.0.0.3');
    expectError(over, 503, 'REALTIME_BUSY');
    // Unauthenticated attempts are refused the same way, without any database work.
    expectError(await refusal(`${wsBase(portal)}?webhook=2:nope`, '127.0.0.3'), 503, 'REALTIME_BUSY');
    for (let i = 0; i < 20; i++) expectOk(await restForm(hooks[0].url, 'server.time'));
    await closeAll(open8);
    await openWhenFree(`${wsBase(portal)}?${hookParam(hooks[2].url)}`, '127.0.0.3').then((s) => closeAll([s]));
  });

  test('upgrades reset by their clients give their slots back', async () => {
    const hook = await consoleWebhook(portal, admin, 2);
    for (let i = 0; i < 12; i++) await resetMidUpgrade(portal, `/realtime?${hookParam(hook.url)}`, '127.0.0.4');
    // Had any of the twelve kept its slot, the address cap (5) or the credential cap (3) would refuse these.
    const socks = await Promise.all([1, 2, 3].map(() => openWhenFree(`${wsBase(portal)}?${hookParam(hook.url)}`, '127.0.0.4')));
    // …and the count is exact the other way too: the fourth is refused.
    expectError(await refusal(`${wsBase(portal)}?${hookParam(hook.url)}`, '127.0.0.4'), 429, 'TOO_MANY_CONNECTIONS');
    await closeAll(socks);
    expectOk(await restForm(hook.url, 'server.time'));
  });
});

describe('how sockets are counted', () => {
  test('an address: IPv4 as it is (also IPv4-mapped), IPv6 by its /64', () => {
    assert.equal(clientNetwork('::ffff:10.1.2.3'), '10.1.2.3');
    assert.equal(clientNetwork('10.1.2.3'), '10.1.2.3');
    assert.equal(clientNetwork('2001:db8:1:2:aaaa::1'), '2001:db8:1:2::/64');
    assert.equal(clientNetwork('2001:0db8:0001:0002:ffff:0:0:9'), '2001:db8:1:2::/64');
    assert.notEqual(clientNetwork('2001:db8:1:3::1'), clientNetwork('2001:db8:1:2::1'));
    assert.equal(clientNetwork('::1'), '0:0:0:0::/64');
  });

  test('the global cap: half the descriptor limit up to 10,000, a configured one kept 256 below the limit', () => {
    assert.deepEqual(socketCap(undefined, 1024), { total: 512 });
    assert.deepEqual(socketCap(undefined, 1_048_576), { total: 10_000 });
    assert.deepEqual(socketCap(300, 1024), { total: 300 });
    const lowered = socketCap(50_000, 20_000);
    assert.equal(lowered.total, 19_744);
    assert.match(lowered.note ?? '', /lowered from 50000 to 19744/);
    assert.deepEqual(socketCap(undefined, undefined), { total: 1000 });
  });
});
