/**
 * The apps' placements in Debian's chromium: an app's handlers (test/fixtures/placement-app.mjs, on
 * another loopback port, so another origin) bound to every IM place open where the messenger shows
 * them, each getting the form POST with its PLACEMENT_OPTIONS; a frame app on the official
 * @bitrix24/b24jssdk browser build, unchanged, initialises as a frame and writes into the open
 * dialog; a hostile frame posting with a wrong APP_SID, from another window or from another origin
 * gets no answer and sends nothing.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ROOT, restForm, spawnListening, testPortal, waitFor, type Child } from '../helpers/portal.ts';
import { webhookFor } from '../helpers/suite.ts';
import { browserSkip, credentials, launchBrowser, screenshot, signIn, watchPage } from '../helpers/browser.ts';
import { createApp } from '../../src/domain/apps.ts';
import { mintToken } from '../../src/auth/tokens.ts';
import type { App } from '../../src/domain/types.ts';

const skip = browserSkip();
const ANNA = 2;
const IVAN = 3;
const MARIA = 4;

describe('placements in the messenger', { skip }, () => {
  let portal: Awaited<ReturnType<typeof testPortal>>;
  let fixture: Child;
  let app: App;
  let browser: Browser;
  let page: Page;
  let ivanHook: string;
  let mariaHook: string;
  let problems: { dialogs: string[]; errors: string[] };

  const log = async (): Promise<{ posts: any[]; reports: any[] }> => (await fetch(`${fixture.url}log`)).json();
  const report = (what: string) => waitFor(`the frame's report ${what}`, async () => (await log()).reports.find((r) => r.what === what || r.what === 'error'));
  const lastPost = async (n: number) => waitFor(`POST number ${n}`, async () => {
    const { posts } = await log();
    return posts.length >= n ? posts[n - 1] : undefined;
  });
  // What Anna's dialog with Ivan (or with Maria, the hostile frame's) holds.
  const texts = async (hook = ivanHook) => (await restForm(hook, 'im.dialog.messages.get', { DIALOG_ID: ANNA, LIMIT: 50 })).body.result.messages.map((m: any) => m.text);

  before(async () => {
    portal = await testPortal();
    fixture = await spawnListening(process.execPath, [path.join(ROOT, 'test/fixtures/placement-app.mjs')]);
    const db = portal.portal.db;
    const created = await createApp(db, { name: 'Team tools', handlerUrl: fixture.url, scopes: ['placement', 'im'], installUserId: 1 });
    await db.updateTable('apps').set({ installed: 1 }).where('id', '=', created.id).execute();
    app = { ...created, installed: 1 };
    const admin = (await mintToken(portal.portal, db, app, 1)).access_token;
    const bind = async (params: Record<string, unknown>) => {
      const res = await restForm(`${portal.url}/rest/`, 'placement.bind', { ...params, auth: admin });
      assert.equal(res.body.result, true, JSON.stringify(res.body));
    };
    const at = (p: string) => `${fixture.url}${p}`;
    await bind({ PLACEMENT: 'IM_NAVIGATION', HANDLER: at('echo?kind=nav'), TITLE: 'Team board', OPTIONS: { iconName: 'fa-check' } });
    await bind({ PLACEMENT: 'IM_SIDEBAR', HANDLER: at('echo?kind=sidebar'), TITLE: 'Notes', OPTIONS: { iconName: 'fa-bug', color: 'AQUA', context: 'USER;CHAT' } });
    await bind({ PLACEMENT: 'IM_SIDEBAR', HANDLER: at('hostile'), TITLE: 'Hostile', OPTIONS: { iconName: 'fa-bomb', color: 'RED' } });
    await bind({ PLACEMENT: 'IM_CONTEXT_MENU', HANDLER: at('echo?kind=menu'), TITLE: 'Make a task' });
    await bind({ PLACEMENT: 'IM_SMILES_SELECTOR', HANDLER: at('echo?kind=smiles'), TITLE: 'Stickers' });
    await bind({ PLACEMENT: 'IM_TEXTAREA', HANDLER: at('sdk-app'), TITLE: 'Polls', OPTIONS: { iconName: 'fa-bars', color: 'GRAPHITE', width: 420, height: 260 } });
    ivanHook = await webhookFor(portal, IVAN, 'im');
    mariaHook = await webhookFor(portal, MARIA, 'im');
    await restForm(mariaHook, 'im.message.add', { DIALOG_ID: ANNA, MESSAGE: 'Hi Anna' });
    await restForm(ivanHook, 'im.message.add', { DIALOG_ID: ANNA, MESSAGE: 'Morning, Anna' });
    browser = await launchBrowser();
    page = await (await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } })).newPage();
    problems = watchPage(page);
    await signIn(page, portal.url, credentials(portal.dataDir).find((l) => l.id === ANNA)!);
  });
  after(async () => {
    await browser?.close();
    await fixture?.stop();
    await portal?.close();
  });

  const frameOf = () => page.frameLocator('[data-testid=placement-iframe]');
  const opened = async (placement: string, kind: string) => {
    const box = page.locator(`[data-testid=placement-frame][data-placement=${placement}]`);
    await box.waitFor();
    assert.ok((await box.getAttribute('class'))?.split(' ').includes(kind), `${placement} opens as ${kind}`);
  };

  test('each IM place opens its handler where the messenger shows it, by a form POST with its PLACEMENT_OPTIONS', { timeout: 90_000 }, async () => {
    const domain = new URL(portal.url).host;
    const checkPost = (post: any, placement: string, options: Record<string, unknown>) => {
      assert.equal(post.form.PLACEMENT, placement);
      assert.deepEqual(JSON.parse(post.form.PLACEMENT_OPTIONS), options);
      assert.match(post.contentType, /^application\/x-www-form-urlencoded/);
      assert.equal(post.query.DOMAIN, domain);
      assert.equal(post.query.PROTOCOL, '0');
      assert.equal(post.query.LANG, 'en');
      assert.match(post.query.APP_SID, /^[0-9a-f]{32}$/);
      assert.ok(post.form.AUTH_ID && post.form.REFRESH_ID && Number(post.form.AUTH_EXPIRES) > 0);
      assert.equal(post.form.member_id, portal.portal.memberId);
      assert.equal(post.form.APPLICATION_TOKEN, app.application_token);
      assert.equal(post.form.SERVER_ENDPOINT, `${portal.url}/rest/`);
    };
    // The navigation: in the left pane, over the main pane, not tied to a dialog.
    await page.getByTestId('placement-navigation').filter({ hasText: 'Team board' }).click();
    await opened('IM_NAVIGATION', 'main');
    await frameOf().locator('#placement', { hasText: 'IM_NAVIGATION' }).waitFor();
    checkPost(await lastPost(1), 'IM_NAVIGATION', { URI: '/online/' });
    await page.getByTestId('placement-close').click();

    await page.goto(`${portal.url}/#/dialog/${IVAN}`);
    const message = page.locator('[data-testid=message]', { hasText: 'Morning, Anna' });
    await message.waitFor();
    const messageId = Number(await message.getAttribute('data-message-id'));
    // The sidebar: in the dialog's header, a slider at the right.
    await page.locator('[data-testid=placement-sidebar][title=Notes]').click();
    await opened('IM_SIDEBAR', 'slider');
    await frameOf().locator('#placement', { hasText: 'IM_SIDEBAR' }).waitFor();
    checkPost(await lastPost(2), 'IM_SIDEBAR', { dialogId: String(IVAN), URI: '/online/' });
    await page.getByTestId('placement-close').click();
    // A message's menu: the app gets the message.
    await message.hover();
    await message.getByRole('button', { name: 'Message actions' }).click();
    await message.getByTestId('placement-menu-item').filter({ hasText: 'Make a task' }).click();
    await opened('IM_CONTEXT_MENU', 'slider');
    checkPost(await lastPost(3), 'IM_CONTEXT_MENU', { dialogId: String(IVAN), messageId, URI: '/online/' });
    await page.getByTestId('placement-close').click();
    // The smiles picker: a popup above the composer.
    await page.getByTestId('emoji-button').click();
    await page.getByTestId('placement-smiles').filter({ hasText: 'Stickers' }).click();
    await opened('IM_SMILES_SELECTOR', 'popup');
    checkPost(await lastPost(4), 'IM_SMILES_SELECTOR', { dialogId: String(IVAN), URI: '/online/' });
    await frameOf().locator('#placement', { hasText: 'IM_SMILES_SELECTOR' }).waitFor();
    await page.getByTestId('placement-close').click();
    assert.deepEqual(problems, { dialogs: [], errors: [] });
  });

  test('a hostile frame: a wrong APP_SID, another window, another origin get no answer and send nothing', { timeout: 90_000 }, async () => {
    await page.goto(`${portal.url}/#/dialog/${MARIA}`);
    await page.locator('[data-testid=placement-sidebar][title=Hostile]').click();
    await opened('IM_SIDEBAR', 'slider');
    // Only the sentinels (the right window, origin and APP_SID) were answered, and only one was sent.
    const hostile = await report('hostile');
    assert.equal(hostile.what, 'hostile', JSON.stringify(hostile));
    assert.deepEqual(hostile.data, ['h8:{"command":["insertText","sendText"],"event":[]}', 'h9:{"result":true}']);
    await page.locator('[data-testid=message]', { hasText: 'hostile: sentinel' }).waitFor();
    const seen = await texts(mariaHook);
    assert.ok(seen.includes('hostile: sentinel'));
    assert.deepEqual(seen.filter((t: string) => t.startsWith('hostile:') && t !== 'hostile: sentinel'), []);
    // The placement's own window, gone to another origin, with the right APP_SID.
    const other = await report('other-origin');
    assert.equal(other.what, 'other-origin', JSON.stringify(other));
    assert.deepEqual(other.data, []);
    await page.getByTestId('placement-close').click();
  });

  test('a frame app on the official b24jssdk initialises in the composer\'s place and writes into the open dialog', { timeout: 90_000 }, async () => {
    await page.goto(`${portal.url}/#/dialog/${IVAN}`);
    await page.getByTestId('placement-textarea').click();
    await opened('IM_TEXTAREA', 'popup');
    const init = await report('init');
    assert.equal(init.what, 'init', JSON.stringify(init));
    const post = (await log()).posts.find((p) => p.path === '/sdk-app');
    assert.deepEqual(init.data.options, { dialogId: String(IVAN), URI: '/online/' });
    assert.equal(init.data.placement, 'IM_TEXTAREA');
    assert.equal(init.data.sid, post.query.APP_SID);
    assert.equal(init.data.origin, portal.url);
    assert.equal(init.data.lang, 'en');
    assert.equal(init.data.admin, false);
    // The SDK's token is the app's, for Anna.
    const info = await restForm(`${portal.url}/rest/`, 'app.info', { auth: (await report('token')).data });
    assert.equal(info.body.result.CODE, app.code);
    assert.deepEqual((await report('interface')).data, { command: ['insertText', 'sendText'], event: [] });
    const sent = await report('sent');
    assert.equal(sent.data.ok, true, JSON.stringify(sent.data));
    // The message is in the messenger (live) and in the dialog, Anna's.
    await page.locator('[data-testid=message]', { hasText: 'Hello from b24jssdk' }).waitFor();
    const stored = (await restForm(ivanHook, 'im.dialog.messages.get', { DIALOG_ID: ANNA })).body.result.messages.find((m: any) => m.text === 'Hello from b24jssdk');
    assert.equal(stored.author_id, ANNA);
    assert.equal(stored.id, sent.data.result);
    await page.getByTestId('placement-title').filter({ hasText: 'Polls by the SDK' }).waitFor();
    assert.ok((await report('refreshed')).data.token);
    assert.deepEqual((await report('inserted')).data, { result: true });
    assert.equal(await page.getByTestId('composer').inputValue(), 'typed by the app');
    assert.equal((await report('unknown')).data.error, 'UNKNOWN_COMMAND');
    // The other-origin frame of the test before sent nothing (this message came after it).
    assert.ok(!(await texts(mariaHook)).includes('hostile: other origin'));
    await screenshot(page, 'placements');

    // openApplication (the SDK's slider.openSliderAppPage): the app's own page, PLACEMENT DEFAULT, in
    // the slider, with the params as its PLACEMENT_OPTIONS (bx24_title is the slider's title, not an option).
    const sdkFrame = page.frames().find((f) => f.url().includes('/sdk-app'))!;
    await sdkFrame.evaluate(() => void (window as any).openAppPage());
    await opened('DEFAULT', 'slider');
    await page.getByTestId('placement-title').filter({ hasText: 'Poll report' }).waitFor();
    const own = await waitFor('the app page\'s POST', async () => (await log()).posts.find((p) => p.path === '/' && p.form.PLACEMENT === 'DEFAULT'));
    assert.deepEqual(JSON.parse(own.form.PLACEMENT_OPTIONS), { view: 'report' });
    assert.notEqual(own.query.APP_SID, post.query.APP_SID, 'a frame of its own');
    assert.equal((await restForm(`${portal.url}/rest/`, 'user.current', { auth: own.form.AUTH_ID })).body.result.ID, String(ANNA));
    await frameOf().locator('#placement', { hasText: 'DEFAULT' }).waitFor();
    assert.deepEqual(problems, { dialogs: [], errors: [] });
  });
});
