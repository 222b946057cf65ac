/**
 * OAuth 2.0 for apps: tokens expire with `expired_token`, refresh rotates the pair, the code flow
 * works for a signed-in user who allows the app, and uninstalling revokes access and tells the handler.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { botEvents, echoBot, restForm, testPortal, waitFor } from './helpers/portal.ts';
import { installEchoBot, reinstallApp, uninstallApp } from './helpers/suite.ts';
import { FormBrowser, hiddenFields, seededLogins } from './helpers/form-browser.ts';
import { TestClock } from './helpers/clock.ts';

async function token(base: string, params: Record<string, string>, method: 'GET' | 'POST' = 'POST') {
  const body = new URLSearchParams(params).toString();
  const res = method === 'GET'
    ? await fetch(`${base}/oauth/token/?${body}`)
    : await fetch(`${base}/oauth/token/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  return { status: res.status, body: await res.json() as any };
}

test('an expired token answers expired_token; refresh gives a working pair and retires the old one', async () => {
  const clock = new TestClock();
  const portal = await testPortal({ tokenTtl: 60 }, { clock });
  const bot = await echoBot();
  try {
    const { app, install } = await installEchoBot(portal, bot);
    const rest = `${portal.url}/rest/`;
    const ok = await restForm(rest, 'profile', { auth: install.auth.access_token });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.result.ID, '1');
    assert.equal(ok.body.result.ADMIN, true);
    clock.advance(61_000);
    const expired = await restForm(rest, 'profile', { auth: install.auth.access_token });
    assert.equal(expired.status, 401);
    assert.equal(expired.body.error, 'expired_token');

    const bad = await token(portal.url, { grant_type: 'refresh_token', client_id: app.client_id, client_secret: 'nope', refresh_token: install.auth.refresh_token });
    assert.equal(bad.status, 401);
    assert.equal(bad.body.error, 'invalid_client');

    const fresh = await token(portal.url, { grant_type: 'refresh_token', client_id: app.client_id, client_secret: app.client_secret, refresh_token: install.auth.refresh_token }, 'GET');
    assert.equal(fresh.status, 200);
    for (const key of ['access_token', 'refresh_token', 'expires', 'expires_in', 'scope', 'domain', 'server_endpoint', 'client_endpoint', 'member_id', 'user_id', 'status']) assert.ok(key in fresh.body, key);
    assert.equal(fresh.body.expires_in, 60);
    assert.equal(fresh.body.client_endpoint, `${portal.url}/rest/`);
    assert.notEqual(fresh.body.access_token, install.auth.access_token);
    assert.equal((await restForm(rest, 'app.info', { auth: fresh.body.access_token })).body.result.CODE, app.client_id);

    const again = await token(portal.url, { grant_type: 'refresh_token', client_id: app.client_id, client_secret: app.client_secret, refresh_token: install.auth.refresh_token });
    assert.equal(again.status, 400);
    assert.equal(again.body.error, 'invalid_grant');
  } finally {
    await bot.stop();
    await portal.close();
  }
});

test('authorization code flow for a signed-in user: sign in, allow once, later codes at once', async () => {
  const portal = await testPortal();
  const bot = await echoBot();
  try {
    const { app } = await installEchoBot(portal, bot);
    const browser = new FormBrowser(portal.url);
    const authorize = `/oauth/authorize/?client_id=${app.client_id}&state=xyz`;
    const form = await browser.get(authorize);
    assert.equal(form.status, 200);
    assert.match(form.text, /<form method="post">/);

    const maria = (await seededLogins(portal.dataDir)).get('maria')!;
    const wrong = await browser.post(authorize, { ...hiddenFields(form.text), login: 'maria', password: 'wrong' });
    assert.equal(wrong.status, 401);

    // Maria did not install the app: she is asked once, with the app's name and scopes.
    const asked = await browser.post(authorize, { ...hiddenFields(wrong.text), login: 'maria', password: maria.password });
    assert.equal(asked.status, 200);
    assert.match(asked.text, /Echo/);
    assert.match(asked.text, /<code>imbot<\/code>/);
    const signed = await browser.post(authorize, { ...hiddenFields(asked.text), decision: 'allow' });
    assert.equal(signed.status, 302);
    const to = new URL(signed.headers.get('location')!);
    assert.equal(`${to.origin}${to.pathname}`, bot.url);
    assert.equal(to.searchParams.get('state'), 'xyz');
    assert.equal(to.searchParams.get('domain'), new URL(portal.url).host);
    const code = to.searchParams.get('code')!;

    // The session cookie and the remembered consent give the next authorize a code without a form.
    const quick = await browser.get(`/oauth/authorize/?client_id=${app.client_id}`);
    assert.equal(quick.status, 302);
    assert.ok(new URL(quick.headers.get('location')!).searchParams.get('code'));

    const pair = await token(portal.url, { grant_type: 'authorization_code', client_id: app.client_id, client_secret: app.client_secret, code });
    assert.equal(pair.status, 200);
    assert.equal(pair.body.user_id, maria.id);
    const me = await restForm(`${portal.url}/rest/`, 'user.current', { auth: pair.body.access_token });
    assert.equal(me.body.result.ID, String(maria.id));
    // A code is good once.
    const reused = await token(portal.url, { grant_type: 'authorization_code', client_id: app.client_id, client_secret: app.client_secret, code });
    assert.equal(reused.body.error, 'invalid_grant');
  } finally {
    await bot.stop();
    await portal.close();
  }
});

test('uninstall sends ONIMBOTDELETE and ONAPPUNINSTALL and revokes the tokens', async () => {
  const portal = await testPortal();
  const bot = await echoBot();
  try {
    const { app, botId, install } = await installEchoBot(portal, bot);
    await uninstallApp(portal, app.id, true);
    const del = await waitFor('ONIMBOTDELETE', async () => (await botEvents(bot)).find((e) => e.event === 'ONIMBOTDELETE'));
    assert.deepEqual(del.data, { BOT_ID: String(botId), BOT_CODE: 'echobot' });
    const un = await waitFor('ONAPPUNINSTALL', async () => (await botEvents(bot)).find((e) => e.event === 'ONAPPUNINSTALL'));
    assert.deepEqual(un.data, { LANGUAGE_ID: 'en', CLEAN: '1' });
    assert.deepEqual(Object.keys(un.auth).sort(), ['application_token', 'client_endpoint', 'domain', 'member_id', 'server_endpoint']);
    assert.equal(un.auth.application_token, app.application_token);
    const after = await restForm(`${portal.url}/rest/`, 'profile', { auth: install.auth.access_token });
    assert.equal(after.status, 401);
    assert.equal(after.body.error, 'invalid_token');
  } finally {
    await bot.stop();
    await portal.close();
  }
});

test('reinstall sends ONAPPUPDATE to the app handler and to handlers bound with event.bind', async () => {
  const portal = await testPortal();
  const bot = await echoBot();
  try {
    const { app, install } = await installEchoBot(portal, bot);
    const bound = await restForm(`${portal.url}/rest/`, 'event.bind', { auth: install.auth.access_token, event: 'OnAppUpdate', handler: `${bot.url}?bound=1` });
    assert.equal(bound.body.result, true);
    await reinstallApp(portal, app.id);
    const updates = await waitFor('two ONAPPUPDATE', async () => {
      const evs = (await botEvents(bot)).filter((e) => e.event === 'ONAPPUPDATE');
      return evs.length === 2 && evs;
    });
    for (const ev of updates) {
      assert.deepEqual(ev.data, { VERSION: '2', PREVIOUS_VERSION: '1', LANGUAGE_ID: 'en' });
      assert.ok(ev.auth.access_token && ev.auth.refresh_token);
      assert.equal(ev.auth.application_token, app.application_token);
    }
    const info = await restForm(`${portal.url}/rest/`, 'app.info', { auth: install.auth.access_token });
    assert.equal(info.body.result.VERSION, 2);
  } finally {
    await bot.stop();
    await portal.close();
  }
});
