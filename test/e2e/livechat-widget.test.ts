/**
 * The website live chat as a site's visitor and the line's operator see it, in a real chromium: a
 * static test site on another port embeds the widget with its one line of HTML; a visitor opens the
 * bubble, fills the line's form, writes; the line's bot (test/fixtures/echo-bot.mjs as a type O bot,
 * a real process) answers with a keyboard and the visitor presses its button; "0" asks for a person;
 * the operator (the real messenger, a second browser context) takes the conversation and answers, the
 * visitor sees it and the operator's typing live; read marks both ways (the visitor's messages show as
 * read, the messenger's receipt names the visitor) and the bubble's unread badge while the widget is
 * closed; files go both ways (the visitor's paperclip sends a
 * picture the operator sees in the messenger, the operator's file from the messenger reaches the
 * widget live and its link downloads it; an over-size file is refused before any upload); the bot's context menu
 * sends its command; the operator finishes and the visitor rates; a reload
 * keeps the conversation (a returning visitor's is loaded hidden for the badge) and the held keyboard; a second visitor sees nothing of the first; the host page can read nothing
 * of the conversation (a closed shadow root, a cross-origin frame) and gains no global name; the XSS
 * corpus sent as a visitor's name and messages runs nothing in the widget or in the messenger.
 * Without a browser: widget.js's headers, the standalone page and its 404, frame-ancestors.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { ROOT, spawnListening, testPortal, waitFor, type Child } from '../helpers/portal.ts';
import { installEchoBot } from '../helpers/suite.ts';
import { browserSkip, credentials, launchBrowser, screenshot, signIn, watchPage } from '../helpers/browser.ts';
import { XSS_TEXTS } from '../helpers/xss-corpus.ts';
import { makePng } from '../helpers/png.ts';
import { createLine } from '../../src/domain/lines/lines.ts';
import { lastSession } from '../../src/domain/lines/sessions.ts';

const skip = browserSkip();
const ANNA = 2;
const HOSTILE_NAME = '<img src=x onerror="window.__xss=100">Eve';
/** The portal's PARLEY_FILE_MAX_BYTES here, so the widget's over-size refusal is quick to reach. */
const FILE_MAX = 256 * 1024;

describe('the live chat widget on a website', { skip }, () => {
  let portal: Awaited<ReturnType<typeof testPortal>>;
  let bot: Child;
  let site: http.Server;
  let siteUrl = '';
  let code = '';
  let lineId = 0;
  let browser: Browser;
  let visitor: Page;
  let operator: Page;
  let firstChat = 0;
  const problems: { dialogs: string[]; errors: string[] }[] = [];

  /** Open a page of the test site in a new context (a visitor's browser). */
  async function visit(viewport = { width: 1200, height: 800 }): Promise<{ ctx: BrowserContext; page: Page }> {
    const ctx = await browser.newContext({ locale: 'en-US', viewport });
    // The test looks into the widget's closed shadow root (the badge) as any script of the host page
    // could, by wrapping attachShadow first; kept in a non-enumerable property, so no global name shows.
    await ctx.addInitScript(() => {
      const attach = Element.prototype.attachShadow;
      const roots: ShadowRoot[] = [];
      Object.defineProperty(window, '__parleyRoots', { value: roots, enumerable: false });
      Element.prototype.attachShadow = function (init) {
        const root = attach.call(this, init);
        roots.push(root);
        return root;
      };
    });
    const page = await ctx.newPage();
    problems.push(watchPage(page));
    await page.goto(siteUrl);
    return { ctx, page };
  }
  /** The bubble's unread badge as shown (null when hidden). */
  const badgeOf = (page: Page) => page.evaluate(() => {
    const root = ((window as any).__parleyRoots as ShadowRoot[])[0];
    const b = root?.querySelector<HTMLElement>('[data-parley-badge]');
    return b && !b.hidden ? b.textContent : null;
  });
  /** The conversation frame the widget opened on a page. */
  const chatFrame = (page: Page) => waitFor('the conversation frame', async () => page.frames().find((f) => f.url().includes('/online/') && f.url().includes('embed=1')));
  /** Click the bubble where the line puts it (bottom right, 20px from the edges, 56px wide): it is in a closed shadow root. */
  async function clickBubble(page: Page) {
    const { width, height } = page.viewportSize()!;
    await page.waitForFunction(() => !!document.querySelector('[data-parley-widget]'));
    // The bubble is drawn once the config came: wait until something is painted there.
    await page.waitForFunction(([x, y]) => document.elementFromPoint(x, y)?.hasAttribute('data-parley-widget'), [width - 48, height - 48]);
    await page.mouse.click(width - 48, height - 48);
    return chatFrame(page);
  }
  const msg = (f: Frame, text: string | RegExp) => f.locator('[data-testid=lc-message]', { hasText: text });
  const session = async (chatId: number) => (await lastSession(portal.portal.db, chatId))!;

  before(async () => {
    site = http.createServer((_req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      // The page notes its own globals first: the widget must add none.
      res.end(`<!doctype html><html><head><meta charset="utf-8"><title>Test shop</title>
<script>window.__before = Object.keys(window);</script></head>
<body style="font-family:sans-serif;background:#fafafa"><h1>Test shop</h1><p>Lamps, chairs and tables since 1999.</p>
<script src="${portal.url}/widget.js" data-line="${code}" async></script></body></html>`);
    });
    await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/`;
    portal = await testPortal({ fileMaxBytes: FILE_MAX });
    bot = await spawnListening(process.execPath, [path.join(ROOT, 'test/fixtures/echo-bot.mjs'), '0', 'O']);
    const { botId } = await installEchoBot(portal, bot);
    lineId = await createLine(portal.portal.db, 1, {
      name: 'Shop', queue: [{ type: 'user', id: ANNA }],
      params: {
        QUEUE_TYPE: 'strictly', CHECK_AVAILABLE: 'N', WELCOME_BOT_ENABLE: 'Y', WELCOME_BOT_ID: botId, WELCOME_BOT_TIME: 0,
        LIVECHAT_TITLE: 'Shop help', LIVECHAT_COLOR: '#e8590c', LIVECHAT_GREETING: 'Hi! Ask us [b]anything[/b].',
        LIVECHAT_FORM_NAME: 'required', LIVECHAT_FORM_EMAIL: 'optional', LIVECHAT_ORIGINS: [siteUrl.replace(/\/$/, '')],
      },
    });
    code = (await portal.portal.db.selectFrom('ol_lines').select('livechat_code').where('id', '=', lineId).executeTakeFirstOrThrow()).livechat_code;
    browser = await launchBrowser();
    const ctx = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 820 } });
    operator = await ctx.newPage();
    problems.push(watchPage(operator));
    await signIn(operator, portal.url, credentials(portal.dataDir).find((l) => l.id === ANNA)!);
    await operator.locator('[data-testid=tab-lines]').click();
  });

  after(async () => {
    await browser?.close();
    await bot?.stop();
    await portal?.close();
    await new Promise((r) => site?.close(r));
  });

  test('widget.js, the standalone page and the conversation page over HTTP', async () => {
    const js = await fetch(`${portal.url}/widget.js`);
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type') ?? '', /javascript/);
    assert.equal(js.headers.get('access-control-allow-origin'), '*');
    assert.match(js.headers.get('cache-control') ?? '', /max-age=300/);
    assert.match(await js.text(), /^\(function\(\)\{/, 'one IIFE: no global name');
    const page = await fetch(`${portal.url}/online/${code}`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), new RegExp(`<script src="/widget.js" data-line="${code}" data-mode="page" async>`));
    const embed = await fetch(`${portal.url}/online/${code}?embed=1`);
    assert.equal(embed.status, 200);
    assert.match(embed.headers.get('content-security-policy') ?? '', new RegExp(`frame-ancestors 'self' ${siteUrl.replace(/\/$/, '')}(;|$)`));
    assert.equal((await fetch(`${portal.url}/online/${'ab'.repeat(12)}`)).status, 404);
    assert.equal((await fetch(`${portal.url}/online/not-a-code?embed=1`)).status, 404);
    const closed = await createLine(portal.portal.db, 1, { name: 'Closed', active: false });
    const closedCode = (await portal.portal.db.selectFrom('ol_lines').select('livechat_code').where('id', '=', closed).executeTakeFirstOrThrow()).livechat_code;
    assert.equal((await fetch(`${portal.url}/online/${closedCode}`)).status, 404);
  });

  test('a visitor opens the bubble, fills the form, writes; the bot answers with a keyboard; a press reaches it', { timeout: 60_000 }, async () => {
    ({ page: visitor } = await visit());
    const f = await clickBubble(visitor);
    await f.locator('[data-testid=lc-title]', { hasText: 'Shop help' }).waitFor();
    await f.locator('[data-testid=lc-greeting] b', { hasText: 'anything' }).waitFor();
    // The name is required: the form will not start without it.
    await f.locator('[data-testid=lc-start]').click();
    assert.equal(await f.locator('[data-testid=lc-composer]').count(), 0);
    await f.locator('[data-testid=lc-field-name]').fill(HOSTILE_NAME);
    await f.locator('[data-testid=lc-start]').click();
    await f.locator('[data-testid=lc-composer]').fill('keyboard please');
    await f.locator('[data-testid=lc-send]').click();
    await msg(f, 'keyboard please').and(f.locator('[data-kind=visitor]')).waitFor();
    const visitorRow = await portal.portal.db.selectFrom('ol_livechat_visitors').selectAll().where('line_id', '=', lineId).executeTakeFirstOrThrow();
    firstChat = Number(visitorRow.chat_id);
    assert.equal(visitorRow.name, 'img src=x onerror="window.__xss=100"Eve');
    await msg(f, 'Welcome! I repeat what you say.').waitFor();
    const pick = msg(f, 'Pick one');
    await pick.waitFor();
    await pick.locator('[data-testid=lc-kb-button]', { hasText: 'Hold on' }).click();
    // BLOCK=Y: the keyboard holds until the bot answers.
    assert.equal(await pick.locator('[data-testid=lc-kb-button]', { hasText: 'Hold on' }).isDisabled(), true);
    // ONIMCOMMANDADD went to the bot, which answered the command.
    const press = await waitFor('ONIMCOMMANDADD', async () => ((await (await fetch(`${bot.url}events`)).json()) as any[])
      .find((e) => e.event === 'ONIMCOMMANDADD' && e.replies?.length && Object.values(e.data.COMMAND).some((c: any) => c.COMMAND === 'echo' && c.COMMAND_PARAMS === 'hold')));
    assert.ok(press.replies[0].result, JSON.stringify(press.replies));
    await msg(f, 'echo command: hold').waitFor();
    // The bot's context menu on the same message: its COMMAND item goes to the bot as well.
    await pick.locator('[data-testid=lc-menu-toggle]').click();
    await pick.locator('[data-testid=lc-menu-item]', { hasText: 'Echo from menu' }).click();
    await pick.locator('[data-testid=lc-menu]').waitFor({ state: 'detached' });
    await msg(f, 'echo command: from menu').waitFor();
  });

  test('"0" asks for a person; the operator takes it and answers; the visitor sees typing and the answer live', { timeout: 60_000 }, async () => {
    const f = await chatFrame(visitor);
    await f.locator('[data-testid=lc-composer]').fill('0');
    await f.locator('[data-testid=lc-send]').click();
    await waitFor('the session in the queue', async () => (await session(firstChat)).stage === 'queue');
    const item = operator.locator(`[data-testid=line-item][data-chat-id="${firstChat}"]`);
    await item.click();
    await operator.locator('[data-testid=session-answer]').click();
    await operator.locator('[data-testid=session-state]', { hasText: 'Taken' }).waitFor();
    await operator.locator('[data-testid=composer]').pressSequentially('Hello, I am Anna');
    await f.locator('[data-testid=lc-typing]').waitFor();
    await operator.locator('[data-testid=composer]').fill('Hello! Your lamp ships [b]today[/b].');
    await operator.keyboard.press('Enter');
    const answer = msg(f, 'Your lamp ships').and(f.locator('[data-kind=operator]'));
    await answer.waitFor();
    assert.equal(await answer.locator('b').textContent(), 'today');
    await f.locator('[data-testid=lc-typing]').waitFor({ state: 'detached' });

    // Read marks both ways: the operator has the conversation open, so the visitor's "0" shows as read;
    // the widget is open, so the visitor's reading reaches the messenger's receipt under Anna's answer.
    await msg(f, /^0/).and(f.locator('[data-kind=visitor]')).locator('[data-testid=lc-mark][data-read=yes]').waitFor();
    await operator.locator('[data-testid=read-receipt]', { hasText: 'Eve' }).waitFor();

    // Closed, the bubble counts what comes meanwhile; opened, the count goes and the reading is reported.
    await clickBubble(visitor);
    await waitFor('the widget closed', async () => (await (await f.frameElement()).isHidden()) || undefined);
    assert.equal(await badgeOf(visitor), null);
    await operator.locator('[data-testid=composer]').fill('Anything else?');
    await operator.keyboard.press('Enter');
    await operator.locator('[data-testid=composer]').fill('We are here.');
    await operator.keyboard.press('Enter');
    await waitFor('the badge says 2', async () => (await badgeOf(visitor)) === '2' || undefined);
    const chatId = firstChat;
    const visitorUser = Number((await portal.portal.db.selectFrom('ol_livechat_visitors').select('user_id').where('chat_id', '=', chatId).executeTakeFirstOrThrow()).user_id);
    const readPos = async () => Number((await portal.portal.db.selectFrom('chat_members').select('last_read_id').where('chat_id', '=', chatId).where('user_id', '=', visitorUser).executeTakeFirstOrThrow()).last_read_id);
    const newest = Number((await portal.portal.db.selectFrom('messages').select('id').where('chat_id', '=', chatId).orderBy('id', 'desc').executeTakeFirstOrThrow()).id);
    assert.ok(await readPos() < newest, 'not read while the widget is closed');
    await clickBubble(visitor);
    await msg(f, 'We are here.').waitFor();
    await waitFor('the badge gone', async () => (await badgeOf(visitor)) === null || undefined);
    await waitFor('read up to the newest', async () => (await readPos()) >= newest || undefined);
  });

  test('files both ways: the visitor\'s picture reaches the messenger, the operator\'s file the widget; an over-size file is refused', { timeout: 60_000 }, async () => {
    const f = await chatFrame(visitor);
    // The visitor: a picture through the paperclip, with the composer's text.
    await f.locator('[data-testid=lc-composer]').fill('My lamp arrived broken');
    await f.locator('[data-testid=lc-file-input]').setInputFiles({ name: 'lamp.png', mimeType: 'image/png', buffer: makePng(160, 100) });
    const mine = msg(f, 'My lamp arrived broken').and(f.locator('[data-kind=visitor]'));
    const shown = mine.locator('[data-testid=lc-file-image]');
    await shown.waitFor();
    await f.waitForFunction((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth === 160, await shown.elementHandle());
    assert.equal(await f.locator('[data-testid=lc-composer]').inputValue(), '', 'the text went with the picture');
    // The operator sees it in the messenger, a picture that loaded.
    const got = operator.locator('[data-testid=message]', { hasText: 'My lamp arrived broken' });
    const img = got.getByTestId('file-image');
    await img.waitFor();
    await operator.waitForFunction((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth === 160, await img.elementHandle());

    // The operator answers with a file from the messenger's own paperclip; its name is hostile data.
    // (No double quote: a browser sends it as %22 in a multipart file name.)
    const name = '<img src=x onerror=window.__xss=7>guide.txt';
    const bytes = Buffer.from('How to mount the lamp: 1. …\n');
    await operator.getByTestId('file-input').setInputFiles({ name, mimeType: 'text/plain', buffer: bytes });
    const link = f.locator('[data-kind=operator] [data-testid=lc-file]', { hasText: 'guide.txt' });
    await link.waitFor();
    assert.equal(await link.locator('[data-testid=lc-file-name]').textContent(), name);
    assert.match(await link.locator('[data-testid=lc-file-size]').textContent() ?? '', new RegExp(`^${bytes.length} B$`));
    assert.equal(await f.evaluate(() => (window as any).__xss), undefined);
    assert.equal(await f.locator('[data-testid=lc-messages] img[src=x]').count(), 0);
    // Its link opens the file: the bytes, as a download.
    const href = await link.getAttribute('href');
    assert.ok(href?.startsWith(`${portal.url}/widget/${code}/files/`), href ?? '');
    const dl = await fetch(href!);
    assert.equal(dl.status, 200);
    assert.match(dl.headers.get('content-disposition') ?? '', /^attachment/);
    assert.deepEqual(Buffer.from(await dl.arrayBuffer()), bytes);

    await screenshot(visitor, 'livechat-widget');

    // Over the cap (GET config names it): refused in the visitor's words before any upload.
    const before = await f.locator('[data-testid=lc-message]').count();
    const uploads: string[] = [];
    visitor.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/files')) uploads.push(r.url());
    });
    await f.locator('[data-testid=lc-file-input]').setInputFiles({ name: 'huge.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(FILE_MAX + 50_000, 1) });
    const refusal = f.locator('[data-testid=lc-file-error]');
    await refusal.waitFor();
    assert.equal(await refusal.textContent(), 'Not sent: huge.bin is too large (at most 256 KB).');
    assert.equal(await f.locator('[data-testid=lc-message]').count(), before);
    assert.deepEqual(uploads, [], 'nothing was uploaded');
  });

  test('the operator finishes, the visitor rates; a reload keeps the conversation', { timeout: 60_000 }, async () => {
    const f = await chatFrame(visitor);
    await operator.locator('[data-testid=session-finish]').click();
    await operator.locator('[data-testid=session-state]', { hasText: 'Finished' }).waitFor();
    await f.locator('[data-testid=lc-rate-like]').click();
    await f.locator('[data-testid=lc-thanks]').waitFor();
    await waitFor('the vote', async () => (await session(firstChat)).vote === 'like');
    // The thanks came while the conversation was open: read before the visitor leaves.
    await waitFor('everything read', async () => {
      const row = await portal.portal.db.selectFrom('ol_livechat_visitors').select('user_id').where('chat_id', '=', firstChat).executeTakeFirstOrThrow();
      const member = await portal.portal.db.selectFrom('chat_members').select('last_read_id').where('chat_id', '=', firstChat).where('user_id', '=', row.user_id).executeTakeFirstOrThrow();
      const newest = await portal.portal.db.selectFrom('messages').select('id').where('chat_id', '=', firstChat).orderBy('id', 'desc').executeTakeFirstOrThrow();
      return Number(member.last_read_id) >= Number(newest.id) || undefined;
    });
    await visitor.reload();
    // A returning visitor: the conversation is loaded hidden after the page (for the badge) before any click.
    const hidden = await waitFor('the hidden frame', async () => visitor.frames().find((fr) => fr.url().includes('/online/') && fr.url().includes('hidden=1')));
    assert.equal(await (await hidden.frameElement()).isHidden(), true);
    assert.equal(await badgeOf(visitor), null, 'everything was read');
    const again = await clickBubble(visitor);
    await msg(again, 'Your lamp ships').waitFor();
    await msg(again, 'keyboard please').and(again.locator('[data-kind=visitor]')).waitFor();
    assert.equal(await again.locator('[data-testid=lc-form]').count(), 0, 'the visitor is known: no form');
    // The BLOCK=Y press of the first test still holds the keyboard: the portal says so after a reload.
    assert.equal(await msg(again, 'Pick one').locator('[data-testid=lc-kb-button]', { hasText: 'Hold on' }).isDisabled(), true);
  });

  test('the host page can read nothing of the conversation and gains no global name', async () => {
    const f = await chatFrame(visitor);
    const frameEl = await f.frameElement();
    // Run in the host page's own world, as its scripts would.
    assert.equal(await frameEl.evaluate((el) => (el as HTMLIFrameElement).contentDocument), null);
    assert.equal(await visitor.evaluate(() => {
      try {
        return (window.frames[0] as Window).document.body.innerHTML;
      } catch {
        return 'refused';
      }
    }), 'refused');
    assert.equal(await visitor.evaluate(() => document.querySelector('[data-parley-widget]')!.shadowRoot), null);
    assert.deepEqual(await visitor.evaluate(() => Object.keys(window).filter((k) => k !== "__before" && !(window as any).__before.includes(k))), []);
  });

  test('a second visitor (phone width) sees nothing of the first; the XSS corpus runs nowhere', { timeout: 120_000 }, async () => {
    const { page } = await visit({ width: 390, height: 760 });
    const f = await clickBubble(page);
    await f.locator('[data-testid=lc-field-name]').fill(HOSTILE_NAME);
    await f.locator('[data-testid=lc-start]').click();
    for (const text of XSS_TEXTS) {
      await f.locator('[data-testid=lc-composer]').fill(text);
      await f.locator('[data-testid=lc-send]').click();
      // Within the visitor's rate limit (5 requests a second once its burst is spent; each echo is read too).
      await page.waitForTimeout(400);
    }
    await f.locator('[data-testid=lc-composer]').fill('last of the corpus');
    await f.locator('[data-testid=lc-send]').click();
    await msg(f, 'echo: last of the corpus').waitFor({ timeout: 30_000 });
    assert.equal(await msg(f, /lamp|keyboard please|Anna/).count(), 0, 'nothing of the first visitor');
    assert.equal(await f.evaluate(() => (window as any).__xss), undefined);
    assert.equal(await f.locator('[data-testid=lc-messages] script, [data-testid=lc-messages] img[src=x], [data-testid=lc-messages] [onerror]').count(), 0);

    // The operator gets the conversation and reads it in the messenger.
    const row = await portal.portal.db.selectFrom('ol_livechat_visitors').selectAll().where('line_id', '=', lineId).orderBy('id', 'desc').executeTakeFirstOrThrow();
    await f.locator('[data-testid=lc-composer]').fill('0');
    await f.locator('[data-testid=lc-send]').click();
    const item = operator.locator(`[data-testid=line-item][data-chat-id="${row.chat_id}"]`);
    await item.click();
    await operator.locator('[data-testid=message]', { hasText: 'last of the corpus' }).first().waitFor();
    await operator.waitForTimeout(300);
    for (const p of [operator, page]) assert.equal(await p.evaluate(() => (window as any).__xss), undefined);
    assert.deepEqual(problems.flatMap((p) => p.dialogs), []);
    assert.deepEqual(problems.flatMap((p) => p.errors), []);
  });

  test('the standalone page: full-page, in Russian; a message while nobody is online is noted as received', { timeout: 60_000 }, async () => {
    // A line whose only operator has never signed in: nobody is available; no visitor form.
    const night = await createLine(portal.portal.db, 1, { name: 'Night', queue: [{ type: 'user', id: 3 }], params: { LIVECHAT_TITLE: 'Ночная линия' } });
    const nightCode = (await portal.portal.db.selectFrom('ol_lines').select('livechat_code').where('id', '=', night).executeTakeFirstOrThrow()).livechat_code;
    const ctx = await browser.newContext({ locale: 'ru-RU', viewport: { width: 800, height: 700 } });
    const page = await ctx.newPage();
    problems.push(watchPage(page));
    await page.goto(`${portal.url}/online/${nightCode}`);
    const f = await chatFrame(page);
    await f.locator('[data-testid=lc-title]', { hasText: 'Ночная линия' }).waitFor();
    assert.equal(await f.locator('[data-testid=lc-close]').count(), 0, 'nothing to close on the standalone page');
    const box = await (await f.frameElement()).boundingBox();
    assert.deepEqual([box?.width, box?.height], [800, 700]);
    assert.equal(await f.locator('[data-testid=lc-form]').count(), 0);
    await f.locator('[data-testid=lc-composer]').fill('Есть кто-нибудь?');
    await f.locator('[data-testid=lc-send]').click();
    await msg(f, 'Есть кто-нибудь?').waitFor();
    assert.match(await f.locator('[data-testid=lc-received]').textContent() ?? '', /Ваше сообщение получено/);
    assert.equal(await f.locator('[data-testid=lc-composer]').getAttribute('placeholder'), 'Напишите сообщение…');
    // The line with its operator signed in: no such note.
    assert.equal(await msg(await chatFrame(visitor), 'Your lamp ships').count(), 1);
    assert.equal(await (await chatFrame(visitor)).locator('[data-testid=lc-received]').count(), 0);
  });
});
