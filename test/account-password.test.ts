/**
 * Passwords of people (issue 16), over real HTTP: a person changes their own with POST
 * /web/password (the current one checked and throttled as a sign-in, the policy enforced, this
 * session kept and the others ended, messenger tokens and sockets revoked); an administrator at the
 * developer console sets someone's with parley.user.password.set, which no token may call.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { passwordHashCount } from '../src/auth/passwords.ts';
import { createApp, createWebhook } from '../src/domain/apps.ts';
import { mintToken } from '../src/auth/tokens.ts';
import { restForm, waitFor } from './helpers/portal.ts';
import { portalSuite, addUser, type TestPortal } from './helpers/suite.ts';
import { seededLogins } from './helpers/form-browser.ts';
import { expectError, expectOk } from './helpers/rest-assert.ts';
import { listen } from './helpers/realtime.ts';
import { changePassword, login, session, token } from './helpers/web-session.ts';
import { TestClock } from './helpers/clock.ts';

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`passwords on ${dialect}`, () => {
    let portal: TestPortal;
    let skip: string | undefined;
    let logins: Map<string, { id: number; password: string }>;
    let rest: string;

    before(async () => {
      // Frozen, so that a slow machine neither ends a lock nor drains a pace in the middle of a burst.
      const clock = new TestClock();
      clock.freeze();
      const suite = await portalSuite(dialect, {}, { clock });
      if ('skip' in suite) return void (skip = suite.skip);
      portal = suite;
      rest = `${portal.url}/rest/`;
      logins = await seededLogins(portal.dataDir);
    });
    after(async () => {
      if (!skip) await portal?.close();
    });

    /** The messenger's access token of a session (GET /web/token). */
    const webToken = async (cookie: string): Promise<string> => {
      const t = await token(portal.url, cookie);
      assert.equal(t.status, 200, JSON.stringify(t.body));
      return t.body.access_token;
    };

    test('a person changes their password: this session stays, the others and every messenger token end', async (t) => {
      if (skip) return t.skip(skip);
      const old = logins.get('anna')!.password;
      const here = await session(portal.url, { login: 'anna', password: old });
      const elsewhere = await session(portal.url, { login: 'anna', password: old }, '127.0.0.2');
      const hook = `${portal.url}/rest/2/${await createWebhook(portal.portal.db, 2, ['im'])}/`;
      const oldToken = await webToken(elsewhere);
      const socket = await listen(`${portal.url.replace('http', 'ws')}/realtime?auth=${oldToken}`);
      const closed = new Promise<number>((resolve) => socket.ws.once('close', (code) => resolve(code)));

      // JSON only (no cross-site form), a session only (no token, no anonymous call).
      const form = await fetch(`${portal.url}/web/password`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: here }, body: 'current_password=x' });
      assert.equal(form.status, 415);
      const anonymous = await changePassword(portal.url, undefined, { current_password: old, new_password: 'a-new-secret', auth: oldToken });
      assert.deepEqual([anonymous.status, anonymous.body.error], [401, 'NO_SESSION']);

      // The policy, checked before any hash; then the current password.
      const hashes = passwordHashCount();
      for (const [next, code] of [['short', 'PASSWORD_TOO_SHORT'], ['x'.repeat(257), 'PASSWORD_TOO_LONG'], ['    anna', 'PASSWORD_IS_LOGIN']] as const) {
        const res = await changePassword(portal.url, here, { current_password: old, new_password: next });
        assert.deepEqual([res.status, res.body.error], [400, code], next);
      }
      assert.equal(passwordHashCount(), hashes, 'a refused new password costs no hash');
      const wrong = await changePassword(portal.url, here, { current_password: 'not-it-at-all', new_password: 'a-new-secret' });
      assert.deepEqual([wrong.status, wrong.body], [403, { error: 'WRONG_PASSWORD', error_description: 'The current password is wrong' }]);
      const same = await changePassword(portal.url, here, { current_password: old, new_password: old });
      assert.deepEqual([same.status, same.body.error], [400, 'PASSWORD_UNCHANGED']);

      const changed = await changePassword(portal.url, here, { current_password: old, new_password: 'a-new-secret' });
      assert.deepEqual([changed.status, changed.body], [200, { result: true }]);
      // The other browser is signed out, its token and socket revoked; this one gets a new token.
      assert.deepEqual([(await token(portal.url, elsewhere)).status, (await token(portal.url, elsewhere)).body.error], [401, 'NO_SESSION']);
      expectError(await restForm(rest, 'user.current', { auth: oldToken }), 401, 'invalid_token');
      assert.equal(await closed, 4401);
      const fresh = await webToken(here);
      assert.notEqual(fresh, oldToken);
      assert.equal(expectOk(await restForm(rest, 'user.current', { auth: fresh })).ID, '2');
      // The new password signs in, the old one no longer; a webhook is no password and still works.
      assert.equal((await login(portal.url, { login: 'anna', password: old })).status, 401);
      assert.equal((await login(portal.url, { login: 'anna', password: 'a-new-secret' })).status, 200);
      assert.equal(expectOk(await restForm(hook, 'user.current')).ID, '2');
    });

    test('wrong current passwords are throttled as sign-ins: 25 fast ones are refused after the login\'s 5', async (t) => {
      if (skip) return t.skip(skip);
      const here = await session(portal.url, { login: 'ivan', password: logins.get('ivan')!.password }, '127.0.0.3');
      const statuses: number[] = [];
      let last;
      for (let i = 0; i < 25; i++) {
        last = await changePassword(portal.url, here, { current_password: `guess-${i}`, new_password: 'a-new-secret' }, '127.0.0.3');
        statuses.push(last.status);
      }
      assert.deepEqual(statuses, [...Array(5).fill(403), ...Array(20).fill(429)]);
      assert.equal(last!.body.error, 'TOO_MANY_ATTEMPTS');
      assert.ok(Number(last!.retryAfter) >= 1);
      // The same lock as the sign-in form's: the right password is refused there too, for now.
      assert.equal((await login(portal.url, { login: 'ivan', password: logins.get('ivan')!.password }, '127.0.0.4')).status, 429);
    });

    test('an administrator at the console sets a password: the person\'s sessions end, a lock is lifted; no token may', async (t) => {
      if (skip) return t.skip(skip);
      const admin = await webToken(await session(portal.url, { login: 'admin', password: logins.get('admin')!.password }, '127.0.0.5'));
      const maria = logins.get('maria')!;
      const mariaSession = await session(portal.url, { login: 'maria', password: maria.password }, '127.0.0.5');
      const mariaToken = await webToken(mariaSession);
      // Lock her login first: the reset lifts it.
      for (let i = 0; i < 5; i++) assert.equal((await login(portal.url, { login: 'maria', password: `x${i}` }, '127.0.0.6')).status, 401);
      assert.equal((await login(portal.url, { login: 'maria', password: maria.password }, '127.0.0.7')).status, 429);

      // Tokens never: an administrator's webhook or app token with `parley`, however privileged.
      const adminHook = `${portal.url}/rest/1/${await createWebhook(portal.portal.db, 1, ['im', 'parley'])}/`;
      expectError(await restForm(adminHook, 'parley.user.password.set', { ID: maria.id, PASSWORD: 'from-a-hook' }), 403, 'WRONG_AUTH_TYPE');
      const app = await createApp(portal.portal.db, { name: 'Admin tool', handlerUrl: 'http://127.0.0.1:9/app', scopes: ['im', 'parley'], installUserId: 1 });
      await portal.portal.db.updateTable('apps').set({ installed: 1 }).where('id', '=', app.id).execute();
      const appToken = (await mintToken(portal.portal, portal.portal.db, { ...app, installed: 1 }, 1)).access_token;
      expectError(await restForm(rest, 'parley.user.password.set', { ID: maria.id, PASSWORD: 'from-an-app', auth: appToken }), 403, 'WRONG_AUTH_TYPE');
      // Nor someone who is no administrator, in their own messenger.
      expectError(await restForm(rest, 'parley.user.password.set', { ID: 1, PASSWORD: 'taking-over', auth: mariaToken }), 403, 'ACCESS_DENIED');
      // The policy, and who has a password at all.
      expectError(await restForm(rest, 'parley.user.password.set', { ID: maria.id, PASSWORD: 'short', auth: admin }), 400, 'PASSWORD_TOO_SHORT');
      expectError(await restForm(rest, 'parley.user.password.set', { ID: maria.id, PASSWORD: 'maria', auth: admin }), 400, 'PASSWORD_TOO_SHORT');
      expectError(await restForm(rest, 'parley.user.password.set', { ID: maria.id, PASSWORD: 'MARIA   ', auth: admin }), 400, 'PASSWORD_IS_LOGIN');
      expectError(await restForm(rest, 'parley.user.password.set', { PASSWORD: 'long-enough', auth: admin }), 400, 'ID_EMPTY');
      expectError(await restForm(rest, 'parley.user.password.set', { ID: 99_999, PASSWORD: 'long-enough', auth: admin }), 400, 'USER_NOT_FOUND');
      const noLogin = await addUser(portal, { name: 'No', lastName: 'Login' });
      expectError(await restForm(rest, 'parley.user.password.set', { ID: noLogin, PASSWORD: 'long-enough', auth: admin }), 400, 'NO_LOGIN');

      assert.equal(expectOk(await restForm(rest, 'parley.user.password.set', { ID: maria.id, PASSWORD: 'given-by-admin', auth: admin })), true);
      assert.equal((await token(portal.url, mariaSession)).status, 401, 'her session ended');
      expectError(await restForm(rest, 'user.current', { auth: mariaToken }), 401, 'invalid_token');
      // Unlocked at once, with the new password only.
      assert.equal((await login(portal.url, { login: 'maria', password: maria.password }, '127.0.0.8')).status, 401);
      assert.equal((await login(portal.url, { login: 'maria', password: 'given-by-admin' }, '127.0.0.8')).status, 200);
      // The call log keeps the call, never the password.
      const logged = await waitFor('logged', async () => expectOk(await restForm(adminHook, 'parley.call.list', { FILTER: { METHOD: 'parley.user.password.set' } }))
        .find((c: any) => c.result === true));
      assert.equal(logged.params.PASSWORD, '(hidden)');
    });
  });
}
