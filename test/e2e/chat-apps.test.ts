/**
 * Chat apps in the web messenger, in Debian's chromium: an IFRAME app (served by
 * test/fixtures/chat-app-frame.mjs on a loopback port of its own, so another origin) opened from the
 * composer's app bar and from a bot's KEYBOARD button — the frame's server-side checks of the hashes
 * and the Referer pass, BUTTON_PARAMS arrive in context mode — whose `send` writes as the user and
 * `close` closes it; JS SEND, PUT and SUPPORT apps do what they say; a popup moves and outlives the
 * dialog; and messages from a hostile window, with a wrong uniqueLoadId or from another origin are
 * ignored.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Frame, Page } from 'playwright-core';
import { restForm, testPortal } from '../helpers/portal.ts';
import { webhookFor } from '../helpers/suite.ts';
import { browserSkip, credentials, launchBrowser, screenshot, signIn, watchPage } from '../helpers/browser.ts';
import { makePng } from '../helpers/png.ts';
import { createApp } from '../../src/domain/apps.ts';
import { mintToken } from '../../src/auth/tokens.ts';
import { createLine } from '../../src/domain/lines/lines.ts';
// @ts-expect-error: a plain ESM fixture without types
import { startFrameServer } from '../fixtures/chat-app-frame.mjs';

const HASH = 'e2e0c0ffee0ddba11e2e0c0ffee0ddba';
const ANNA = 2;

describe('chat apps in the messenger', { skip: browserSkip() }, () => {
  let portal: Awaited<ReturnType<typeof testPortal>>;
  let frames: { port: number; close(): Promise<void> };
  let browser: Browser;
  let page: Page;
  let seen: ReturnType<typeof watchPage>;
  let asBot: (method: string, params: Record<string, unknown>) => Promise<any>;
  let annaHook: string;
  let bx: number;
  let frameApp: number;
  let kbMessage: number;

  /** The texts Anna's dialog with the bot holds, by author. */
  async function texts(): Promise<{ author: number; text: string }[]> {
    const r = await restForm(annaHook, 'im.dialog.messages.get', { DIALOG_ID: bx, LIMIT: 50 });
    return r.body.result.messages.map((m: any) => ({ author: Number(m.author_id), text: m.text }));
  }

  /** The open app frame, once its page has been told `init`. */
  async function openedFrame(): Promise<Frame> {
    const el = page.locator('[data-testid=chat-app-frame] iframe');
    await el.waitFor();
    const frame = (await el.elementHandle())!.contentFrame();
    const f = (await frame)!;
    await f.locator('#load-id').filter({ hasText: /^[0-9a-f]{32}$/ }).waitFor();
    return f;
  }

  const query = async (f: Frame) => JSON.parse((await f.locator('#query').textContent())!) as Record<string, string>;

  before(async () => {
    portal = await testPortal();
    frames = await startFrameServer(HASH);
    const db = portal.portal.db;
    const app = await createApp(db, { name: 'Frames', handlerUrl: 'http://127.0.0.1:9/app', scopes: ['imbot', 'im'], installUserId: 1 });
    await db.updateTable('apps').set({ installed: 1 }).where('id', '=', app.id).execute();
    const token = (await mintToken(portal.portal, db, { ...app, installed: 1 }, ANNA)).access_token;
    asBot = async (method, params) => {
      const r = await restForm(`${portal.url}/rest/`, method, { auth: token, ...params });
      assert.ok(r.body.result !== undefined, `${method}: ${JSON.stringify(r.body)}`);
      return r.body.result;
    };
    annaHook = await webhookFor(portal, ANNA, 'im');
    bx = await asBot('imbot.register', { CODE: 'framebot', EVENT_HANDLER: 'http://127.0.0.1:9/h', PROPERTIES: { NAME: 'Frame', LAST_NAME: 'Bot' } });
    frameApp = await asBot('imbot.app.register', {
      BOT_ID: bx, CODE: 'echoframe', IFRAME: `http://127.0.0.1:${frames.port}/frame`, IFRAME_WIDTH: 420, IFRAME_HEIGHT: 160, HASH,
      CONTEXT: 'BOT', ICON_FILE: makePng(108, 66).toString('base64'), LANG: [{ LANGUAGE_ID: 'en', TITLE: 'Echo frame', DESCRIPTION: 'Open the echo frame' }],
    });
    await asBot('imbot.app.register', {
      BOT_ID: bx, CODE: 'popframe', IFRAME: `http://127.0.0.1:${frames.port}/frame`, IFRAME_WIDTH: 300, IFRAME_HEIGHT: 140, IFRAME_POPUP: 'Y', HASH,
      CONTEXT: 'ALL', LANG: [{ LANGUAGE_ID: 'en', TITLE: 'Popup frame' }],
    });
    const line = await createLine(db, 1, { name: 'Frame support line', queue: [{ type: 'user', id: 3 }] });
    const { network_code: code } = await db.selectFrom('ol_lines').select('network_code').where('id', '=', line).executeTakeFirstOrThrow();
    await asBot('imbot.app.register', { BOT_ID: bx, CODE: 'support', JS_METHOD: 'SUPPORT', JS_PARAM: code, CONTEXT: 'BOT', LANG: [{ LANGUAGE_ID: 'en', TITLE: 'Support' }] });
    await asBot('imbot.app.register', { BOT_ID: bx, CODE: 'puthelp', JS_METHOD: 'PUT', JS_PARAM: '/help colours', CONTEXT: 'BOT', LANG: [{ LANGUAGE_ID: 'en', TITLE: 'Put help' }] });
    await asBot('imbot.app.register', { BOT_ID: bx, CODE: 'sayhello', JS_METHOD: 'SEND', JS_PARAM: '/hello from js', CONTEXT: 'BOT', LANG: [{ LANGUAGE_ID: 'en', TITLE: 'Say hello' }] });
    kbMessage = await asBot('imbot.message.add', {
      BOT_ID: bx, DIALOG_ID: ANNA, MESSAGE: 'Pick a colour in the app',
      KEYBOARD: [{ TEXT: 'Open the palette', APP_ID: frameApp, APP_PARAMS: 'palette=warm' }],
      MENU: [{ TEXT: 'Palette from the menu', APP_ID: frameApp, APP_PARAMS: 'palette=cool' }],
    });
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1100, height: 760 } })).newPage();
    seen = watchPage(page);
    const anna = credentials(portal.dataDir).find((l) => l.id === ANNA)!;
    await signIn(page, portal.url, anna);
    await page.goto(`${portal.url}/#/dialog/${bx}`);
    await page.locator('[data-testid=message]', { hasText: 'Pick a colour' }).waitFor();
  });

  after(async () => {
    await browser?.close();
    await frames?.close();
    await portal?.close();
  });

  test('the composer offers the bot\'s apps: the icon one as a button, the others under "more"', async () => {
    await page.locator('[data-testid=chat-apps-bar]').waitFor();
    await assert.doesNotReject(page.locator('[data-testid=chat-app][aria-label="Echo frame"]').waitFor());
    await page.locator('[data-testid=chat-apps-more]').click();
    await page.locator('[data-testid=chat-app]', { hasText: 'Say hello' }).waitFor();
    await page.locator('[data-testid=chat-apps-more]').click();
  });

  test('an IFRAME app from the composer: hashes and Referer check out; hostile messages are ignored; send and close work', async () => {
    await page.locator('[data-testid=chat-app][aria-label="Echo frame"]').click();
    const f = await openedFrame();
    assert.equal(await f.locator('#checks').textContent(), 'DOMAIN OK · USER OK · REFERER OK');
    const q = await query(f);
    assert.deepEqual([q.CONTEXT, q.USER_ID, q.DIALOG_ID, q.APP_ID, q.BOT_CODE, q.DIALOG_CONTEXT, q.DOMAIN], ['textarea', String(ANNA), String(bx), String(frameApp), 'framebot', 'bot', portal.url]);
    assert.equal(q.MESSAGE_ID, undefined);
    const box = await page.locator('[data-testid=chat-app-frame] iframe').boundingBox();
    assert.deepEqual([Math.round(box!.width), Math.round(box!.height)], [420, 160]);
    await screenshot(page, 'chat-app-frame');

    // A wrong uniqueLoadId from the frame itself.
    await f.evaluate(() => (window as any).frameSend({ action: 'send', message: 'hostile: wrong id', uniqueLoadId: 'f'.repeat(32) }));
    // The right id, from another window of the frame's origin: a page inside the frame posts to the messenger.
    await f.evaluate(async () => {
      const comm = (window as any).comm;
      const inner = document.createElement('iframe');
      inner.src = `/blank?up=2&post=${encodeURIComponent(JSON.stringify({ action: 'send', message: 'hostile: other window', uniqueLoadId: comm.id }))}`;
      await new Promise((resolve) => { inner.onload = resolve; document.body.append(inner); });
    });
    // Not a JSON string, and a JSON value that is no object.
    await f.evaluate(() => { const c = (window as any).comm; c.parent.postMessage({ action: 'send', message: 'hostile: object', uniqueLoadId: c.id }, c.origin); c.parent.postMessage('[1]', c.origin); });

    await f.locator('#send').click();
    await page.locator('[data-testid=message]', { hasText: 'Hello from the frame' }).waitFor();
    await page.waitForTimeout(300);
    const all = await texts();
    assert.ok(all.some((m) => m.author === ANNA && m.text === 'Hello from the frame'), JSON.stringify(all));
    assert.deepEqual(all.filter((m) => m.text.startsWith('hostile')), []);

    await f.locator('#close').click();
    await page.locator('[data-testid=chat-app-frame]').waitFor({ state: 'detached' });
  });

  test('another origin in the frame\'s window, knowing the id, cannot post', async () => {
    await page.locator('[data-testid=chat-app][aria-label="Echo frame"]').click();
    const f = await openedFrame();
    const id = (await f.locator('#load-id').textContent())!;
    // The frame's window goes to the same server under another name: another origin.
    // The frame's window goes to the same server under another name (another origin), whose page posts with the right id.
    const post = JSON.stringify({ action: 'send', message: 'hostile: other origin', uniqueLoadId: id });
    const navigated = page.waitForEvent('framenavigated', (x) => x.url().startsWith(`http://localhost:${frames.port}/`));
    await f.evaluate(([port, body]) => { location.href = `http://localhost:${port}/blank?up=1&post=${encodeURIComponent(body)}`; }, [frames.port, post] as const);
    const moved = await navigated;
    await moved.waitForFunction(() => document.title === 'posted');
    await page.waitForTimeout(500);
    assert.deepEqual((await texts()).filter((m) => m.text.startsWith('hostile')), []);
    await page.locator('[data-testid=chat-app-close]').click();
    await page.locator('[data-testid=chat-app-frame]').waitFor({ state: 'detached' });
  });

  test('a KEYBOARD button naming the app opens it in context mode with its BUTTON_PARAMS', async () => {
    await page.locator('[data-testid=message]', { hasText: 'Pick a colour' }).locator('[data-testid=kb-button]').click();
    const f = await openedFrame();
    assert.equal(await f.locator('#checks').textContent(), 'DOMAIN OK · USER OK · REFERER OK');
    const q = await query(f);
    assert.deepEqual([q.CONTEXT, q.MESSAGE_ID, q.BUTTON_PARAMS], ['button', String(kbMessage), 'palette=warm']);
    await screenshot(page, 'chat-app-keyboard');
    await f.locator('#close').click();
    await page.locator('[data-testid=chat-app-frame]').waitFor({ state: 'detached' });
  });

  test('a MENU item naming the app opens it in context mode with its own APP_PARAMS', async () => {
    const msg = page.locator('[data-testid=message]', { hasText: 'Pick a colour' });
    await msg.hover();
    await msg.locator('.menu-button').click();
    await msg.locator('[data-testid=menu-item]', { hasText: 'Palette from the menu' }).click();
    const f = await openedFrame();
    const q = await query(f);
    assert.deepEqual([q.CONTEXT, q.MESSAGE_ID, q.BUTTON_PARAMS], ['button', String(kbMessage), 'palette=cool']);
    await page.locator('[data-testid=chat-app-close]').click();
    await page.locator('[data-testid=chat-app-frame]').waitFor({ state: 'detached' });
  });

  test('an IFRAME_POPUP app opens in a window one moves, stays open in another dialog, and its put fills the composer', async () => {
    await page.locator('[data-testid=chat-apps-more]').click();
    await page.locator('[data-testid=chat-app]', { hasText: 'Popup frame' }).click();
    const f = await openedFrame();
    const popup = page.locator('[data-testid=chat-app-frame].chat-app-popup');
    await popup.waitFor();
    const before = (await popup.boundingBox())!;
    const head = (await popup.locator('.chat-app-head').boundingBox())!;
    await page.mouse.move(head.x + 20, head.y + head.height / 2);
    await page.mouse.down();
    await page.mouse.move(head.x + 120, head.y + head.height / 2 + 60, { steps: 5 });
    await page.mouse.up();
    const after = (await popup.boundingBox())!;
    assert.deepEqual([Math.round(after.x - before.x), Math.round(after.y - before.y)], [100, 60]);
    await f.evaluate(() => (window as any).frameSend({ action: 'put', message: 'put by the frame' }));
    await page.waitForFunction(() => document.querySelector<HTMLTextAreaElement>('[data-testid=composer]')?.value === 'put by the frame');
    await page.locator('[data-testid=composer]').fill('');
    // Another dialog: the popup stays (a panel would close).
    const ivan = credentials(portal.dataDir).find((l) => l.id === 3)!;
    await page.goto(`${portal.url}/#/dialog/3`);
    await page.locator('.dialog-title', { hasText: ivan.name }).waitFor();
    assert.equal(await popup.count(), 1);
    await page.locator('[data-testid=chat-app-close]').click();
    await popup.waitFor({ state: 'detached' });
    await page.goto(`${portal.url}/#/dialog/${bx}`);
    await page.locator('[data-testid=message]', { hasText: 'Pick a colour' }).waitFor();
  });

  test('a JS SEND app sends its text as the user', async () => {
    await page.locator('[data-testid=chat-apps-more]').click();
    await page.locator('[data-testid=chat-app]', { hasText: 'Say hello' }).click();
    await page.locator('[data-testid=message]', { hasText: '/hello from js' }).waitFor();
    assert.ok((await texts()).some((m) => m.author === ANNA && m.text === '/hello from js'));
    assert.deepEqual(seen.errors, []);
    assert.deepEqual(seen.dialogs, []);
  });

  test('a JS PUT app fills the composer; a JS SUPPORT app opens the dialog of the line its code names', async () => {
    await page.locator('[data-testid=chat-apps-more]').click();
    await page.locator('[data-testid=chat-app]', { hasText: 'Put help' }).click();
    await page.waitForFunction(() => document.querySelector<HTMLTextAreaElement>('[data-testid=composer]')?.value === '/help colours');
    await page.locator('[data-testid=composer]').fill('');
    await page.locator('[data-testid=chat-apps-more]').click();
    await page.locator('[data-testid=chat-app]', { hasText: 'Support' }).click();
    await page.locator('.dialog-title', { hasText: 'Frame support line' }).waitFor();
    assert.match(new URL(page.url()).hash, /^#\/dialog\/\d+$/);
    assert.notEqual(new URL(page.url()).hash, `#/dialog/${bx}`);
    assert.deepEqual(seen.errors, []);
  });
});
