/**
 * A reader in the web messenger with a dialog open, and a writer who posts into it over REST: Anna
 * (2) signed in with her dialog with Ivan (3) showing, in Debian's chromium. The formatting and text
 * direction browser tests start from here.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { restForm, testPortal } from './portal.ts';
import { webhookFor } from './suite.ts';
import { expectOk } from './rest-assert.ts';
import { credentials, launchBrowser, signIn, watchPage, type Login } from './browser.ts';

/** What annaReadsIvan() starts. */
export interface ReaderAndWriter {
  portal: Awaited<ReturnType<typeof testPortal>>;
  browser: Browser;
  page: Page;
  anna: Login;
  ivan: Login;
  annaHook: string;
  ivanHook: string;
  problems: { dialogs: string[]; errors: string[] };
  /** Ivan writes `text` to Anna; resolves with the message once her page shows `shows` in it. */
  ivanSays(text: string, shows?: string): Promise<Locator>;
  close(): Promise<void>;
}

/** A portal, Anna signed in (English, 1200×800) with her dialog with Ivan open after his "hello". */
export async function annaReadsIvan(): Promise<ReaderAndWriter> {
  const portal = await testPortal();
  const logins = credentials(portal.dataDir);
  const anna = logins.find((l) => l.id === 2)!;
  const ivan = logins.find((l) => l.id === 3)!;
  const ivanHook = await webhookFor(portal, ivan.id, 'im');
  const annaHook = await webhookFor(portal, anna.id, 'im');
  const browser = await launchBrowser();
  const page = await (await browser.newContext({ locale: 'en-US', viewport: { width: 1200, height: 800 } })).newPage();
  const ivanSays = async (text: string, shows = text) => {
    const id = expectOk(await restForm(ivanHook, 'im.message.add', { DIALOG_ID: anna.id, MESSAGE: text, URL_PREVIEW: 'N' }));
    const m = page.locator(`[data-message-id="${id}"]`);
    await m.filter({ hasText: shows }).waitFor();
    return m;
  };
  const problems = watchPage(page);
  expectOk(await restForm(ivanHook, 'im.message.add', { DIALOG_ID: anna.id, MESSAGE: 'hello' }));
  await signIn(page, portal.url, anna);
  await page.goto(`${portal.url}/#/dialog/${ivan.id}`);
  await page.locator('[data-testid=message]', { hasText: 'hello' }).waitFor();
  return {
    portal, browser, page, anna, ivan, annaHook, ivanHook, problems, ivanSays,
    async close() {
      await browser.close();
      await portal.close();
    },
  };
}
