/**
 * Text formatting in the composer, in Debian's chromium: a selection wrapped with Ctrl+B and with the
 * format menu (italic), an empty pair typed into (underline), and strike-through by shortcut; the
 * portal stores the BB-code and the other user sees it rendered as HTML.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { restForm, testPortal, waitFor } from '../helpers/portal.ts';
import { webhookFor } from '../helpers/suite.ts';
import { browserSkip, credentials, launchBrowser, signIn, watchPage } from '../helpers/browser.ts';

const skip = browserSkip();

describe('formatting in the composer', { skip }, () => {
  let portal: Awaited<ReturnType<typeof testPortal>>;
  let browser: Browser;
  let page: Page;
  let ivanHook: string;
  let problems: { dialogs: string[]; errors: string[] };

  before(async () => {
    portal = await testPortal();
    const logins = credentials(portal.dataDir);
    ivanHook = await webhookFor(portal, 3, 'im');
    browser = await launchBrowser();
    page = await (await browser.newContext({ locale: 'en-US' })).newPage();
    problems = watchPage(page);
    await signIn(page, portal.url, logins.find((l) => l.id === 2)!);
  });
  after(async () => {
    await browser?.close();
    await portal?.close();
  });

  test('shortcuts and the menu wrap the selection in BB-code, stored and rendered', { timeout: 60_000 }, async () => {
    await page.goto(`${portal.url}/#/dialog/3`);
    const box = page.getByTestId('composer');
    await box.waitFor();

    await box.fill('make this bold');
    // Select "bold" (the last four characters) and press Ctrl+B.
    await box.evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(10, 14));
    await box.press('Control+b');
    assert.equal(await box.inputValue(), 'make this [b]bold[/b]');

    // The menu: select "this" and make it italic; the menu closes and the caret stays in the box.
    await box.evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(5, 9));
    await page.getByTestId('format-button').click();
    await page.getByTestId('format-i').click();
    assert.equal(await box.inputValue(), 'make [i]this[/i] [b]bold[/b]');

    // No selection: an empty pair with the caret inside, so typing goes in between.
    await box.evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(el.value.length, el.value.length));
    await box.press('Control+u');
    await box.pressSequentially(' under');
    await box.press('Control+Shift+X');
    await box.pressSequentially('gone');
    assert.equal(await box.inputValue(), 'make [i]this[/i] [b]bold[/b][u] under[s]gone[/s][/u]');
    await box.press('Enter');

    const stored = await waitFor('stored message', async () => {
      const page3 = (await restForm(ivanHook, 'im.dialog.messages.get', { DIALOG_ID: 2 })).body.result;
      return page3.messages.find((m: any) => m.author_id === 2);
    });
    assert.equal(stored.text, 'make [i]this[/i] [b]bold[/b][u] under[s]gone[/s][/u]');
    // Rendered, not shown as codes.
    const shown = page.locator('[data-testid=message]', { hasText: 'make' }).last();
    await shown.locator('b', { hasText: 'bold' }).waitFor();
    await shown.locator('i', { hasText: 'this' }).waitFor();
    await shown.locator('u s, u del, u [style*=line-through]', { hasText: 'gone' }).first().waitFor();
    assert.ok(!(await shown.innerText()).includes('[b]'));
    assert.deepEqual(problems, { dialogs: [], errors: [] });
  });
});
