/**
 * The sign-in screen when the portal throttles (issue 8, finding 8): a locked login is told to try
 * later instead of "wrong password", in Debian's chromium; another user still signs in.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { testPortal } from '../helpers/portal.ts';
import { browserSkip, credentials, launchBrowser, signIn, watchPage } from '../helpers/browser.ts';

const skip = browserSkip();

describe('sign-in screen under throttling', { skip }, () => {
  let portal: Awaited<ReturnType<typeof testPortal>>;
  let browser: Browser;

  before(async () => {
    portal = await testPortal({ signinMaxFailures: 2, signinLockMs: 60_000 });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await portal?.close();
  });

  test('a locked login sees "try again later", not "wrong password"; others sign in', { timeout: 60_000 }, async () => {
    const [, anna, ivan] = credentials(portal.dataDir);
    const page = await (await browser.newContext({ locale: 'en-US' })).newPage();
    const problems = watchPage(page);
    await page.goto(portal.url);
    const attempt = async (password: string) => {
      await page.locator('input[name=login]').fill(anna.login);
      await page.locator('input[name=password]').fill(password);
      await page.locator('button[type=submit]').click();
      const alert = page.getByRole('alert');
      await alert.waitFor();
      // Wait for this answer's text, not the previous one's.
      await page.waitForFunction(() => !document.querySelector('button[type=submit]')?.hasAttribute('disabled'));
      return (await alert.textContent())?.trim();
    };
    assert.equal(await attempt('wrong-1'), 'Wrong login or password');
    assert.equal(await attempt('wrong-2'), 'Wrong login or password');
    assert.equal(await attempt(anna.password), 'Too many failed sign-ins. Try again later.');

    const other = await (await browser.newContext({ locale: 'en-US' })).newPage();
    await signIn(other, portal.url, ivan);
    assert.deepEqual(problems.errors, []);
  });
});
