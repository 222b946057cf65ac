/**
 * Right-to-left text and fonts in the web messenger, in Debian's chromium: Arabic and Hebrew
 * messages, previews, reply snippets, chat titles, and what is typed into the composer and the search
 * box lay out right to left (`dir="auto"`: computed `direction` and `:dir(rtl)`), Latin text stays left
 * to right; CJK and emoji are drawn with the Noto fonts the browser tests install (README "Fonts").
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { restForm } from '../helpers/portal.ts';
import { expectOk } from '../helpers/rest-assert.ts';
import { browserSkip, platformFonts, screenshot, type Login } from '../helpers/browser.ts';
import { annaReadsIvan, type ReaderAndWriter } from '../helpers/dialog-browser.ts';

const ARABIC = 'مرحبا بالعالم، كيف حالك اليوم؟';
const HEBREW = 'שלום עולם, מה שלומך היום?';
/** The Debian font files the fonts test needs (fonts-noto-cjk, fonts-noto-color-emoji). */
const FONT_FILES = ['/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', '/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf'];
const missingFonts = FONT_FILES.filter((f) => !fs.existsSync(f));
const fontSkip = browserSkip() ?? (missingFonts.length && process.env.CI !== 'true'
  ? `no ${missingFonts.join(', ')} (apt-get install fonts-noto-cjk fonts-noto-color-emoji)` : undefined);

/** The element's resolved direction, as computed style and as the :dir() selector see it. */
const direction = (l: Locator) => l.evaluate((el) => [getComputedStyle(el).direction, el.matches(':dir(rtl)') ? 'rtl' : 'ltr']);

describe('text direction and fonts', { skip: browserSkip() }, () => {
  let at: ReaderAndWriter;
  let page: Page;
  let anna: Login;
  let ivan: Login;
  let ivanSays: ReaderAndWriter['ivanSays'];
  /** Ivan's message in Arabic alone. */
  let arabic: Locator;

  const message = (text: string) => page.locator('[data-testid=message]', { hasText: text }).last();

  before(async () => {
    at = await annaReadsIvan();
    ({ page, anna, ivan, ivanSays } = at);
  });
  after(() => at?.close());

  test('Arabic and Hebrew messages run right to left, Latin ones left to right', async () => {
    arabic = await ivanSays(`[b]${ARABIC}[/b]`, ARABIC);
    const hebrew = await ivanSays(HEBREW);
    const latin = await ivanSays('Plain English, then عربي at the end');
    assert.deepEqual(await direction(arabic.getByTestId('bb')), ['rtl', 'rtl']);
    assert.deepEqual(await direction(hebrew.getByTestId('bb')), ['rtl', 'rtl']);
    assert.deepEqual(await direction(latin.getByTestId('bb')), ['ltr', 'ltr']);
    // Right to left means the text starts at the bubble's right edge.
    const [text, bubble] = await hebrew.evaluate((m) => [m.querySelector('.bb')!.getBoundingClientRect().right, m.querySelector('.bubble')!.getBoundingClientRect().right]);
    assert.ok(bubble - text < 20, 'aligned to the right');
    // A quote and a code block take the direction of their own text.
    const mixed = await ivanSays(`English first\n>>${HEBREW}\n[code]${ARABIC}[/code]`, 'English first');
    assert.deepEqual(await direction(mixed.locator('blockquote.bx-quote')), ['rtl', 'rtl']);
    assert.deepEqual(await direction(mixed.locator('pre.bx-code')), ['rtl', 'rtl']);
    assert.deepEqual(await direction(mixed.getByTestId('bb')), ['ltr', 'ltr']);
    await hebrew.scrollIntoViewIfNeeded();
    await screenshot(page, 'rtl-messages');
  });

  test('the recent preview, a reply snippet and a chat title follow their text', async () => {
    await ivanSays(`[i]${HEBREW}[/i]`, HEBREW);
    const preview = page.locator('[data-testid=recent-item]', { hasText: ivan.name }).getByTestId('recent-preview');
    await page.waitForFunction((t) => [...document.querySelectorAll('[data-testid=recent-preview]')].some((e) => e.textContent === t), HEBREW);
    assert.deepEqual(await direction(preview), ['rtl', 'rtl']);
    // The sender's name stays left to right.
    assert.deepEqual(await direction(page.locator('[data-testid=message] .author').first()), ['ltr', 'ltr']);

    await arabic.hover();
    await arabic.getByRole('button', { name: 'Message actions' }).click();
    await page.getByRole('menuitem', { name: 'Reply' }).click();
    assert.deepEqual(await direction(page.getByTestId('reply-bar-snippet')), ['rtl', 'rtl']);
    const box = page.getByTestId('composer');
    await box.fill('ok');
    await box.press('Enter');
    await message('ok').getByTestId('reply-snippet').waitFor();
    assert.deepEqual(await direction(message('ok').getByTestId('reply-snippet')), ['rtl', 'rtl']);

    const chat = expectOk(await restForm(at.ivanHook, 'im.chat.add', { TITLE: 'فريق المبيعات', USERS: [anna.id] }));
    await page.goto(`${at.portal.url}/#/dialog/chat${chat}`);
    const title = page.getByTestId('dialog-title');
    await title.filter({ hasText: 'فريق المبيعات' }).waitFor();
    assert.deepEqual(await direction(title), ['rtl', 'rtl']);
    await page.goto(`${at.portal.url}/#/dialog/${ivan.id}`);
  });

  test('typing Arabic or Hebrew into the composer and the search box turns them right to left', async () => {
    const box = page.getByTestId('composer');
    await box.fill('');
    assert.deepEqual(await direction(box), ['ltr', 'ltr']);
    await box.fill(ARABIC);
    assert.deepEqual(await direction(box), ['rtl', 'rtl']);
    await box.fill('');
    const search = page.getByRole('searchbox').first();
    await search.fill(HEBREW);
    assert.deepEqual(await direction(search), ['rtl', 'rtl']);
    await search.fill('');
    assert.deepEqual(at.problems, { dialogs: [], errors: [] });
  });

  test('CJK and emoji are drawn with the installed Noto fonts', { skip: fontSkip }, async (t) => {
    const msg = await ivanSays('漢字とかな 한국어 😀🎉 مرحبا שלום', '漢字');
    const id = await msg.getAttribute('data-message-id');
    const fonts = await platformFonts(page, `[data-message-id="${id}"] .bb`);
    t.diagnostic(`drawn with: ${fonts.join(', ')}`);
    assert.ok(fonts.some((f) => /^Noto Sans CJK/.test(f)), `CJK font among ${fonts.join(', ')}`);
    assert.ok(fonts.includes('Noto Color Emoji'), `emoji font among ${fonts.join(', ')}`);
    await msg.scrollIntoViewIfNeeded();
    await screenshot(page, 'fonts-cjk-emoji');
  });
});
