/**
 * Message search in the web messenger, end to end in Debian's chromium against a real portal: a word
 * typed in the sidebar's search finds messages in any form of it (besides people and chats), shown
 * under "Messages" with their chat, author and a snippet whose matched words are marked; the chat and
 * author filters narrow them; a message of a chat Anna is not in never shows. Opening a result opens
 * its dialog at that message — one far back in a long history is loaded with the history around it
 * — scrolled into view and highlighted for a moment; another result in the open dialog moves there.
 * Markup in a message's text stays characters in its snippet.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Locator, Page } from 'playwright-core';
import { restForm, testPortal, waitFor } from '../helpers/portal.ts';
import { webhookFor } from '../helpers/suite.ts';
import { browserSkip, credentials, launchBrowser, screenshot, signIn, watchPage, type Login } from '../helpers/browser.ts';
import { expectOk } from '../helpers/rest-assert.ts';

const skip = browserSkip();

describe('web messenger: message search', { skip }, () => {
  let portal: Awaited<ReturnType<typeof testPortal>>;
  let browser: Browser;
  let page: Page;
  let anna: Login;
  const hooks: Record<string, string> = {};
  const problems: { dialogs: string[]; errors: string[] }[] = [];
  let history = 0;
  let old = 0;
  let recentBudget = 0;
  let ivanBudget = 0;

  const say = async (from: string, dialog: string | number, text: string) => Number(expectOk(await restForm(hooks[from], 'im.message.add', { DIALOG_ID: dialog, MESSAGE: text })));
  const results = () => page.locator('[data-testid=search-message]');
  const result = (id: number) => page.locator(`[data-testid=search-message][data-message-id="${id}"]`);
  const shown = (id: number) => page.locator(`[data-testid=messages] [data-message-id="${id}"]`);
  /** Whether an element is inside the message list's visible area. */
  const inView = (l: Locator) => l.evaluate((el) => {
    const box = el.getBoundingClientRect();
    const list = el.closest('[data-testid=messages]')!.getBoundingClientRect();
    return box.top >= list.top - 1 && box.bottom <= list.bottom + 1;
  });
  const search = async (text: string) => {
    await page.getByRole('searchbox').fill(text);
    await page.getByRole('heading', { name: 'Messages' }).waitFor();
  };
  const foundIds = async () => (await results().evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.messageId))));

  before(async () => {
    portal = await testPortal();
    anna = credentials(portal.dataDir).find((l) => l.id === 2)!;
    for (const [name, id] of [['anna', 2], ['ivan', 3], ['maria', 4], ['john', 5]] as const) hooks[name] = await webhookFor(portal, id, 'im');
    // A long history: the budget message is far behind 150 later ones, older than what a dialog first loads.
    history = expectOk(await restForm(hooks.anna, 'im.chat.add', { TITLE: 'Long history', USERS: [3, 4] }));
    old = await say('ivan', `chat${history}`, 'Старое сообщение про бюджет на следующий год');
    for (let i = 0; i < 150; i++) await say(i % 2 ? 'maria' : 'anna', `chat${history}`, `filler line ${i}`);
    recentBudget = await say('maria', `chat${history}`, 'Бюджеты согласованы, спасибо');
    ivanBudget = await say('ivan', 2, 'Личный вопрос про бюджетирование');
    // Maria and John's closed chat: Anna is not in it.
    const closed = expectOk(await restForm(hooks.maria, 'im.chat.add', { TITLE: 'Secret room', USERS: [5] }));
    await say('maria', `chat${closed}`, 'Секретный бюджет');
    browser = await launchBrowser();
    const ctx = await browser.newContext({ locale: 'en-US', viewport: { width: 1200, height: 760 } });
    page = await ctx.newPage();
    problems.push(watchPage(page));
    await signIn(page, portal.url, anna);
  });

  after(async () => {
    await browser?.close();
    await portal?.close();
  });

  test('a word finds its messages in any form, with chat, author and a marked snippet; never another chat\'s', async () => {
    await search('бюджета');
    await result(old).waitFor();
    assert.deepEqual(await foundIds(), [ivanBudget, recentBudget, old]);
    const hit = result(old);
    assert.match(await hit.locator('.item-title').innerText(), /Long history/);
    assert.match(await hit.locator('.item-sub').innerText(), /Иван Сидоров/);
    const snippet = hit.locator('[data-testid=search-snippet]');
    assert.equal(await snippet.getAttribute('dir'), 'auto');
    assert.equal(await snippet.innerText(), 'Старое сообщение про бюджет на следующий год');
    assert.deepEqual(await snippet.locator('mark').allInnerTexts(), ['бюджет']);
    assert.deepEqual(await result(recentBudget).locator('mark').allInnerTexts(), ['Бюджеты']);
    // The private dialog is named by the other person.
    assert.match(await result(ivanBudget).locator('.item-title').innerText(), /Иван Сидоров/);
    await screenshot(page, 'message-search');
  });

  test('a word typed at speed is one search request, not one per letter', async () => {
    await page.getByRole('searchbox').fill('');
    const asked: string[] = [];
    const count = (req: { url(): string }) => {
      const m = /\/rest\/(parley\.message\.search|im\.search\.user\.list)/.exec(req.url());
      if (m) asked.push(m[1]);
    };
    page.on('request', count);
    try {
      await page.getByRole('searchbox').pressSequentially('бюджет', { delay: 40 });
      await result(old).waitFor();
      assert.deepEqual(asked.sort(), ['im.search.user.list', 'parley.message.search']);
    } finally {
      page.off('request', count);
    }
  });

  test('the chat and author filters narrow the results', async () => {
    await search('бюджет');
    await result(old).waitFor();
    // A filter's change clears the list and asks again after the typing pause: the ids are awaited, then compared.
    const settlesAt = async (ids: number[]) => {
      await waitFor(`results ${ids}`, async () => JSON.stringify(await foundIds()) === JSON.stringify(ids), 5000).catch(() => {});
      assert.deepEqual(await foundIds(), ids);
    };
    await page.getByTestId('search-chat-filter').selectOption(`chat${history}`);
    await settlesAt([recentBudget, old]);
    await page.getByTestId('search-author-filter').selectOption('3');
    await settlesAt([old]);
    await page.getByTestId('search-chat-filter').selectOption('');
    await settlesAt([ivanBudget, old]);
    await page.getByTestId('search-author-filter').selectOption('0');
    await settlesAt([ivanBudget, recentBudget, old]);
  });

  test('a result far back in history opens its dialog there, in view and highlighted', async () => {
    await search('бюджет');
    await result(old).click();
    await page.getByTestId('dialog-title').filter({ hasText: 'Long history' }).waitFor();
    const message = shown(old);
    await message.waitFor();
    assert.match(await message.innerText(), /Старое сообщение про бюджет/);
    assert.equal(await inView(message), true, 'the old message is scrolled into view');
    assert.match(String(await message.getAttribute('class')), /msg-found/);
    assert.equal(await message.getAttribute('data-found'), 'true');
    assert.match(page.url(), new RegExp(`#/dialog/chat${history}/message/${old}$`));
    // Only the history around it was loaded, not the 150 messages after it.
    assert.ok(await page.locator('[data-testid=messages] [data-testid=message]').count() < 100);
    await screenshot(page, 'message-search-jump');
    // The highlight is brief.
    await page.locator('[data-testid=messages] [data-found]').waitFor({ state: 'detached', timeout: 5000 });
    // Another result in the open dialog: the view moves to it.
    await result(recentBudget).click();
    await shown(recentBudget).waitFor();
    await page.locator(`[data-testid=messages] [data-message-id="${recentBudget}"][data-found]`).waitFor();
    assert.equal(await inView(shown(recentBudget)), true);
    // And back again to the same old one (the hash changes back).
    await result(old).click();
    await page.locator(`[data-testid=messages] [data-message-id="${old}"][data-found]`).waitFor();
    assert.equal(await inView(shown(old)), true);
  });

  test('the same result opened twice shows it again; a reload opens at it', async () => {
    await result(old).click();
    await page.locator(`[data-testid=messages] [data-message-id="${old}"][data-found]`).waitFor();
    await page.reload();
    await shown(old).waitFor();
    assert.equal(await inView(shown(old)), true);
  });

  test('a [CONTEXT] link opens its dialog at that message, far back in history, as a search result does', async () => {
    await say('ivan', 2, `See [CONTEXT=chat${history}/${old}]the old budget note[/CONTEXT], please`);
    await page.evaluate(() => (location.hash = '#/dialog/3'));
    const link = page.locator('[data-testid=messages] .bx-context', { hasText: 'the old budget note' });
    await link.click();
    await page.getByTestId('dialog-title').filter({ hasText: 'Long history' }).waitFor();
    await page.locator(`[data-testid=messages] [data-message-id="${old}"][data-found]`).waitFor();
    assert.equal(await inView(shown(old)), true, 'scrolled to the linked message');
    assert.match(page.url(), new RegExp(`#/dialog/chat${history}/message/${old}$`));
  });

  test('a snippet is text: markup in a message stays characters', async () => {
    const text = '<img src=x onerror="window.hacked=1"> xssprobe <b>bold</b>';
    const id = await say('ivan', 2, text);
    await search('xssprobe');
    const snippet = result(id).locator('[data-testid=search-snippet]');
    await snippet.waitFor();
    assert.equal(await snippet.innerText(), text);
    assert.equal(await snippet.locator('img, b').count(), 0);
    assert.deepEqual(await snippet.locator('mark').allInnerTexts(), ['xssprobe']);
    assert.equal(await page.evaluate(() => (window as unknown as { hacked?: number }).hacked), undefined);
  });

  test('no page errors and no browser dialogs along the way', () => {
    assert.deepEqual(problems.flatMap((p) => [...p.dialogs, ...p.errors]), []);
  });
});
