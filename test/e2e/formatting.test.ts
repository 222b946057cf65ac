/**
 * Message formatting in the web messenger, in Debian's chromium: a [CODE] block keeps its indentation
 * in a monospace font with sideways scrolling; the `>>`, dashed and [QUOTE] quotes render as quotes;
 * the recent list, the reply bar and reply snippets show plain text with quotes reduced; a message of
 * tags around nothing is not sent and the person is told why; a long message (1 MB sent, stored as
 * the portal caps it) is folded with "Show more" / "Show less"; the format menu wraps the selection in
 * each documented code; mention chips open a dialog only when the reader may see it; one to three
 * emoji alone are drawn large.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { restForm } from '../helpers/portal.ts';
import { expectOk } from '../helpers/rest-assert.ts';
import { browserSkip, platformFonts, screenshot, type Login } from '../helpers/browser.ts';
import { annaReadsIvan, type ReaderAndWriter } from '../helpers/dialog-browser.ts';

const skip = browserSkip();
const RULE = '-'.repeat(54);

describe('message formatting in the messenger', { skip }, () => {
  let at: ReaderAndWriter;
  let page: Page;
  let anna: Login;
  let ivan: Login;
  let ivanSays: ReaderAndWriter['ivanSays'];

  const message = (text: string | RegExp) => page.locator('[data-testid=message]', { hasText: text }).last();
  const history = async () => expectOk(await restForm(at.annaHook, 'im.dialog.messages.get', { DIALOG_ID: ivan.id, LIMIT: 50 })).messages.map((m: any) => m.id);
  const recentPreview = () => page.locator('[data-testid=recent-item]', { hasText: ivan.name }).locator('[data-testid=recent-preview]');

  before(async () => {
    at = await annaReadsIvan();
    ({ page, anna, ivan, ivanSays } = at);
  });
  after(() => at?.close());

  test('a [CODE] block keeps indentation and BB-code as typed, in monospace, scrolling sideways', async () => {
    const code = `function f(x) {\n    if (x) {\n\treturn "[b]not bold[/b] >>no quote";\n    }\n}\nconst long = "${'x'.repeat(300)}";`;
    const msg = await ivanSays(`Look:\n[code]\n${code}\n[/code]\nok?`, 'Look:');
    const pre = msg.locator('pre.bx-code');
    const seen = await pre.evaluate((el) => {
      const cs = getComputedStyle(el);
      return { text: el.textContent, family: cs.fontFamily, ws: cs.whiteSpace, ox: cs.overflowX, wide: el.scrollWidth > el.clientWidth + 50, tags: el.querySelectorAll('*').length };
    });
    assert.equal(seen.text, code, 'every space, tab and tag of the code is kept');
    assert.equal(seen.tags, 0, 'nothing inside the code is parsed');
    assert.match(seen.family, /monospace/);
    assert.deepEqual([seen.ws, seen.ox, seen.wide], ['pre', 'auto', true]);
    // The text around the block is outside it.
    assert.match(await msg.locator('.bb').innerText(), /^Look:\n[\s\S]*\nok\?$/);
    // What the renderer put in the DOM is what the browser draws with: a monospace face.
    const fonts = await platformFonts(page, `[data-message-id="${await msg.getAttribute('data-message-id')}"] pre.bx-code`);
    assert.ok(fonts.some((f) => /mono/i.test(f)), `code drawn with ${fonts.join(', ')}`);
    await pre.scrollIntoViewIfNeeded();
    await screenshot(page, 'formatting-code');
  });

  test('one to three emoji alone are drawn large (LARGE_FONT); with words, or four, at the usual size', async () => {
    const size = async (text: string) => {
      const msg = await ivanSays(text, text);
      return Number.parseFloat(await msg.locator('.msg-text').evaluate((el) => getComputedStyle(el).fontSize));
    };
    const plain = await size('just words');
    assert.ok(await size('🎉🎉') >= plain * 2, 'two emoji alone are large');
    assert.equal(await size('🎉 done'), plain, 'emoji with words are not');
    assert.equal(await size('🎉🎉🎉🎉'), plain, 'four are not');
  });

  test('the >> lines, the dashed author block and [QUOTE] render as quotes', async () => {
    const lines = await ivanSays('>>first quoted line\n>>second quoted line\nmy answer', 'my answer');
    assert.equal(await lines.locator('blockquote.bx-quote').innerText(), 'first quoted line\nsecond quoted line');
    const dashed = await ivanSays(`${RULE}\nДмитрий Власов [08.04.2016 13:06:49]\nПривет всем\n${RULE}\nAnd hello from me`, 'And hello from me');
    const quote = dashed.locator('blockquote.bx-quote');
    assert.equal(await quote.locator('.bx-quote-author b').innerText(), 'Дмитрий Власов');
    assert.equal(await quote.locator('.bx-quote-date').innerText(), '08.04.2016 13:06:49');
    assert.match(await quote.innerText(), /Привет всем/);
    const tagged = await ivanSays('[QUOTE]Tagged quote[/QUOTE]after the tag', 'after the tag');
    assert.equal(await tagged.locator('blockquote.bx-quote').innerText(), 'Tagged quote');
    for (const m of [lines, dashed, tagged]) {
      const text = await m.locator('.bb').innerText();
      assert.doesNotMatch(text, /^>>|-{10}|\[\/?QUOTE\]/m, 'no quote markup shows');
      assert.equal(await m.locator('blockquote.bx-quote').evaluate((el) => getComputedStyle(el).borderInlineStartWidth), '3px');
    }
  });

  test('previews and reply snippets are plain text with quotes reduced', async () => {
    await ivanSays(`${RULE}\nИван Сидоров [01.12.2024 10:00:00]\nthe quoted words\n${RULE}\n[b]My own[/b] [i]words[/i]`, 'My own words');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=recent-preview]')].some((e) => e.textContent === 'My own words'));
    assert.equal(await recentPreview().innerText(), 'My own words');
    await ivanSays(`${RULE}\nИван Сидоров [01.12.2024 10:00:00]\nonly a quote here\n${RULE}`, 'only a quote here');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=recent-preview]')].some((e) => e.textContent === '“only a quote here”'));

    // Reply to the message with a quote and BB-code: the bar and the sent reply's snippet are plain.
    const quoted = page.locator(`[data-message-id="${await message('My own words').getAttribute('data-message-id')}"]`);
    await quoted.hover();
    await quoted.getByRole('button', { name: 'Message actions' }).click();
    await page.getByRole('menuitem', { name: 'Reply' }).click();
    assert.equal(await page.getByTestId('reply-bar-snippet').innerText(), 'My own words');
    const box = page.getByTestId('composer');
    await box.fill('got it');
    await box.press('Enter');
    const reply = message('got it');
    await reply.waitFor();
    assert.equal(await reply.getByTestId('reply-snippet').innerText(), 'My own words');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=recent-preview]')].some((e) => e.textContent === 'You: got it'));

    // Quoting it takes its own words only, not the quote inside it.
    await quoted.hover();
    await quoted.getByRole('button', { name: 'Message actions' }).click();
    await page.getByRole('menuitem', { name: 'Quote' }).click();
    const put = await box.inputValue();
    assert.match(put, new RegExp(`^${RULE}\\n${ivan.name} \\[[\\d.: ]+\\]\\nMy own words\\n${RULE}\\n$`));
    await box.fill('');
  });

  test('tags around nothing are not sent, and the person is told why', async () => {
    const before = await history();
    const box = page.getByTestId('composer');
    for (const blank of ['[b][/b]', '[i] [/i]']) {
      await box.fill(blank);
      await box.press('Enter');
      await page.getByRole('alert').filter({ hasText: 'Nothing to send: the message has formatting but no text' }).waitFor();
      assert.equal(await box.inputValue(), blank, 'the text stays to be fixed');
    }
    assert.deepEqual(await history(), before);
    await box.fill('');
  });

  test('a long message is folded and expands; 1 MB sent renders without freezing the page', { timeout: 120_000 }, async (t) => {
    const line = 'Lorem ipsum dolor sit amet, [b]consectetur[/b] adipiscing elit, sed do eiusmod.\n';
    const big = line.repeat(Math.ceil(1024 * 1024 / line.length));
    const sentAt = Date.now();
    const id = expectOk(await restForm(at.ivanHook, 'im.message.add', { DIALOG_ID: anna.id, MESSAGE: big, URL_PREVIEW: 'N' }));
    const stored = expectOk(await restForm(at.annaHook, 'im.dialog.messages.get', { DIALOG_ID: ivan.id, FIRST_ID: id - 1, LIMIT: 1 })).messages[0].text;
    const msg = page.locator(`[data-message-id="${id}"]`);
    const toggle = msg.getByTestId('fold-toggle');
    await toggle.waitFor();
    const shownMs = Date.now() - sentAt;
    const folded = await msg.locator('.bb').evaluate((el) => el.getBoundingClientRect().height);
    assert.ok(folded <= 330, `folded height ${folded}`);
    assert.equal(await toggle.innerText(), 'Show more');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');

    const t0 = Date.now();
    await toggle.click();
    await msg.getByRole('button', { name: 'Show less' }).waitFor();
    const expandMs = Date.now() - t0;
    const open = await msg.locator('.bb').evaluate((el) => ({ height: el.getBoundingClientRect().height, chars: el.textContent!.length }));
    assert.ok(open.height > 3000, `expanded height ${open.height}`);
    assert.ok(open.chars > 15_000, 'the whole stored text is shown');
    // The page still answers: a frame comes at once.
    const frameMs = await page.evaluate(() => new Promise<number>((resolve) => { const s = performance.now(); requestAnimationFrame(() => resolve(performance.now() - s)); }));
    t.diagnostic(`1 MB sent (${big.length} characters; stored ${stored.length}, the portal's cap): shown folded ${shownMs} ms after sending, expanded in ${expandMs} ms, next frame ${Math.round(frameMs)} ms`);
    await msg.getByRole('button', { name: 'Show less' }).click();
    await msg.getByRole('button', { name: 'Show more' }).waitFor();

    // Many short lines fold too; a short message has no toggle.
    const wall = await ivanSays(Array.from({ length: 120 }, (_, i) => `line ${i + 1}`).join('\n'), 'line 1');
    await wall.getByTestId('fold-toggle').waitFor();
    const short = await ivanSays('short one', 'short one');
    assert.equal(await short.getByTestId('fold-toggle').count(), 0);
  });

  test('the format menu wraps the selection in each code; the result renders', { timeout: 60_000 }, async () => {
    const box = page.getByTestId('composer');
    const apply = async (value: string, from: number, to: number, ...testIds: string[]) => {
      await box.fill(value);
      await box.evaluate((el: HTMLTextAreaElement, [a, b]) => el.setSelectionRange(a, b), [from, to]);
      for (const id of testIds) await page.getByTestId(id).click();
      return box.inputValue();
    };
    assert.equal(await apply('run npm test now', 4, 12, 'format-button', 'format-code'), 'run [code]npm test[/code] now');
    assert.equal(await apply('one\ntwo', 0, 7, 'format-button', 'format-quote'), '>>one\n>>two');
    assert.equal(await apply('see https://example.com', 4, 23, 'format-button', 'format-url'), 'see [url]https://example.com[/url]');
    assert.equal(await apply('the site', 4, 8, 'format-button', 'format-url'), 'the [url=https://]site[/url]');
    assert.equal(await box.evaluate((el: HTMLTextAreaElement) => el.value.slice(el.selectionStart, el.selectionEnd)), 'https://', 'the address is selected to be typed');
    assert.equal(await apply('red alert', 0, 3, 'format-button', 'format-color-red'), '[color=#df532d]red[/color] alert');
    assert.equal(await apply('big news', 0, 3, 'format-button', 'format-size-24'), '[size=24]big[/size] news');
    assert.equal(await apply('[b]x[/b] ', 9, 9, 'format-button', 'format-user'), '[b]x[/b] ');
    await page.getByTestId('format-mention').filter({ hasText: ivan.name }).click();
    assert.equal(await box.inputValue(), `[b]x[/b] [user=${ivan.id}]${ivan.name}[/user]`);

    await box.fill(`[code]  a\n\tb[/code]\n>>q\n[url=https://example.com]site[/url] [color=#df532d]red[/color] [size=24]big[/size] [user=${ivan.id}]${ivan.name}[/user] sent`);
    await box.press('Enter');
    const sent = message('sent');
    await sent.waitFor();
    assert.equal(await sent.locator('pre.bx-code').textContent(), '  a\n\tb');
    assert.equal(await sent.locator('blockquote.bx-quote').innerText(), 'q');
    assert.equal(await sent.locator('a[href="https://example.com"]').innerText(), 'site');
    assert.equal(await sent.locator('span[style="color:#df532d"]').innerText(), 'red');
    assert.equal(await sent.locator('span[style="font-size:24px"]').innerText(), 'big');
    assert.equal(await sent.locator(`button.bx-user[data-user-id="${ivan.id}"]`).innerText(), ivan.name);
    await sent.scrollIntoViewIfNeeded();
    await screenshot(page, 'formatting-menu-result');
  });

  test('mention chips open a dialog the reader may see, and say so when not', async () => {
    const theirs = expectOk(await restForm(at.ivanHook, 'im.chat.add', { TITLE: 'Ivan and Maria', USERS: [4] }));
    const ours = expectOk(await restForm(at.ivanHook, 'im.chat.add', { TITLE: 'Team room', USERS: [anna.id] }));
    await page.goto(`${at.portal.url}/#/dialog/${ivan.id}`);
    const msg = await ivanSays(`[CHAT=${theirs}]secret room[/CHAT] [CHAT=${ours}]team room[/CHAT] [USER=4]Maria[/USER]`, 'secret room');
    await msg.locator('.bx-chat', { hasText: 'secret room' }).click();
    await page.getByRole('alert').filter({ hasText: 'You cannot open this conversation' }).waitFor();
    assert.ok(page.url().endsWith(`#/dialog/${ivan.id}`), 'stays where it was');
    await msg.locator('.bx-chat', { hasText: 'team room' }).click();
    await page.waitForURL(`**/#/dialog/chat${ours}`);
    await page.getByTestId('dialog-title').filter({ hasText: 'Team room' }).waitFor();
    await page.goBack();
    await message('secret room').locator('.bx-user', { hasText: 'Maria' }).click();
    await page.waitForURL('**/#/dialog/4');
    assert.deepEqual(at.problems, { dialogs: [], errors: [] });
  });
});
