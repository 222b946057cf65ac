/**
 * The developer console (/dev) end to end, in Debian's chromium against a real portal: the admin
 * creates an app whose handler is a real echo-bot process and sees its credentials, its bot and
 * commands, the ONAPPINSTALL delivery with payload and response; filters the event log; creates a
 * webhook, calls user.current through its URL and revokes it; reads the REST call log; re-delivers
 * a dead-lettered event once a server listens; uninstalls with "clean"; finds a method and its
 * parameters in the method list; sends a test event from the app's form and follows it to the log. A non-admin is refused by the page and by the portal. Screenshots (dev-console-*.png) go to a temporary folder; `npm run screenshots` refreshes docs/screenshots/.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { botEvents, echoBot, eventSink, freePort, restForm, restJson, testPortal, waitFor, type Child } from '../helpers/portal.ts';
import { webhookFor } from '../helpers/suite.ts';
import { browserSkip, credentials, launchBrowser, screenshot, signIn, watchPage, type Login } from '../helpers/browser.ts';
import { expectError, expectOk } from '../helpers/rest-assert.ts';

const skip = browserSkip();

describe('developer console', { skip }, () => {
  let portal: Awaited<ReturnType<typeof testPortal>>;
  let bot: Child;
  let browser: Browser;
  let page: Page;
  let admin: Login;
  let anna: Login;
  let adminHook: string;
  let appId: number;
  let botId: number;
  const problems: { dialogs: string[]; errors: string[] }[] = [];

  const tab = async (id: string) => {
    await page.locator(`[data-testid=dev-tab-${id}]`).click();
    await page.locator(`[data-testid=dev-tab-${id}][aria-current=page]`).waitFor();
  };
  const confirmDialog = () => page.locator('[data-testid=dev-confirm]');
  const eventRows = () => page.locator('[data-testid=event-row]');

  before(async () => {
    // Two quick attempts, so an app whose handler is down dead-letters its event within a second.
    portal = await testPortal({ eventAttempts: 2, eventFirstDelayMs: 50, eventMaxDelayMs: 100 });
    bot = await echoBot();
    const logins = credentials(portal.dataDir);
    admin = logins.find((l) => l.id === 1)!;
    anna = logins.find((l) => l.id === 2)!;
    adminHook = await webhookFor(portal, 1, 'im,imbot,parley');
    browser = await launchBrowser();
    const ctx = await browser.newContext({ locale: 'en-US', viewport: { width: 1200, height: 860 } });
    page = await ctx.newPage();
    problems.push(watchPage(page));
  });

  after(async () => {
    await browser?.close();
    await bot?.stop();
    await portal?.close();
  });

  test('the admin opens /dev from the messenger header', async () => {
    await signIn(page, portal.url, admin);
    await page.locator('[data-testid=dev-link]').click();
    await page.waitForURL(/\/dev$/);
    await page.getByRole('heading', { name: 'Developer console' }).waitFor();
    await page.locator('[data-testid=dev-tab-apps][aria-current=page]').waitFor();
  });

  test('creates a local app; sees its credentials, then its bot after the install', { timeout: 60_000 }, async () => {
    const form = page.locator('[data-testid=app-form]');
    await form.locator('input[name=name]').fill('Echo');
    await form.locator('input[name=handler]').fill(bot.url);
    // imbot and im are preselected, as the CLI's usual --scope imbot,im.
    assert.deepEqual(await form.locator('input[name=scope]:checked').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value)), ['imbot', 'im']);
    assert.equal(await form.locator('input[name=install]').isChecked(), true);
    await form.getByRole('button', { name: 'Create' }).click();

    const creds = page.locator('[data-testid=app-credentials]');
    await creds.waitFor();
    const stored = await waitFor('app stored', async () => expectOk(await restForm(adminHook, 'parley.app.list')).find((a: any) => a.name === 'Echo'));
    appId = stored.id;
    assert.match(await creds.locator('[data-testid=client-id]').inputValue(), /^local\./);
    assert.equal(await creds.locator('[data-testid=client-id]').inputValue(), stored.client_id);
    assert.equal(await creds.locator('[data-testid=client-secret]').inputValue(), stored.client_secret);
    assert.equal(await creds.locator('[data-testid=application-token]').inputValue(), stored.application_token);
    assert.deepEqual(stored.scope, ['imbot', 'im']);

    // The handler got ONAPPINSTALL and registered its bot with two commands.
    const install = await waitFor('ONAPPINSTALL', async () => (await botEvents(bot)).find((e) => e.event === 'ONAPPINSTALL' && e.registered && e.commands));
    botId = Number(install.registered.result);
    assert.ok(botId > 0);
    const row = page.locator('[data-testid=app-row]', { hasText: 'Echo' });
    await waitFor('bot counted', async () => {
      await page.getByRole('button', { name: 'Refresh' }).click();
      return (await row.locator('[data-testid=app-bots]').textContent()) === 'bots: 1';
    });
    assert.equal(await row.locator('[data-testid=app-state]').textContent(), 'installed');
    // Tall enough to show the form, the new credentials and the list in one picture.
    await page.setViewportSize({ width: 1200, height: 1180 });
    await page.locator('.dev').evaluate((el) => el.scrollTo(0, 0));
    await screenshot(page, 'dev-console-apps');
    await page.setViewportSize({ width: 1200, height: 860 });
  });

  test('shows the bot with its type, code and both commands', async () => {
    await tab('bots');
    const row = page.locator('[data-testid=bot-row]', { hasText: 'Echo Bot' });
    await row.waitFor();
    assert.match(await row.textContent() ?? '', /echobot/);
    assert.match(await row.textContent() ?? '', /type B/);
    const commands = row.locator('[data-testid=bot-command]');
    assert.equal(await commands.count(), 2);
    const echo = await commands.nth(0).textContent() ?? '';
    assert.match(echo, /\/echo/);
    assert.match(echo, /Get echo message/);
    assert.match(echo, /some text/);
    assert.match(echo, /Эхо/, 'every registered language is listed');
    assert.match(await commands.nth(1).textContent() ?? '', /\/page.*hidden/);
  });

  test('the event log shows ONAPPINSTALL with its payload and the 200 answer, and filters by event', { timeout: 60_000 }, async () => {
    // A message to the bot, so the log holds more than app events.
    expectOk(await restForm(adminHook, 'im.message.add', { DIALOG_ID: botId, MESSAGE: 'ping from the test' }));
    await waitFor('echo', async () => (await botEvents(bot)).find((e) => e.event === 'ONIMBOTMESSAGEADD'));
    await tab('events');
    const install = eventRows().filter({ has: page.locator('[data-testid=event-name]', { hasText: /^ONAPPINSTALL$/ }) });
    await install.waitFor();
    assert.equal(await install.locator('[data-testid=event-status]').textContent(), 'delivered');
    assert.equal(await install.locator('[data-testid=event-http]').textContent(), 'HTTP 200');
    await install.locator('summary').first().click();
    assert.equal(await install.locator('[data-testid=event-handler]').textContent(), bot.url);
    const payload = JSON.parse(await install.locator('[data-testid=event-payload]').textContent() ?? '');
    assert.deepEqual(payload, { LANGUAGE_ID: 'en', VERSION: '1', ACTIVE: 'Y', INSTALLED: 'Y' });
    assert.equal(await install.locator('[data-testid=event-response]').textContent(), 'ok');
    await screenshot(page, 'dev-console-events');

    await waitFor('message delivered', async () => {
      await page.locator('[data-testid=events-refresh]').click();
      return (await eventRows().filter({ hasText: 'ONIMBOTMESSAGEADD' }).count()) > 0;
    });
    await page.locator('select[name=event]').selectOption('ONIMBOTMESSAGEADD');
    await waitFor('filtered', async () => {
      const names = await page.locator('[data-testid=event-name]').allTextContents();
      return names.length > 0 && names.every((n) => n === 'ONIMBOTMESSAGEADD');
    });
    const msg = eventRows().first();
    await msg.locator('summary').first().click();
    const data = JSON.parse(await msg.locator('[data-testid=event-payload]').textContent() ?? '');
    assert.equal(data.PARAMS.MESSAGE, 'ping from the test');
    // The bot's token block is minted at send time: shown in the delivered shape, without secrets.
    assert.deepEqual([data.BOT[botId].BOT_ID, data.BOT[botId].BOT_CODE], [botId, 'echobot']);
    assert.ok(!('__bot_auth__' in data.BOT[botId]));
    const shown = await eventRows().count();
    const listed = await restForm(adminHook, 'parley.event.list', { FILTER: { EVENT: 'ONIMBOTMESSAGEADD' } });
    assert.equal(shown, listed.body.total);
    assert.match(await page.locator('[data-testid=dev-pager]').first().textContent() ?? '', new RegExp(`of ${listed.body.total}$`));

    // Auto-refresh: a new delivery appears without pressing Refresh.
    await page.locator('[data-testid=events-auto]').check();
    expectOk(await restForm(adminHook, 'im.message.add', { DIALOG_ID: botId, MESSAGE: 'second ping' }));
    await eventRows().nth(shown).waitFor({ timeout: 15_000 });
    await page.locator('[data-testid=events-auto]').uncheck();
    await page.locator('select[name=event]').selectOption('');
  });

  test('an event explains itself: the request as sent, every attempt, "Retry now" while pending, and the REST calls while handling', { timeout: 60_000 }, async () => {
    const seen = (await botEvents(bot)).filter((e) => e.event === 'ONIMBOTMESSAGEADD' && e.data.PARAMS.MESSAGE === 'second ping');
    assert.equal(seen.length, 1);
    const listed = expectOk(await restForm(adminHook, 'parley.event.list', { FILTER: { APP_ID: appId, EVENT: 'ONIMBOTMESSAGEADD' } })) as any[];
    const ev = listed.find((e) => (e.data as any).PARAMS.MESSAGE === 'second ping');
    assert.equal(ev.status, 'delivered');
    // Back in the queue behind an hour of backoff, as an event whose handler failed would be.
    await portal.portal.db.updateTable('outbox').set({ status: 'pending', next_attempt_at: Date.now() + 3_600_000 }).where('id', '=', ev.id).execute();

    await page.locator('select[name=event]').selectOption('ONIMBOTMESSAGEADD');
    await page.locator('[data-testid=events-refresh]').click();
    const row = eventRows().filter({ has: page.locator('.dev-muted', { hasText: new RegExp(`^#${ev.id}$`) }) });
    await row.locator('[data-testid=event-retry]').waitFor();
    await row.locator('summary').first().click();
    const attempts = row.locator('[data-testid=attempt-row]');
    await attempts.first().waitFor();
    assert.equal(await attempts.count(), 1);
    assert.equal(await attempts.first().locator('[data-testid=attempt-status]').textContent(), 'HTTP 200');
    assert.equal(await row.locator('[data-testid=event-request-url]').textContent(), `POST ${bot.url}`);
    const headers = await row.locator('[data-testid=event-request-headers]').textContent() ?? '';
    assert.match(headers, new RegExp(`^x-parley-delivery: ${ev.id}$`, 'm'));
    assert.match(headers, /^x-parley-attempt: 1$/m);
    assert.match(headers, /^x-parley-signature: sha256=[0-9a-f]{64}$/m);
    assert.match(headers, /^content-type: application\/x-www-form-urlencoded$/m);
    const body = await row.locator('[data-testid=event-request-body]').textContent() ?? '';
    assert.match(body, /^data\[PARAMS\]\[MESSAGE\] = second ping$/m);
    assert.match(body, /^auth\[access_token\] = \(hidden\)$/m);
    assert.match(body, /^auth\[application_token\] = \(hidden\)$/m);
    for (const secret of [seen[0].auth.access_token, seen[0].auth.refresh_token, seen[0].auth.application_token]) assert.ok(!body.includes(secret));

    // "Retry now": the handler gets the event again at once, and the item shows the second attempt.
    await row.locator('[data-testid=event-retry]').click();
    await page.getByRole('alert').filter({ hasText: 'Sent now: 1' }).waitFor();
    await waitFor('sent again', async () => (await botEvents(bot)).filter((e) => e.event === 'ONIMBOTMESSAGEADD' && e.data.PARAMS.MESSAGE === 'second ping').length === 2);
    await waitFor('two attempts shown', async () => {
      await page.locator('[data-testid=events-refresh]').click();
      return (await row.locator('[data-testid=event-status]').textContent()) === 'delivered' && (await attempts.count()) === 2;
    });
    assert.deepEqual(await row.locator('[data-testid=attempt-status]').allTextContents(), ['HTTP 200', 'HTTP 200']);
    assert.match(await row.locator('[data-testid=event-request-headers]').textContent() ?? '', /^x-parley-attempt: 2$/m);
    await screenshot(page, 'dev-console-event-attempts');

    // The link opens the call log filtered to what the app did while handling it: its reply to each attempt.
    await row.locator('[data-testid=event-calls-link]').click();
    await page.locator('[data-testid=dev-tab-calls][aria-current=page]').waitFor();
    await page.locator('[data-testid=calls-event-filter]', { hasText: `event #${ev.id}` }).waitFor();
    // The log is written in batches after each answer: look until both replies are in it.
    await waitFor('both replies logged', async () => {
      await page.locator('[data-testid=calls-refresh]').click();
      return (await page.locator('[data-testid=call-row]').count()) === 2;
    });
    assert.deepEqual(await page.locator('[data-testid=call-method]').allTextContents(), ['imbot.message.add', 'imbot.message.add']);
    const api = expectOk(await restForm(adminHook, 'parley.call.list', { FILTER: { EVENT_ID: ev.id } })) as any[];
    assert.deepEqual(api.map((c) => [c.method, c.app_id]), [['imbot.message.add', appId], ['imbot.message.add', appId]]);
    await page.locator('[data-testid=calls-event-clear]').click();
    await page.locator('[data-testid=calls-event-filter]').waitFor({ state: 'detached' });
    await tab('events');
    await page.locator('select[name=event]').selectOption('');
  });

  test('a fetch-mode v2 bot\'s events show in the polling log: waiting, then fetched once acknowledged', { timeout: 60_000 }, async () => {
    const reg = await restJson(adminHook, 'imbot.v2.Bot.register', { botToken: 'console_tok', fields: { code: 'console_fetch', eventMode: 'fetch', properties: { name: 'Poller' } } });
    const v2 = reg.body.result.bot.id;
    expectOk(await restForm(adminHook, 'im.message.add', { DIALOG_ID: v2, MESSAGE: 'for the poller' }));
    await tab('events');
    const rows = page.locator('[data-testid=fetch-row]').filter({ has: page.locator('[data-testid=fetch-event]', { hasText: /^ONIMBOTV2MESSAGEADD$/ }) });
    await page.locator('[data-testid=events-refresh]').click();
    await rows.first().waitFor();
    assert.equal(await rows.first().locator('[data-testid=fetch-status]').textContent(), 'waiting');
    await rows.first().locator('summary').first().click();
    assert.equal(JSON.parse(await rows.first().locator('[data-testid=fetch-data]').textContent() ?? '{}').message.text, 'for the poller');
    const got = (await restJson(adminHook, 'imbot.v2.Event.get', { botId: v2, botToken: 'console_tok' })).body.result;
    await restJson(adminHook, 'imbot.v2.Event.get', { botId: v2, botToken: 'console_tok', offset: got.nextOffset });
    await waitFor('fetched', async () => {
      await page.locator('[data-testid=events-refresh]').click();
      return (await rows.first().locator('[data-testid=fetch-status]').textContent()) === 'fetched';
    });
  });

  test('creates a webhook whose URL works, then revokes it', { timeout: 60_000 }, async () => {
    await tab('webhooks');
    const form = page.locator('[data-testid=hook-form]');
    await form.locator('select[name=user] option[value="2"]').waitFor({ state: 'attached' });
    await form.locator('select[name=user]').selectOption('2');
    await form.locator('input[name=title]').fill('CI pipeline');
    await form.locator('input[name=hook-scope][value=imbot]').uncheck();
    await form.getByRole('button', { name: 'Create' }).click();
    await page.locator('[data-testid=hook-url]').waitFor();
    const url = await page.locator('[data-testid=hook-url]').inputValue();
    assert.match(url, /\/rest\/2\/\w+\/$/);
    const me = await fetch(`${url}user.current`);
    assert.equal(me.status, 200);
    assert.equal((await me.json()).result.ID, '2');
    // The portal keeps only the code's hash: after creation the URL is shown masked, in the list and the API.
    const code = /\/rest\/2\/(\w+)\/$/.exec(url)![1];
    const masked = url.replace(code, `${code.slice(0, 4)}…`);
    const listed = expectOk(await restForm(adminHook, 'parley.webhook.list')).find((w: any) => w.url_masked === masked);
    assert.deepEqual([listed.title, listed.scope], ['CI pipeline', ['im']]);

    const row = page.locator('[data-testid=hook-row]', { hasText: 'CI pipeline' });
    assert.equal(await row.locator('[data-testid=hook-masked]').textContent(), masked);
    assert.ok(!(await page.locator('[data-testid=hook-row]').allTextContents()).join('').includes(code));
    assert.equal(await row.locator('input').count(), 0);
    await row.getByRole('button', { name: 'Revoke' }).click();
    // Escape cancels: nothing is revoked.
    await confirmDialog().getByRole('button', { name: 'Confirm' }).waitFor();
    await page.keyboard.press('Escape');
    await confirmDialog().getByRole('button', { name: 'Confirm' }).waitFor({ state: 'hidden' });
    assert.equal((await fetch(`${url}user.current`)).status, 200);
    await row.getByRole('button', { name: 'Revoke' }).click();
    await confirmDialog().getByRole('button', { name: 'Confirm' }).click();
    await row.waitFor({ state: 'detached' });
    const after = await fetch(`${url}user.current`);
    assert.equal(after.status, 401);
  });

  test('the call log lists calls with caller, parameters and result, filtered by method, app and errors', { timeout: 60_000 }, async () => {
    expectError(await restForm(adminHook, 'im.message.add', { DIALOG_ID: botId }), 400, 'MESSAGE_EMPTY');
    await tab('calls');
    await page.locator('[data-testid=call-row]').first().waitFor();
    await page.locator('input[name=method]').fill('user.current');
    await page.locator('input[name=method]').press('Enter');
    await waitFor('filtered by method', async () => {
      const methods = await page.locator('[data-testid=call-method]').allTextContents();
      return methods.length > 0 && methods.every((m) => m === 'user.current');
    });
    const viaHook = page.locator('[data-testid=call-row]', { hasText: 'webhook #' }).first();
    await viaHook.locator('summary').first().click();
    assert.equal(JSON.parse(await viaHook.locator('[data-testid=call-result]').textContent() ?? '').ID, '2');

    await page.locator('input[name=method]').fill('');
    await page.locator('input[name=method]').press('Enter');
    await page.locator('input[name=errors]').check();
    await waitFor('errors only', async () => {
      const statuses = await page.locator('[data-testid=call-status]').allTextContents();
      return statuses.length > 0 && statuses.every((t) => /^[45]\d\d /.test(t));
    });
    const bad = page.locator('[data-testid=call-row]', { hasText: 'MESSAGE_EMPTY' }).first();
    await bad.locator('summary').first().click();
    assert.deepEqual(JSON.parse(await bad.locator('[data-testid=call-params]').textContent() ?? ''), { DIALOG_ID: String(botId) });
    assert.equal(JSON.parse(await bad.locator('[data-testid=call-result]').textContent() ?? '').error, 'MESSAGE_EMPTY');

    await page.locator('input[name=errors]').uncheck();
    await page.locator('select[name=app]').selectOption(String(appId));
    await page.locator('[data-testid=call-method]', { hasText: /^imbot\.register$/ }).waitFor();
    assert.ok((await page.locator('[data-testid=call-caller]').allTextContents()).every((t) => t.includes('app “Echo”')));
  });

  test('a dead-lettered delivery is re-queued by "Redeliver" once a server listens', { timeout: 60_000 }, async () => {
    const port = await freePort();
    await tab('apps');
    const form = page.locator('[data-testid=app-form]');
    await form.locator('input[name=name]').fill('Down');
    await form.locator('input[name=handler]').fill(`http://127.0.0.1:${port}/`);
    await form.getByRole('button', { name: 'Create' }).click();
    await page.locator('[data-testid=app-credentials]', { hasText: 'Down' }).waitFor();
    const down = expectOk(await restForm(adminHook, 'parley.app.list')).find((a: any) => a.name === 'Down');
    await waitFor('dead letter', async () => expectOk(await restForm(adminHook, 'parley.event.list', { FILTER: { APP_ID: down.id, STATUS: 'dead' } }))[0]);
    // The app list marks an app whose handler does not answer.
    const downRow = page.locator('[data-testid=app-row]', { hasText: 'Down' });
    await waitFor('marked unreachable', async () => {
      await page.getByRole('button', { name: 'Refresh' }).first().click();
      return (await downRow.locator('[data-testid=app-handler-state]').count()) > 0;
    });
    assert.equal(await downRow.locator('[data-testid=app-handler-state]').textContent(), 'handler unreachable');

    await tab('events');
    await page.locator('select[name=app] option', { hasText: 'Down' }).waitFor({ state: 'attached' });
    await page.locator('select[name=app]').selectOption(String(down.id));
    await page.locator('select[name=status]').selectOption('dead');
    const dead = eventRows().first();
    await dead.locator('[data-testid=event-redeliver]').waitFor();
    assert.equal(await dead.locator('[data-testid=event-name]').textContent(), 'ONAPPINSTALL');
    assert.equal(await dead.locator('[data-testid=event-http]').textContent(), 'no response');
    await dead.locator('summary').first().click();
    assert.notEqual((await dead.locator('[data-testid=event-error]').textContent())?.trim(), '');

    const sink = await eventSink(port, 'ok now');
    const { received } = sink;
    try {
      await dead.locator('[data-testid=event-redeliver]').click();
      await page.getByRole('alert').filter({ hasText: 'Queued again: 1' }).waitFor();
      await waitFor('redelivered', async () => received.includes('ONAPPINSTALL'));
      await page.locator('select[name=status]').selectOption('delivered');
      const ok = eventRows().first();
      await waitFor('shown delivered', async () => {
        await page.locator('[data-testid=events-refresh]').click();
        return (await ok.locator('[data-testid=event-http]').textContent()) === 'HTTP 200';
      });
      await ok.locator('summary').first().click();
      assert.equal(await ok.locator('[data-testid=event-response]').textContent(), 'ok now');
      // "Send again": the same event goes to the handler once more, as its next attempt.
      const before = received.filter((e) => e === 'ONAPPINSTALL').length;
      const attempts = await ok.locator('.dev-muted', { hasText: 'attempts:' }).textContent();
      await ok.locator('[data-testid=event-resend]').click();
      await page.getByRole('alert').filter({ hasText: 'Sent again: 1' }).waitFor();
      await waitFor('sent again', async () => received.filter((e) => e === 'ONAPPINSTALL').length === before + 1);
      await waitFor('shown with one more attempt', async () => {
        await page.locator('[data-testid=events-refresh]').click();
        const now = await eventRows().first().locator('.dev-muted', { hasText: 'attempts:' }).textContent();
        return now === `attempts: ${Number(attempts?.replace(/\D/g, '')) + 1}`;
      });
    } finally {
      sink.close();
    }
  });

  test('a pending event says which dead letter it waits for; "Discard" gives that one up', { timeout: 60_000 }, async () => {
    const port = await freePort();
    const gone = expectOk(await restForm(adminHook, 'parley.app.add', { NAME: 'Gone', HANDLER: `http://127.0.0.1:${port}/`, SCOPE: 'imbot' }));
    const dead = await waitFor('dead letter', async () => expectOk(await restForm(adminHook, 'parley.event.list', { FILTER: { APP_ID: gone.id, STATUS: 'dead' } }))[0]);
    // The update waits behind the dead-lettered install of the same handler.
    expectOk(await restForm(adminHook, 'parley.app.reinstall', { ID: gone.id }));

    // The apps tab reloads the application list the event filter offers.
    await tab('apps');
    await page.locator('[data-testid=app-row]', { hasText: 'Gone' }).waitFor();
    await tab('events');
    await page.locator('select[name=app] option', { hasText: 'Gone' }).waitFor({ state: 'attached' });
    await page.locator('select[name=app]').selectOption(String(gone.id));
    await page.locator('select[name=status]').selectOption('pending');
    const waiting = eventRows().first();
    await waiting.locator('summary').first().click();
    assert.equal(await waiting.locator('[data-testid=event-waiting]').textContent(), `Waits for #${dead.id} (redeliver or discard it)`);

    await page.locator('select[name=status]').selectOption('dead');
    await eventRows().first().locator('[data-testid=event-discard]').click();
    await confirmDialog().getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('alert').filter({ hasText: 'Discarded: 1' }).waitFor();
    const after = expectOk(await restForm(adminHook, 'parley.event.list', { FILTER: { APP_ID: gone.id } })) as any[];
    assert.equal(after.find((e) => e.id === dead.id).status, 'discarded');
  });

  test('"Send a test event": pick the event and user, see the payload, send, see the delivery and the bot\'s reply', { timeout: 60_000 }, async () => {
    await tab('apps');
    const row = page.locator('[data-testid=app-row]').filter({ has: page.locator('strong', { hasText: /^Echo$/ }) });
    const form = row.locator('[data-testid=test-event]');
    await form.locator('summary').click();
    // The events offered are those the app has handlers for; a message to the bot comes first.
    const offered = await waitFor('the events offered', async () => {
      const names = await form.locator('select[name=test-event] option').allTextContents();
      return names.length ? names : undefined;
    });
    assert.deepEqual(offered, ['ONIMBOTMESSAGEADD', 'ONIMBOTMESSAGEUPDATE', 'ONIMBOTMESSAGEDELETE', 'ONIMBOTJOINCHAT', 'ONIMBOTDELETE', 'ONIMCOMMANDADD', 'ONAPPUPDATE']);
    await form.locator('select[name=test-user]').selectOption(String(anna.id));
    await form.locator('input[name=test-text]').fill('hello from the form');
    // The preview is the payload the portal builds for it, in the shape the bot receives.
    const preview = form.locator('[data-testid=test-event-preview]');
    await waitFor('the preview', async () => (await preview.textContent().catch(() => ''))?.includes('hello from the form'));
    const [built] = JSON.parse(await preview.textContent() ?? '');
    assert.equal(built.event, 'ONIMBOTMESSAGEADD');
    assert.equal(built.handler, bot.url);
    assert.equal(built.data.PARAMS.DIALOG_ID, String(anna.id));
    assert.deepEqual([built.data.BOT[botId].BOT_ID, built.data.BOT[botId].BOT_CODE], [botId, 'echobot']);
    await form.locator('[data-testid=test-event-send]').click();
    // The new delivery, as the event log shows it: delivered, marked as a test.
    const sent = form.locator('[data-testid=event-row]');
    await sent.locator('[data-testid=event-status]', { hasText: /^delivered$/ }).waitFor({ timeout: 15_000 });
    assert.equal(await sent.locator('[data-testid=event-test]').textContent(), 'test');
    const id = Number((await form.locator('[data-testid=test-event-sent]').textContent())?.match(/#(\d+)/)?.[1]);
    const got = await waitFor('the test event and the reply', async () => (await botEvents(bot)).find((e) => e.data?.PARAMS?.MESSAGE === 'hello from the form' && e.reply));
    assert.equal(got.parleyTest, '1');
    assert.ok(got.reply.result > 0, JSON.stringify(got.reply));
    await screenshot(page, 'dev-console-test-event');
    // "Open the event log" jumps there; the delivery is at the top, marked.
    await form.getByRole('link', { name: 'Open the event log' }).click();
    await page.locator('[data-testid=dev-tab-events][aria-current=page]').waitFor();
    const top = eventRows().first();
    await top.locator('[data-testid=event-test]').waitFor();
    assert.equal(await top.locator('.dev-muted').first().textContent(), `#${id}`);
  });

  test('uninstalls with "clean" after a confirmation', { timeout: 60_000 }, async () => {
    await tab('apps');
    const row = page.locator('[data-testid=app-row]', { hasText: 'Echo' });
    await row.getByRole('button', { name: 'Uninstall' }).click();
    await confirmDialog().locator('input[name=clean]').check();
    await confirmDialog().getByRole('button', { name: 'Confirm' }).click();
    await waitFor('not installed', async () => (await row.locator('[data-testid=app-state]').textContent()) === 'not installed');
    const ev = await waitFor('ONAPPUNINSTALL', async () => (await botEvents(bot)).find((e) => e.event === 'ONAPPUNINSTALL'));
    assert.equal(ev.data.CLEAN, '1');
    assert.equal(expectOk(await restForm(adminHook, 'parley.bot.list', { APP_ID: appId })).length, 0);
    await row.getByRole('button', { name: 'Install' }).waitFor();
  });

  test('the Methods tab lists every method with its parameters, and the filter finds one', { timeout: 60_000 }, async () => {
    await tab('methods');
    const rows = page.locator('[data-testid=method-row]');
    await rows.first().waitFor();
    const listed = expectOk(await restForm(adminHook, 'parley.method.list')) as { name: string }[];
    assert.equal(await rows.count(), listed.length, 'every method is shown');
    assert.equal(await page.locator('[data-testid=method-count]').textContent(), `${listed.length} of ${listed.length}`);

    await page.locator('input[name=method-filter]').fill('im.message.add');
    await waitFor('filtered', async () => {
      const names = await page.locator('[data-testid=method-name]').allTextContents();
      return names.length > 0 && names.every((n) => n.includes('im.message.add'));
    });
    const add = rows.filter({ has: page.locator('[data-testid=method-name]', { hasText: /^im\.message\.add$/ }) });
    assert.deepEqual([await add.locator('[data-testid=method-scope]').textContent(), await add.locator('[data-testid=method-access]').textContent()], ['im', 'members of the dialog']);
    await add.locator('summary').click();
    const dialog = add.locator('[data-testid=method-param]', { hasText: 'DIALOG_ID' });
    assert.equal(await dialog.locator('[data-testid=param-required]').textContent(), 'required');
    assert.match(await dialog.textContent() ?? '', /USER_ID_EMPTY/);
    assert.equal(await add.locator('[data-testid=method-param]', { hasText: 'REPLY_ID' }).locator('[data-testid=param-required]').textContent(), 'optional');
    await screenshot(page, 'dev-console-methods');

    // A parameter name finds every method that takes it; nonsense finds none.
    await page.locator('input[name=method-filter]').fill('message_id');
    await page.locator('[data-testid=method-name]', { hasText: /^im\.message\.update$/ }).waitFor();
    await page.locator('input[name=method-filter]').fill('no.such.method');
    await rows.first().waitFor({ state: 'detached' });
    assert.equal(await page.locator('[data-testid=method-count]').textContent(), `0 of ${listed.length}`);
    await page.locator('input[name=method-filter]').fill('');
  });

  test('works at phone width in Russian', async () => {
    const ctx = await browser.newContext({ locale: 'ru-RU', viewport: { width: 390, height: 780 }, isMobile: true, hasTouch: true });
    const phone = await ctx.newPage();
    problems.push(watchPage(phone));
    await signIn(phone, portal.url, admin);
    await phone.goto(`${new URL('/dev', portal.url)}#events`);
    await phone.getByRole('heading', { name: 'Консоль разработчика' }).waitFor();
    await phone.locator('[data-testid=event-row]').first().waitFor();
    assert.equal(await phone.locator('[data-testid=dev-tab-events]').getAttribute('aria-current'), 'page');
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no sideways scrolling (${overflow}px)`);
    await phone.locator('[data-testid=dev-tab-apps]').click();
    await phone.locator('[data-testid=app-row]').first().waitFor();
    assert.equal(await phone.locator('[data-testid=app-form] button[type=submit]').textContent(), 'Создать');
    await ctx.close();
  });

  test('a non-admin sees the refusal page, and the portal refuses the methods', async () => {
    const ctx = await browser.newContext({ locale: 'en-US' });
    const other = await ctx.newPage();
    problems.push(watchPage(other));
    await signIn(other, portal.url, anna);
    assert.equal(await other.locator('[data-testid=dev-link]').count(), 0, 'no console link for non-admins');
    await other.goto(`${new URL('/dev', portal.url)}`);
    const denied = other.locator('[data-testid=dev-denied]');
    await denied.waitFor();
    assert.match(await denied.textContent() ?? '', /Administrators only/);
    assert.equal(await other.locator('[data-testid=dev-tab-apps]').count(), 0);
    expectError(await restForm(await webhookFor(portal, anna.id, 'im'), 'parley.app.list'), 401, 'insufficient_scope');
    expectError(await restForm(await webhookFor(portal, anna.id, 'im,parley'), 'parley.app.list'), 403, 'ACCESS_DENIED');
    await ctx.close();
  });

  test('no page errors or unexpected browser dialogs', () => {
    for (const p of problems) {
      assert.deepEqual(p.errors, []);
      assert.deepEqual(p.dialogs, []);
    }
  });
});
