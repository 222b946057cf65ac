/**
 * The developer console's Lines tab end to end, in Debian's chromium against a real portal: the
 * admin creates an open line with two operators (reordered) and a welcome bot picked from the bots
 * registered for open lines, edits it (name, active, distribution, queue, texts, rating off),
 * deletes it after confirming; each step is checked through imopenlines.config.* over REST.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { restForm, testPortal, waitFor } from '../helpers/portal.ts';
import { webhookFor } from '../helpers/suite.ts';
import { browserSkip, credentials, launchBrowser, screenshot, signIn, watchPage } from '../helpers/browser.ts';
import { expectOk } from '../helpers/rest-assert.ts';

const skip = browserSkip();
const ANNA = 2;
const IVAN = 3;

describe('open lines in the developer console', { skip }, () => {
  let portal: Awaited<ReturnType<typeof testPortal>>;
  let browser: Browser;
  let page: Page;
  let hook: string;
  let lineBot: number;
  let lineId: number;
  let problems: { dialogs: string[]; errors: string[] };

  const form = () => page.locator('[data-testid=line-form]');
  const row = () => page.locator(`[data-testid=line-row][data-line-id="${lineId}"]`);
  const line = async () => expectOk(await restForm(hook, 'imopenlines.config.get', { CONFIG_ID: lineId }));

  before(async () => {
    portal = await testPortal();
    hook = await webhookFor(portal, 1, 'imopenlines,imbot,im');
    const register = async (code: string, name: string, type: string) =>
      Number(expectOk(await restForm(hook, 'imbot.register', { CODE: code, TYPE: type, CLIENT_ID: 'lines-e2e', EVENT_HANDLER: 'http://127.0.0.1:9/h', PROPERTIES: { NAME: name } })));
    lineBot = await register('linebot', 'Line greeter', 'O');
    await register('plainbot', 'Plain helper', 'B');
    browser = await launchBrowser();
    const ctx = await browser.newContext({ locale: 'en-US', viewport: { width: 1200, height: 900 } });
    page = await ctx.newPage();
    problems = watchPage(page);
    await signIn(page, portal.url, credentials(portal.dataDir).find((l) => l.id === 1)!);
    await page.goto(`${new URL('/dev', portal.url)}#lines`);
    await page.locator('[data-testid=dev-tab-lines][aria-current=page]').waitFor();
  });

  after(async () => {
    await browser?.close();
    await portal?.close();
  });

  test('creates a line with two operators in the chosen order and a welcome bot', { timeout: 60_000 }, async () => {
    await page.getByText('No open lines yet').waitFor();
    await page.locator('[data-testid=line-new]').click();
    await form().locator('input[name=line-name]').fill('Support line');
    const picker = form().locator('select[name=queue-add]');
    await picker.selectOption({ label: 'Анна Петрова' });
    await picker.selectOption({ label: 'Иван Сидоров' });
    const entries = form().locator('[data-testid=queue-entry]');
    assert.deepEqual(await entries.allTextContents().then((t) => t.map((s) => s.replace(/[↑↓✕]/g, '').trim())), ['Анна Петрова', 'Иван Сидоров']);
    await form().getByRole('button', { name: 'Up: Иван Сидоров' }).click();
    assert.match(await entries.first().textContent() ?? '', /Иван Сидоров/);
    // The bots offered are those registered for open lines only.
    await form().locator('input[name=bot-enable]').check();
    const botOptions = await form().locator('select[name=bot-id] option').allTextContents();
    assert.ok(botOptions.includes(`Line greeter (#${lineBot})`), botOptions.join(' | '));
    assert.ok(!botOptions.some((o) => o.includes('Plain helper')), botOptions.join(' | '));
    await form().locator('select[name=bot-id]').selectOption(String(lineBot));
    await form().locator('select[name=bot-join]').selectOption('first');
    await form().locator('input[name=bot-time]').fill('30');
    await form().locator('select[name=queue-type]').selectOption('all');
    await screenshot(page, 'openlines-new');
    await form().getByRole('button', { name: 'Create line' }).click();
    await page.getByText('Line “Support line” created').waitFor();

    const listed = expectOk(await restForm(hook, 'imopenlines.config.list.get', { PARAMS: { select: ['ID', 'LINE_NAME'] } }));
    assert.deepEqual(listed.map((l: any) => l.LINE_NAME), ['Support line']);
    lineId = Number(listed[0].ID);
    const created = await line();
    assert.deepEqual(created.QUEUE, [String(IVAN), String(ANNA)]);
    assert.deepEqual([created.ACTIVE, created.QUEUE_TYPE, created.WELCOME_BOT_ENABLE, created.WELCOME_BOT_ID, created.WELCOME_BOT_JOIN, created.WELCOME_BOT_TIME],
      ['Y', 'all', 'Y', String(lineBot), 'first', '30']);
    // Texts left empty on a new line keep the portal's defaults.
    assert.equal(created.VOTE_MESSAGE_2_LIKE, 'Thank you for your feedback!');
    await row().locator('[data-testid=line-operators]', { hasText: 'operators: 2' }).waitFor();
    await row().locator('[data-testid=line-bot]', { hasText: 'Line greeter' }).waitFor();
    assert.equal(await form().count(), 0, 'the form closes after saving');
  });

  test('edits the line: name, active, distribution, queue, texts, rating', { timeout: 60_000 }, async () => {
    await row().getByRole('button', { name: 'Edit' }).click();
    await page.getByRole('heading', { name: 'Line “Support line”' }).waitFor();
    assert.equal(await form().locator('input[name=line-name]').inputValue(), 'Support line');
    assert.equal(await form().locator('select[name=bot-id]').inputValue(), String(lineBot));
    await form().locator('input[name=line-name]').fill('Night support');
    await form().locator('input[name=line-active]').uncheck();
    await form().locator('select[name=queue-type]').selectOption('strictly');
    await form().getByRole('button', { name: 'Remove: Иван Сидоров' }).click();
    await form().locator('input[name=queue-time]').fill('90');
    await form().locator('textarea[name=welcome-text]').fill('Hello from the night shift');
    await form().locator('input[name=auto-close-time]').fill('600');
    await form().locator('textarea[name=auto-close-text]').fill('Closed for silence');
    await form().locator('textarea[name=close-text]').fill('Thank you, bye');
    await form().locator('input[name=vote]').uncheck();
    // The website live chat: the one-line embed and the standalone link with the line's code; its options.
    const code = (await line()).LIVECHAT_CODE;
    assert.equal(await form().locator('[data-testid=livechat-snippet]').inputValue(), `<script src="${portal.url}/widget.js" data-line="${code}" async></script>`);
    assert.equal(await form().locator('[data-testid=livechat-link]').inputValue(), `${portal.url}/online/${code}`);
    await form().locator('input[name=livechat-title]').fill('Night desk');
    await form().locator('input[name=livechat-color]').fill('#e8590c');
    await form().locator('select[name=livechat-position]').selectOption('bottom-left');
    await form().locator('textarea[name=livechat-greeting]').fill('We answer at night too');
    await form().locator('select[name=livechat-formName]').selectOption('required');
    await form().locator('select[name=livechat-formPhone]').selectOption('optional');
    await form().locator('textarea[name=livechat-origins]').fill('https://shop.example.com\nhttps://www.example.com');
    await form().getByRole('button', { name: 'Save' }).click();
    await page.getByText('Line “Night support” saved').waitFor();
    const edited = await line();
    assert.deepEqual(
      [edited.LIVECHAT_TITLE, edited.LIVECHAT_COLOR, edited.LIVECHAT_POSITION, edited.LIVECHAT_GREETING, edited.LIVECHAT_FORM_NAME, edited.LIVECHAT_FORM_EMAIL,
        edited.LIVECHAT_FORM_PHONE, edited.LIVECHAT_ORIGINS],
      ['Night desk', '#e8590c', 'bottom-left', 'We answer at night too', 'required', 'off', 'optional', ['https://shop.example.com', 'https://www.example.com']],
    );
    assert.deepEqual(
      [edited.LINE_NAME, edited.ACTIVE, edited.QUEUE_TYPE, edited.QUEUE, edited.QUEUE_TIME, edited.WELCOME_MESSAGE_TEXT, edited.AUTO_CLOSE_TIME,
        edited.AUTO_CLOSE_RULE, edited.AUTO_CLOSE_TEXT, edited.CLOSE_RULE, edited.CLOSE_TEXT, edited.VOTE_MESSAGE, edited.WELCOME_BOT_ID],
      ['Night support', 'N', 'strictly', [String(ANNA)], '90', 'Hello from the night shift', '600', 'text', 'Closed for silence', 'text', 'Thank you, bye', 'N', String(lineBot)],
    );
    await row().getByText('inactive').waitFor();
    await row().locator('[data-testid=line-operators]', { hasText: 'operators: 1' }).waitFor();
  });

  test('deletes the line after confirming; cancelling keeps it', { timeout: 60_000 }, async () => {
    const dialog = page.locator('[data-testid=dev-confirm]');
    await row().getByRole('button', { name: 'Delete' }).click();
    await dialog.getByText('Delete line “Night support”?').waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    assert.equal((await line()).LINE_NAME, 'Night support');
    await row().getByRole('button', { name: 'Delete' }).click();
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('Line “Night support” deleted').waitFor();
    await waitFor('line gone', async () => ((await row().count()) === 0 ? true : undefined));
    assert.equal(expectOk(await restForm(hook, 'imopenlines.config.get', { CONFIG_ID: lineId })), false);
    await page.getByText('No open lines yet').waitFor();
  });

  test('the tab speaks Russian too', async () => {
    await page.getByRole('button', { name: 'RU' }).click();
    await page.locator('[data-testid=dev-tab-lines]', { hasText: 'Линии' }).waitFor();
    await page.getByRole('heading', { name: 'Открытые линии' }).waitFor();
    await page.getByRole('button', { name: 'EN' }).click();
  });

  test('no page errors or unexpected browser dialogs', () => {
    assert.deepEqual(problems.errors, []);
    assert.deepEqual(problems.dialogs, []);
  });
});
