/**
 * The notification centre, files in dialogs and the emoji picker, end to end in Debian's chromium.
 * Notifications are sent the way an app sends them (webhook calls of im.notify.system.add with the
 * NOTIFY_BUTTONS / NOTIFY_ANSWER extensions) and must show up live; what the user does in the panel
 * is checked against what the portal stored. A picture uploaded from the composer shows its progress,
 * then appears for the sender and, live, for the other user, and its download link returns the bytes.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { restForm, testPortal } from '../helpers/portal.ts';
import { webhookFor } from '../helpers/suite.ts';
import { makePng } from '../helpers/png.ts';
import { browserSkip, credentials, launchBrowser, screenshot, signIn, watchPage, type Login } from '../helpers/browser.ts';

const skip = browserSkip();
/** The portal's upload limit in this test: the picture fits, the "big" file does not. */
const LIMIT = 1_000_000;

describe('notifications, files and emoji in the web messenger', { skip }, () => {
  let portal: Awaited<ReturnType<typeof testPortal>>;
  let browser: Browser;
  let anna: Login;
  let ivan: Login;
  let annaHook: string;
  let ivanHook: string;
  let ctxA: BrowserContext;
  let pageA: Page;
  let pageB: Page;
  const problems: { dialogs: string[]; errors: string[] }[] = [];
  const png = makePng(360, 240);

  const item = (text: string | RegExp) => pageA.locator('[data-testid=notification]', { hasText: text });
  const count = () => pageA.locator('[data-testid=notify-count]');
  const stored = (id: number) => portal.portal.db.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const notifyGet = async () => (await restForm(annaHook, 'im.notify.get', {})).body.result.notifications as any[];
  const message = (page: Page, text: string | RegExp) => page.locator('[data-testid=message]', { hasText: text });
  let confirmId = 0;

  before(async () => {
    portal = await testPortal({ fileMaxBytes: LIMIT });
    const logins = credentials(portal.dataDir);
    anna = logins.find((l) => l.id === 2)!;
    ivan = logins.find((l) => l.id === 3)!;
    annaHook = await webhookFor(portal, anna.id, 'im');
    ivanHook = await webhookFor(portal, ivan.id, 'im');
    browser = await launchBrowser();
    ctxA = await browser.newContext({ locale: 'en-US', viewport: { width: 1200, height: 760 } });
    pageA = await ctxA.newPage();
    problems.push(watchPage(pageA));
  });

  after(async () => {
    await browser?.close();
    await portal?.close();
  });

  test('a system notification with buttons arrives live, with the unread count', { timeout: 60_000 }, async () => {
    await signIn(pageA, portal.url, anna);
    const bell = pageA.getByTestId('notify-bell');
    await bell.waitFor();
    assert.equal(await count().count(), 0, 'no count before any notification');

    // What an app does: a webhook call with the NOTIFY_BUTTONS extension (a JSON list).
    const sent = await restForm(ivanHook, 'im.notify.system.add', {
      USER_ID: anna.id, MESSAGE: 'Approve the [b]Q3 budget[/b]?',
      NOTIFY_BUTTONS: JSON.stringify([{ TITLE: 'Approve', VALUE: 'approve', TYPE: 'accept' }, { TITLE: 'Decline', VALUE: 'decline', TYPE: 'cancel' }]),
    });
    confirmId = Number(sent.body.result);
    assert.ok(confirmId > 0, JSON.stringify(sent.body));
    await count().filter({ hasText: /^1$/ }).waitFor();
    assert.equal(await bell.getAttribute('aria-label'), 'Notifications, 1 unread');

    const personal = await restForm(ivanHook, 'im.notify.personal.add', {
      USER_ID: anna.id, MESSAGE: 'I shared the [i]quarter report[/i]',
      ATTACH: { ID: 1, COLOR: '#29619b', BLOCKS: [{ MESSAGE: 'Revenue up [b]12%[/b]' }, { DELIMITER: { SIZE: 200, COLOR: '#c8c8c8' } }] },
    });
    assert.ok(personal.body.result, JSON.stringify(personal.body));
    await count().filter({ hasText: /^2$/ }).waitFor();

    await bell.click();
    await pageA.getByRole('dialog', { name: 'Notifications' }).waitFor();
    const confirmItem = item('Approve the Q3 budget?');
    await confirmItem.waitFor();
    assert.equal(await confirmItem.locator('.ntf-text b').textContent(), 'Q3 budget', 'BB-code is rendered');
    assert.match(await confirmItem.locator('.ntf-from').textContent() ?? '', /System/);
    assert.deepEqual(await confirmItem.getByTestId('notify-buttons').getByRole('button').allTextContents(), ['Approve', 'Decline']);
    const personalItem = item('I shared the quarter report');
    assert.equal(await personalItem.locator('.ntf-from').textContent(), ivan.name, 'a personal notification shows its author');
    assert.match(await personalItem.getByTestId('attach').textContent() ?? '', /Revenue up 12%/);
    // Notifications waiting for a button come first.
    assert.equal(await pageA.getByTestId('notification').first().getAttribute('data-notify-id'), String(confirmId));
    await screenshot(pageA, 'notifications-panel');
  });

  test('pressing a button stores the answer once and the buttons go away', { timeout: 60_000 }, async () => {
    const confirmItem = item('Approve the Q3 budget?');
    await confirmItem.getByRole('button', { name: 'Approve' }).click();
    await confirmItem.getByTestId('notify-answer').filter({ hasText: 'You chose: Approve' }).waitFor();
    assert.equal(await confirmItem.getByTestId('notify-buttons').count(), 0, 'no buttons to press again');

    assert.equal((await stored(confirmId)).answer, 'approve', 'the pressed value is stored');
    const listed = (await notifyGet()).find((n) => n.id === confirmId);
    assert.equal(listed.notify_type, 4, 'no longer a confirm notification');
    assert.equal(listed.notify_buttons, undefined);
    assert.equal(listed.notify_read, 'Y');
    const again = await restForm(annaHook, 'im.notify.confirm', { ID: confirmId, NOTIFY_VALUE: 'decline' });
    assert.equal(again.body.result.result_message, false, 'a second press is refused');
    assert.equal((await stored(confirmId)).answer, 'approve');
    await count().filter({ hasText: /^1$/ }).waitFor();
  });

  test('a quick-answer notification is answered from the panel', { timeout: 60_000 }, async () => {
    const sent = await restForm(ivanHook, 'im.notify.system.add', { USER_ID: anna.id, MESSAGE: 'Any comments on the release notes?', NOTIFY_ANSWER: 'Y' });
    const id = Number(sent.body.result);
    assert.ok(id > 0, JSON.stringify(sent.body));
    // The panel is open: the new notification appears in it without a reload.
    const asked = item('Any comments on the release notes?');
    await asked.waitFor();
    await count().filter({ hasText: /^2$/ }).waitFor();
    const field = asked.getByRole('textbox', { name: 'Quick answer' });
    await field.fill('Looks good to me');
    await field.press('Enter');
    await asked.getByTestId('notify-answer').filter({ hasText: 'Your answer: Looks good to me' }).waitFor();
    assert.equal(await asked.getByTestId('notify-reply').count(), 0);
    const row = await stored(id);
    assert.equal(row.answer, 'Looks good to me');
    assert.equal(row.is_read, 1);
    await count().filter({ hasText: /^1$/ }).waitFor();
  });

  test('mark all read zeroes the counter; delete removes one; Escape closes', { timeout: 60_000 }, async () => {
    await pageA.getByTestId('notify-read-all').click();
    await count().waitFor({ state: 'detached' });
    const counters = await restForm(annaHook, 'im.counters.get', {});
    assert.equal(counters.body.result.TYPE.NOTIFY, 0);
    assert.ok((await notifyGet()).every((n) => n.notify_read === 'Y'));
    assert.equal(await pageA.locator('[data-testid=notification].unread').count(), 0);

    const personal = item('I shared the quarter report');
    const id = Number(await personal.getAttribute('data-notify-id'));
    await personal.getByRole('button', { name: 'Delete' }).click();
    await personal.waitFor({ state: 'detached' });
    assert.ok(!(await notifyGet()).some((n) => n.id === id), 'deleted on the portal');

    await pageA.keyboard.press('Escape');
    await pageA.getByTestId('notify-panel').waitFor({ state: 'detached' });
    assert.equal(await pageA.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'notify-bell', 'focus goes back to the bell');
  });

  test('the notification centre fills a phone screen, in Russian', { timeout: 60_000 }, async () => {
    const phone = await browser.newContext({ locale: 'ru-RU', viewport: { width: 390, height: 780 }, isMobile: true, hasTouch: true });
    const page = await phone.newPage();
    problems.push(watchPage(page));
    await signIn(page, portal.url, anna);
    await page.getByRole('button', { name: 'Уведомления' }).click();
    const panel = page.getByRole('dialog', { name: 'Уведомления' });
    await panel.locator('[data-testid=notification]').first().waitFor();
    const box = await panel.boundingBox();
    assert.equal(Math.round(box!.width), 390);
    assert.ok(await panel.getByRole('button', { name: 'Прочитать все' }).isVisible());
    await phone.close();
  });

  test('a picture sent from the composer shows progress, then appears for both users', { timeout: 90_000 }, async () => {
    await restForm(ivanHook, 'im.message.add', { DIALOG_ID: anna.id, MESSAGE: 'Send me the chart, please' });
    const ctxB = await browser.newContext({ locale: 'en-US', viewport: { width: 1000, height: 700 } });
    pageB = await ctxB.newPage();
    problems.push(watchPage(pageB));
    await signIn(pageB, portal.url, ivan);
    await pageB.goto(`${portal.url}/#/dialog/${anna.id}`);
    await message(pageB, 'Send me the chart').waitFor();

    await pageA.goto(`${portal.url}/#/dialog/${ivan.id}`);
    await message(pageA, 'Send me the chart').waitFor();
    // Every progress value the page shows is recorded, however short the upload.
    await pageA.evaluate(() => {
      const seen: number[] = ((window as any).__progress = []);
      new MutationObserver(() => {
        for (const p of document.querySelectorAll<HTMLProgressElement>('[data-testid=upload-progress]')) seen.push(p.value);
      }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    });
    // A slow uplink (chromium's network emulation) makes the progress visible.
    const cdp = await ctxA.newCDPSession(pageA);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 120 * 1024 });

    await pageA.getByTestId('file-input').setInputFiles({ name: 'chart.png', mimeType: 'image/png', buffer: png });
    const progress = pageA.getByTestId('upload-progress');
    await progress.waitFor();
    await pageA.waitForFunction(() => ((window as any).__progress as number[]).some((v) => v > 0 && v < 100), null, { timeout: 20_000 });
    await screenshot(pageA, 'files-upload');
    const mine = message(pageA, 'chart.png');
    await mine.getByTestId('file-image').waitFor({ timeout: 30_000 });
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await progress.waitFor({ state: 'detached' });
    const values = await pageA.evaluate(() => (window as any).__progress as number[]);
    assert.ok(values.some((v) => v > 0 && v < 100), `progress went through the middle: ${values.join(',')}`);

    // The other user gets it live: a preview that loaded, sized from the stored width and height.
    const theirs = message(pageB, 'chart.png');
    const img = theirs.getByTestId('file-image');
    await img.waitFor({ timeout: 20_000 });
    await pageB.waitForFunction((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth > 0, await img.elementHandle());
    assert.equal(await img.evaluate((el) => (el as HTMLImageElement).naturalWidth), 360);
    assert.equal(await img.evaluate((el) => el.style.width), '320px', 'scaled to fit 320 px');
    assert.equal(await img.evaluate((el) => el.style.height), '213px');
    assert.match(await theirs.locator('.fl-caption').textContent() ?? '', new RegExp(`chart\\.png\\s*${(png.length / 1024).toFixed(1)} KB`));
    assert.equal(await img.getAttribute('alt'), 'chart.png');

    // Its download link serves the very bytes that were sent.
    const href = await theirs.getByTestId('file-download').getAttribute('href');
    assert.ok(href);
    const res = await fetch(new URL(href, portal.url));
    assert.equal(res.status, 200);
    assert.ok(Buffer.from(await res.arrayBuffer()).equals(png), 'downloaded bytes equal the upload');
    const opened = await theirs.locator('.fl-preview').getAttribute('href');
    assert.match(opened ?? '', /\/disk\/file\/\d+\/show/, 'the picture opens urlShow');

    const page = await restForm(annaHook, 'im.dialog.messages.get', { DIALOG_ID: ivan.id });
    const file = page.body.result.files.find((f: any) => f.name === 'chart.png');
    assert.deepEqual(file.image, { width: 360, height: 240 });
    await screenshot(pageB, 'files-dialog');
  });

  test('a file dropped onto a group chat is sent; one over the size limit is refused with the reason', { timeout: 60_000 }, async () => {
    const chat = await restForm(annaHook, 'im.chat.add', { TYPE: 'CHAT', TITLE: 'Design review', USERS: [ivan.id] });
    const chatDialog = `chat${chat.body.result}`;
    await pageA.goto(`${portal.url}/#/dialog/${chatDialog}`);
    await pageA.locator('[data-testid=dialog-title]', { hasText: 'Design review' }).waitFor();

    const transfer = await pageA.evaluateHandle(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['quarter notes\n'], 'notes.txt', { type: 'text/plain' }));
      return dt;
    });
    const target = pageA.locator('section.dialog');
    await target.dispatchEvent('dragenter', { dataTransfer: transfer });
    assert.match(await target.getAttribute('class') ?? '', /fl-dropping/, 'the dialog shows it takes the drop');
    await target.dispatchEvent('drop', { dataTransfer: transfer });
    const sent = message(pageA, 'notes.txt');
    await sent.getByTestId('file').waitFor();
    assert.match(await sent.locator('.fl-caption').textContent() ?? '', /notes\.txt\s*14 B/);
    assert.equal(await sent.getByTestId('file-image').count(), 0, 'a text file has no preview');
    assert.doesNotMatch(await target.getAttribute('class') ?? '', /fl-dropping/);

    await pageA.getByTestId('file-input').setInputFiles({ name: 'big.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(LIMIT + 200_000, 1) });
    const error = pageA.getByTestId('upload-error');
    await error.waitFor({ timeout: 30_000 });
    assert.match(await error.textContent() ?? '', /Not sent: big\.bin.*too large/i);
    await pageA.getByRole('button', { name: 'Dismiss' }).click();
    await error.waitFor({ state: 'detached' });
    const history = await restForm(annaHook, 'im.dialog.messages.get', { DIALOG_ID: chatDialog });
    assert.deepEqual(history.body.result.files.map((f: any) => f.name), ['notes.txt']);
  });

  test('the emoji picker inserts at the cursor by keyboard, and the emoji is sent', { timeout: 60_000 }, async () => {
    await pageA.goto(`${portal.url}/#/dialog/${ivan.id}`);
    const composer = pageA.getByTestId('composer');
    await composer.fill('Great  work');
    await composer.evaluate((el) => (el as HTMLTextAreaElement).setSelectionRange(6, 6));
    await pageA.getByTestId('emoji-button').focus();
    await pageA.keyboard.press('Enter');
    const picker = pageA.getByRole('dialog', { name: 'Emoji' });
    await picker.waitFor();
    assert.equal(await pageA.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'grinning face');
    // One row down and four to the right: the thirteenth, thumbs up.
    for (const key of ['ArrowDown', 'ArrowRight', 'ArrowRight', 'ArrowRight', 'ArrowRight']) await pageA.keyboard.press(key);
    assert.equal(await pageA.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'thumbs up');
    await pageA.keyboard.press('Enter');
    await picker.waitFor({ state: 'detached' });
    assert.equal(await composer.inputValue(), 'Great 👍 work');
    assert.equal(await pageA.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'composer');
    await composer.press('Enter');
    await message(pageB, 'Great 👍 work').waitFor();
    const history = await restForm(annaHook, 'im.dialog.messages.get', { DIALOG_ID: ivan.id, LIMIT: 1 });
    assert.equal(history.body.result.messages[0].text, 'Great 👍 work');

    // Escape closes the picker and gives focus back to its button.
    await pageA.getByTestId('emoji-button').click();
    await picker.waitFor();
    await pageA.keyboard.press('Escape');
    await picker.waitFor({ state: 'detached' });
    assert.equal(await pageA.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'emoji-button');
  });

  test('no page errors and no browser dialogs along the way', () => {
    assert.deepEqual(problems.flatMap((p) => p.errors), []);
    assert.deepEqual(problems.flatMap((p) => p.dialogs), []);
  });
});
