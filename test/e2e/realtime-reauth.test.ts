/**
 * The web messenger when the portal closes its socket for its credentials (4401): an expired token
 * is replaced from the session and the socket comes back without losing a message or reconnecting
 * in a loop; a session signed out in another tab takes this tab back to the sign-in screen.
 * Tokens live 5 s here and sockets are re-checked every 300 ms.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { restForm, testPortal } from '../helpers/portal.ts';
import { webhookFor } from '../helpers/suite.ts';
import { browserSkip, credentials, launchBrowser, signIn, watchPage } from '../helpers/browser.ts';

const skip = browserSkip();

describe('web messenger re-authenticates its socket', { skip }, () => {
  let portal: Awaited<ReturnType<typeof testPortal>>;
  let browser: Browser;
  let page: Page;
  let problems: { dialogs: string[]; errors: string[] };
  /** When each /realtime socket of the page opened. */
  const sockets: number[] = [];

  before(async () => {
    portal = await testPortal({ tokenTtl: 5, realtimeRecheckMs: 300 });
    browser = await launchBrowser();
    const ctx = await browser.newContext({ locale: 'en-US', viewport: { width: 1200, height: 760 } });
    page = await ctx.newPage();
    problems = watchPage(page);
    page.on('websocket', (ws) => {
      if (ws.url().includes('/realtime')) sockets.push(Date.now());
    });
  });

  after(async () => {
    await browser?.close();
    await portal?.close();
  });

  test('an expired token: a fresh one from the session, the socket back, nothing missed, no loop', { timeout: 60_000 }, async () => {
    const [anna, ivan] = [2, 3].map((id) => credentials(portal.dataDir).find((l) => l.id === id)!);
    await signIn(page, portal.url, anna);
    const ivanHook = await webhookFor(portal, ivan.id, 'im');
    await page.goto(`${portal.url}/#/dialog/${ivan.id}`);
    const start = Date.now();
    // Three token lifetimes: each socket is closed when its token expires and replaced.
    await page.waitForTimeout(15_000);
    const sent = await restForm(ivanHook, 'im.message.add', { DIALOG_ID: anna.id, MESSAGE: 'after the token changed' });
    assert.ok(sent.body.result, JSON.stringify(sent.body));
    await page.locator('[data-testid=message]', { hasText: 'after the token changed' }).waitFor({ timeout: 15_000 });
    const during = sockets.filter((t) => t >= start).length;
    assert.ok(during >= 2, `the socket was replaced after its token expired (${during} new sockets)`);
    // A token lives 5 s (a reused one less): a loop would open dozens in 15 s.
    assert.ok(during <= 10, `no reconnect loop: ${during} sockets in 15 s`);
    assert.deepEqual(problems.errors, []);
  });

  test('signed out in another tab: this tab goes back to the sign-in screen', { timeout: 30_000 }, async () => {
    const other = await page.context().newPage();
    await other.goto(portal.url);
    const out = await other.evaluate(async () => (await fetch('/web/logout', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status);
    assert.equal(out, 200);
    await page.locator('input[name=login]').waitFor({ timeout: 10_000 });
    await other.close();
  });
});
