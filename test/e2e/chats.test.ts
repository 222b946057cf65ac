/**
 * Chats, presence, read receipts and bot keyboards in the web messenger, end to end in Debian's
 * chromium: Anna creates a chat that Ivan (a second browser context) sees arrive live; renaming,
 * recolouring, a new picture, muting, removing a member, handing over and leaving each show (the
 * portal's system lines) and are checked in what the portal stored; an open chat is read and joined
 * by a non-member; a department search starts a dialog; a status set by one user shows for the other;
 * "Seen" appears when the other opens the dialog; the open dialog never keeps an unread badge; a
 * BLOCK=Y keyboard stays disabled until the bot sends a new one, and a MENU item reaches the bot.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { botEvents, echoBot, restForm, testPortal, waitFor, type Child } from '../helpers/portal.ts';
import { installEchoBot, webhookFor } from '../helpers/suite.ts';
import { browserSkip, credentials, launchBrowser, screenshot, signIn, watchPage, type Login } from '../helpers/browser.ts';

const skip = browserSkip();

/** CRC-32 as PNG chunks use it (zlib.crc32 only exists from Node 20.15; the project supports 20). */
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

/** A `size`×`size` PNG of one colour (an avatar to upload). */
function png(size: number, [r, g, b]: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: size }, () => [r, g, b]).flat())]);
  const pixels = zlib.deflateSync(Buffer.concat(Array.from({ length: size }, () => row)));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', pixels), chunk('IEND', Buffer.alloc(0))]);
}

describe('web messenger: chats, presence, receipts, keyboards', { skip }, () => {
  let portal: Awaited<ReturnType<typeof testPortal>>;
  let bot: Child;
  let botId: number;
  let browser: Browser;
  let anna: Login;
  let ivan: Login;
  let maria: Login;
  let john: Login;
  const hooks: Record<string, string> = {};
  let ctxA: BrowserContext;
  let ctxB: BrowserContext;
  let pageA: Page;
  let pageB: Page;
  let chatId: number;
  const problems: { dialogs: string[]; errors: string[] }[] = [];

  const message = (page: Page, text: string | RegExp) => page.locator('[data-testid=message]', { hasText: text });
  const recentItem = (page: Page, text: string | RegExp) => page.locator('[data-testid=recent-item]', { hasText: text });
  const dialogItem = (page: Page, dialogId: number | string) => page.locator(`[data-testid=recent-item][href="#/dialog/${dialogId}"]`);
  const title = (page: Page, text: string) => page.locator('[data-testid=dialog-title]', { hasText: text });
  /** A REST call as one of the users, through their webhook; the answer's result (or a failed assertion). */
  async function rest(who: string, method: string, params: Record<string, unknown> = {}): Promise<any> {
    const r = await restForm(hooks[who], method, params);
    assert.ok(r.body.result !== undefined, `${method}: ${JSON.stringify(r.body)}`);
    return r.body.result;
  }
  const go = (page: Page, dialogId: string) => page.evaluate((id) => (location.hash = `#/dialog/${id}`), dialogId);

  before(async () => {
    portal = await testPortal();
    bot = await echoBot();
    ({ botId } = await installEchoBot(portal, bot));
    const logins = credentials(portal.dataDir);
    [anna, ivan, maria, john] = [2, 3, 4, 5].map((id) => logins.find((l) => l.id === id)!);
    for (const who of [anna, ivan, maria, john]) hooks[who.login] = await webhookFor(portal, who.id, 'im');
    browser = await launchBrowser();
    ctxA = await browser.newContext({ locale: 'en-US', viewport: { width: 1200, height: 800 } });
    ctxB = await browser.newContext({ locale: 'en-US', viewport: { width: 1000, height: 720 } });
    pageA = await ctxA.newPage();
    pageB = await ctxB.newPage();
    problems.push(watchPage(pageA, { acceptConfirm: true }), watchPage(pageB));
    await signIn(pageA, portal.url, anna);
    await signIn(pageB, portal.url, ivan);
  });

  after(async () => {
    await browser?.close();
    await bot?.stop();
    await portal?.close();
  });

  test('creates a chat with two members; the second user sees it arrive live', { timeout: 60_000 }, async () => {
    await pageA.getByRole('button', { name: 'New chat' }).click();
    const form = pageA.getByRole('dialog', { name: 'New chat' });
    await form.getByLabel('Title').fill('Launch plan');
    const picker = form.locator('[data-testid=user-picker]');
    await picker.fill('Иван');
    await form.locator('[data-testid=picker-hit]', { hasText: ivan.name }).click();
    await picker.fill('Maria');
    await picker.press('Enter');
    await form.locator('.chip', { hasText: maria.name }).waitFor();
    await form.getByRole('radio', { name: 'Mint' }).check();
    await screenshot(pageA, 'chat-settings-new-chat');
    await form.getByRole('button', { name: 'Create chat' }).click();
    await title(pageA, 'Launch plan').waitFor();
    await message(pageA, 'created chat "Launch plan"').waitFor();
    chatId = Number(/chat(\d+)/.exec(await pageA.evaluate(() => location.hash))![1]);

    // Ivan did nothing: the chat shows in his list through the socket.
    await recentItem(pageB, 'Launch plan').waitFor();
    const stored = await rest('ivan', 'im.dialog.get', { DIALOG_ID: `chat${chatId}` });
    assert.equal(stored.title, 'Launch plan');
    assert.equal(stored.type, 'chat');
    assert.equal(stored.color, '#4ba984', 'mint');
    assert.equal(stored.owner, anna.id);
    assert.deepEqual((await rest('ivan', 'im.chat.user.list', { CHAT_ID: chatId })).sort(), [anna.id, ivan.id, maria.id].sort());
  });

  test('rename, colour, picture and mute are reflected, with their system messages', { timeout: 90_000 }, async () => {
    await recentItem(pageB, 'Launch plan').click();
    await title(pageB, 'Launch plan').waitFor();

    await pageA.getByRole('button', { name: 'Chat settings' }).click();
    const panel = pageA.getByRole('dialog', { name: 'Chat settings' });
    await panel.getByLabel('Title').fill('Launch plan v2');
    await panel.getByRole('button', { name: 'Rename' }).click();
    await message(pageB, 'changed the chat title to "Launch plan v2"').waitFor();
    await title(pageB, 'Launch plan v2').waitFor();
    await recentItem(pageB, 'Launch plan v2').waitFor();

    await panel.getByRole('radio', { name: 'Purple' }).check();
    await message(pageB, 'changed the chat colour').waitFor();
    assert.equal((await rest('ivan', 'im.dialog.get', { DIALOG_ID: `chat${chatId}` })).color, '#8474c8');
    await pageB.waitForFunction(() => getComputedStyle(document.querySelector('.dialog-head .avatar')!).backgroundColor === 'rgb(132, 116, 200)');

    await panel.locator('[data-testid=avatar-file]').setInputFiles({ name: 'rocket.png', mimeType: 'image/png', buffer: png(48, [240, 140, 40]) });
    await message(pageB, 'changed the chat avatar').waitFor();
    const avatar = (await rest('ivan', 'im.dialog.get', { DIALOG_ID: `chat${chatId}` })).avatar;
    assert.ok(avatar, 'the chat has a picture');
    await pageB.locator('.dialog-head .avatar img').waitFor();

    await panel.locator('[data-testid=mute]').check();
    await recentItem(pageA, 'Launch plan v2').locator('[data-testid=muted]').waitFor();
    const muteList = (await rest('anna', 'im.dialog.get', { DIALOG_ID: `chat${chatId}` })).mute_list;
    assert.equal(muteList[String(anna.id)], true);
    assert.equal(await recentItem(pageB, 'Launch plan v2').locator('[data-testid=muted]').count(), 0, 'muted for Anna only');
    await panel.locator('[data-testid=member]').nth(2).waitFor();
    await screenshot(pageA, 'chat-settings-panel');
  });

  test('members: a refused removal shows the portal\'s error; the owner removes one, invites one without history, hands over and leaves', { timeout: 90_000 }, async () => {
    // Ivan is a plain member: the portal refuses his removing the owner, and the panel says why.
    await pageB.getByRole('button', { name: 'Chat settings' }).click();
    const ivanPanel = pageB.getByRole('dialog', { name: 'Chat settings' });
    await ivanPanel.getByRole('button', { name: `Remove: ${anna.name}` }).click();
    await ivanPanel.locator('[data-testid=modal-alert]', { hasText: 'WRONG_REQUEST' }).waitFor();
    await ivanPanel.getByRole('button', { name: 'Close' }).click();
    assert.ok((await rest('ivan', 'im.chat.user.list', { CHAT_ID: chatId })).includes(anna.id));

    const panel = pageA.getByRole('dialog', { name: 'Chat settings' });
    await panel.getByRole('button', { name: `Remove: ${maria.name}` }).click();
    await message(pageB, `removed ${maria.name} from the chat`).waitFor();
    await panel.locator('[data-testid=member]', { hasText: maria.name }).waitFor({ state: 'detached' });
    assert.deepEqual((await rest('ivan', 'im.chat.user.list', { CHAT_ID: chatId })).sort(), [anna.id, ivan.id].sort());

    // Inviting with the history hidden: John sees nothing from before he came.
    await panel.locator('[data-testid=hide-history]').check();
    await panel.locator('[data-testid=user-picker]').fill('John');
    await panel.locator('[data-testid=picker-hit]', { hasText: john.name }).click();
    await message(pageB, `invited ${john.name} to the chat`).waitFor();
    await panel.locator('[data-testid=member]', { hasText: john.name }).waitFor();
    const johnSees = (await rest('john', 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}` })).messages;
    assert.ok(johnSees.length > 0 && !johnSees.some((m: any) => /created chat|changed the chat/.test(m.text)), JSON.stringify(johnSees.map((m: any) => m.text)));

    await panel.getByRole('button', { name: `Make owner: ${ivan.name}` }).click();
    await message(pageB, `${ivan.name} is now the chat owner`).waitFor();
    assert.equal((await rest('ivan', 'im.dialog.get', { DIALOG_ID: `chat${chatId}` })).owner, ivan.id);
    await panel.locator('[data-testid=member]', { hasText: ivan.name }).getByText('owner').waitFor();

    await panel.getByRole('button', { name: 'Leave chat' }).click();
    await pageA.waitForFunction(() => location.hash === '#/');
    await message(pageB, `${anna.name} left the chat`).waitFor();
    assert.deepEqual((await rest('ivan', 'im.chat.user.list', { CHAT_ID: chatId })).sort(), [ivan.id, john.id].sort());
    await recentItem(pageA, 'Launch plan v2').waitFor({ state: 'detached' });
  });

  test('an open chat: a non-member finds it, reads it, joins it, and sees who read', { timeout: 90_000 }, async () => {
    await pageB.getByRole('button', { name: 'New chat' }).click();
    const form = pageB.getByRole('dialog', { name: 'New chat' });
    await form.getByLabel('Title').fill('Open lounge');
    await form.locator('[data-testid=user-picker]').fill('Maria');
    await form.locator('[data-testid=picker-hit]', { hasText: maria.name }).click();
    await form.getByRole('radio', { name: /^Open/ }).check();
    await form.getByRole('button', { name: 'Create chat' }).click();
    await title(pageB, 'Open lounge').waitFor();
    const lounge = Number(/chat(\d+)/.exec(await pageB.evaluate(() => location.hash))![1]);
    assert.equal((await rest('ivan', 'im.dialog.get', { DIALOG_ID: `chat${lounge}` })).type, 'open');
    await rest('maria', 'im.message.add', { DIALOG_ID: `chat${lounge}`, MESSAGE: 'Coffee at four?' });

    await pageA.getByRole('searchbox').fill('lounge');
    await pageA.locator('.sidebar button.item', { hasText: 'Open lounge' }).click();
    await title(pageA, 'Open lounge').waitFor();
    await message(pageA, 'Coffee at four?').waitFor();
    await pageA.getByRole('button', { name: 'Join' }).waitFor();
    assert.equal(await pageA.locator('[data-testid=composer]').count(), 0, 'no composer before joining');
    assert.equal(await pageA.getByRole('button', { name: 'Chat settings' }).count(), 0);

    await pageA.getByRole('button', { name: 'Join' }).click();
    await message(pageA, `${anna.name} joined the chat`).waitFor();
    await pageA.locator('[data-testid=composer]').waitFor();
    assert.ok((await rest('ivan', 'im.chat.user.list', { CHAT_ID: lounge })).includes(anna.id));
    await recentItem(pageA, 'Open lounge').waitFor();

    // Ivan has the lounge open: his reading shows under Anna's message as it happens.
    await pageA.locator('[data-testid=composer]').fill('Count me in');
    await pageA.locator('[data-testid=composer]').press('Enter');
    await message(pageB, 'Count me in').waitFor();
    await message(pageA, 'Count me in').locator('[data-testid=read-receipt]', { hasText: `Read by ${ivan.name}` }).waitFor();
  });

  test('a department found by search lists its employees and opens a dialog', { timeout: 60_000 }, async () => {
    await pageA.getByRole('searchbox').fill('Support');
    const dept = pageA.locator('[data-testid=search-department]', { hasText: 'Support' });
    await dept.click();
    assert.equal(await dept.getAttribute('aria-expanded'), 'true');
    await pageA.locator('[data-testid=department-employee]', { hasText: maria.name }).waitFor();
    await pageA.locator('[data-testid=department-employee]', { hasText: 'John Smith' }).click();
    await title(pageA, 'John Smith').waitFor();
    assert.equal(await pageA.evaluate(() => location.hash), '#/dialog/5');
  });

  test('a status Anna sets shows for Ivan', { timeout: 60_000 }, async () => {
    // A first message puts the dialog into Ivan's recent list, where the dot shows too.
    await rest('anna', 'im.message.add', { DIALOG_ID: ivan.id, MESSAGE: 'Hi Ivan' });
    await dialogItem(pageB, anna.id).waitFor();
    await go(pageB, String(anna.id));
    await title(pageB, anna.name).waitFor();
    await pageB.locator('[data-testid=peer-status]', { hasText: 'Online' }).waitFor();
    await pageA.locator('[data-testid=my-status]').selectOption('dnd');
    await waitFor('status stored', async () => (await rest('ivan', 'im.user.get', { ID: anna.id })).status === 'dnd');
    await pageB.locator('[data-testid=peer-status]', { hasText: 'Do not disturb' }).waitFor({ timeout: 25_000 });
    await dialogItem(pageB, anna.id).locator('[data-status=dnd]').waitFor({ timeout: 25_000 });
    await pageA.locator('[data-testid=my-status]').selectOption('online');
  });

  test('"Seen" appears live when the other user opens the dialog', { timeout: 60_000 }, async () => {
    await pageB.goto(`${portal.url}/#/`);
    await pageB.locator('.sidebar').waitFor();
    await go(pageA, String(ivan.id));
    await title(pageA, ivan.name).waitFor();
    const composer = pageA.locator('[data-testid=composer]');
    await composer.fill('Are you there, Ivan?');
    await composer.press('Enter');
    const mine = message(pageA, 'Are you there, Ivan?');
    await mine.waitFor();
    await recentItem(pageB, 'Are you there, Ivan?').waitFor();
    assert.equal(await mine.locator('[data-testid=read-receipt]').count(), 0, 'not read yet');

    await dialogItem(pageB, anna.id).click();
    await message(pageB, 'Are you there, Ivan?').waitFor();
    await mine.locator('[data-testid=read-receipt]', { hasText: 'Seen' }).waitFor();
    const sentId = Number(await mine.getAttribute('data-message-id'));
    const readers = (await rest('anna', 'im.dialog.get', { DIALOG_ID: ivan.id })).readed_list;
    assert.ok(readers.some((r: any) => r.user_id === ivan.id && r.message_id >= sentId), JSON.stringify(readers));
  });

  test('the open dialog keeps no unread badge while messages arrive', { timeout: 60_000 }, async () => {
    // Ivan has Anna's dialog open and visible; Anna writes three times. Any badge on the open
    // dialog's item, however brief (the list reloads on each push), is noted by an observer.
    // (A script string: tsx would wrap named functions in a helper the page does not have.)
    await pageB.evaluate(`
      window.sawBadge = [];
      new MutationObserver(() => {
        const badge = document.querySelector('[data-testid=recent-item][aria-current=page] [data-testid=counter], .side-head .badge');
        if (badge) window.sawBadge.push(badge.textContent);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    `);
    for (const text of ['one', 'two', 'three, the last']) await rest('anna', 'im.message.add', { DIALOG_ID: ivan.id, MESSAGE: text });
    await message(pageB, 'three, the last').waitFor();
    const item = dialogItem(pageB, anna.id);
    await item.filter({ hasText: 'three, the last' }).waitFor();
    await waitFor('counter 0 on the portal', async () => {
      const list = await rest('ivan', 'im.recent.get');
      return list.find((i: any) => i.id === anna.id)?.counter === 0;
    });
    // The list reloads after the read: no badge on the item, nothing in the header's total.
    await pageB.waitForTimeout(800);
    assert.equal(await item.locator('[data-testid=counter]').count(), 0);
    assert.deepEqual(await pageB.evaluate('window.sawBadge'), [], 'no badge, not even for a moment');
    assert.equal(await pageB.locator('.side-head .badge').count(), 0);
    assert.equal((await rest('ivan', 'im.counters.get')).TYPE.ALL, 0);
  });

  test('a BLOCK=Y keyboard stays disabled until the bot sends a new one; a MENU item reaches the bot', { timeout: 90_000 }, async () => {
    await pageA.getByRole('searchbox').fill('Echo');
    await pageA.locator('[data-testid=search-user]', { hasText: 'Echo Bot' }).click();
    await title(pageA, 'Echo Bot').waitFor();
    const composer = pageA.locator('[data-testid=composer]');
    await composer.fill('keyboard please');
    await composer.press('Enter');
    const picker = message(pageA, 'Pick one');
    const hold = picker.getByRole('button', { name: 'Hold on' });
    await hold.click();
    await message(pageA, 'echo command: hold').waitFor();
    assert.equal(await hold.isDisabled(), true, 'the keyboard is blocked');
    const pressed = await waitFor('the KEYBOARD command', async () => (await botEvents(bot)).find((e) => e.event === 'ONIMCOMMANDADD'
      && Object.values<any>(e.data.COMMAND).some((c) => c.COMMAND_PARAMS === 'hold' && c.COMMAND_CONTEXT === 'KEYBOARD')));
    assert.equal(Number(Object.values<any>(pressed.data.COMMAND)[0].BOT_ID), botId);
    const pickId = Number(await picker.getAttribute('data-message-id'));
    const stored = async () => (await rest('anna', 'im.dialog.messages.get', { DIALOG_ID: botId, FIRST_ID: pickId - 1, LIMIT: 1 })).messages[0].params;
    assert.equal((await stored()).KEYBOARD_BLOCKED, 'Y');

    await composer.fill('unblock');
    await composer.press('Enter');
    const again = message(pageA, 'Pick again').getByRole('button', { name: 'Hold again' });
    await again.waitFor();
    assert.equal(await again.isEnabled(), true, 'the new keyboard is live');
    assert.equal((await stored()).KEYBOARD_BLOCKED, undefined);

    const menuOwner = message(pageA, 'Pick again');
    await menuOwner.hover();
    await menuOwner.getByRole('button', { name: 'Message actions' }).click();
    await pageA.getByRole('menuitem', { name: 'Echo from menu' }).click();
    await message(pageA, 'echo command: from menu').waitFor();
    const viaMenu = (await botEvents(bot)).find((e) => e.event === 'ONIMCOMMANDADD' && Object.values<any>(e.data.COMMAND).some((c) => c.COMMAND_PARAMS === 'from menu'));
    assert.equal(Object.values<any>(viaMenu.data.COMMAND)[0].COMMAND_CONTEXT, 'MENU');
    assert.equal(Object.values<any>(viaMenu.data.COMMAND)[0].COMMAND, 'echo');
  });

  test('phone width in Russian: the settings panel fits', { timeout: 60_000 }, async () => {
    const phone = await browser.newContext({ locale: 'ru-RU', viewport: { width: 390, height: 780 }, isMobile: true, hasTouch: true });
    const page = await phone.newPage();
    problems.push(watchPage(page));
    await signIn(page, portal.url, ivan);
    await page.locator('[data-testid=recent-item]', { hasText: 'Open lounge' }).click();
    await page.getByRole('button', { name: 'Настройки чата' }).click();
    const panel = page.getByRole('dialog', { name: 'Настройки чата' });
    await panel.getByRole('button', { name: 'Переименовать' }).waitFor();
    const box = await panel.boundingBox();
    assert.ok(box && box.width <= 390, `panel width ${box?.width}`);
    // Kept out of docs/ (the README shows the desktop screens); looked at while developing.
    await page.screenshot({ path: path.join(os.tmpdir(), 'chat-settings-phone-ru.png') });
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    await phone.close();
  });

  test('no page errors and no unexpected browser dialogs', () => {
    assert.deepEqual(problems.flatMap((p) => p.errors), []);
    // The only dialog was leaving's confirmation, which the test accepted.
    assert.deepEqual(problems.flatMap((p) => p.dialogs).filter((d) => !d.startsWith('confirm: Leave')), []);
  });
});
