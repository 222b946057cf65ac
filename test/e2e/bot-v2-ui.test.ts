/**
 * What a Chatbots 2.0 bot shows in the web messenger, in Debian's chromium: Chat.TextField.enabled
 * false replaces the open dialog's composer with a note (live, on the chat.update push) and true
 * brings it back; Chat.InputAction.notify shows the bot's action in its words ("… is thinking…"); a
 * bot context link (/online/?IM_DIALOG=…&BOT_CONTEXT=…) followed while signed out opens the dialog
 * after the sign-in, leaves the address bar, and reaches the bot as ONIMBOTV2CONTEXTGET; a forwarded
 * message says whom it came from.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { restJson, testPortal, waitFor } from '../helpers/portal.ts';
import { webhookFor } from '../helpers/suite.ts';
import { browserSkip, credentials, launchBrowser, signIn, watchPage } from '../helpers/browser.ts';

const skip = browserSkip();

describe('a v2 bot in the web messenger', { skip }, () => {
  let portal: Awaited<ReturnType<typeof testPortal>>;
  let browser: Browser;
  let page: Page;
  let hook: string;
  let botId: number;
  let problems: { dialogs: string[]; errors: string[] };
  let helloId: number;

  const bot = async (method: string, params: Record<string, unknown>) => {
    const r = await restJson(hook, method, { botId, botToken: 'tok_e2e', ...params });
    assert.equal(r.status, 200, JSON.stringify(r.body));
  };

  before(async () => {
    portal = await testPortal();
    const logins = credentials(portal.dataDir);
    hook = await webhookFor(portal, 1, 'imbot,im');
    const reg = await restJson(hook, 'imbot.v2.Bot.register', { botToken: 'tok_e2e', fields: { code: 'e2e_ui', properties: { name: 'Helper' } } });
    botId = reg.body.result.bot.id;
    const anna = await webhookFor(portal, 2, 'im');
    const hello = await restJson(anna, 'im.message.add', { DIALOG_ID: String(botId), MESSAGE: 'hello' });
    assert.equal(hello.status, 200);
    helloId = hello.body.result;
    browser = await launchBrowser();
    page = await (await browser.newContext({ locale: 'en-US' })).newPage();
    problems = watchPage(page);
    await signIn(page, portal.url, logins.find((l) => l.id === 2)!);
  });
  after(async () => {
    await browser?.close();
    await portal?.close();
  });

  test('TextField.enabled turns the composer off and on; InputAction.notify shows the action', { timeout: 60_000 }, async () => {
    await page.goto(`${portal.url}/#/dialog/${botId}`);
    await page.getByTestId('composer').waitFor();
    await bot('imbot.v2.Chat.TextField.enabled', { dialogId: '2', enabled: false });
    await page.getByTestId('composer-off').waitFor();
    assert.equal(await page.getByTestId('composer').count(), 0);
    await bot('imbot.v2.Chat.InputAction.notify', { dialogId: '2', statusMessageCode: 'IMBOT_AGENT_ACTION_THINKING', duration: 30 });
    await page.getByText('Helper is thinking…').waitFor();
    await bot('imbot.v2.Chat.TextField.enabled', { dialogId: '2', enabled: true });
    await page.getByTestId('composer').waitFor();
    assert.equal(await page.getByTestId('composer-off').count(), 0);
    // Opened afresh, the dialog shows the state im.dialog.get reports.
    await bot('imbot.v2.Chat.TextField.enabled', { dialogId: '2', enabled: false });
    await page.reload();
    await page.getByTestId('composer-off').waitFor();
    assert.deepEqual(problems, { dialogs: [], errors: [] });
  });

  test('a message the bot forwards shows whom it came from; its backgroundId tints the dialog', { timeout: 60_000 }, async () => {
    // (The composer is off since the test before: the dialog's messages show all the same.)
    await page.goto(`${portal.url}/#/dialog/${botId}`);
    await page.getByTestId('message').first().waitFor();
    await bot('imbot.v2.Chat.Message.send', { dialogId: '2', fields: { message: 'You said:', forwardIds: { f1: helloId } } });
    const forwarded = page.getByTestId('forwarded');
    await forwarded.waitFor();
    assert.match(await forwarded.innerText(), /Forwarded from Анна Петрова/);
    const bubble = page.getByTestId('message').filter({ has: forwarded });
    assert.match(await bubble.innerText(), /hello/);
    // The bot's backgroundId tints its dialog once it is opened again.
    await bot('imbot.v2.Bot.update', { fields: { backgroundId: 'peach' } });
    await page.reload();
    await page.locator('[data-testid="messages"][data-background="peach"]').waitFor();
    const tint = await page.getByTestId('messages').evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.equal(tint, 'rgb(252, 235, 226)');
    assert.deepEqual(problems, { dialogs: [], errors: [] });
  });

  test('a bot context link opens the dialog after the sign-in and hands the context to the bot', { timeout: 60_000 }, async () => {
    const poll = async () => (await restJson(hook, 'imbot.v2.Event.get', { botId, botToken: 'tok_e2e' })).body.result;
    const before = await poll();
    await restJson(hook, 'imbot.v2.Event.get', { botId, botToken: 'tok_e2e', offset: before.nextOffset });
    const ivan = credentials(portal.dataDir).find((l) => l.id === 3)!;
    const fresh = await (await browser.newContext({ locale: 'en-US' })).newPage();
    const seen = watchPage(fresh);
    const context = { action: 'openTask', taskId: 456 };
    await fresh.goto(`${portal.url}/online/?IM_DIALOG=${botId}&BOT_CONTEXT=${encodeURIComponent(JSON.stringify(context))}`);
    await fresh.locator('input[name=login]').fill(ivan.login);
    await fresh.locator('input[name=password]').fill(ivan.password);
    await fresh.locator('button[type=submit]').click();
    await fresh.getByTestId('composer').waitFor();
    // The dialog with the bot is open, and the context is no longer in the address.
    assert.equal(new URL(fresh.url()).hash, `#/dialog/${botId}`);
    assert.equal(new URL(fresh.url()).search, '');
    const got = await waitFor('ONIMBOTV2CONTEXTGET', async () => (await poll()).events.find((e: any) => e.type === 'ONIMBOTV2CONTEXTGET'));
    assert.deepEqual([got.data.context, got.data.user.id, got.data.dialogId], [context, 3, '3']);
    // A reload does not send it again.
    await fresh.reload();
    await fresh.getByTestId('composer').waitFor();
    const after = (await poll()).events.filter((e: any) => e.type === 'ONIMBOTV2CONTEXTGET');
    assert.equal(after.length, 1);
    assert.deepEqual(seen, { dialogs: [], errors: [] });
  });
});
