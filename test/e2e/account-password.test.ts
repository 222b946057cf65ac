/**
 * Passwords in the browser (issue 16), in Debian's chromium: a person changes theirs from the
 * sidebar header (humane refusals in English and Russian), stays signed in there while their other
 * browser goes back to the sign-in screen, and signs in with the new one; an administrator sets a
 * person's password in the developer console's Users tab, and that person signs in with it.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { testPortal } from '../helpers/portal.ts';
import { browserSkip, credentials, launchBrowser, screenshot, signIn, watchPage, type Login } from '../helpers/browser.ts';

const skip = browserSkip();

describe('passwords in the web messenger', { skip }, () => {
  let portal: Awaited<ReturnType<typeof testPortal>>;
  let browser: Browser;
  let admin: Login;
  let anna: Login;
  let john: Login;
  const problems: ReturnType<typeof watchPage>[] = [];

  before(async () => {
    portal = await testPortal();
    browser = await launchBrowser();
    [admin, anna, , , john] = credentials(portal.dataDir);
  });
  after(async () => {
    await browser?.close();
    await portal?.close();
  });

  async function page(locale = 'en-US'): Promise<Page> {
    const p = await (await browser.newContext({ locale, viewport: { width: 1200, height: 800 } })).newPage();
    problems.push(watchPage(p));
    return p;
  }

  /** Fill the open form and submit; the refusal's text, or '' once the change is confirmed. */
  async function submit(p: Page, current: string, next: string, again = next): Promise<string> {
    const form = p.locator('[data-testid=password-form]');
    await form.locator('input[name=current-password]').fill(current);
    await form.locator('input[name=new-password]').fill(next);
    await form.locator('input[name=repeat-password]').fill(again);
    await form.locator('button[type=submit]').click();
    const outcome = p.locator('[data-testid=password-problem], [data-testid=password-changed]');
    await outcome.first().waitFor();
    await p.waitForFunction(() => !document.querySelector('[data-testid=password-form] button[type=submit]')?.hasAttribute('disabled'));
    if (await p.locator('[data-testid=password-changed]').count()) return '';
    return (await p.locator('[data-testid=password-problem]').textContent())?.trim() ?? '';
  }

  test('a person changes their password from the header; other browsers are signed out; the new one signs in', { timeout: 90_000 }, async () => {
    const here = await page();
    const elsewhere = await page();
    await signIn(here, portal.url, anna);
    await signIn(elsewhere, portal.url, anna);

    await here.locator('[data-testid=account-menu]').click();
    await here.getByRole('menuitem', { name: 'Change password' }).click();
    await here.getByRole('dialog', { name: 'Change password' }).waitFor();
    assert.equal(await submit(here, anna.password, 'first-choice', 'second-choice'), 'The two new passwords differ. Type the same one twice.');
    assert.equal(await submit(here, anna.password, 'short'), 'The new password is too short: use at least 8 characters.');
    assert.equal(await submit(here, 'not-my-password', 'a-good-new-one'), 'The current password is wrong.');
    assert.equal(await submit(here, anna.password, anna.password), 'The new password is the one you have now. Choose another.');
    await screenshot(here, 'change-password');
    assert.equal(await submit(here, anna.password, 'a-good-new-one'), '');
    assert.equal(await here.locator('[data-testid=password-changed]').textContent(),
      'Your password is changed. You stay signed in here; everywhere else you were signed out.');
    await here.getByRole('button', { name: 'Done' }).click();

    // The other browser's socket is closed with its token, and its session is gone: the sign-in screen.
    await elsewhere.locator('input[name=login]').waitFor({ timeout: 20_000 });
    // This one still works: it opens a dialog and reads it over REST with a fresh token.
    await here.locator('.sidebar').waitFor();
    await here.locator('[data-testid=account-menu]').click();
    await here.getByRole('menuitem', { name: 'Sign out' }).click();
    await here.locator('input[name=login]').waitFor();
    await here.locator('input[name=login]').fill(anna.login);
    await here.locator('input[name=password]').fill(anna.password);
    await here.locator('button[type=submit]').click();
    await here.getByRole('alert').filter({ hasText: 'Wrong login or password' }).waitFor();
    await signIn(elsewhere, portal.url, { ...anna, password: 'a-good-new-one' });
    assert.equal(await elsewhere.locator('.me-name').textContent(), anna.name);
    assert.deepEqual(problems.flatMap((p) => [...p.dialogs, ...p.errors]), []);
  });

  test('in Russian the form and its refusals read in Russian', { timeout: 60_000 }, async () => {
    const ru = await page('ru-RU');
    await signIn(ru, portal.url, john);
    await ru.locator('[data-testid=account-menu]').click();
    await ru.getByRole('menuitem', { name: 'Сменить пароль' }).click();
    await ru.getByRole('dialog', { name: 'Сменить пароль' }).waitFor();
    assert.equal(await submit(ru, 'не-мой-пароль', 'новый-пароль-1'), 'Текущий пароль неверен.');
    assert.equal(await submit(ru, john.password, 'john    '), 'Новый пароль не должен совпадать с логином.');
    await ru.getByRole('button', { name: 'Отмена' }).click();
    assert.equal(await ru.getByRole('dialog').count(), 0);
  });

  test('an administrator sets a person\'s password in the console; they sign in with it', { timeout: 60_000 }, async () => {
    const dev = await page();
    await signIn(dev, portal.url, admin);
    await dev.goto(`${portal.url}/dev#users`);
    const row = dev.locator('[data-testid=user-row]', { hasText: john.login });
    await row.waitFor();
    await row.locator('[data-testid=set-password]').click();
    await row.locator('input[name=new-password]').fill('set-by-the-admin');
    await row.getByRole('button', { name: 'Set' }).click();
    await row.locator('[data-testid=password-set]', { hasText: 'New password set for “john”' }).waitFor();
    await screenshot(dev, 'dev-console-set-password');

    const johnPage = await page();
    await signIn(johnPage, portal.url, { ...john, password: 'set-by-the-admin' });
    assert.equal(await johnPage.locator('.me-name').textContent(), john.name);
    assert.deepEqual(problems.flatMap((p) => [...p.dialogs, ...p.errors]), []);
  });
});
