/**
 * Mentions and alerts end to end in Debian's chromium, two browser contexts of two users: Anna picks
 * Ivan from the composer's @ list; Ivan's context — with the notification permission granted and
 * `Notification` observed through an init script — gets the bell's count, the entry in the panel,
 * a desktop notification whose click opens the chat, the count in the tab's title and favicon, and a
 * chime. A chat Ivan muted stays silent, except for a mention. A context never asked before shows
 * the in-app prompt once.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { restForm, testPortal, waitFor } from '../helpers/portal.ts';
import { webhookFor } from '../helpers/suite.ts';
import { browserSkip, credentials, launchBrowser, screenshot, signIn, watchPage, type Login } from '../helpers/browser.ts';

const skip = browserSkip();

interface Seen { title: string; body: string; tag: string }

/**
 * Record every Notification the page constructs (keeping it, to click) and every tone the chime plays.
 * Plain script text: a class written in this file would reach the page compiled with helpers it lacks.
 */
const OBSERVE_ALERTS = `
  window.__notes = [];
  window.__tones = 0;
  const Real = window.Notification;
  class Observed extends Real {
    constructor(title, options) {
      super(title, options);
      window.__notes.push({ title, body: (options && options.body) || '', tag: (options && options.tag) || '', n: this });
    }
  }
  Object.defineProperty(Observed, 'permission', { get: () => Real.permission });
  Observed.requestPermission = Real.requestPermission.bind(Real);
  window.Notification = Observed;
  const osc = AudioContext.prototype.createOscillator;
  AudioContext.prototype.createOscillator = function () {
    window.__tones++;
    return osc.call(this);
  };
`;

describe('mentions, desktop notifications and the tab badge', { skip }, () => {
  let portal: Awaited<ReturnType<typeof testPortal>>;
  let browser: Browser;
  let anna: Login;
  let ivan: Login;
  let annaHook: string;
  let ivanHook: string;
  let ctxA: BrowserContext;
  let ctxB: BrowserContext;
  let pageA: Page;
  let pageB: Page;
  let team = 0;
  const problems: { dialogs: string[]; errors: string[] }[] = [];

  const notes = (): Promise<Seen[]> => pageB.evaluate(() => (window as any).__notes.map(({ title, body, tag }: Seen) => ({ title, body, tag })));
  const noteWith = (body: string) => waitFor(`a desktop notification with "${body}"`, async () => (await notes()).find((n) => n.body.includes(body)));
  const say = (hook: string, dialog: string, text: string) => restForm(hook, 'im.message.add', { DIALOG_ID: dialog, MESSAGE: text });

  before(async () => {
    portal = await testPortal();
    const logins = credentials(portal.dataDir);
    anna = logins.find((l) => l.id === 2)!;
    ivan = logins.find((l) => l.id === 3)!;
    annaHook = await webhookFor(portal, anna.id, 'im');
    ivanHook = await webhookFor(portal, ivan.id, 'im');
    team = (await restForm(annaHook, 'im.chat.add', { TITLE: 'Release', USERS: [3, 4] })).body.result;
    browser = await launchBrowser();
    ctxA = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
    ctxB = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
    await ctxB.grantPermissions(['notifications']);
    await ctxB.addInitScript({ content: OBSERVE_ALERTS });
    pageA = await ctxA.newPage();
    pageB = await ctxB.newPage();
    problems.push(watchPage(pageA), watchPage(pageB));
    await signIn(pageA, portal.url, anna);
    await signIn(pageB, portal.url, ivan);
    // Ivan reads the chat he was added to, so the counts below are the mention's alone.
    await restForm(ivanHook, 'im.dialog.read', { DIALOG_ID: `chat${team}` });
  });

  after(async () => {
    await browser?.close();
    await portal?.close();
  });

  test('@ lists the chat\'s members; Enter puts the mention in, and the message links the person', { timeout: 60_000 }, async () => {
    await pageA.goto(`${portal.url}/#/dialog/chat${team}`);
    await pageA.locator('[data-testid=dialog-title]', { hasText: 'Release' }).waitFor();
    const composer = pageA.getByTestId('composer');
    await composer.pressSequentially('@');
    // Only "@": everyone first (a group chat), then the members, never oneself.
    const options = pageA.getByTestId('mention-option');
    await options.first().waitFor();
    const offered = await options.locator('b').allTextContents();
    assert.deepEqual([offered[0], ...offered.slice(1).sort()], ['Everyone', 'Maria Garcia', 'Иван Сидоров']);
    assert.equal(await composer.getAttribute('aria-controls'), 'mention-list');
    await composer.pressSequentially('ив');
    await pageA.getByTestId('mention-option').filter({ hasText: 'Иван Сидоров' }).waitFor();
    assert.equal(await options.count(), 1);
    assert.equal(await composer.getAttribute('aria-activedescendant'), 'mention-0');
    await screenshot(pageA, 'mention-autocomplete');
    await composer.press('Enter');
    assert.equal(await composer.inputValue(), '[USER=3]Иван Сидоров[/USER] ');
    assert.equal(await pageA.getByTestId('mention-list').count(), 0, 'the list closes once chosen');
    // Escape closes a list without choosing; Tab chooses like Enter.
    await composer.pressSequentially('and @Ma');
    await options.filter({ hasText: 'Maria Garcia' }).waitFor();
    await composer.press('Escape');
    assert.equal(await pageA.getByTestId('mention-list').count(), 0);
    await composer.fill('[USER=3]Иван Сидоров[/USER] please review the notes');
    await composer.press('Enter');
    const sent = pageA.locator('[data-testid=message]', { hasText: 'please review the notes' });
    await sent.waitFor();
    assert.equal(await sent.locator('.bx-user').textContent(), 'Иван Сидоров');
  });

  test('the person named gets the count, the entry, a desktop notification, and the tab badge', { timeout: 60_000 }, async () => {
    const count = pageB.getByTestId('notify-count');
    await count.filter({ hasText: /^1$/ }).waitFor();
    const note = await noteWith('please review the notes');
    // The chat is not muted: the message itself is announced, in the chat's name.
    assert.equal(note.title, 'Release');
    assert.equal(note.body, 'Анна Петрова: Иван Сидоров please review the notes');
    assert.equal(note.tag, `parley-chat-${team}`);
    assert.ok(await pageB.evaluate(() => (window as any).__tones) > 0, 'the chime played');
    // Unread: the message and the mention.
    await waitFor('the title counts', async () => (await pageB.title()) === '(2) Parley');
    assert.match(await pageB.locator('link[rel=icon]').getAttribute('href') ?? '', /^data:image\/png;base64,/);
    assert.equal(await pageB.getByTestId('desktop-prompt').count(), 0, 'permission already granted: no prompt');

    await pageB.getByTestId('notify-bell').click();
    const entry = pageB.getByTestId('notification').first();
    await entry.waitFor();
    assert.equal(await entry.locator('.ntf-text').textContent(), 'Mentioned you in the chat “Release”');
    assert.equal(await entry.locator('.ntf-from').textContent(), anna.name);
    await pageB.keyboard.press('Escape');
  });

  test('clicking the desktop notification opens the chat, which reads the mention', { timeout: 60_000 }, async () => {
    await pageB.evaluate(() => (window as any).__notes.at(-1).n.onclick());
    await pageB.locator('[data-testid=dialog-title]', { hasText: 'Release' }).waitFor();
    assert.equal(new URL(pageB.url()).hash, `#/dialog/chat${team}`);
    await pageB.getByTestId('notify-count').waitFor({ state: 'detached' });
    await waitFor('the title clears', async () => (await pageB.title()) === 'Parley');
    assert.equal(await pageB.locator('link[rel=icon]').getAttribute('href'), '/favicon.svg');
  });

  test('a muted chat stays silent, a mention in it still comes through', { timeout: 60_000 }, async () => {
    await pageB.goto(`${portal.url}/#/`);
    await pageB.locator('.empty-main').waitFor();
    await restForm(ivanHook, 'im.chat.mute', { CHAT_ID: team, MUTE: 'Y' });
    const before = (await notes()).length;
    await say(annaHook, `chat${team}`, 'muted chatter nobody is told of');
    // The sentinel: a later message in Ivan's private dialog is announced; the muted one, before it, was not.
    await say(annaHook, '3', 'a word in private');
    const personal = await noteWith('a word in private');
    assert.equal(personal.title, anna.name);
    assert.deepEqual((await notes()).slice(before).map((n) => n.body), ['a word in private']);

    await say(annaHook, `chat${team}`, '[USER=3]Иван Сидоров[/USER] this one is for you');
    const mention = await noteWith('this one is for you');
    assert.equal(mention.title, 'Анна Петрова mentioned you in “Release”');
    assert.equal(mention.tag, `parley-chat-${team}`);
    await pageB.getByTestId('notify-count').filter({ hasText: /^1$/ }).waitFor();
    assert.equal((await notes()).slice(before).length, 2, 'nothing else was announced');
  });

  test('turning the sound off is remembered; the next alert is silent', { timeout: 60_000 }, async () => {
    await pageB.getByTestId('notify-bell').click();
    const sound = pageB.getByTestId('alert-sound');
    assert.equal(await sound.isChecked(), true, 'on by default');
    assert.equal(await pageB.getByTestId('alert-desktop').isChecked(), true);
    await sound.uncheck();
    await pageB.keyboard.press('Escape');
    await pageB.reload();
    await pageB.locator('.sidebar').waitFor();
    await pageB.getByTestId('notify-bell').click();
    assert.equal(await pageB.getByTestId('alert-sound').isChecked(), false, 'remembered across a reload');
    await pageB.keyboard.press('Escape');
    const tones = await pageB.evaluate(() => (window as any).__tones);
    await say(annaHook, '3', 'quietly now');
    await noteWith('quietly now');
    assert.equal(await pageB.evaluate(() => (window as any).__tones), tones, 'no chime');
  });

  test('a browser never asked shows the in-app prompt once; the answer is remembered', { timeout: 60_000 }, async () => {
    const ctxC = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
    try {
      const page = await ctxC.newPage();
      problems.push(watchPage(page));
      await signIn(page, portal.url, anna);
      const prompt = page.getByTestId('desktop-prompt');
      await prompt.waitFor();
      await screenshot(page, 'desktop-prompt');
      await page.getByTestId('desktop-prompt-later').click();
      await prompt.waitFor({ state: 'detached' });
      await page.reload();
      await page.locator('.sidebar').waitFor();
      await page.getByTestId('notify-bell').waitFor();
      assert.equal(await prompt.count(), 0, 'not asked again');
      assert.equal(await page.evaluate(() => localStorage.getItem('parley.alerts.asked')), '1');
    } finally {
      await ctxC.close();
    }
  });

  test('"@all" offers everyone: [USER=all] goes in, and each member is told, the muted chat notwithstanding', { timeout: 60_000 }, async () => {
    const composer = pageA.getByTestId('composer');
    await pageA.goto(`${portal.url}/#/dialog/chat${team}`);
    await pageA.locator('[data-testid=dialog-title]', { hasText: 'Release' }).waitFor();
    await composer.pressSequentially('@al');
    const options = pageA.getByTestId('mention-option');
    await options.filter({ hasText: 'Everyone' }).waitFor();
    assert.equal(await options.count(), 1, 'no member is called "al…"');
    assert.equal(await options.first().locator('.title').textContent(), 'everyone in this chat is notified');
    await composer.press('Enter');
    assert.equal(await composer.inputValue(), '[USER=all]Everyone[/USER] ');
    await composer.pressSequentially('standup in five');
    await composer.press('Enter');
    const sent = pageA.locator('[data-testid=message]', { hasText: 'standup in five' });
    await sent.waitFor();
    assert.equal(await sent.locator('.bx-user').textContent(), 'Everyone');
    // Ivan muted the chat earlier: a mention of all still reaches him, as a mention does.
    const note = await noteWith('standup in five');
    assert.equal(note.title, 'Анна Петрова mentioned you in “Release”');
  });

  test('no page errors or browser dialogs', () => {
    for (const p of problems) {
      assert.deepEqual(p.errors, []);
      assert.deepEqual(p.dialogs, []);
    }
  });
});
