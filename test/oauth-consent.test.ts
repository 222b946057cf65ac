/**
 * /oauth/authorize/ (issue 8, finding 9): its POSTs need the CSRF token of the portal's own form
 * and are refused from another site (no session cookie is set); a user who did not install an app
 * is asked once (app name, scopes, Allow/Deny) and the answer is remembered; the installing admin
 * is never asked, as in Bitrix24; Deny goes back to the app with error=access_denied.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import https from 'node:https';
import { echoBot, restForm, testPortal } from './helpers/portal.ts';
import { installEchoBot, reinstallApp, uninstallApp, webhookFor } from './helpers/suite.ts';
import { FormBrowser, hiddenFields, seededLogins } from './helpers/form-browser.ts';
import { ensureWebApp } from '../src/domain/web-app.ts';

async function codesOf(portal: Awaited<ReturnType<typeof testPortal>>): Promise<number> {
  return (await portal.portal.db.selectFrom('oauth_codes').select('code_hash').execute()).length;
}

async function sessionsOf(portal: Awaited<ReturnType<typeof testPortal>>): Promise<number> {
  return (await portal.portal.db.selectFrom('sessions').select('id_hash').execute()).length;
}

test('a cross-site form POST cannot sign in through /oauth/authorize/: refused, no cookie, no session', async () => {
  const portal = await testPortal();
  const bot = await echoBot();
  try {
    const { app } = await installEchoBot(portal, bot);
    const maria = (await seededLogins(portal.dataDir)).get('maria')!;
    const path = `/oauth/authorize/?client_id=${app.client_id}`;
    const creds = { client_id: app.client_id, login: 'maria', password: maria.password };

    // The probe's attack: a plain form on another site, no token, no cookie of ours.
    const attacker = new FormBrowser(portal.url);
    const plain = await attacker.post(path, creds, { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' });
    assert.equal(plain.status, 403);
    assert.deepEqual(plain.setCookies, []);
    // The same without the browser's origin headers (an old browser): refused for the missing token.
    const bare = await fetch(`${portal.url}${path}`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(creds).toString() });
    assert.equal(bare.status, 403);
    assert.equal(bare.headers.get('set-cookie'), null);
    assert.equal(await sessionsOf(portal), 0);

    // A real token does not help a request the browser marks as cross-site, or from a foreign origin.
    const victim = new FormBrowser(portal.url);
    const form = await victim.get(path);
    const fields = { ...hiddenFields(form.text), login: 'maria', password: maria.password };
    const foreign: Record<string, string>[] = [{ 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }, { origin: 'http://evil.example' }, { origin: 'null' }];
    for (const headers of foreign) {
      const res = await victim.post(path, fields, headers);
      assert.equal(res.status, 403, JSON.stringify(headers));
      assert.deepEqual(res.setCookies, []);
    }
    // A token from another browser's cookie is no good either.
    assert.equal((await attacker.post(path, fields)).status, 403);
    assert.equal(await sessionsOf(portal), 0);

    // The portal's own form still signs in.
    const ok = await victim.post(path, fields);
    assert.equal(ok.status, 200);
    assert.match(ok.setCookies.join('\n'), /parley_session=/);
    assert.equal(await sessionsOf(portal), 1);
  } finally {
    await bot.stop();
    await portal.close();
  }
});

test('consent: asked once with the app name and scopes, Deny redirects with access_denied, Allow is remembered', async () => {
  const portal = await testPortal();
  const bot = await echoBot();
  try {
    const { app } = await installEchoBot(portal, bot, 'imbot,im,user');
    const ivan = (await seededLogins(portal.dataDir)).get('ivan')!;
    const browser = new FormBrowser(portal.url);
    const path = `/oauth/authorize/?client_id=${app.client_id}&state=s1`;
    const form = await browser.get(path);
    const asked = await browser.post(path, { ...hiddenFields(form.text), login: 'ivan', password: ivan.password });
    assert.equal(asked.status, 200);
    assert.match(asked.text, /<strong>Echo<\/strong>/);
    for (const s of ['imbot', 'im', 'user']) assert.match(asked.text, new RegExp(`<code>${s}</code>`));
    assert.match(asked.text, /name="decision" value="allow"/);
    assert.match(asked.text, /name="decision" value="deny"/);
    assert.equal(asked.headers.get('x-frame-options'), 'DENY');
    assert.equal(await codesOf(portal), 0);

    // With the session but no consent, a GET asks again and issues nothing.
    const again = await browser.get(path);
    assert.equal(again.status, 200);
    assert.match(again.text, /name="decision"/);
    assert.equal(await codesOf(portal), 0);

    // A forged Allow (no token, from another site) is refused and not remembered.
    const forged = await browser.post(path, { client_id: app.client_id, decision: 'allow' }, { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' });
    assert.equal(forged.status, 403);
    const noToken = await browser.post(path, { client_id: app.client_id, decision: 'allow' });
    assert.equal(noToken.status, 403);
    assert.equal(await codesOf(portal), 0);

    const denied = await browser.post(path, { ...hiddenFields(again.text), decision: 'deny' });
    assert.equal(denied.status, 302);
    const back = new URL(denied.headers.get('location')!);
    assert.equal(`${back.origin}${back.pathname}`, bot.url);
    assert.equal(back.searchParams.get('error'), 'access_denied');
    assert.equal(back.searchParams.get('state'), 's1');
    assert.equal(back.searchParams.get('code'), null);
    assert.equal(await codesOf(portal), 0);

    const third = await browser.get(path);
    assert.match(third.text, /name="decision"/, 'Deny is not remembered as consent');
    const allowed = await browser.post(path, { ...hiddenFields(third.text), decision: 'allow' });
    assert.equal(allowed.status, 302);
    assert.ok(new URL(allowed.headers.get('location')!).searchParams.get('code'));

    // Remembered: later authorizations redirect at once, also after signing in again.
    const later = await browser.get(path);
    assert.equal(later.status, 302);
    assert.ok(new URL(later.headers.get('location')!).searchParams.get('code'));
    const fresh = new FormBrowser(portal.url);
    const relogin = await fresh.post(path, { ...hiddenFields((await fresh.get(path)).text), login: 'ivan', password: ivan.password });
    assert.equal(relogin.status, 302);

    // Uninstalling the app forgets the consent: a new installation asks again.
    await uninstallApp(portal, app.id);
    await reinstallApp(portal, app.id);
    const reasked = await browser.get(path);
    assert.equal(reasked.status, 200);
    assert.match(reasked.text, /name="decision"/);
  } finally {
    await bot.stop();
    await portal.close();
  }
});

test('the admin who installed an app is not asked (Bitrix24 asks at install time)', async () => {
  const portal = await testPortal();
  const bot = await echoBot();
  try {
    const { app } = await installEchoBot(portal, bot);
    const admin = (await seededLogins(portal.dataDir)).get('admin')!;
    const browser = new FormBrowser(portal.url);
    const path = `/oauth/authorize/?client_id=${app.client_id}&state=a`;
    const signed = await browser.post(path, { ...hiddenFields((await browser.get(path)).text), login: 'admin', password: admin.password });
    assert.equal(signed.status, 302);
    const to = new URL(signed.headers.get('location')!);
    assert.ok(to.searchParams.get('code'));
    assert.equal(to.searchParams.get('state'), 'a');
    assert.equal((await browser.get(path)).status, 302);
  } finally {
    await bot.stop();
    await portal.close();
  }
});

test('an unknown app or one without a handler URL (a webhook bot) is a 400 page, never a 500 or a code', async () => {
  const portal = await testPortal();
  try {
    const hook = await webhookFor(portal, 1, 'imbot');
    const reg = await restForm(hook, 'imbot.register', { CLIENT_ID: 'hookbot', CODE: 'hookbot', TYPE: 'B', EVENT_HANDLER: 'http://127.0.0.1:9/bot', PROPERTIES: { NAME: 'Hook bot' } });
    assert.ok(reg.body.result, JSON.stringify(reg.body));
    const admin = (await seededLogins(portal.dataDir)).get('admin')!;
    const browser = new FormBrowser(portal.url);
    const signedIn = await fetch(`${portal.url}/web/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'admin', password: admin.password }) });
    const [name, value] = signedIn.headers.getSetCookie()[0].split(';')[0].split('=');
    browser.cookies.set(name, value);
    for (const clientId of ['customhookbot', 'no.such.app']) {
      const res = await browser.get(`/oauth/authorize/?client_id=${clientId}`);
      assert.equal(res.status, 400, clientId);
      assert.match(res.text, /Application not found/);
    }
    assert.equal(await codesOf(portal), 0);
  } finally {
    await portal.close();
  }
});

/** One HTTPS request trusting the portal CA; answers status, Set-Cookie values and the body. */
function httpsRequest(url: string, ca: Buffer, opts: { method?: string; cookie?: string; body?: string; origin?: string } = {}): Promise<{ status: number; cookies: string[]; text: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = {};
    if (opts.cookie) headers.cookie = opts.cookie;
    if (opts.origin) headers.origin = opts.origin;
    if (opts.body !== undefined) Object.assign(headers, { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(opts.body) });
    const req = https.request(url, { method: opts.method ?? 'GET', ca, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, cookies: res.headers['set-cookie'] ?? [], text }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

test('HTTPS: the pre-session cookie is a __Host- cookie (Secure, Path=/) and the form signs in with it', async () => {
  const portal = await testPortal({ https: true });
  try {
    const ca = fs.readFileSync(portal.caCertPath!);
    const admin = (await seededLogins(portal.dataDir)).get('admin')!;
    // The built-in web app is installed by the admin (user 1): a signed-in admin gets a code at once.
    const app = await ensureWebApp(portal.portal);
    const url = `${portal.url}/oauth/authorize/?client_id=${app.client_id}`;
    const form = await httpsRequest(url, ca);
    assert.equal(form.status, 200);
    const csrf = form.cookies.find((c) => c.startsWith('__Host-parley_csrf='))!;
    assert.ok(csrf, form.cookies.join(' | '));
    assert.match(csrf, /; Path=\/;/);
    assert.match(csrf, /; Secure/);
    assert.match(csrf, /; HttpOnly/);
    assert.match(csrf, /; SameSite=Strict/);
    assert.doesNotMatch(csrf, /Domain=/i);
    const body = new URLSearchParams({ ...hiddenFields(form.text), login: 'admin', password: admin.password }).toString();
    const signed = await httpsRequest(url, ca, { method: 'POST', cookie: csrf.split(';')[0], body, origin: portal.url });
    assert.equal(signed.status, 302);
    assert.match(signed.cookies.join('\n'), /parley_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+; Secure/);
  } finally {
    await portal.close();
  }
});
