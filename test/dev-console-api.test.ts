/**
 * The developer console's methods (parley.*) over real HTTP, with a real echo-bot process: an admin
 * creates, installs, reinstalls and uninstalls an app and sees its bot and commands; manages
 * incoming webhooks; reads every delivery with its payload and response, filtered by app, bot,
 * event and status, and re-delivers dead-lettered ones; reads the REST call log and the method
 * list. Non-admins are refused, bad arguments get ERROR_ARGUMENT.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { botEvents, echoBot, eventSink, freePort, restForm, testPortal, waitFor, type Child } from './helpers/portal.ts';
import { webhookFor } from './helpers/suite.ts';
import { expectError, expectOk } from './helpers/rest-assert.ts';

describe('developer console methods', () => {
  let portal: Awaited<ReturnType<typeof testPortal>>;
  let bot: Child;
  let admin: string;
  let anna: string;
  let appId: number;
  let botId: number;

  before(async () => {
    portal = await testPortal({ eventAttempts: 2, eventFirstDelayMs: 50, eventMaxDelayMs: 100 });
    bot = await echoBot();
    // Both ask for the admin scope explicitly: the methods then refuse anna for not being an administrator.
    [admin, anna] = await Promise.all([webhookFor(portal, 1, 'im,imbot,parley'), webhookFor(portal, 2, 'im,imbot,parley')]);
  });
  after(async () => {
    await bot?.stop();
    await portal?.close();
  });

  test('only administrators may call them', async () => {
    for (const method of ['parley.app.list', 'parley.webhook.list', 'parley.bot.list', 'parley.event.list', 'parley.call.list', 'parley.method.list']) {
      expectError(await restForm(anna, method), 403, 'ACCESS_DENIED');
    }
    expectError(await restForm(anna, 'parley.app.add', { NAME: 'x', HANDLER: bot.url, SCOPE: 'imbot' }), 403, 'ACCESS_DENIED');
  });

  test('parley.method.list: every method with its scope, access and parameters, sorted by name', async () => {
    const methods = expectOk(await restForm(admin, 'parley.method.list')) as { name: string; scope: string | null; access: string; params: { name: string; type: string; required: boolean; error?: string }[] }[];
    const names = methods.map((m) => m.name.toLowerCase());
    assert.deepEqual(names, [...names].sort(), 'sorted by name');
    assert.equal(new Set(names).size, names.length, 'each method once');
    for (const name of ['im.message.add', 'imbot.register', 'server.time', 'task.item.list', 'parley.method.list', 'batch']) assert.ok(names.includes(name), name);
    const add = methods.find((m) => m.name === 'im.message.add')!;
    assert.deepEqual([add.scope, add.access], ['im', 'dialog']);
    assert.deepEqual(add.params.find((p) => p.name === 'DIALOG_ID'), { name: 'DIALOG_ID', type: 'DIALOG_ID', required: true, error: 'USER_ID_EMPTY' });
    assert.deepEqual(add.params.find((p) => p.name === 'REPLY_ID'), { name: 'REPLY_ID', type: 'integer', required: false });
    // Derived inputs (`_message`, the calling administrator) are no wire parameters.
    assert.ok(methods.every((m) => m.params.every((p) => !p.name.startsWith('_'))));
    const self = methods.find((m) => m.name === 'parley.method.list')!;
    assert.deepEqual([self.scope, self.access, self.params], ['parley', 'admin', []]);
    const notify = methods.find((m) => m.name === 'im.notify.personal.add')!;
    assert.deepEqual(notify.params.filter((p) => p.required).map((p) => [p.name, p.error]), [['USER_ID', 'USER_ID_EMPTY'], ['MESSAGE', 'MESSAGE_EMPTY']]);
    // A non-admin with the scope is refused like every parley.* method; without the scope, before that.
    expectError(await restForm(anna, 'parley.method.list'), 403, 'ACCESS_DENIED');
    expectError(await restForm(await webhookFor(portal, 1, 'im,imbot'), 'parley.method.list'), 401, 'insufficient_scope');
  });

  test('an app is created and installed; its bot and commands are listed; reinstall and uninstall send their events', async () => {
    expectError(await restForm(admin, 'parley.app.add', { HANDLER: bot.url, SCOPE: 'imbot' }), 400, 'ERROR_ARGUMENT');
    expectError(await restForm(admin, 'parley.app.add', { NAME: 'Echo', HANDLER: 'javascript:alert(1)', SCOPE: 'imbot' }), 400, 'ERROR_ARGUMENT');
    expectError(await restForm(admin, 'parley.app.add', { NAME: 'Echo', HANDLER: bot.url, SCOPE: 'imbot,telepathy' }), 400, 'ERROR_ARGUMENT');
    const app = expectOk(await restForm(admin, 'parley.app.add', { NAME: 'Echo', HANDLER: bot.url, SCOPE: ['imbot', 'im'] }));
    assert.equal(app.installed, true);
    assert.match(app.client_id, /^local\./);
    assert.deepEqual(app.scope, ['imbot', 'im']);
    appId = app.id;
    const install = await waitFor('ONAPPINSTALL', async () => (await botEvents(bot)).find((e) => e.event === 'ONAPPINSTALL' && e.registered));
    botId = Number(install.registered.result);

    const apps = expectOk(await restForm(admin, 'parley.app.list'));
    assert.deepEqual(apps.map((a: any) => [a.id, a.name, a.installed, a.bots]), [[appId, 'Echo', true, 1]]);
    const bots = expectOk(await restForm(admin, 'parley.bot.list', { APP_ID: appId }));
    assert.equal(bots.length, 1);
    assert.equal(bots[0].id, botId);
    assert.equal(bots[0].code, 'echobot');
    assert.deepEqual(bots[0].commands.map((c: any) => [c.command, c.hidden]), [['echo', false], ['page', true]]);
    assert.equal(bots[0].commands[0].lang.find((l: any) => l.LANGUAGE_ID === 'en').TITLE, 'Get echo message');

    expectError(await restForm(admin, 'parley.app.install', { ID: appId }), 400, 'ERROR_ARGUMENT');
    expectError(await restForm(admin, 'parley.app.reinstall', { ID: 999 }), 400, 'ERROR_ARGUMENT');
    expectOk(await restForm(admin, 'parley.app.reinstall', { ID: appId }));
    await waitFor('ONAPPUPDATE', async () => (await botEvents(bot)).find((e) => e.event === 'ONAPPUPDATE'));
  });

  test('deliveries are listed with payload, response and latency, filtered by app, bot, event and status', async () => {
    expectOk(await restForm(anna, 'im.message.add', { DIALOG_ID: botId, MESSAGE: 'hello bot' }));
    await waitFor('echo reply', async () => (await botEvents(bot)).find((e) => e.event === 'ONIMBOTMESSAGEADD'));
    const delivered = await waitFor('delivered ONIMBOTMESSAGEADD', async () => {
      const res = await restForm(admin, 'parley.event.list', { FILTER: { APP_ID: appId, EVENT: 'onimbotmessageadd', STATUS: 'delivered' } });
      return expectOk(res)[0];
    });
    assert.equal(delivered.event, 'ONIMBOTMESSAGEADD');
    assert.equal(delivered.handler, bot.url);
    assert.equal(delivered.response_status, 200);
    assert.equal(delivered.attempts, 1);
    assert.equal(typeof delivered.latency_ms, 'number');
    assert.equal(delivered.data.PARAMS.MESSAGE, 'hello bot');
    assert.ok(String(botId) in delivered.data.BOT);

    const byBot = await restForm(admin, 'parley.event.list', { FILTER: { BOT_ID: botId } });
    const events = expectOk(byBot).map((e: any) => e.event);
    assert.ok(events.includes('ONIMBOTMESSAGEADD'));
    assert.ok(!events.includes('ONAPPINSTALL'), 'ONAPPINSTALL is about the app, not the bot');
    assert.equal(byBot.body.total, events.length);
    const all = await restForm(admin, 'parley.event.list', { FILTER: { APP_ID: appId } });
    assert.ok(all.body.total >= 3);
    const ids = expectOk(all).map((e: any) => e.id);
    assert.deepEqual(ids, [...ids].sort((a, b) => b - a), 'newest first');
    expectError(await restForm(admin, 'parley.event.list', { FILTER: { STATUS: 'lost' } }), 400, 'ERROR_ARGUMENT');
  });

  test('with an initial installation path, ONAPPINSTALL and ONAPPUPDATE go there, not to the handler', async () => {
    const installer = await echoBot();
    try {
      expectError(await restForm(admin, 'parley.app.add', { NAME: 'Split', HANDLER: bot.url, INSTALL_URL: 'mailto:x@y', SCOPE: 'imbot' }), 400, 'ERROR_ARGUMENT');
      const before = (await botEvents(bot)).length;
      const app = expectOk(await restForm(admin, 'parley.app.add', { NAME: 'Split', HANDLER: `${bot.url}handler`, INSTALL_URL: installer.url, SCOPE: 'imbot,im' }));
      assert.equal(app.install_url, installer.url);
      await waitFor('ONAPPINSTALL at the installation path', async () => (await botEvents(installer)).find((e) => e.event === 'ONAPPINSTALL'));
      expectOk(await restForm(admin, 'parley.app.reinstall', { ID: app.id }));
      await waitFor('ONAPPUPDATE at the installation path', async () => (await botEvents(installer)).find((e) => e.event === 'ONAPPUPDATE'));
      const atHandler = (await botEvents(bot)).slice(before).filter((e) => e.event === 'ONAPPINSTALL' || e.event === 'ONAPPUPDATE');
      assert.deepEqual(atHandler, [], 'the handler path got no install events');
      expectOk(await restForm(admin, 'parley.app.uninstall', { ID: app.id }));
    } finally {
      await installer.stop();
    }
  });

  test('a dead-lettered delivery is shown with its error and re-delivered on request', async () => {
    // An app whose handler is down: its ONAPPINSTALL exhausts its two attempts.
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const app = expectOk(await restForm(admin, 'parley.app.add', { NAME: 'Down', HANDLER: url, SCOPE: 'imbot' }));
    const dead = await waitFor('dead letter', async () => expectOk(await restForm(admin, 'parley.event.list', { FILTER: { APP_ID: app.id, STATUS: 'dead' } }))[0]);
    assert.equal(dead.event, 'ONAPPINSTALL');
    assert.equal(dead.attempts, 2);
    assert.notEqual(dead.error, '');
    expectError(await restForm(admin, 'parley.event.redeliver'), 400, 'ERROR_ARGUMENT');

    const sink = await eventSink(port);
    const { received } = sink;
    try {
      assert.deepEqual(expectOk(await restForm(admin, 'parley.event.redeliver', { ID: dead.id })), { count: 1 });
      await waitFor('redelivered ONAPPINSTALL', async () => received.includes('ONAPPINSTALL'));
      const after = await waitFor('delivered', async () => expectOk(await restForm(admin, 'parley.event.list', { FILTER: { APP_ID: app.id, STATUS: 'delivered' } }))[0]);
      assert.equal(after.id, dead.id);
      assert.equal(after.response_body, 'ok');
    } finally {
      sink.close();
    }
    expectOk(await restForm(admin, 'parley.app.uninstall', { ID: app.id }));
    expectError(await restForm(admin, 'parley.app.uninstall', { ID: app.id }), 400, 'ERROR_ARGUMENT');
  });

  test('incoming webhooks are created with scopes, their URL shown once, listed masked, and revoked', async () => {
    expectError(await restForm(admin, 'parley.webhook.add', { USER_ID: 3, SCOPE: '' }), 400, 'ERROR_ARGUMENT');
    expectError(await restForm(admin, 'parley.webhook.add', { USER_ID: 999, SCOPE: 'im' }), 400, 'USER_NOT_FOUND');
    const hook = expectOk(await restForm(admin, 'parley.webhook.add', { USER_ID: 3, SCOPE: 'im', TITLE: 'CI' }));
    assert.match(hook.url, /\/rest\/3\/\w+\/$/);
    assert.equal(expectOk(await restForm(hook.url, 'user.current')).ID, '3');
    const listed = expectOk(await restForm(admin, 'parley.webhook.list')).find((w: any) => w.id === hook.id);
    // Only the code's hash is stored: the listing shows the URL masked to the code's first 4 characters.
    const code = /\/rest\/3\/(\w+)\/$/.exec(hook.url)![1];
    assert.deepEqual([listed.url, listed.code_hint, listed.url_masked, listed.title, listed.scope],
      [undefined, `${code.slice(0, 4)}…`, hook.url.replace(code, `${code.slice(0, 4)}…`), 'CI', ['im']]);
    assert.ok(!JSON.stringify(expectOk(await restForm(admin, 'parley.webhook.list'))).includes(code));
    expectOk(await restForm(admin, 'parley.webhook.delete', { ID: hook.id }));
    expectError(await restForm(hook.url, 'user.current'), 401, 'INVALID_CREDENTIALS');
    expectError(await restForm(admin, 'parley.webhook.delete', { ID: hook.id }), 400, 'ERROR_ARGUMENT');
  });

  test('an administrator adds a user who can then sign in; bad input is ERROR_ARGUMENT, a weak password PASSWORD_*', async () => {
    expectError(await restForm(anna, 'parley.user.add', { NAME: 'Olga', LOGIN: 'olga', PASSWORD: 'secret-1x' }), 403, 'ACCESS_DENIED');
    expectError(await restForm(admin, 'parley.user.add', { LOGIN: 'olga', PASSWORD: 'secret-1x' }), 400, 'ERROR_ARGUMENT');
    expectError(await restForm(admin, 'parley.user.add', { NAME: 'Olga', LOGIN: 'o', PASSWORD: 'secret-1x' }), 400, 'ERROR_ARGUMENT');
    // The policy of every new password (src/auth/password-policy.ts).
    expectError(await restForm(admin, 'parley.user.add', { NAME: 'Olga', LOGIN: 'olga', PASSWORD: 'secret1' }), 400, 'PASSWORD_TOO_SHORT');
    expectError(await restForm(admin, 'parley.user.add', { NAME: 'Olga', LOGIN: 'olga.orlova', PASSWORD: 'Olga.Orlova' }), 400, 'PASSWORD_IS_LOGIN');
    expectError(await restForm(admin, 'parley.user.add', { NAME: 'Olga', LOGIN: 'olga', PASSWORD: 'x'.repeat(257) }), 400, 'PASSWORD_TOO_LONG');
    expectError(await restForm(admin, 'parley.user.add', { NAME: 'Olga', LOGIN: 'olga', PASSWORD: 'secret-1x', DEPARTMENTS: [99] }), 400, 'ERROR_ARGUMENT');
    const id = expectOk(await restForm(admin, 'parley.user.add', {
      NAME: 'Olga', LAST_NAME: 'Orlova', LOGIN: 'olga', PASSWORD: 'secret-1x', DEPARTMENTS: [2], WORK_POSITION: 'Analyst',
    }));
    expectError(await restForm(admin, 'parley.user.add', { NAME: 'Olga', LOGIN: 'olga', PASSWORD: 'secret-1x' }), 400, 'ERROR_ARGUMENT');
    const listed = expectOk(await restForm(admin, 'parley.user.list')).find((u: any) => u.id === id);
    assert.deepEqual([listed.name, listed.login, listed.departments, listed.admin], ['Olga Orlova', 'olga', [2], false]);
    // She signs in to the web messenger with that password, and the messenger knows her.
    const login = await fetch(`${portal.url}/web/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'olga', password: 'secret-1x' }) });
    assert.equal(login.status, 200);
    assert.equal((await login.json()).user_id, id);
    assert.equal(expectOk(await restForm(anna, 'im.user.get', { ID: id })).work_position, 'Analyst');
    // The call log keeps the call, never the password.
    const logged = await waitFor('logged parley.user.add', async () => expectOk(await restForm(admin, 'parley.call.list', { FILTER: { METHOD: 'parley.user.add', USER_ID: 1 } })).find((c: any) => c.result === id));
    assert.equal(logged.params.PASSWORD, '(hidden)');
    assert.equal(logged.params.LOGIN, 'olga');
  });

  test('the REST call log shows method, caller, parameters, result or error and duration', async () => {
    expectError(await restForm(anna, 'im.message.add', { DIALOG_ID: 3 }), 400, 'MESSAGE_EMPTY');
    expectOk(await restForm(anna, 'im.message.add', { DIALOG_ID: 3, MESSAGE: 'logged' }));
    const calls = await waitFor('logged calls', async () => {
      const list = expectOk(await restForm(admin, 'parley.call.list', { FILTER: { USER_ID: 2, METHOD: 'im.message.add' } }));
      return list.length >= 2 && list;
    });
    const [ok, bad] = calls;
    assert.equal(ok.method, 'im.message.add');
    assert.equal(ok.user_id, 2);
    assert.equal(ok.status, 200);
    assert.equal(ok.error, false);
    assert.deepEqual(ok.params, { DIALOG_ID: '3', MESSAGE: 'logged' });
    assert.equal(typeof ok.result, 'number');
    assert.equal(typeof ok.duration_ms, 'number');
    assert.equal(bad.status, 400);
    assert.equal(bad.error, 'MESSAGE_EMPTY');
    assert.equal(bad.result.error, 'MESSAGE_EMPTY');
    const errors = expectOk(await restForm(admin, 'parley.call.list', { FILTER: { ERRORS: 'Y' } }));
    assert.ok(errors.length > 0 && errors.every((c: any) => c.error));
    // The app's own calls (the echo bot registering itself) are there under its id.
    const appCalls = expectOk(await restForm(admin, 'parley.call.list', { FILTER: { APP_ID: appId } }));
    assert.ok(appCalls.some((c: any) => c.method === 'imbot.register'));
    // Reading the logs is not itself logged (the console polls them); the app list, which is no log, is.
    expectOk(await restForm(admin, 'parley.app.list'));
    await waitFor('logged parley.app.list', async () => expectOk(await restForm(admin, 'parley.call.list', { FILTER: { METHOD: 'parley.app.list', USER_ID: 1 } })).length > 0);
    const reads = ['parley.call.list', 'parley.event.list'];
    for (const method of reads) assert.deepEqual(expectOk(await restForm(admin, 'parley.call.list', { FILTER: { METHOD: method } })), [], method);
    assert.ok(!expectOk(await restForm(admin, 'parley.call.list')).some((c: any) => reads.includes(c.method)));
  });
});
