/**
 * The web messenger's HTTP side without a browser: the SPA and its fallback with cache and security
 * headers, sign-in to a session cookie, a session to an access token of the built-in web app that
 * works on /rest like any app's, and sign-out revoking both.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ROOT, testPortal } from '../helpers/portal.ts';
import { credentials } from '../helpers/browser.ts';

describe('web messenger routes', () => {
  let portal: Awaited<ReturnType<typeof testPortal>>;

  before(async () => {
    const { buildUi } = await import(path.join(ROOT, 'scripts/build-ui.js'));
    await buildUi({ quiet: true });
    portal = await testPortal();
  });
  after(async () => portal?.close());

  const login = (body: unknown, type = 'application/json') => fetch(`${portal.url}/web/login`, {
    method: 'POST', headers: { 'content-type': type }, body: typeof body === 'string' ? body : JSON.stringify(body),
  });

  test('serves the SPA with a CSP, hashed assets as immutable, client routes fall back to it', async () => {
    const index = await fetch(`${portal.url}/`);
    assert.equal(index.status, 200);
    const html = await index.text();
    assert.match(html, /<div id="app">/);
    assert.match(index.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.equal(index.headers.get('cache-control'), 'no-cache');
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1];
    const js = await fetch(`${portal.url}${asset}`);
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type') ?? '', /javascript/);
    assert.match(js.headers.get('cache-control') ?? '', /immutable/);
    assert.equal((await fetch(`${portal.url}/some/client/route`)).status, 200);
    assert.equal((await fetch(`${portal.url}/assets/missing.js`)).status, 404);
    const traversal = await fetch(`${portal.url}/%2e%2e/%2e%2e/package.json`);
    assert.doesNotMatch(await traversal.text(), /"name": "parley"/);
  });

  test('sign-in sets an HttpOnly session cookie; a wrong password or a form post does not', async () => {
    const [, anna] = credentials(portal.dataDir);
    assert.equal((await login({ login: anna.login, password: 'nope' })).status, 401);
    assert.equal((await login(`login=${anna.login}&password=${anna.password}`, 'application/x-www-form-urlencoded')).status, 415);
    assert.equal((await fetch(`${portal.url}/web/token`)).status, 401);
    const ok = await login({ login: anna.login, password: anna.password });
    assert.equal(ok.status, 200);
    const cookie = ok.headers.get('set-cookie') ?? '';
    assert.match(cookie, /parley_session=\w+;.*HttpOnly; SameSite=Lax/);
    const session = cookie.split(';')[0];

    const tokenRes = await fetch(`${portal.url}/web/token`, { headers: { cookie: session } });
    assert.equal(tokenRes.status, 200);
    assert.equal(tokenRes.headers.get('cache-control'), 'no-store');
    const token = await tokenRes.json() as { access_token: string; expires_in: number; user_id: number };
    assert.equal(token.user_id, anna.id);
    assert.ok(token.expires_in > 0);
    const me = await (await fetch(`${portal.url}/rest/user.current?auth=${token.access_token}`)).json() as any;
    assert.equal(Number(me.result.ID), anna.id);
    const scope = await (await fetch(`${portal.url}/rest/scope?auth=${token.access_token}`)).json() as any;
    // The web app carries the console's `parley` scope (and `imopenlines`, for the operator's workspace); the console methods still refuse non-administrators.
    assert.deepEqual([...scope.result].sort(), ['department', 'disk', 'im', 'imbot', 'imopenlines', 'parley', 'task', 'user']);
    const consoleAnswer = await (await fetch(`${portal.url}/rest/parley.app.list?auth=${token.access_token}`)).json() as any;
    assert.equal(consoleAnswer.error, 'ACCESS_DENIED');

    const out = await fetch(`${portal.url}/web/logout`, { method: 'POST', headers: { cookie: session, 'content-type': 'application/json' }, body: '{}' });
    assert.equal(out.status, 200);
    assert.equal((await fetch(`${portal.url}/web/token`, { headers: { cookie: session } })).status, 401);
    const revoked = await (await fetch(`${portal.url}/rest/user.current?auth=${token.access_token}`)).json() as any;
    assert.equal(revoked.error, 'invalid_token');
  });
});
