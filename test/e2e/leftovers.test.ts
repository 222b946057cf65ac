/**
 * The web messenger's remaining pieces end to end, in Debian's chromium against a real portal:
 * hiding a dialog from the recent list (it comes back with the next message) and marking it unread
 * or read, from the row's actions menu with the keyboard; a dialog far behind opens at its first
 * unread message under an "unread messages" separator, pages down as the reader scrolls, jumps to
 * the latest and still pages up; the developer console's Users tab adds a person who then signs in.
 * What the user sees is checked together with what the portal stored (through REST).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { restForm, testPortal, waitFor } from '../helpers/portal.ts';
import { addDepartment, webhookFor } from '../helpers/suite.ts';
import { browserSkip, credentials, launchBrowser, screenshot, signIn, watchPage, type Login } from '../helpers/browser.ts';
import { expectOk } from '../helpers/rest-assert.ts';

const skip = browserSkip();

describe('web messenger leftovers', { skip }, () => {
  let portal: Awaited<ReturnType<typeof testPortal>>;
  let browser: Browser;
  let ctxA: BrowserContext;
  let page: Page;
  let admin: Login;
  let anna: Login;
  let ivan: Login;
  let maria: Login;
  const hooks: Record<string, string> = {};
  const problems: { dialogs: string[]; errors: string[] }[] = [];

  const row = (name: string) => page.locator('.item-row', { has: page.locator('[data-testid=recent-item]', { hasText: name }) });
  const message = (text: string) => page.locator('[data-testid=message]', { has: page.locator('.msg-text', { hasText: new RegExp(`^\\s*${text}\\s*$`) }) });
  /** Anna's recent entry for a user, as the portal stores it. */
  const annaRecent = async (userId: number) => (expectOk(await restForm(hooks.anna, 'im.recent.get')) as any[]).find((i) => i.id === String(userId) || i.id === userId);
  const say = async (from: string, to: number, text: string) => expectOk(await restForm(hooks[from], 'im.message.add', { DIALOG_ID: to, MESSAGE: text }));
  /** Whether an element is inside the message list's visible area. */
  const inView = (l: Locator) => l.evaluate((el) => {
    const box = el.getBoundingClientRect();
    const list = el.closest('[data-testid=messages]')!.getBoundingClientRect();
    return box.top >= list.top - 1 && box.bottom <= list.bottom + 1;
  });

  before(async () => {
    portal = await testPortal();
    const logins = credentials(portal.dataDir);
    [admin, anna, ivan, maria] = [1, 2, 3, 4].map((id) => logins.find((l) => l.id === id)!);
    for (const [name, id] of [['admin', 1], ['anna', 2], ['ivan', 3], ['maria', 4], ['john', 5]] as const) hooks[name] = await webhookFor(portal, id, name === 'admin' ? 'im,parley' : 'im');
    browser = await launchBrowser();
    ctxA = await browser.newContext({ locale: 'en-US', viewport: { width: 1200, height: 760 } });
    page = await ctxA.newPage();
    problems.push(watchPage(page));
  });

  after(async () => {
    await browser?.close();
    await portal?.close();
  });

  test('a dialog is hidden from its row menu by keyboard and comes back with a new message', async () => {
    await say('ivan', anna.id, 'hello from ivan');
    await say('maria', anna.id, 'hello from maria');
    expectOk(await restForm(hooks.anna, 'im.dialog.read.all'));
    await signIn(page, portal.url, anna);
    await row(ivan.name).waitFor();

    // Tab-reachable: focus the row's actions, Enter opens the menu on its first item, Escape closes it.
    const actions = row(ivan.name).locator('[data-testid=recent-actions]');
    await actions.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('menuitem', { name: 'Mark as unread' }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Mark as unread');
    await page.keyboard.press('Escape');
    await page.getByRole('menu').waitFor({ state: 'detached' });
    assert.equal(await actions.evaluate((el) => el === document.activeElement), true, 'focus returns to the button');

    await page.keyboard.press('Enter');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Hide from the list');
    await page.keyboard.press('Enter');
    await row(ivan.name).waitFor({ state: 'detached' });
    await page.locator('.toast', { hasText: 'is hidden until a new message arrives' }).waitFor();
    assert.equal(await annaRecent(ivan.id), undefined, 'the portal no longer lists it');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'recent-item', 'focus stays in the list');

    await say('ivan', anna.id, 'are you there?');
    await row(ivan.name).locator('[data-testid=counter]', { hasText: '1' }).waitFor();
    assert.equal((await annaRecent(ivan.id))?.counter, 1);
  });

  test('marking a dialog unread shows the mark; marking it read clears it', async () => {
    const mariaRow = row(maria.name);
    await mariaRow.locator('[data-testid=recent-actions]').click();
    await page.getByRole('menuitem', { name: 'Mark as unread' }).click();
    await mariaRow.locator('[data-testid=unread-mark]').waitFor();
    assert.equal((await annaRecent(maria.id)).unread, true);
    await mariaRow.locator('[data-testid=recent-actions]').click();
    await page.getByRole('menuitem', { name: 'Mark as read' }).waitFor();
    await screenshot(page, 'recent-actions');
    await page.getByRole('menuitem', { name: 'Mark as read' }).click();
    await mariaRow.locator('[data-testid=unread-mark]').waitFor({ state: 'detached' });
    assert.equal((await annaRecent(maria.id)).unread, false);
    // The other dialog's real unread message is read too by "mark as read" (ACTION=N reads the dialog).
    await row(ivan.name).locator('[data-testid=recent-actions]').click();
    await page.getByRole('menuitem', { name: 'Mark as read' }).click();
    await row(ivan.name).locator('[data-testid=counter]').waitFor({ state: 'detached' });
    assert.equal((await annaRecent(ivan.id)).counter, 0);
  });

  test('at phone width, in Russian, the row menu fits the screen', async () => {
    const ctx = await browser.newContext({ locale: 'ru-RU', viewport: { width: 390, height: 760 }, isMobile: true, hasTouch: true });
    const phone = await ctx.newPage();
    problems.push(watchPage(phone));
    await signIn(phone, portal.url, anna);
    await phone.locator('.item-row', { hasText: maria.name }).locator('[data-testid=recent-actions]').click();
    const hide = phone.getByRole('menuitem', { name: 'Скрыть из списка' });
    await hide.waitFor();
    await phone.getByRole('menuitem', { name: 'Пометить непрочитанным' }).waitFor();
    const box = (await phone.getByRole('menu').boundingBox())!;
    assert.ok(box.x >= 0 && box.x + box.width <= 390, `menu within the screen: ${JSON.stringify(box)}`);
    await phone.keyboard.press('Escape');
    await phone.getByRole('menu').waitFor({ state: 'detached' });
    await ctx.close();
  });

  test('a dialog far behind opens at the first unread message, jumps to the latest, pages up', { timeout: 120_000 }, async () => {
    for (let i = 1; i <= 30; i++) await say('ivan', anna.id, `old ${i}`);
    expectOk(await restForm(hooks.anna, 'im.dialog.read', { DIALOG_ID: ivan.id }));
    for (let i = 1; i <= 120; i++) await say('ivan', anna.id, `new ${i}`);
    await row(ivan.name).locator('[data-testid=counter]', { hasText: '120' }).waitFor();

    await row(ivan.name).locator('[data-testid=recent-item]').click();
    const separator = page.locator('[data-testid=unread-separator]');
    await separator.waitFor();
    assert.equal(await separator.textContent(), 'Unread messages');
    // The separator sits right above the first unread message, which is on screen; the newest is not loaded.
    const firstUnread = message('new 1');
    await firstUnread.waitFor();
    // (No helper functions inside evaluate: the test's transpiler would wrap them in a missing __name.)
    const around = await separator.evaluate((el) => ['previousElementSibling', 'nextElementSibling'].map((dir) => {
      let n = (el as any)[dir] as Element | null;
      while (n && !n.matches('[data-testid=message]')) n = (n as any)[dir];
      return n?.querySelector('.msg-text')?.textContent?.trim();
    }));
    assert.deepEqual(around, ['old 30', 'new 1']);
    assert.equal(await inView(firstUnread), true, 'opened at the first unread message');
    assert.equal(await message('new 120').count(), 0);
    assert.equal(await message('old 30').count(), 1, 'a little of what came before is shown');
    // Only what was loaded is read: the portal still counts the rest.
    await waitFor('read up to the loaded page', async () => (expectOk(await restForm(hooks.anna, 'im.dialog.get', { DIALOG_ID: ivan.id })).counter === 70) || undefined);
    await page.locator('.toast').waitFor({ state: 'detached' });
    await screenshot(page, 'unread-separator');

    // "Jump to latest" by keyboard loads the newest page and scrolls to it.
    const jump = page.locator('[data-testid=jump-latest]');
    await jump.focus();
    await page.keyboard.press('Enter');
    await message('new 120').waitFor();
    await waitFor('at the bottom', async () => (await inView(message('new 120'))) || undefined);
    await jump.waitFor({ state: 'detached' });
    await waitFor('all read', async () => (expectOk(await restForm(hooks.anna, 'im.dialog.get', { DIALOG_ID: ivan.id })).counter === 0) || undefined);

    // Paging up still works from there, down to the first message of the dialog.
    const list = page.locator('[data-testid=messages]');
    await waitFor('oldest message', async () => {
      await list.evaluate((el) => (el.scrollTop = 0));
      return (await message('hello from ivan').count()) > 0 || undefined;
    }, 30_000);
    const texts = await page.locator('[data-testid=message]').allTextContents();
    for (const n of [1, 30, 60, 90, 120]) assert.ok(texts.some((t) => t.includes(`new ${n}`)), `new ${n} loaded`);
    assert.equal(await jump.isVisible(), true, 'far from the newest: the jump button is offered');
  });

  test('scrolling down loads the newer pages in order, and new messages keep arriving after them', { timeout: 120_000 }, async () => {
    // Leave the dialog, let 120 more arrive, come back.
    await row(maria.name).locator('[data-testid=recent-item]').click();
    await page.locator('[data-testid=dialog-title]', { hasText: maria.name }).waitFor();
    for (let i = 1; i <= 120; i++) await say('ivan', anna.id, `more ${i}`);
    await row(ivan.name).locator('[data-testid=counter]', { hasText: '120' }).waitFor();
    await row(ivan.name).locator('[data-testid=recent-item]').click();
    await page.locator('[data-testid=unread-separator]').waitFor();
    await message('more 1').waitFor();
    assert.equal(await message('more 120').count(), 0);

    const list = page.locator('[data-testid=messages]');
    await waitFor('newest by scrolling', async () => {
      await list.evaluate((el) => (el.scrollTop = el.scrollHeight));
      return (await message('more 120').count()) > 0 || undefined;
    }, 30_000);
    const shown = (await page.locator('[data-testid=message]').allTextContents()).map((t) => /more (\d+)/.exec(t)?.[1]).filter(Boolean).map(Number);
    assert.deepEqual(shown, Array.from({ length: 120 }, (_, i) => i + 1), 'every page, in order, no gaps or repeats');
    await waitFor('all read', async () => (expectOk(await restForm(hooks.anna, 'im.dialog.get', { DIALOG_ID: ivan.id })).counter === 0) || undefined);
    // The last page may have landed below the reader (the view holds still while a page is appended):
    // scroll on to the very end, as a reader would, before expecting new messages to follow.
    await waitFor('at the very end', async () => {
      await list.evaluate((el) => (el.scrollTop = el.scrollHeight));
      await page.waitForTimeout(100);
      return (await list.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight < 2)) || undefined;
    });
    // At the newest now: a new message arrives by itself and is in view.
    await say('ivan', anna.id, 'and one more');
    await message('and one more').waitFor();
    await waitFor('scrolled to it', async () => (await inView(message('and one more'))) || undefined);
    assert.deepEqual(problems.flatMap((p) => [...p.dialogs, ...p.errors]), []);
  });

  test('a new dialog that is all unread opens at its first message, with no separator; answering jumps to the end', { timeout: 60_000 }, async () => {
    for (let i = 1; i <= 70; i++) await say('john', anna.id, `fresh ${i}`);
    const john = page.locator('[data-testid=recent-item]', { hasText: 'John Smith' });
    await john.locator('[data-testid=counter]', { hasText: '70' }).waitFor();
    await john.click();
    await message('fresh 1').waitFor();
    assert.equal(await inView(message('fresh 1')), true, 'at the top, on the first message');
    assert.equal(await page.locator('[data-testid=unread-separator]').count(), 0);
    assert.equal(await message('fresh 70').count(), 0);
    // Answering from there shows the newest messages with the answer at the end, in view.
    await page.locator('[data-testid=composer]').fill('read them all');
    await page.locator('[data-testid=composer]').press('Enter');
    await message('read them all').waitFor();
    await message('fresh 70').waitFor();
    await waitFor('answer in view', async () => (await inView(message('read them all'))) || undefined);
    const stored = expectOk(await restForm(hooks.john, 'im.dialog.messages.get', { DIALOG_ID: anna.id, LIMIT: 1 }));
    assert.equal(stored.messages[0].text, 'read them all');
  });

  test('the admin adds a user in the console, who then signs in and sees the messenger', { timeout: 60_000 }, async () => {
    // A department nobody is in yet: found through the search, not in the list of departments in use.
    const quality = await addDepartment(portal, { name: 'Quality', parent: 1 });
    assert.ok(quality > 0, String(quality));
    const ctx = await browser.newContext({ locale: 'en-US', viewport: { width: 1200, height: 860 } });
    const dev = await ctx.newPage();
    problems.push(watchPage(dev));
    await signIn(dev, portal.url, admin);
    await dev.goto(`${portal.url}/dev#users`);
    await dev.locator('[data-testid=dev-tab-users][aria-current=page]').waitFor();
    await dev.locator('[data-testid=user-row]', { hasText: anna.login }).waitFor();

    const form = dev.locator('[data-testid=user-form]');
    await form.locator('input[name=name]').fill('Olga');
    await form.locator('input[name=last-name]').fill('Smirnova');
    await form.locator('input[name=login]').fill('olga.s');
    await form.locator('input[name=password]').fill('secret-pass');
    await form.locator('input[name=email]').fill('olga@example.test');
    await form.locator('input[name=position]').fill('QA engineer');
    await form.getByLabel('Sales / Company').check();
    assert.equal(await form.getByLabel(/^Quality/).count(), 0);
    await form.locator('input[name=department-search]').fill('Qual');
    await form.getByLabel('Quality / Company').check();
    await form.getByRole('button', { name: 'Add user' }).click();
    await dev.locator('[data-testid=user-added]', { hasText: 'They can sign in as “olga.s”' }).waitFor();
    await dev.locator('[data-testid=user-row]', { hasText: 'olga.s' }).waitFor();
    assert.match(await dev.locator('[data-testid=user-row]', { hasText: 'olga.s' }).textContent() ?? '', /QA engineer · olga@example\.test · Sales · Quality/);
    assert.equal(await form.locator('input[name=password]').inputValue(), '', 'the form is cleared');
    await screenshot(dev, 'dev-console-users');

    const stored = (expectOk(await restForm(hooks.admin, 'parley.user.list')) as any[]).find((u) => u.login === 'olga.s');
    assert.deepEqual({ ...stored, id: 0 }, {
      id: 0, name: 'Olga Smirnova', login: 'olga.s', email: 'olga@example.test', work_position: 'QA engineer',
      departments: [2, quality], admin: false, active: true,
    });

    // In Russian the tab and the form read in Russian.
    await dev.getByRole('button', { name: 'RU' }).click();
    await dev.locator('[data-testid=dev-tab-users]', { hasText: 'Пользователи' }).waitFor();
    await form.getByRole('button', { name: 'Добавить' }).waitFor();
    await ctx.close();

    const fresh = await browser.newContext({ locale: 'en-US', viewport: { width: 1200, height: 760 } });
    const olgaPage = await fresh.newPage();
    problems.push(watchPage(olgaPage));
    await signIn(olgaPage, portal.url, { id: stored.id, login: 'olga.s', password: 'secret-pass', name: 'Olga Smirnova' });
    assert.equal(await olgaPage.locator('.me-name').textContent(), 'Olga Smirnova');
    await olgaPage.getByText('No conversations yet').waitFor();
    assert.equal(await olgaPage.locator('[data-testid=dev-link]').count(), 0, 'not an administrator');
    await fresh.close();
    assert.deepEqual(problems.flatMap((p) => [...p.dialogs, ...p.errors]), []);
  });
});
