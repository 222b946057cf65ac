/**
 * Where event handlers may be (issue 8, finding 11): loopback and private networks are allowed by
 * default (PARLEY_EVENT_NETWORKS narrows that), link-local, cloud metadata, unspecified, multicast
 * and broadcast addresses never, in every spelling. Checked when a URL is registered (imbot.register
 * and update, imbot.command.register, event.bind, parley.app.add, `parley app add`), each with its
 * documented error code, and again at delivery, where a refused address is dead-lettered at once
 * with a clear error, without a connection; redirects are not followed.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { echoBot, restForm, testPortal, waitFor, type Child } from './helpers/portal.ts';
import { installEchoBot, webhookFor } from './helpers/suite.ts';
import { expectError, expectOk } from './helpers/rest-assert.ts';
import { classifyAddress } from '../src/net/addresses.ts';
import { handlerUrlProblem } from '../src/events/handler-policy.ts';

// Every spelling a probe tries, with what it must be taken for once the URL parser has read it.
const SPELLINGS: [string, string][] = [
  ['http://169.254.169.254/', 'metadata'], ['http://2852039166/', 'metadata'], ['http://0xa9fea9fe/', 'metadata'],
  ['http://0xa9.0xfe.0xa9.0xfe/', 'metadata'], ['http://0251.0376.0251.0376/', 'metadata'], ['http://169.254.169.254./', 'metadata'],
  ['http://[::ffff:169.254.169.254]/', 'metadata'], ['http://[::ffff:a9fe:a9fe]/', 'metadata'], ['http://[64:ff9b::a9fe:a9fe]/', 'metadata'],
  ['http://[fd00:ec2::254]/', 'metadata'], ['http://100.100.100.200/', 'metadata'], ['http://168.63.129.16/', 'metadata'],
  ['http://169.254.1.1/', 'link-local'], ['http://[fe80::1]/', 'link-local'], ['http://[::ffff:169.254.0.1]/', 'link-local'],
  ['http://0/', 'unspecified'], ['http://0.0.0.0/', 'unspecified'], ['http://[::]/', 'unspecified'], ['http://[::ffff:0.0.0.0]/', 'unspecified'],
  ['http://224.0.0.1/', 'multicast'], ['http://[ff02::1]/', 'multicast'], ['http://255.255.255.255/', 'broadcast'], ['http://4294967295/', 'broadcast'],
  ['http://127.0.0.1/', 'loopback'], ['http://127.1/', 'loopback'], ['http://0x7f000001/', 'loopback'], ['http://[::1]/', 'loopback'],
  ['http://[::ffff:127.0.0.1]/', 'loopback'], ['http://10.0.0.5/', 'private'], ['http://192.168.1.10./', 'private'], ['http://[fd12::1]/', 'private'],
  ['http://8.8.8.8/', 'public'], ['http://[2606:4700::1111]/', 'public'],
];
const NEVER = SPELLINGS.filter(([, c]) => !['loopback', 'private', 'public'].includes(c)).map(([u]) => u);
const METADATA_NAMES = ['http://metadata.google.internal/', 'http://METADATA.google.internal./', 'http://metadata.goog/', 'http://instance-data/'];

test('every spelling is classified by the address it means', () => {
  for (const [url, want] of SPELLINGS) assert.equal(classifyAddress(new URL(url).hostname), want, url);
});

test('the policy: loopback and private by default, narrowed by PARLEY_EVENT_NETWORKS, the rest never', async () => {
  const all = { eventNetworks: ['loopback', 'private'] as ('loopback' | 'private')[] };
  for (const url of [...NEVER, ...METADATA_NAMES]) {
    const problem = await handlerUrlProblem(all, url);
    assert.ok(problem && 'refused' in problem, url);
  }
  for (const url of ['http://127.0.0.1:9000/bot.php', 'http://10.1.2.3/', 'http://[::1]:8080/', 'http://8.8.8.8/']) assert.equal(await handlerUrlProblem(all, url), undefined, url);
  const publicOnly = { eventNetworks: [] };
  const refused = await handlerUrlProblem(publicOnly, 'http://localhost:9000/');
  assert.ok(refused && 'refused' in refused && /localhost resolves to .*loopback/.test(refused.refused), JSON.stringify(refused));
  assert.ok(await handlerUrlProblem(publicOnly, 'http://192.168.0.2/'));
  assert.deepEqual(await handlerUrlProblem(all, 'ftp://127.0.0.1/'), { wrongUrl: true });
});

describe('registration refuses a handler the policy does not allow, with the method\'s error code', () => {
  let portal: Awaited<ReturnType<typeof testPortal>>;
  let bot: Child;
  let hook: string;
  let botId: number;
  let appToken: string;

  before(async () => {
    portal = await testPortal();
    bot = await echoBot();
    const installed = await installEchoBot(portal, bot);
    botId = installed.botId;
    appToken = installed.install.auth.access_token;
    hook = await webhookFor(portal, 1, 'imbot');
  });
  after(async () => {
    await bot?.stop();
    await portal?.close();
  });

  test('imbot.register and imbot.update: EVENT_*_ERROR; a loopback bot registers', async () => {
    const props = { NAME: 'Probe' };
    for (const url of [...NEVER, ...METADATA_NAMES]) {
      const r = await restForm(hook, 'imbot.register', { CLIENT_ID: 'probe', CODE: 'probe', EVENT_HANDLER: url, PROPERTIES: props });
      expectError(r, 400, 'EVENT_MESSAGE_ADD_ERROR');
      assert.match(r.body.error_description, /Handler URL refused: .* is (a|an|the) .*PARLEY_EVENT_NETWORKS/, url);
    }
    const welcome = await restForm(hook, 'imbot.register', { CLIENT_ID: 'probe', CODE: 'probe', EVENT_HANDLER: bot.url, EVENT_WELCOME_MESSAGE: 'http://[fe80::1]/', PROPERTIES: props });
    expectError(welcome, 400, 'EVENT_WELCOME_MESSAGE_ERROR');
    const id = expectOk(await restForm(hook, 'imbot.register', { CLIENT_ID: 'probe', CODE: 'probe', EVENT_HANDLER: bot.url, PROPERTIES: props }));
    const upd = await restForm(hook, 'imbot.update', { CLIENT_ID: 'probe', BOT_ID: id, FIELDS: { EVENT_MESSAGE_UPDATE: 'http://2852039166/latest/meta-data/' } });
    expectError(upd, 400, 'EVENT_MESSAGE_UPDATE_ERROR');
    expectOk(await restForm(hook, 'imbot.update', { CLIENT_ID: 'probe', BOT_ID: id, FIELDS: { EVENT_MESSAGE_UPDATE: 'http://10.9.8.7:8080/' } }));
  });

  test('imbot.command.register / update: EVENT_COMMAND_ADD_ERROR', async () => {
    expectError(await restForm(`${portal.url}/rest/`, 'imbot.command.register', {
      auth: appToken, BOT_ID: botId, COMMAND: 'probe', EVENT_COMMAND_ADD: 'http://metadata.google.internal/computeMetadata/v1/', LANG: [{ LANGUAGE_ID: 'en', TITLE: 'x' }],
    }), 400, 'EVENT_COMMAND_ADD_ERROR');
    const id = expectOk(await restForm(`${portal.url}/rest/`, 'imbot.command.register', {
      auth: appToken, BOT_ID: botId, COMMAND: 'probe', EVENT_COMMAND_ADD: bot.url, LANG: [{ LANGUAGE_ID: 'en', TITLE: 'x' }],
    }));
    expectError(await restForm(`${portal.url}/rest/`, 'imbot.command.update', { auth: appToken, COMMAND_ID: id, FIELDS: { EVENT_COMMAND_ADD: 'http://[::ffff:169.254.169.254]/' } }), 400, 'EVENT_COMMAND_ADD_ERROR');
  });

  test('event.bind: ERROR_HANDLER_URL_MISMATCH', async () => {
    const r = await restForm(`${portal.url}/rest/`, 'event.bind', { auth: appToken, event: 'ONAPPTEST', handler: 'http://0251.0376.0251.0376/' });
    expectError(r, 400, 'ERROR_HANDLER_URL_MISMATCH');
    assert.match(r.body.error_description, /169\.254\.169\.254 is a cloud metadata address/);
  });

  // `parley app add` refuses such handlers too: test/cli.test.ts, with the command's other refusals.
  test('parley.app.add: the handler and the installation URL', async () => {
    const admin = await webhookFor(portal, 1, 'im,imbot,parley');
    expectError(await restForm(admin, 'parley.app.add', { NAME: 'X', HANDLER: 'http://[fd00:ec2::254]/', SCOPE: 'imbot' }), 400, 'ERROR_ARGUMENT');
    expectError(await restForm(admin, 'parley.app.add', { NAME: 'X', HANDLER: bot.url, INSTALL_URL: 'http://169.254.169.254./', SCOPE: 'imbot', INSTALL: 'N' }), 400, 'ERROR_ARGUMENT');
  });
});

describe('delivery checks the address again', () => {
  test('a handler the policy no longer allows is dead-lettered at once, without a connection; redirects are not followed', async () => {
    let portal = await testPortal();
    const dataDir = portal.dataDir;
    const bot = await echoBot();
    // A handler that redirects to a second server: the redirect must not be followed.
    const followed: string[] = [];
    const target = http.createServer((req, res) => {
      followed.push(req.url ?? '');
      res.end('ok');
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    const redirector = http.createServer((req, res) => {
      req.resume();
      res.writeHead(307, { location: `http://127.0.0.1:${(target.address() as AddressInfo).port}/stolen` }).end();
    });
    await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', r));
    try {
      const { botId } = await installEchoBot(portal, bot);
      let anna = await webhookFor(portal, 2);
      // The same webhook on the restarted portal (a new port each time).
      const moved = (p: typeof portal) => anna.replace(/^http:\/\/[^/]+/, p.url);
      await restForm(anna, 'im.dialog.get', { DIALOG_ID: botId });
      await waitFor('welcome', async () => !(await portal.portal.db.selectFrom('outbox').select('id').where('status', '=', 'pending').executeTakeFirst()));
      await portal.close();

      // The operator narrows the policy (or DNS now answers elsewhere): loopback is refused from now on.
      portal = await testPortal({ dataDir, eventNetworks: 'private' });
      anna = moved(portal);
      const seenBefore = (await (await fetch(`${bot.url}events`)).json() as unknown[]).length;
      expectOk(await restForm(anna, 'im.message.add', { DIALOG_ID: botId, MESSAGE: 'not for loopback' }));
      const row = await waitFor('refused delivery', async () => portal.portal.db.selectFrom('outbox').selectAll()
        .where('event', '=', 'ONIMBOTMESSAGEADD').where('status', '=', 'dead').executeTakeFirst());
      assert.equal(row.attempts, 1, 'no retries against a refused address');
      assert.match(row.last_error, /^Handler URL refused: 127\.0\.0\.1 is a loopback address; .*PARLEY_EVENT_NETWORKS/);
      assert.equal(row.last_status, 0);
      assert.equal(row.last_response, '');
      assert.equal((await (await fetch(`${bot.url}events`)).json() as unknown[]).length, seenBefore, 'the handler was not contacted');
      await portal.close();

      // Back on defaults: a handler answering a redirect is a failed delivery, and its target is never asked.
      portal = await testPortal({ dataDir, eventAttempts: 1 });
      anna = moved(portal);
      const hook = await webhookFor(portal, 1, 'imbot');
      const redirectUrl = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}/`;
      const id = expectOk(await restForm(hook, 'imbot.register', { CLIENT_ID: 'redir', CODE: 'redir', EVENT_HANDLER: redirectUrl, PROPERTIES: { NAME: 'Redirect' } }));
      expectOk(await restForm(anna, 'im.message.add', { DIALOG_ID: id, MESSAGE: 'hello' }));
      const failed = await waitFor('redirect answer', async () => portal.portal.db.selectFrom('outbox').selectAll()
        .where('handler_url', '=', redirectUrl).where('status', '=', 'dead').executeTakeFirst());
      assert.equal(failed.last_error, 'HTTP 307');
      assert.deepEqual(followed, []);
    } finally {
      await bot.stop();
      await portal.close();
      target.close();
      redirector.close();
    }
  });
});
