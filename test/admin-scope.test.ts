/**
 * The admin scope (issue 8, finding 4): parley.* need the `parley` scope on top of an administrator
 * caller. The probe's two attacks are replayed: an admin's webhook with only `user` reading every
 * client secret, and the admin's token an app receives in ONAPPINSTALL (scope imbot,im) creating a
 * webhook for another user. Asking for the scope by name (CLI, parley.app.add) grants it; the web
 * messenger's token carries it and is still refused for non-admins.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { echoBot, restForm, testPortal, type Child } from './helpers/portal.ts';
import { addApp, installEchoBot, webhookFor } from './helpers/suite.ts';
import { credentials } from './helpers/browser.ts';
import { expectError, expectOk } from './helpers/rest-assert.ts';

describe('the parley admin scope', () => {
  let portal: Awaited<ReturnType<typeof testPortal>>;
  let bot: Child;

  before(async () => {
    portal = await testPortal();
    bot = await echoBot();
  });
  after(async () => {
    await bot?.stop();
    await portal?.close();
  });

  test("an admin's webhook with only the user scope reads no client secret", async () => {
    const hook = await webhookFor(portal, 1, 'user');
    for (const method of ['parley.app.list', 'parley.webhook.list', 'parley.call.list', 'parley.event.list', 'parley.user.list', 'parley.bot.list', 'parley.method.list']) {
      expectError(await restForm(hook, method), 401, 'insufficient_scope');
    }
    // Nor through batch, whose commands are checked one by one.
    const batch = expectOk(await restForm(hook, 'batch', { cmd: { apps: 'parley.app.list', time: 'server.time' } }));
    assert.equal(batch.result_error.apps.error, 'insufficient_scope');
    assert.ok(!('apps' in batch.result));
    // Nor does one with every Bitrix24 scope.
    const wide = await webhookFor(portal, 1, 'im,imbot,user,task,disk,department,crm,placement,pull');
    expectError(await restForm(wide, 'parley.app.list'), 401, 'insufficient_scope');
  });

  test("the admin's token an app gets in ONAPPINSTALL creates no webhook for another user", async () => {
    const { install } = await installEchoBot(portal, bot, 'imbot,im');
    assert.equal(install.auth.user_id, '1', 'the install token is the admin’s');
    const base = install.auth.client_endpoint;
    const token = install.auth.access_token;
    expectError(await restForm(base, 'parley.webhook.add', { auth: token, USER_ID: 2, SCOPE: 'im' }), 401, 'insufficient_scope');
    expectError(await restForm(base, 'parley.app.list', { auth: token }), 401, 'insufficient_scope');
    // The call did nothing: no webhook was made for anyone.
    const admin = await webhookFor(portal, 1, 'parley');
    assert.deepEqual(expectOk(await restForm(admin, 'parley.webhook.list')).map((w: any) => w.scope), [['user'], ['im', 'imbot', 'user', 'task', 'disk', 'department', 'crm', 'placement', 'pull'], ['parley']]);
  });

  test('asked for by name the scope is granted, and still only to administrators', async () => {
    expectOk(await restForm(await webhookFor(portal, 1, 'parley'), 'parley.app.list'));
    expectError(await restForm(await webhookFor(portal, 2, 'parley,im'), 'parley.app.list'), 403, 'ACCESS_DENIED');
    // An app created with --scope parley gets tokens with it (here through the REST call an admin makes).
    const admin = await webhookFor(portal, 1, 'parley');
    const app = expectOk(await restForm(admin, 'parley.app.add', { NAME: 'Ops', HANDLER: 'http://127.0.0.1:9/ops', SCOPE: 'parley,im', INSTALL: 'N' }));
    assert.deepEqual(app.scope, ['parley', 'im']);
    // …and through what `parley app add --scope parley,imbot` calls.
    const added = await addApp(portal, { name: 'Console', handler: 'http://127.0.0.1:9/x', scope: 'parley,imbot' });
    const listed = expectOk(await restForm(admin, 'parley.app.list')).find((a: any) => a.id === added.id);
    assert.deepEqual(listed.scope, ['parley', 'imbot']);
  });

  test("a webhook bot family never inherits the admin scope from the webhook that registered it", async () => {
    const hook = await webhookFor(portal, 1, 'imbot,parley');
    const botId = expectOk(await restForm(hook, 'imbot.register', {
      CLIENT_ID: 'famtest', CODE: 'fam', EVENT_HANDLER: 'http://127.0.0.1:9/h', PROPERTIES: { NAME: 'Fam' },
    }));
    assert.ok(botId > 0);
    const row = await portal.portal.db.selectFrom('apps').select('scope').where('client_id', '=', 'customfamtest').executeTakeFirstOrThrow();
    assert.equal(row.scope, 'imbot');
  });

  test("the web messenger's token reaches parley.* for an administrator only", async () => {
    const logins = credentials(portal.dataDir);
    const tokenOf = async (id: number) => {
      const who = logins.find((l) => l.id === id)!;
      const login = await fetch(`${portal.url}/web/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: who.login, password: who.password }) });
      assert.equal(login.status, 200);
      const cookie = login.headers.get('set-cookie')!.split(';')[0];
      const res = await fetch(`${portal.url}/web/token`, { headers: { cookie } });
      return ((await res.json()) as { access_token: string }).access_token;
    };
    const rest = `${portal.url}/rest/`;
    expectOk(await restForm(rest, 'parley.app.list', { auth: await tokenOf(1) }));
    expectError(await restForm(rest, 'parley.app.list', { auth: await tokenOf(2) }), 403, 'ACCESS_DENIED');
  });

  test('a web-app record of an older version is brought to the current scopes, with its live tokens', async () => {
    const db = portal.portal.db;
    await db.updateTable('apps').set({ scope: 'im,imbot' }).where('client_id', '=', 'parley.web').execute();
    const app = await db.selectFrom('apps').select('id').where('client_id', '=', 'parley.web').executeTakeFirstOrThrow();
    await db.updateTable('tokens').set({ scope: 'im,imbot' }).where('app_id', '=', app.id).execute();
    const logins = credentials(portal.dataDir);
    const admin = logins.find((l) => l.id === 1)!;
    const login = await fetch(`${portal.url}/web/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: admin.login, password: admin.password }) });
    const cookie = login.headers.get('set-cookie')!.split(';')[0];
    const { access_token } = (await (await fetch(`${portal.url}/web/token`, { headers: { cookie } })).json()) as { access_token: string };
    expectOk(await restForm(`${portal.url}/rest/`, 'parley.app.list', { auth: access_token }));
  });
});
