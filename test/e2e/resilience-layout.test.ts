/**
 * Resilience and layout of the web messenger at 1280 px, in Debian's chromium: a message sent while
 * offline stays in the dialog marked "not sent" and goes by itself when the connection returns; one
 * the portal refuses offers Retry and Delete; a bot's refusal is told in words with its code on a
 * details line; the connection bar never covers the dialog's header; a slow dialog shows placeholders,
 * not a blank header with a "?"; recent-list actions show on hover only and leave names whole; the
 * newest message stays fully above the composer as content grows; sending from far up scrolls to
 * one's message; the heart shows only on liked messages (or on hover); system lines speak Russian.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { echoBot, restForm, testPortal, waitFor, type Child } from '../helpers/portal.ts';
import { installEchoBot, webhookFor } from '../helpers/suite.ts';
import { browserSkip, credentials, launchBrowser, screenshot, signIn, watchPage, type Login } from '../helpers/browser.ts';

const skip = browserSkip();

describe('resilience and layout of the web messenger', { skip }, () => {
  let portal: Awaited<ReturnType<typeof testPortal>>;
  let bot: Child;
  let botId: number;
  let botToken: string;
  let browser: Browser;
  let ctx: BrowserContext;
  let page: Page;
  let anna: Login;
  let ivan: Login;
  const hooks: Record<string, string> = {};
  let problems: { dialogs: string[]; errors: string[] };

  const message = (text: string | RegExp) => page.locator('[data-testid=message]', { hasText: text });
  const box = async (l: Locator) => (await l.boundingBox())!;
  const open = async (dialogId: string | number, title: string) => {
    await page.evaluate((h) => (location.hash = h), `#/dialog/${dialogId}`);
    await page.locator('[data-testid=dialog-title]', { hasText: title }).waitFor();
  };
  /** Anna's messages with Ivan as the portal stores them (texts, oldest first). */
  const stored = async () => (await restForm(hooks.anna, 'im.dialog.messages.get', { DIALOG_ID: ivan.id, LIMIT: 50 })).body.result.messages
    .filter((m: any) => m.author_id === anna.id).map((m: any) => m.text).reverse();
  /** Whether an element lies wholly inside the message list (so above the composer). */
  const wholly = async (l: Locator) => {
    const [el, list] = [await box(l), await box(page.getByTestId('messages'))];
    return el.y >= list.y - 0.5 && el.y + el.height <= list.y + list.height + 0.5;
  };

  before(async () => {
    portal = await testPortal();
    bot = await echoBot();
    const installed = await installEchoBot(portal, bot);
    botId = installed.botId;
    botToken = installed.install.auth.access_token;
    const logins = credentials(portal.dataDir);
    anna = logins.find((l) => l.id === 2)!;
    ivan = logins.find((l) => l.id === 3)!;
    hooks.anna = await webhookFor(portal, anna.id, 'im');
    hooks.ivan = await webhookFor(portal, ivan.id, 'im');
    for (let i = 1; i <= 30; i++) await restForm(hooks.ivan, 'im.message.add', { DIALOG_ID: anna.id, MESSAGE: `backlog ${i}` });
    browser = await launchBrowser();
    ctx = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
    page = await ctx.newPage();
    problems = watchPage(page);
    await signIn(page, portal.url, anna);
  });

  after(async () => {
    await browser?.close();
    await bot?.stop();
    await portal?.close();
  });

  test('recent rows show their actions on hover or focus only, and the names stay whole', { timeout: 60_000 }, async () => {
    const row = page.locator('.item-row', { hasText: ivan.name });
    await row.waitFor();
    const actions = row.getByTestId('row-actions');
    await page.mouse.move(900, 500);
    assert.equal(await actions.evaluate((el) => getComputedStyle(el).opacity), '0');
    const title = row.locator('.item-title');
    assert.ok(await title.evaluate((el) => el.scrollWidth <= el.clientWidth), 'the name is not cut');
    await row.hover();
    await waitFor('actions on hover', async () => (await actions.evaluate((el) => getComputedStyle(el).opacity)) === '1');
    await page.mouse.move(900, 500);
    // The keyboard reaches them too: focusing the pin shows them.
    await row.locator('.pin').focus();
    assert.equal(await actions.evaluate((el) => getComputedStyle(el).opacity), '1');
    await row.locator('.pin').blur();
  });

  test('the header fits at 1280 px: the bell does not overlap the status, and the own name is whole, an administrator\'s too', { timeout: 60_000 }, async () => {
    const status = await box(page.getByTestId('my-status'));
    const bell = await box(page.getByTestId('notify-bell'));
    assert.ok(status.x + status.width <= bell.x, `status ends at ${status.x + status.width}, bell starts at ${bell.x}`);
    const whole = (p: Page) => p.locator('.me-name').evaluate((el) => el.scrollWidth <= el.clientWidth);
    assert.ok(await whole(page), 'the name is not cut');
    // The administrator's header also holds the console link: password, language and sign-out share one menu.
    const admin = credentials(portal.dataDir).find((l) => l.id === 1)!;
    const adminPage = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } }).then((c) => c.newPage());
    try {
      await signIn(adminPage, portal.url, admin);
      await adminPage.getByTestId('dev-link').waitFor();
      assert.equal(await adminPage.locator('.me-name').textContent(), admin.name);
      assert.ok(await whole(adminPage), `"${admin.name}" is not cut`);
      await adminPage.getByTestId('account-menu').click();
      assert.deepEqual(await adminPage.getByRole('menuitem').allTextContents(), ['Change password', 'Русский', 'Sign out']);
      await screenshot(adminPage, 'account-menu');
      await adminPage.keyboard.press('Escape');
      assert.equal(await adminPage.getByRole('menu').count(), 0);
    } finally {
      await adminPage.context().close();
    }
  });

  test('a slow dialog shows placeholders, not a blank header with a "?"', { timeout: 60_000 }, async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await page.route('**/rest/im.dialog.get', async (route) => {
      await held;
      await route.continue();
    });
    await page.evaluate((h) => (location.hash = h), `#/dialog/${ivan.id}`);
    await page.getByTestId('dialog-skeleton').waitFor();
    assert.equal(await page.getByTestId('dialog-loading').isVisible(), true, 'a spinner in the list');
    assert.equal(await page.locator('.dialog-head .avatar').count(), 0, 'no "?" avatar');
    await screenshot(page, 'dialog-loading');
    release();
    await page.locator('[data-testid=dialog-title]', { hasText: ivan.name }).waitFor();
    assert.equal(await page.getByTestId('dialog-skeleton').count(), 0);
    await page.unroute('**/rest/im.dialog.get');
  });

  test('the newest message stays wholly above the composer as content grows below it', { timeout: 60_000 }, async () => {
    await message('backlog 30').waitFor();
    const composer = page.getByTestId('composer');
    await composer.fill('are you there?');
    await composer.press('Enter');
    const mine = message('are you there?');
    await mine.waitFor();
    // Ivan reads it: "Seen" appears under it later, and a tall answer follows.
    await restForm(hooks.ivan, 'im.dialog.read', { DIALOG_ID: anna.id });
    const seen = page.getByTestId('read-receipt');
    await seen.waitFor();
    await waitFor('"Seen" in view', async () => (await wholly(seen)) || undefined);
    await restForm(hooks.ivan, 'im.message.add', { DIALOG_ID: anna.id, MESSAGE: `yes\n${'line\n'.repeat(12)}the end` });
    const last = message('the end');
    await last.waitFor();
    await waitFor('the newest in view', async () => (await wholly(last)) || undefined);
    // The composer grows (a reply bar, three lines): the newest message still shows whole.
    await composer.fill('one\ntwo\nthree');
    await waitFor('still in view', async () => (await wholly(last)) || undefined);
    const composerTop = (await box(page.locator('form.composer'))).y;
    const lastBox = await box(last);
    assert.ok(lastBox.y + lastBox.height <= composerTop + 0.5, 'the bottom of the newest message is above the composer');
    await composer.fill('');
  });

  test('sending while scrolled up jumps to one\'s own message', { timeout: 60_000 }, async () => {
    const list = page.getByTestId('messages');
    await list.evaluate((el) => (el.scrollTop = 0));
    await waitFor('scrolled up', async () => (await list.evaluate((el) => el.scrollTop < 50)) || undefined);
    await page.getByTestId('composer').fill('sent from far up');
    await page.getByTestId('composer').press('Enter');
    const mine = message('sent from far up');
    await mine.waitFor();
    await waitFor('own message in view', async () => (await wholly(mine)) || undefined);
  });

  test('the heart shows on liked messages only, or on hover', { timeout: 60_000 }, async () => {
    const plain = message('backlog 29');
    const heart = plain.locator('.like');
    const shown = (l: Locator) => l.evaluate((el) => getComputedStyle(el).opacity === '1');
    await page.mouse.move(5, 5);
    assert.equal(await shown(heart), false, 'no heart on a message nobody liked');
    await plain.hover();
    await waitFor('heart on hover', async () => (await shown(heart)) || undefined);
    const liked = (await restForm(hooks.ivan, 'im.dialog.messages.get', { DIALOG_ID: anna.id, LIMIT: 50 })).body.result.messages
      .find((m: any) => m.text === 'backlog 28');
    await restForm(hooks.ivan, 'im.message.like', { MESSAGE_ID: liked.id, ACTION: 'plus' });
    await page.mouse.move(5, 5);
    const likedHeart = message('backlog 28').locator('.like.has');
    await likedHeart.waitFor();
    assert.equal(await likedHeart.textContent(), '♥1');
    assert.equal(await shown(likedHeart), true);
    assert.equal(await shown(heart), false);
  });

  test('offline: the bar says so above the header, the message waits in the dialog and goes when back online', { timeout: 60_000 }, async () => {
    await ctx.setOffline(true);
    const bar = page.getByTestId('connection-bar');
    await bar.filter({ hasText: 'You’re offline — messages will be sent when the connection returns' }).waitFor();
    const [barBox, head] = [await box(bar), await box(page.getByTestId('dialog-head'))];
    assert.ok(barBox.y + barBox.height <= head.y + 0.5, 'the bar is above the header, not over it');
    const composer = page.getByTestId('composer');
    await composer.fill('written on the train');
    await composer.press('Enter');
    const unsent = page.getByTestId('unsent-message').filter({ hasText: 'written on the train' });
    await unsent.waitFor();
    assert.equal(await composer.inputValue(), '', 'nothing to retype');
    assert.match(await unsent.textContent() ?? '', /Not sent.*It will be sent when the connection returns/);
    assert.ok(!/Failed to fetch/.test(await page.locator('body').textContent() ?? ''));
    assert.ok(await wholly(unsent), 'shown at the end of the dialog');
    await screenshot(page, 'offline-unsent');
    await ctx.setOffline(false);
    await message('written on the train').waitFor();
    await unsent.waitFor({ state: 'detached' });
    await bar.waitFor({ state: 'detached' });
    assert.equal((await stored()).filter((t: string) => t === 'written on the train').length, 1, 'sent once');
  });

  test('a message kept unsent survives a reload and goes by itself once the portal answers again', { timeout: 60_000 }, async () => {
    // The portal is out of reach for sending (the page itself still loads): the message is kept.
    await page.route('**/rest/im.message.add', (route) => route.abort('connectionrefused'));
    const composer = page.getByTestId('composer');
    await composer.fill('kept across a reload');
    await composer.press('Enter');
    const unsent = page.getByTestId('unsent-message').filter({ hasText: 'kept across a reload' });
    await unsent.waitFor();
    assert.match(await unsent.textContent() ?? '', /Not sent/);
    // Reloaded while still unreachable: it is there again, not lost, and not sent.
    await page.reload();
    await unsent.waitFor();
    assert.equal((await stored()).filter((t: string) => t === 'kept across a reload').length, 0, 'not sent while unreachable');
    // Reachable again, and reloaded: it goes by itself, once, and the outbox is empty.
    await page.unroute('**/rest/im.message.add');
    await page.reload();
    await message('kept across a reload').waitFor();
    await unsent.waitFor({ state: 'detached' });
    assert.equal((await stored()).filter((t: string) => t === 'kept across a reload').length, 1, 'sent once');
    assert.equal(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('parley.unsent.')).length), 0, 'nothing left stored');
  });

  test('two tabs share one outbox: each shows the other\'s unsent message, neither overwrites the other\'s, each goes once', { timeout: 60_000 }, async () => {
    await page.route('**/rest/im.message.add', (route) => route.abort('connectionrefused'));
    const second = await ctx.newPage();
    try {
      await second.route('**/rest/im.message.add', (route) => route.abort('connectionrefused'));
      const say = async (p: Page, text: string) => {
        await p.getByTestId('composer').fill(text);
        await p.getByTestId('composer').press('Enter');
      };
      const unsentIn = (p: Page, text: string) => p.getByTestId('unsent-message').filter({ hasText: text });
      await say(page, 'from the first tab');
      await unsentIn(page, 'from the first tab').waitFor();
      await second.goto(page.url());
      // The second tab, opened later, has the first tab's message in its outbox (and cannot send it either).
      await unsentIn(second, 'from the first tab').waitFor();
      await say(second, 'from the second tab');
      await unsentIn(second, 'from the second tab').waitFor();
      // The first tab is told, and the stored list holds both: neither tab wrote over the other.
      await unsentIn(page, 'from the second tab').waitFor();
      const kept = await page.evaluate(() => Object.entries(localStorage).filter(([k]) => k.startsWith('parley.unsent.')).flatMap(([, v]) => JSON.parse(v).map((u: { text: string }) => u.text)));
      assert.deepEqual(kept, ['from the first tab', 'from the second tab']);
      // Both tabs reachable again and both flushing at once (a reload each): every message goes once.
      await page.unroute('**/rest/im.message.add');
      await second.unroute('**/rest/im.message.add');
      await Promise.all([page.reload(), second.reload()]);
      for (const text of ['from the first tab', 'from the second tab']) {
        await message(text).waitFor();
        await unsentIn(page, text).waitFor({ state: 'detached' });
        await unsentIn(second, text).waitFor({ state: 'detached' });
      }
      const sent = (await stored()).filter((t: string) => t.startsWith('from the '));
      assert.deepEqual(sent, ['from the first tab', 'from the second tab'], 'each once, in order');
    } finally {
      await second.close();
    }
  });

  test('a message the portal refuses offers Retry and Delete, with the reason in words', { timeout: 60_000 }, async () => {
    const chat = (await restForm(hooks.anna, 'im.chat.add', { TITLE: 'Short-lived', USERS: [ivan.id] })).body.result;
    await open(`chat${chat}`, 'Short-lived');
    // Anna is put out of the chat behind the page's back: her next message is refused.
    await restForm(hooks.anna, 'im.chat.setOwner', { CHAT_ID: chat, USER_ID: ivan.id });
    await restForm(hooks.ivan, 'im.chat.user.delete', { CHAT_ID: chat, USER_ID: anna.id });
    await page.getByTestId('composer').fill('too late');
    await page.getByTestId('composer').press('Enter');
    const unsent = page.getByTestId('unsent-message').filter({ hasText: 'too late' });
    await unsent.waitFor();
    assert.match(await unsent.textContent() ?? '', /Not sent.*You don’t have access to this\..*ACCESS_ERROR/);
    await unsent.getByTestId('unsent-retry').click();
    await unsent.getByTestId('unsent-retry').waitFor();
    assert.equal(await unsent.count(), 1, 'refused again, still there');
    await unsent.getByTestId('unsent-delete').click();
    await unsent.waitFor({ state: 'detached' });
  });

  test('a bot\'s refusal is told in words, its code on a details line', { timeout: 60_000 }, async () => {
    await restForm(`${portal.url}/rest/`, 'imbot.message.add', {
      auth: botToken, BOT_ID: botId, DIALOG_ID: anna.id, MESSAGE: 'Pick one', KEYBOARD: [{ TEXT: 'Unknown', COMMAND: 'nosuch', COMMAND_PARAMS: '1' }],
    });
    await open(botId, 'Echo Bot');
    await message('Pick one').getByRole('button', { name: 'Unknown' }).click();
    const toast = page.locator('.toast');
    await toast.filter({ hasText: 'The bot could not take this command.' }).waitFor();
    assert.equal(await toast.getByTestId('toast-details').textContent(), 'COMMAND_ERROR: The bot has no such command');
    assert.ok(!(await toast.textContent() ?? '').startsWith('Error'), 'not the raw error');
  });

  test('the "Connection lost" bar pushes the dialog down instead of covering its header', { timeout: 60_000 }, async () => {
    await open(ivan.id, ivan.name);
    const headBefore = await box(page.getByTestId('dialog-head'));
    await page.evaluate(() => (window as any).__parley.dropSocket(4000));
    const bar = page.getByTestId('connection-bar').filter({ hasText: 'Connection lost. Reconnecting…' });
    await bar.waitFor();
    const [barBox, head] = [await box(bar), await box(page.getByTestId('dialog-head'))];
    assert.ok(barBox.y + barBox.height <= head.y + 0.5, `bar ${JSON.stringify(barBox)} over header ${JSON.stringify(head)}`);
    assert.ok(head.y > headBefore.y, 'the header moved down to make room');
    await bar.waitFor({ state: 'detached', timeout: 20_000 });
  });

  test('system lines speak the reader\'s language; the portal keeps the English text', { timeout: 60_000 }, async () => {
    const chat = (await restForm(hooks.ivan, 'im.chat.add', { TITLE: 'Планёрка', USERS: [anna.id] })).body.result;
    await page.locator('[data-testid=account-menu]').click();
    await page.getByRole('menuitem', { name: 'Русский' }).click();
    await open(`chat${chat}`, 'Планёрка');
    const line = page.locator('.msg.system').first();
    await line.filter({ hasText: 'Иван Сидоров создал чат «Планёрка»' }).waitFor();
    // The recent list's preview of that line is worded in Russian too (im.recent.get carries only the English text).
    const preview = page.locator('.item-row', { hasText: 'Планёрка' }).getByTestId('recent-preview');
    await preview.filter({ hasText: /^Иван Сидоров создал чат «Планёрка»$/ }).waitFor();
    // More such rows than one batch takes (50): every one is worded, none left in English.
    for (let i = 1; i <= 55; i++) await restForm(hooks.ivan, 'im.chat.add', { TITLE: `Room ${i}`, USERS: [anna.id] });
    const previews = page.getByTestId('recent-preview');
    await waitFor('56 Russian system-line previews', async () => (await previews.allTextContents()).filter((t) => /создал чат/.test(t)).length >= 56);
    assert.deepEqual((await previews.allTextContents()).filter((t) => /created chat/.test(t)), []);
    const raw = (await restForm(hooks.anna, 'im.dialog.messages.get', { DIALOG_ID: `chat${chat}` })).body.result.messages.find((m: any) => m.author_id === 0);
    assert.equal(raw.text, '[USER=3]Иван Сидоров[/USER] created chat "Планёрка"');
    // The screenshot without an earlier test's notice still fading out (they last 6 s at most).
    await page.locator('.toast').waitFor({ state: 'detached', timeout: 10_000 });
    await screenshot(page, 'system-line-ru');
    await page.locator('[data-testid=account-menu]').click();
    await page.getByRole('menuitem', { name: 'English' }).click();
    await line.filter({ hasText: 'Иван Сидоров created chat "Планёрка"' }).waitFor();
    await preview.filter({ hasText: /^Иван Сидоров created chat "Планёрка"$/ }).waitFor();
  });

  test('no page errors or browser dialogs', () => {
    assert.deepEqual(problems.errors, []);
    assert.deepEqual(problems.dialogs, []);
  });
});
