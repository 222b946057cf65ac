/**
 * The web messenger end to end, in Debian's chromium: a portal user signs in through the form,
 * finds the echo bot (installed with `parley app add`), talks to it, uses slash-command autocomplete
 * and presses a keyboard button that reaches the bot; a second browser context of another user sees
 * messages, typing, likes, edits and deletes in realtime and catches up after its socket drops; the
 * phone-width Russian layout works. Screenshots of the main screens go to a temporary folder (`npm run screenshots`: docs/screenshots/).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { botEvents, echoBot, restForm, testPortal, type Child } from '../helpers/portal.ts';
import { installEchoBot, webhookFor } from '../helpers/suite.ts';
import { browserSkip, credentials, launchBrowser, screenshot, signIn, watchPage, type Login } from '../helpers/browser.ts';

const skip = browserSkip();
const expectResult = (r: { status: number; body: any }) => assert.ok(r.body.result, JSON.stringify(r.body));

describe('web messenger', { skip }, () => {
  let portal: Awaited<ReturnType<typeof testPortal>>;
  let bot: Child;
  let botId: number;
  let browser: Browser;
  let anna: Login;
  let ivan: Login;
  let annaHook: string;
  let ctxA: BrowserContext;
  let ctxB: BrowserContext;
  let pageA: Page;
  let pageB: Page;
  let chatDialog: string;
  const problems: { dialogs: string[]; errors: string[] }[] = [];

  const message = (page: Page, text: string | RegExp) => page.locator('[data-testid=message]', { hasText: text });

  before(async () => {
    portal = await testPortal();
    bot = await echoBot();
    ({ botId } = await installEchoBot(portal, bot));
    const logins = credentials(portal.dataDir);
    anna = logins.find((l) => l.id === 2)!;
    ivan = logins.find((l) => l.id === 3)!;
    annaHook = await webhookFor(portal, anna.id, 'im');
    browser = await launchBrowser();
    ctxA = await browser.newContext({ locale: 'en-US', viewport: { width: 1200, height: 760 } });
    pageA = await ctxA.newPage();
    problems.push(watchPage(pageA, { acceptConfirm: true }));
  });

  after(async () => {
    await browser?.close();
    await bot?.stop();
    await portal?.close();
  });

  test('a wrong password is refused, the right one signs in', async () => {
    await pageA.goto(portal.url);
    await pageA.locator('input[name=login]').fill(anna.login);
    await pageA.locator('input[name=password]').fill('not-the-password');
    await pageA.locator('button[type=submit]').click();
    await pageA.getByRole('alert').filter({ hasText: 'Wrong login or password' }).waitFor();
    await pageA.locator('input[name=password]').fill('');
    await screenshot(pageA, 'sign-in');
    await signIn(pageA, portal.url, anna);
    assert.equal(await pageA.locator('.me-name').textContent(), anna.name);
  });

  test('finds the echo bot, sends a message and sees the reply', { timeout: 60_000 }, async () => {
    await pageA.getByRole('searchbox').fill('Echo');
    await pageA.locator('[data-testid=search-user]', { hasText: 'Echo Bot' }).click();
    await pageA.locator('[data-testid=dialog-title]', { hasText: 'Echo Bot' }).waitFor();
    // Opening the dialog is what tells the bot it joined: its welcome arrives through the socket.
    await message(pageA, 'Welcome! I repeat what you say.').waitFor();
    const composer = pageA.locator('[data-testid=composer]');
    await composer.fill('hello [b]there[/b]');
    await composer.press('Enter');
    const reply = message(pageA, 'echo: hello there');
    await reply.waitFor();
    assert.equal(await reply.locator('b').textContent(), 'there', 'BB-code is rendered');
    assert.equal(await composer.inputValue(), '');
  });

  test('autocompletes a slash command and a keyboard button reaches the bot', { timeout: 60_000 }, async () => {
    const composer = pageA.locator('[data-testid=composer]');
    await composer.fill('/ec');
    const suggestion = pageA.locator('[data-testid=command-suggestion]');
    await suggestion.first().waitFor();
    assert.match(await suggestion.first().textContent() ?? '', /\/echo.*Get echo message/);
    await composer.press('Tab');
    assert.equal(await composer.inputValue(), '/echo ');
    await composer.pressSequentially('hi');
    await composer.press('Enter');
    const answer = message(pageA, 'echo command: hi');
    await answer.waitFor();
    await answer.getByRole('button', { name: 'Page 2' }).click();
    // The bot pages by editing the message that carries the keyboard.
    await message(pageA, 'page 2').getByRole('button', { name: 'Page 3' }).waitFor();
    const events = await botEvents(bot);
    const pressed = events.find((e) => e.event === 'ONIMCOMMANDADD' && Object.values<any>(e.data.COMMAND).some((c) => c.COMMAND === 'page'));
    assert.ok(pressed, 'ONIMCOMMANDADD for the button');
    const c = Object.values<any>(pressed.data.COMMAND)[0];
    assert.equal(c.COMMAND_PARAMS, '2');
    assert.equal(c.COMMAND_CONTEXT, 'KEYBOARD');
    assert.equal(Number(c.BOT_ID), botId);
    await pageA.locator('[data-testid=recent-item]', { hasText: 'page 2' }).waitFor();
    await screenshot(pageA, 'dialog-bot');
  });

  test('a second user sees messages, likes, edits and deletes in realtime', { timeout: 90_000 }, async () => {
    const created = await restForm(annaHook, 'im.chat.add', { TYPE: 'CHAT', TITLE: 'Sales team', USERS: [ivan.id] });
    chatDialog = `chat${created.body.result}`;
    ctxB = await browser.newContext({ locale: 'en-US', viewport: { width: 1000, height: 700 } });
    pageB = await ctxB.newPage();
    problems.push(watchPage(pageB));
    await signIn(pageB, portal.url, ivan);
    await pageB.locator('[data-testid=recent-item]', { hasText: 'Sales team' }).click();
    await pageB.locator('[data-testid=dialog-title]', { hasText: 'Sales team' }).waitFor();

    await pageA.locator('[data-testid=recent-item]', { hasText: 'Sales team' }).click();
    await pageA.locator('[data-testid=dialog-title]', { hasText: 'Sales team' }).waitFor();
    const composer = pageA.locator('[data-testid=composer]');
    await composer.pressSequentially('Morning, Ivan', { delay: 20 });
    await composer.press('Enter');
    const seen = message(pageB, 'Morning, Ivan');
    await seen.waitFor();

    await seen.getByRole('button', { name: 'Like' }).click();
    await message(pageA, 'Morning, Ivan').getByRole('button', { name: 'Liked by 1' }).waitFor();

    const mine = message(pageA, 'Morning, Ivan');
    await mine.hover();
    await mine.getByRole('button', { name: 'Message actions' }).click();
    await pageA.getByRole('menuitem', { name: 'Edit' }).click();
    await composer.fill('Good morning, Ivan');
    await composer.press('Enter');
    await message(pageB, 'Good morning, Ivan').locator('.edited').waitFor();

    await pageB.locator('[data-testid=composer]').fill('Morning! [USER=2]Anna[/USER], see [URL=https://example.com]this[/URL]');
    await pageB.locator('[data-testid=composer]').press('Enter');
    await message(pageA, 'see this').waitFor();
    await screenshot(pageA, 'group-chat');

    const edited = message(pageA, 'Good morning, Ivan');
    await edited.hover();
    await edited.getByRole('button', { name: 'Message actions' }).click();
    await pageA.getByRole('menuitem', { name: 'Delete' }).click();
    await message(pageB, 'Message deleted').waitFor();
  });

  test('a bot typing shows in the dialog until its message arrives', { timeout: 60_000 }, async () => {
    const bots = await restForm(annaHook, 'im.chat.user.add', { CHAT_ID: chatDialog.slice(4), USERS: [botId] });
    assert.ok(bots.body.result, JSON.stringify(bots.body));
    const install = (await botEvents(bot)).find((e) => e.event === 'ONAPPINSTALL');
    const botRest = (m: string, p: Record<string, unknown>) => restForm(install.auth.client_endpoint, m, { ...p, auth: install.auth.access_token });
    expectResult(await botRest('imbot.chat.sendTyping', { BOT_ID: botId, DIALOG_ID: chatDialog }));
    await pageB.locator('[data-testid=typing]', { hasText: 'Echo Bot is typing' }).waitFor();
    expectResult(await botRest('imbot.message.add', { BOT_ID: botId, DIALOG_ID: chatDialog, MESSAGE: 'done typing' }));
    await message(pageB, 'done typing').waitFor();
    assert.equal(await pageB.locator('[data-testid=typing]').textContent(), '', 'a message ends the typing line');
  });

  test('a user typing shows in the other context', { timeout: 30_000 }, async () => {
    const composer = pageA.locator('[data-testid=composer]');
    await composer.pressSequentially('thinking', { delay: 20 });
    await pageB.locator('[data-testid=typing]', { hasText: `${anna.name} is typing` }).waitFor({ timeout: 10_000 });
    await composer.fill('');
  });

  test('catches up on what arrived while its socket was down', { timeout: 60_000 }, async () => {
    await pageB.evaluate(() => (window as any).__parley.dropSocket(1500));
    await pageB.getByRole('status').filter({ hasText: 'Reconnecting' }).waitFor();
    const sent = await restForm(annaHook, 'im.message.add', { DIALOG_ID: chatDialog, MESSAGE: 'sent while you were away' });
    assert.ok(sent.body.result);
    await message(pageB, 'sent while you were away').waitFor({ timeout: 20_000 });
    await pageB.getByRole('status').waitFor({ state: 'detached' });
  });

  test('recent list: counters, pinning, previews', { timeout: 60_000 }, async () => {
    // Ivan goes back to the list; Anna writes again, which shows as unread there.
    await pageB.goto(`${portal.url}/#/`);
    await pageB.locator('[data-testid=recent-item]').first().waitFor();
    await restForm(annaHook, 'im.message.add', { DIALOG_ID: chatDialog, MESSAGE: 'one more for the counter' });
    // The list follows the socket: the preview changes and the unread counter shows, without a reload.
    const item = pageB.locator('[data-testid=recent-item]', { hasText: 'one more for the counter' });
    await item.locator('[data-testid=counter]', { hasText: /^[1-9]/ }).waitFor();
    assert.match(await item.textContent() ?? '', /Sales team/);

    await pageA.getByRole('button', { name: 'Pin: Echo Bot' }).click();
    await pageA.locator('.section', { hasText: 'Pinned' }).waitFor();
    await screenshot(pageA, 'recent-pinned');
  });

  test('phone width in Russian', { timeout: 60_000 }, async () => {
    const phone = await browser.newContext({ locale: 'ru-RU', viewport: { width: 390, height: 780 }, isMobile: true, hasTouch: true });
    const page = await phone.newPage();
    problems.push(watchPage(page));
    await signIn(page, portal.url, ivan);
    await page.getByRole('searchbox', { name: 'Поиск людей, чатов и сообщений' }).waitFor();
    assert.equal(await page.locator('.pane-main').isVisible(), false, 'one pane at a time');
    await screenshot(page, 'phone-recent-ru');
    await page.locator('[data-testid=recent-item]', { hasText: 'Sales team' }).click();
    await page.locator('[data-testid=composer]').waitFor();
    assert.equal(await page.locator('.sidebar').isVisible(), false);
    assert.equal(await page.getByRole('button', { name: 'Отправить' }).count(), 1);
    await screenshot(page, 'phone-dialog-ru');
    await page.getByRole('link', { name: 'Назад' }).click();
    await page.locator('.sidebar').waitFor();
    await phone.close();
  });

  test('no page errors and no browser dialogs along the way', () => {
    assert.deepEqual(problems.flatMap((p) => p.errors), []);
    // The only dialog was the delete confirmation, which the test accepted itself.
    assert.deepEqual(problems.flatMap((p) => p.dialogs).filter((d) => !d.startsWith('confirm: Delete')), []);
  });
});
