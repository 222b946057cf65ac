/**
 * What a Chatbots 2.0 bot shows in the web messenger, in Debian's chromium: Chat.TextField.enabled
 * false replaces the open dialog's composer with a note (live, on the chat.update push) and true
 * brings it back; Chat.InputAction.notify shows the bot's action in its words ("… is thinking…").
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { restJson, testPortal } from '../helpers/portal.ts';
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
    assert.equal((await restJson(anna, 'im.message.add', { DIALOG_ID: String(botId), MESSAGE: 'hello' })).status, 200);
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
});
