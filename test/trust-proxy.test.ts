/**
 * `--trust-proxy` (src/http/client-address.ts): behind a trusted proxy every per-address decision
 * counts the client X-Forwarded-For names — the REST rate limit's bucket, the sign-in throttle (the
 * web messenger's and the OAuth form's), the realtime per-address socket cap, the request log — read
 * from the right past the trusted hops, so a client cannot pick its address by prepending one. Without
 * the setting the header is ignored by all of them. A bad list stops the start, naming the entry
 * (`parley start` itself: test/cli.test.ts).
 * Real portals over real HTTP; the tests run on loopback, so the proxy is 127.0.0.1.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import { ConfigError, loadConfig, type ConfigInput } from '../src/config.ts';
import type { Clock } from '../src/clock.ts';
import type { StartOptions } from '../src/http/server.ts';
import { addApp, portalSuite, webhookFor, type TestPortal } from './helpers/suite.ts';
import { readRefusal, socketUrl } from './helpers/realtime.ts';
import { FormBrowser, hiddenFields, seededLogins } from './helpers/form-browser.ts';
import { expectError, expectOk } from './helpers/rest-assert.ts';
import { logLines } from './helpers/log-lines.ts';

// Documentation addresses (RFC 5737): the clients behind the proxy.
const A = '203.0.113.10';
const B = '203.0.113.20';

/** A portal on SQLite for one test; closed when `fn` is done. */
async function withPortal(overrides: ConfigInput, fn: (p: TestPortal) => Promise<void>, options: StartOptions = {}): Promise<void> {
  const p = await portalSuite('sqlite', overrides, options);
  if ('skip' in p) throw new Error(p.skip);
  try {
    await fn(p);
  } finally {
    await p.close();
  }
}

/**
 * A portal clock that stands still: the cloud limit's bucket (2 requests a second) does not drain
 * while a test sends its 51 requests, however slowly the machine runs them.
 */
function stoppedClock(): Clock {
  const at = Date.now();
  return { now: () => at };
}

/** server.time through a webhook, as a proxy would pass it on: with X-Forwarded-For when given. */
async function serverTime(hook: string, forwardedFor?: string, requestId?: string): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = {};
  if (forwardedFor !== undefined) headers['x-forwarded-for'] = forwardedFor;
  if (requestId !== undefined) headers['x-request-id'] = requestId;
  const res = await fetch(`${hook}server.time`, { method: 'POST', headers });
  return { status: res.status, body: await res.json() };
}

/** POST /web/login (the web messenger's sign-in) with X-Forwarded-For when given. */
async function webLogin(p: TestPortal, login: string, password: string, forwardedFor?: string): Promise<number> {
  const res = await fetch(`${p.url}/web/login`, {
    method: 'POST', body: JSON.stringify({ login, password }),
    headers: { 'content-type': 'application/json', ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
  });
  await res.arrayBuffer();
  return res.status;
}

/** Open /realtime with X-Forwarded-For: the socket, or the refusal's status and body. */
function openSocket(url: string, forwardedFor: string): Promise<WebSocket | { status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: { 'x-forwarded-for': forwardedFor } });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => readRefusal(ws, res, resolve));
    ws.once('error', reject);
  });
}

async function opened(url: string, forwardedFor: string): Promise<WebSocket> {
  const s = await openSocket(url, forwardedFor);
  assert.ok(s instanceof WebSocket, `a socket for ${forwardedFor}: ${JSON.stringify(s)}`);
  return s;
}

async function refused(url: string, forwardedFor: string): Promise<{ status: number; body: any }> {
  const s = await openSocket(url, forwardedFor);
  if (s instanceof WebSocket) {
    s.close();
    assert.fail(`a socket for ${forwardedFor} was accepted`);
  }
  return s;
}

describe('the REST rate limit (--rate-limit cloud)', () => {
  test('behind a trusted proxy each forwarded address has its own bucket, and a prepended address changes nothing', async () => {
    await withPortal({ rateLimit: 'cloud', trustProxy: '127.0.0.1' }, async (p) => {
      const hook = await webhookFor(p, 2, 'im');
      for (let i = 0; i < 50; i++) expectOk(await serverTime(hook, A));
      expectError(await serverTime(hook, A), 503, 'QUERY_LIMIT_EXCEEDED');
      // A's client wrote an address of its own; the proxy appended the one it saw: A is still counted.
      expectError(await serverTime(hook, `${B}, ${A}`), 503, 'QUERY_LIMIT_EXCEEDED');
      expectOk(await serverTime(hook, B));
      // A request of the proxy's own (no header) is the proxy's.
      expectOk(await serverTime(hook));
    }, { clock: stoppedClock() });
  });

  test('without --trust-proxy X-Forwarded-For is ignored: every request is 127.0.0.1\'s', async () => {
    await withPortal({ rateLimit: 'cloud' }, async (p) => {
      const hook = await webhookFor(p, 2, 'im');
      for (let i = 0; i < 50; i++) expectOk(await serverTime(hook, `198.51.100.${i + 1}`));
      expectError(await serverTime(hook, '198.51.100.200'), 503, 'QUERY_LIMIT_EXCEEDED');
      expectError(await serverTime(hook, B), 503, 'QUERY_LIMIT_EXCEEDED');
    }, { clock: stoppedClock() });
  });
});

describe('the sign-in throttle per address', () => {
  const throttle = { signinAddressMaxFailures: 3, signinLockMs: 60_000 };

  test('behind a trusted proxy it locks the forwarded address, for the web messenger and the OAuth form alike', async () => {
    await withPortal({ ...throttle, trustProxy: '127.0.0.1' }, async (p) => {
      const maria = (await seededLogins(p.dataDir)).get('maria')!;
      // Three logins, so no one login is locked: the address is.
      for (const who of ['x1', 'x2', 'x3']) assert.equal(await webLogin(p, who, 'wrong', A), 401);
      assert.equal(await webLogin(p, 'maria', maria.password, A), 429);
      assert.equal(await webLogin(p, 'maria', maria.password, `${B}, ${A}`), 429);
      assert.equal(await webLogin(p, 'maria', maria.password, B), 200);
      assert.equal(await webLogin(p, 'maria', maria.password), 200);

      // The OAuth sign-in form counts the same address.
      const app = await addApp(p, { name: 'Proxied', handler: 'http://127.0.0.1:9/handler', scope: 'im' });
      const authorize = `/oauth/authorize/?client_id=${app.client_id}`;
      for (const [from, status] of [[A, 429], [B, 200]] as const) {
        const browser = new FormBrowser(p.url);
        const form = await browser.get(authorize);
        const answer = await browser.post(authorize, { ...hiddenFields(form.text), login: 'maria', password: maria.password }, { 'x-forwarded-for': from });
        assert.equal(answer.status, status, `OAuth sign-in from ${from}: ${answer.text.slice(0, 300)}`);
      }
    });
  });

  test('without --trust-proxy the header is ignored: the failures lock 127.0.0.1 whatever it says', async () => {
    await withPortal(throttle, async (p) => {
      const maria = (await seededLogins(p.dataDir)).get('maria')!;
      for (const [who, from] of [['x1', A], ['x2', B], ['x3', '198.51.100.1']]) assert.equal(await webLogin(p, who, 'wrong', from), 401);
      assert.equal(await webLogin(p, 'maria', maria.password, '198.51.100.2'), 429);
    });
  });
});

describe('the realtime per-address socket cap', () => {
  test('behind a trusted proxy it counts the forwarded address', async () => {
    await withPortal({ realtimePerAddress: 2, trustProxy: '127.0.0.1' }, async (p) => {
      const url = socketUrl(await webhookFor(p, 2, 'im'));
      const held = [await opened(url, A), await opened(url, `${B}, ${A}`)];
      const over = await refused(url, A);
      expectError(over, 429, 'TOO_MANY_CONNECTIONS');
      assert.match(over.body.error_description, /2 realtime connections .* one address/);
      held.push(await opened(url, B));
      for (const ws of held) ws.close();
    });
  });

  test('without --trust-proxy the header is ignored: the sockets are all 127.0.0.1\'s', async () => {
    await withPortal({ realtimePerAddress: 2 }, async (p) => {
      const url = socketUrl(await webhookFor(p, 2, 'im'));
      const held = [await opened(url, A), await opened(url, B)];
      expectError(await refused(url, '198.51.100.1'), 429, 'TOO_MANY_CONNECTIONS');
      for (const ws of held) ws.close();
    });
  });
});

describe('the request log', () => {
  test('the remoteAddress is the client: past every trusted hop, stopping at the first untrusted one', async () => {
    const log = logLines();
    await withPortal({ log: true, trustProxy: 'loopback, 198.51.100.0/24' }, async (p) => {
      const hook = await webhookFor(p, 2, 'im');
      const cases: [string | undefined, string][] = [
        [undefined, '127.0.0.1'],
        [A, A],
        // 198.51.100.7 is a trusted second proxy: the address before it is the client.
        [`${A}, 198.51.100.7`, A],
        // 192.0.2.1 is not trusted: it is the client, whatever it claims came before it.
        [`${A}, 192.0.2.1`, '192.0.2.1'],
        // Every hop trusted: the leftmost is what is left.
        ['198.51.100.1, 127.0.0.2', '198.51.100.1'],
      ];
      for (const [i, [forwardedFor]] of cases.entries()) expectOk(await serverTime(hook, forwardedFor, `proxied-${i}`));
      for (const [i, [forwardedFor, client]] of cases.entries()) {
        const line = log.lines.find((l) => l.reqId === `proxied-${i}` && l.req);
        assert.ok(line, `a request line for ${forwardedFor}`);
        assert.equal((line.req as { remoteAddress: string }).remoteAddress, client, `X-Forwarded-For: ${forwardedFor}`);
      }
    }, { logTo: log.destination });
  });

  test('without --trust-proxy it is the peer, whatever X-Forwarded-For says', async () => {
    const log = logLines();
    await withPortal({ log: true }, async (p) => {
      expectOk(await serverTime(await webhookFor(p, 2, 'im'), A, 'unproxied'));
      const line = log.lines.find((l) => l.reqId === 'unproxied' && l.req);
      assert.equal((line?.req as { remoteAddress: string } | undefined)?.remoteAddress, '127.0.0.1');
    }, { logTo: log.destination });
  });
});

describe('the setting', () => {
  test('a comma list of addresses, CIDR ranges and range names; trust no one by default', () => {
    assert.deepEqual(loadConfig({}).trustProxy, []);
    assert.deepEqual(loadConfig({ trustProxy: ' 10.0.0.1, 10.1.0.0/16 ,,::1, fd00::/8, loopback,linklocal,uniquelocal, 10.2.0.0/255.255.0.0' }).trustProxy,
      ['10.0.0.1', '10.1.0.0/16', '::1', 'fd00::/8', 'loopback', 'linklocal', 'uniquelocal', '10.2.0.0/255.255.0.0']);
  });

  test('a bad entry is refused at start, named', () => {
    for (const [list, says] of [
      ['10.0.0.0/33', /"10\.0\.0\.0\/33" is refused: invalid range/],
      ['127.0.0.1, proxy.internal', /"proxy\.internal" is not an IP address, a CIDR range/],
      // A hop count (Express's trust proxy) or a shortened address would be read as some IPv4 host.
      ['1', /"1" is not an IP address/],
      ['127.1', /"127\.1" is not an IP address/],
      ['all', /"all" is not an IP address/],
      ['::/0', /"::\/0" is refused: invalid range/],
    ] as const) {
      assert.throws(() => loadConfig({ trustProxy: list }), (err: unknown) => err instanceof ConfigError && says.test(err.message) && /--trustProxy/.test(err.message), list);
    }
  });
});
