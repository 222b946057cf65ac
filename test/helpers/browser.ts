/**
 * Browser end-to-end harness: Debian's chromium driven by playwright-core (no browser download), the
 * web messenger built once per run, sign-in through the real form, and screenshots for the README.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT } from './portal.ts';

/** The chromium binary (Debian's package); PARLEY_CHROMIUM points elsewhere. */
export const CHROMIUM = process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium';
/**
 * Where the tests save their screenshots: a temporary folder, so a test run leaves the work tree as it
 * was. `npm run screenshots` runs the browser tests with PARLEY_SCREENSHOTS=docs/screenshots to
 * refresh the ones the README shows.
 */
export const SCREENSHOTS = process.env.PARLEY_SCREENSHOTS
  ? path.resolve(ROOT, process.env.PARLEY_SCREENSHOTS)
  : path.join(os.tmpdir(), 'parley-screenshots');

/** Why browser tests cannot run here, or undefined when they can (under CI a missing browser fails instead). */
export function browserSkip(): string | undefined {
  if (fs.existsSync(CHROMIUM) || process.env.CI === 'true') return undefined;
  return `no chromium at ${CHROMIUM} (apt-get install chromium)`;
}

/** Build the UI if stale and start a headless chromium. */
export async function launchBrowser(): Promise<Browser> {
  const { buildUi } = (await import(path.join(ROOT, 'scripts/build-ui.js'))) as { buildUi(o: { quiet: boolean }): Promise<boolean> };
  await buildUi({ quiet: true });
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

/** One seeded login from the data directory's credentials.txt. */
export interface Login { id: number; login: string; password: string; name: string }

/** The seeded logins of a portal. */
export function credentials(dataDir: string): Login[] {
  return fs.readFileSync(path.join(dataDir, 'credentials.txt'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split('\t')).map(([id, login, password, name]) => ({ id: Number(id), login, password, name }));
}

/** Open the messenger and sign in through its form; resolves when the recent list is shown. */
export async function signIn(page: Page, url: string, who: Login): Promise<void> {
  await page.goto(url);
  await page.locator('input[name=login]').fill(who.login);
  await page.locator('input[name=password]').fill(who.password);
  await page.locator('button[type=submit]').click();
  await page.locator('.sidebar').waitFor();
}

/** Save a screenshot under docs/screenshots. */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

/**
 * Record every alert/confirm/prompt a page opens, plus page errors. Dialogs are dismissed, except
 * confirmations when `acceptConfirm` (the UI asks before deleting a message).
 */
export function watchPage(page: Page, opts: { acceptConfirm?: boolean } = {}): { dialogs: string[]; errors: string[] } {
  const seen = { dialogs: [] as string[], errors: [] as string[] };
  page.on('dialog', (d) => {
    seen.dialogs.push(`${d.type()}: ${d.message()}`);
    void (opts.acceptConfirm && d.type() === 'confirm' ? d.accept() : d.dismiss()).catch(() => {});
  });
  page.on('pageerror', (e) => seen.errors.push(String(e)));
  return seen;
}

/** The platform fonts chromium drew an element's own text with (DevTools' CSS.getPlatformFontsForNode). */
export async function platformFonts(page: Page, selector: string): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
    assert.ok(nodeId, `no element ${selector}`);
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    return fonts.map((f) => f.familyName);
  } finally {
    await cdp.detach();
  }
}
