/**
 * Hostile content through the public API renders inert in the web messenger: script tags, event
 * attributes, `javascript:` and `data:` links, malformed BB-code, and hostile ATTACH, KEYBOARD and
 * MENU values. Every payload tries to set `window.__xss` or open an alert; the test watches for
 * both, clicks every link-like control it finds, and checks the DOM for anything executable.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { restForm, testPortal } from '../helpers/portal.ts';
import { webhookFor } from '../helpers/suite.ts';
import { XSS_TEXTS as TEXTS } from '../helpers/xss-corpus.ts';
import { browserSkip, credentials, launchBrowser, screenshot, signIn, watchPage } from '../helpers/browser.ts';

const ATTACH = [
  { USER: { NAME: '<img src=x onerror=window.__xss=20>', AVATAR: 'javascript:alert(20)', LINK: 'javascript:alert(20)' } },
  { LINK: { NAME: '<b onmouseover=alert(21)>link</b>', LINK: 'https://ok.example/', DESC: '<script>window.__xss=21</script>', HTML: '<img src=x onerror=window.__xss=21>', PREVIEW: 'javascript:alert(21)' } },
  { LINK: { NAME: 'bad link', LINK: 'javascript:window.__xss=22', USER_ID: 'x' } },
  { RICH_LINK: { NAME: 'rich', LINK: 'https://ok.example/', EXTRA_IMAGE: 'data:image/svg+xml,<svg onload=alert(23)>' } },
  { MESSAGE: '[URL=javascript:window.__xss=24]attach msg[/URL] <script>window.__xss=24</script>' },
  { GRID: [
    { NAME: '<svg onload=window.__xss=25>', VALUE: '<img src=x onerror=window.__xss=25>', DISPLAY: 'ROW', WIDTH: '100px;background:url(javascript:alert(25))', COLOR: 'red;background:url(javascript:alert(25))' },
    { NAME: 'line', VALUE: '[URL=javascript:alert(26)]grid url[/URL]', DISPLAY: 'LINE', LINK: 'javascript:alert(26)' },
    { NAME: 'table', VALUE: 'v', DISPLAY: '"><script>alert(27)</script>' },
  ] },
  { IMAGE: [{ NAME: '"><script>alert(28)</script>', LINK: 'javascript:alert(28)' }, { NAME: 'x', LINK: 'https://example.invalid/a.png', PREVIEW: 'javascript:alert(28)' }] },
  { FILE: { NAME: '<img src=x onerror=alert(29)>', LINK: 'https://example.invalid/f.txt', SIZE: '1e309' } },
  { DELIMITER: { SIZE: '200px;background:url(javascript:alert(30))', COLOR: '#fff;background:red' } },
];

const KEYBOARD = [
  { TEXT: '<img src=x onerror=window.__xss=40>', COMMAND: 'x', LINK: 'javascript:window.__xss=40' },
  { TEXT: 'colours', COMMAND: 'x', BG_COLOR: '"><script>alert(41)</script>', TEXT_COLOR: 'red;background:url(javascript:alert(41))', WIDTH: '100px;x' },
  { TYPE: 'NEWLINE' },
  { TEXT: 'call', ACTION: 'CALL', ACTION_VALUE: 'javascript:window.__xss=42' },
  { TEXT: 'dialog', ACTION: 'DIALOG', ACTION_VALUE: '"><img src=x onerror=window.__xss=43>' },
  { TEXT: 'link', LINK: 'https://ok.example/?q="><script>alert(44)</script>' },
  { TEXT: 'copy', ACTION: 'COPY', ACTION_VALUE: '<script>window.__xss=45</script>' },
];

const MENU = [
  { TEXT: '<svg onload=window.__xss=50>', ACTION: 'PUT', ACTION_VALUE: '<img src=x onerror=window.__xss=50>' },
  { TEXT: 'menu link', LINK: 'javascript:window.__xss=51', COMMAND: 'y' },
];

describe('hostile content renders inert', { skip: browserSkip() }, () => {
  let portal: Awaited<ReturnType<typeof testPortal>>;
  let browser: Browser;
  let page: Page;
  let seen: ReturnType<typeof watchPage>;
  let sent = 0;

  before(async () => {
    portal = await testPortal();
    const [, anna, ivan] = credentials(portal.dataDir);
    const hook = await webhookFor(portal, ivan.id, 'im');
    const post = async (p: Record<string, unknown>) => {
      const r = await restForm(hook, 'im.message.add', { DIALOG_ID: anna.id, URL_PREVIEW: 'N', ...p });
      // Refusing a part with nothing valid left (ATTACH_ERROR, …) is inert too; anything else must be stored.
      if (/^(ATTACH|KEYBOARD|MENU)_ERROR$/.test(r.body.error ?? '')) return;
      assert.ok(r.body.result, `${JSON.stringify(p).slice(0, 120)} → ${JSON.stringify(r.body)}`);
      sent++;
    };
    for (const text of TEXTS) await post({ MESSAGE: text });
    for (const block of ATTACH) await post({ MESSAGE: 'attach', ATTACH: JSON.stringify([block]) });
    await post({ MESSAGE: 'everything at once', ATTACH: JSON.stringify({ ID: 1, COLOR: '"><script>alert(60)</script>', BLOCKS: ATTACH }) });
    await post({ MESSAGE: 'keyboard', KEYBOARD: JSON.stringify(KEYBOARD), MENU: JSON.stringify(MENU) });
    // The last one: when it shows, everything before it is loaded.
    await post({ MESSAGE: '[b]last of the corpus' });

    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1100, height: 900 } })).newPage();
    seen = watchPage(page);
    await signIn(page, portal.url, anna);
    await page.locator('[data-testid=recent-item]', { hasText: ivan.name }).click();
    await page.locator('[data-testid=message]', { hasText: 'last of the corpus' }).waitFor();
  });

  after(async () => {
    await browser?.close();
    await portal?.close();
  });

  // The page never sets window.__xss itself: any value means a payload ran.
  test('every message is shown, nothing ran', async () => {
    await page.locator('[data-testid=messages]').evaluate((el) => (el.scrollTop = 0));
    assert.ok(await page.locator('[data-testid=message]').count() >= sent, 'every message rendered');
    await screenshot(page, 'xss-corpus');
    assert.equal(await page.evaluate(() => (window as any).__xss), undefined);
    assert.deepEqual(seen.dialogs, []);
    assert.deepEqual(seen.errors, []);
  });

  test('the DOM holds no script, handler attribute or dangerous URL', async () => {
    const bad = await page.locator('[data-testid=messages]').evaluate((root) => {
      const found: string[] = [];
      for (const el of root.querySelectorAll('*')) {
        if (['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'SVG', 'svg', 'FORM', 'BASE', 'META', 'LINK', 'STYLE'].includes(el.tagName)) found.push(`<${el.tagName}>`);
        for (const a of el.attributes) {
          if (/^on/i.test(a.name)) found.push(`${el.tagName} ${a.name}`);
          if (['href', 'src', 'action', 'formaction', 'xlink:href'].includes(a.name) && !/^(https?:|mailto:|tel:|#\/|\/(?!\/))/i.test(a.value.trim())) found.push(`${el.tagName} ${a.name}=${a.value}`);
          if (a.name === 'style' && /url\(|expression|javascript/i.test(a.value)) found.push(`${el.tagName} style=${a.value}`);
        }
      }
      return found;
    });
    assert.deepEqual(bad, []);
  });

  test('hovering and clicking every control runs nothing', { timeout: 90_000 }, async () => {
    // Links that leave the app would navigate away: only in-app controls are clicked.
    const controls = page.locator('[data-testid=messages] button:not([disabled]), [data-testid=messages] [data-user-id], [data-testid=messages] [data-chat-id], [data-testid=messages] a[href^="#"]');
    const n = await controls.count();
    assert.ok(n > 10, `found ${n} controls`);
    for (let i = 0; i < n; i++) {
      const c = controls.nth(i);
      const label = (await c.textContent()) ?? '';
      if (/^(Delete|Удалить)$/.test(label.trim())) continue;
      await c.hover({ timeout: 2000 }).catch(() => {});
      await c.click({ timeout: 2000 }).catch(() => {});
      await page.keyboard.press('Escape');
      if (!page.url().includes('#/dialog/')) await page.goBack();
    }
    // Open the bot menu of the keyboard message and take each item.
    const kb = page.locator('[data-testid=message]', { hasText: 'keyboard' }).last();
    await kb.hover();
    await kb.getByRole('button', { name: 'Message actions' }).click();
    for (const item of await page.locator('[data-testid=menu-item]').all()) await item.hover().catch(() => {});
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => (window as any).__xss), undefined);
    assert.deepEqual(seen.dialogs, []);
    assert.deepEqual(seen.errors, []);
  });
});
