/**
 * The operator's workspace end to end, in Debian's chromium against a real portal: a line with two
 * operators (Anna first, Ivan second, strictly in order) and a welcome bot; a customer writes through
 * a connector app (test/fixtures/connector-app.mjs, a real process calling imconnector.send.messages),
 * the bot answers, the customer sends "0", the connector names the chat. Anna sees the session
 * appear in her "Open lines" tab without reloading, with the bot's part of the conversation; she
 * answers it, writes, sees the customer's next message arrive, keeps her answer as a quick answer
 * and puts it back into the composer, then transfers the conversation to Ivan. Ivan sees it arrive
 * live, takes it and finishes it; the rating request shows, and the customer's "1" shows as the
 * rating. The chat's name and the customer's text carry markup that must stay text. Each step is
 * checked against the session's row as well.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import path from 'node:path';
import { restForm, ROOT, spawnListening, testPortal, waitFor, type Child } from '../helpers/portal.ts';
import { addApp, webhookFor } from '../helpers/suite.ts';
import { expectOk } from '../helpers/rest-assert.ts';
import { browserSkip, credentials, launchBrowser, screenshot, signIn, watchPage } from '../helpers/browser.ts';
import { createLine } from '../../src/domain/lines/lines.ts';
import { lastSession, STATUS } from '../../src/domain/lines/sessions.ts';

const skip = browserSkip();
const ANNA = 2;
const IVAN = 3;
/**
 * What would run script if it were ever treated as markup: the chat's name as the connector sets it
 * (imconnector.chat.name.set keeps it as given; a customer's own name reaches the portal letters only)
 * and the customer's first words.
 */
const HOSTILE_TITLE = '<img src=x onerror="window.__pwned=1">Carl’s parcel';
const HOSTILE_TEXT = '<script>window.__pwned=2</script><b>hello</b>, my parcel is lost';

describe('the operator\'s workspace', { skip }, () => {
  let portal: Awaited<ReturnType<typeof testPortal>>;
  let browser: Browser;
  let pageA: Page;
  let pageB: Page;
  let lineId: number;
  let chatId = 0;
  /** The connector app (test/fixtures/connector-app.mjs): the customer's channel, a real process. */
  let app: Child;
  let hook: string;
  let botId: number;
  const problems: { dialogs: string[]; errors: string[] }[] = [];

  /** The customer writes a message through the connector app (imconnector.send.messages). */
  async function customerSays(text: string) {
    const res = await (await fetch(`${app.url}say`, { method: 'POST', body: JSON.stringify({ user: 'cust-1', chat: 'ext-chat-1', name: 'Carl', lastName: 'Doe', text }) })).json() as { status: number; body: any };
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const customer = await portal.portal.db.selectFrom('ol_customers').selectAll().where('connector', '=', 'webform').executeTakeFirstOrThrow();
    chatId = Number(customer.chat_id);
    return customer;
  }
  /** What the connector app was sent to pass on to the customer (ONIMCONNECTORMESSAGEADD), as text. */
  const sentOut = async (): Promise<string[]> => ((await (await fetch(`${app.url}events`)).json()) as any[])
    .filter((e) => e.event === 'ONIMCONNECTORMESSAGEADD').flatMap((e) => Object.values(e.data.MESSAGES).map((m: any) => String(m.message.text)));
  const session = async () => (await lastSession(portal.portal.db, chatId))!;
  const item = (page: Page) => page.locator(`[data-testid=line-item][data-chat-id="${chatId}"]`);
  const bar = (page: Page) => page.locator('[data-testid=session-bar]');
  const message = (page: Page, text: string | RegExp) => page.locator('[data-testid=message]', { hasText: text });

  before(async () => {
    portal = await testPortal();
    const db = portal.portal.db;
    // The line's welcome bot (its handler is nowhere: the bot's words are sent over REST below).
    hook = await webhookFor(portal, 1, 'imbot,im');
    botId = Number(expectOk(await restForm(hook, 'imbot.register', {
      CODE: 'greeter', TYPE: 'O', CLIENT_ID: 'workspace-e2e', EVENT_HANDLER: 'http://127.0.0.1:9/h', PROPERTIES: { NAME: 'Greeter' },
    })));
    lineId = await createLine(db, 1, {
      name: 'Support', queue: [{ type: 'user', id: ANNA }, { type: 'user', id: IVAN }],
      params: {
        QUEUE_TYPE: 'strictly', QUEUE_TIME: 3600, CHECK_AVAILABLE: 'N', CLOSE_RULE: 'text', CLOSE_TEXT: 'Thank you, goodbye',
        WELCOME_BOT_ENABLE: 'Y', WELCOME_BOT_ID: botId, WELCOME_BOT_TIME: 0, WELCOME_BOT_LEFT: 'queue',
      },
    });
    await createLine(db, 1, { name: 'Billing', queue: [{ type: 'user', id: IVAN }], params: { CHECK_AVAILABLE: 'N' } });
    app = await spawnListening(process.execPath, [path.join(ROOT, 'test/fixtures/connector-app.mjs'), '0'], { CONNECTOR: 'webform', LINE: String(lineId) });
    await addApp(portal, { name: 'Web form', handler: app.url, scope: 'imopenlines,imconnector' });
    const install = await waitFor('the connector app set itself up', async () => ((await (await fetch(`${app.url}events`)).json()) as any[])
      .find((e) => e.event === 'ONAPPINSTALL' && (e.ready !== undefined || e.error)));
    assert.ok(install.ready, JSON.stringify(install.setup ?? install.error));

    browser = await launchBrowser();
    const logins = credentials(portal.dataDir);
    const open = async (id: number) => {
      const ctx = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 820 } });
      const page = await ctx.newPage();
      problems.push(watchPage(page, { acceptConfirm: true }));
      await signIn(page, portal.url, logins.find((l) => l.id === id)!);
      return page;
    };
    [pageA, pageB] = [await open(ANNA), await open(IVAN)];
  });

  after(async () => {
    await app?.stop();
    await browser?.close();
    await portal?.close();
  });

  test('a customer\'s session appears live in the first operator\'s open lines, as text', { timeout: 60_000 }, async () => {
    // Operators get the tab before any conversation: they are in a line's queue.
    await pageA.locator('[data-testid=tab-lines]').click();
    await pageA.getByText('No conversations in your open lines yet.').waitFor();
    await pageB.locator('[data-testid=tab-lines]').click();

    const got = await customerSays(HOSTILE_TEXT);
    const renamed = await (await fetch(`${app.url}call`, { method: 'POST', body: JSON.stringify({
      method: 'imconnector.chat.name.set', params: { CONNECTOR: 'webform', LINE: lineId, CHAT_ID: 'ext-chat-1', USER_ID: 'cust-1', NAME: HOSTILE_TITLE },
    }) })).json() as { status: number; body: any };
    assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
    // The line's bot has the conversation first: no operator is in it yet.
    assert.deepEqual([(await session()).stage, (await session()).operator_id], ['bot', botId]);
    expectOk(await restForm(hook, 'imbot.message.add', { BOT_ID: botId, CLIENT_ID: 'workspace-e2e', DIALOG_ID: `chat${chatId}`, MESSAGE: 'I am the line bot. Send 0 for a person.' }));
    assert.equal(await item(pageA).count(), 0);
    // "0" asks for a person: the session goes to the queue and is offered to Anna (strictly: first).
    await customerSays('0');
    const s = await session();
    assert.deepEqual([s.stage, s.status, s.operator_id], ['queue', STATUS.NEW, ANNA]);
    // No reload: the push of the "joined" line brings it.
    await item(pageA).waitFor();
    assert.equal(await item(pageA).getAttribute('data-phase'), 'waiting');
    await pageA.locator('[data-testid=lines-group-waiting]').waitFor();
    assert.equal((await pageA.locator('[data-testid=lines-waiting]').textContent())?.trim(), '1');
    assert.match(await item(pageA).textContent() ?? '', /Offered to you · webform · Support/);
    // Ivan is not offered it (strictly: Anna first), so it is not in his list.
    assert.equal(await item(pageB).count(), 0);

    await item(pageA).click();
    await bar(pageA).waitFor();
    assert.equal((await pageA.locator('[data-testid=session-state]').textContent())?.trim(), 'Offered to you');
    assert.match(await bar(pageA).textContent() ?? '', new RegExp(`Session #${s.id}`));
    // The bot's part of the conversation is there, as its messages.
    const botSaid = message(pageA, 'I am the line bot');
    await botSaid.waitFor();
    assert.match(await botSaid.locator('.author').textContent() ?? '', /^Greeter\s*bot$/);
    // The customer's name and words are shown as the characters they sent, never as markup.
    await message(pageA, 'my parcel is lost').waitFor();
    assert.equal(await message(pageA, 'my parcel is lost').locator('.msg-text').textContent(), HOSTILE_TEXT);
    assert.equal(await pageA.locator('[data-testid=dialog-title]').textContent(), HOSTILE_TITLE);
    assert.equal((await item(pageA).locator('.item-title').textContent())?.trim(), HOSTILE_TITLE);
    await pageA.locator('[data-testid=session-card]').click();
    await pageA.locator('[data-testid=customer-card]').waitFor();
    await pageA.locator('[data-testid=customer-name]', { hasText: 'Carl Doe' }).waitFor();
    assert.equal((await pageA.locator('[data-testid=customer-channel]').textContent())?.trim(), 'webform');
    assert.equal((await pageA.locator('[data-testid=customer-line]').textContent())?.trim(), 'Support');
    await pageA.locator('[data-testid=customer-sessions]', { hasText: `Session #${s.id} (now)` }).waitFor();
    assert.equal(await pageA.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    assert.equal(await pageA.locator('img[src="x"]').count(), 0);
    const user = await portal.portal.db.selectFrom('users').select('external_auth_id').where('id', '=', Number(got.user_id)).executeTakeFirstOrThrow();
    assert.equal(user.external_auth_id, 'imconnector');
  });

  test('the operator answers, writes, and the customer\'s next message arrives live', { timeout: 60_000 }, async () => {
    await pageA.locator('[data-testid=session-answer]').click();
    await pageA.locator('[data-testid=session-state]', { hasText: 'Taken' }).waitFor();
    await pageA.locator('[data-testid=session-operator]', { hasText: 'Operator: Анна Петрова' }).waitFor();
    assert.deepEqual([(await session()).stage, (await session()).operator_id], ['operator', ANNA]);
    await item(pageA).and(pageA.locator('[data-phase=active]')).waitFor();

    await pageA.locator('[data-testid=composer]').fill('Hello! Could you tell me the order number?');
    await pageA.keyboard.press('Enter');
    await message(pageA, 'Could you tell me the order number?').waitFor();
    await waitFor('the operator\'s turn over', async () => (await session()).status === STATUS.OPERATOR);
    // The answer went out to the customer's channel, signed with her name.
    await waitFor('the answer sent out', async () => (await sentOut()).some((t) => t.includes('Could you tell me the order number?') && t.includes('Анна Петрова')));

    await customerSays('It is order 4417');
    await message(pageA, 'It is order 4417').waitFor();
    await pageA.locator('[data-testid=session-state]', { hasText: 'The customer wrote' }).waitFor();
    await pageA.locator('[data-testid=session-finish]').waitFor();
    await pageA.locator('.toast').waitFor({ state: 'detached' });
    await screenshot(pageA, 'openlines-workspace');
  });

  test('the operator keeps an answer as a quick answer and puts it back into the composer', { timeout: 60_000 }, async () => {
    const mine = message(pageA, 'Could you tell me the order number?');
    await mine.hover();
    await mine.getByRole('button', { name: 'Message actions' }).click();
    await mine.locator('[data-testid=save-quick]').click();
    await pageA.getByText('Saved as a quick answer').waitFor();
    await pageA.locator('[data-testid=quick-toggle]').click();
    await pageA.locator('[data-testid=quick-answer]', { hasText: 'Could you tell me the order number?' }).click();
    assert.equal(await pageA.locator('[data-testid=composer]').inputValue(), 'Hello! Could you tell me the order number?');
    await pageA.locator('[data-testid=composer]').fill('');
  });

  test('a transfer to the other operator reaches them live; they take it and finish; the rating shows', { timeout: 90_000 }, async () => {
    // The last notice gone first, so the picture shows the transfer alone.
    await pageA.locator('.toast').waitFor({ state: 'detached' });
    await pageA.locator('[data-testid=session-transfer]').click();
    const dialog = pageA.locator('[data-testid=transfer-dialog]');
    await dialog.waitFor();
    assert.deepEqual(await dialog.locator('[data-testid=transfer-line]').allTextContents(), ['Billing']);
    await screenshot(pageA, 'openlines-transfer');
    await dialog.locator('[data-testid=transfer-operator]', { hasText: 'Иван Сидоров' }).click();
    await pageA.locator('.toast', { hasText: 'Transferred to Иван Сидоров' }).waitFor();
    const s = await session();
    assert.deepEqual([s.stage, s.status, s.operator_id], ['queue', STATUS.NEW, IVAN]);
    // Anna is out of the conversation: it leaves her list.
    await item(pageA).waitFor({ state: 'detached' });
    await pageA.locator('[data-testid=session-state]', { hasText: 'You are no longer in this conversation' }).waitFor();
    assert.equal(await pageA.locator('[data-testid=session-finish]').count(), 0);

    // Ivan had the Lines tab open all along: it appears there, offered to him.
    await item(pageB).waitFor();
    assert.equal(await item(pageB).getAttribute('data-phase'), 'waiting');
    await item(pageB).click();
    await message(pageB, 'It is order 4417').waitFor();
    // The conversation so far is his to read, Anna's answer included.
    await message(pageB, 'Could you tell me the order number?').waitFor();
    await pageB.locator('[data-testid=session-answer]').click();
    await pageB.locator('[data-testid=session-state]', { hasText: 'Taken' }).waitFor();
    await pageB.locator('[data-testid=composer]').fill('Found it, the parcel leaves today.');
    await pageB.keyboard.press('Enter');
    await message(pageB, 'the parcel leaves today').waitFor();
    await pageB.locator('[data-testid=session-finish]').click();
    await pageB.locator('[data-testid=session-state]', { hasText: 'Finished' }).waitFor();
    assert.equal((await session()).stage, 'closed');
    // The line's closing text and its rating request, as the customer got them.
    await message(pageB, 'Thank you, goodbye').waitFor();
    await message(pageB, 'Please rate the quality of service').waitFor();
    assert.equal(await pageB.locator('[data-testid=session-rating]').count(), 0);

    await customerSays('1');
    await pageB.locator('[data-testid=session-rating]', { hasText: 'Rating: Good' }).waitFor();
    assert.equal((await session()).vote, 'like');
    await item(pageB).and(pageB.locator('[data-phase=closed]')).waitFor();
    await pageB.locator('.toast').waitFor({ state: 'detached' });
    await screenshot(pageB, 'openlines-finished');
    // Nothing the customer sent ran anywhere, and neither page had an error.
    for (const page of [pageA, pageB]) assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    assert.deepEqual(problems.flatMap((p) => p.errors), []);
  });
});
