/**
 * The bots in examples/ run as the README says: served by their own runtime on loopback, installed
 * as a local app, they register their bot, greet a person who opens a dialog with it and answer
 * what they are told. The PHP one needs php-cli on PATH (CI installs it; elsewhere its suite says
 * why it skips); the Python one python3, which every machine here has.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { ROOT, freePort, restForm, spawnListening, waitFor, type Child } from './helpers/portal.ts';
import { addApp, sqlitePortalFor, type TestPortal, webhookFor } from './helpers/suite.ts';

const hasPhp = !spawnSync('php', ['-v']).error;
if (!hasPhp && process.env.CI) throw new Error('php-cli is required under CI (.ci/run installs it)');

/** Install the bot served at `handler` and check it registers as `code`, greets and echoes. */
async function talksBack(p: TestPortal, handler: string, code: string): Promise<void> {
  await addApp(p, { name: code, handler, scope: 'imbot,im' });
  const bot = await waitFor(`bot ${code} registered`, async () =>
    p.portal.db.selectFrom('bots').selectAll().where('code', '=', code).executeTakeFirst());
  const anna = await webhookFor(p, 2);
  const said = await restForm(anna, 'im.message.add', { DIALOG_ID: bot.id, MESSAGE: 'hello there' });
  assert.equal(said.status, 200, JSON.stringify(said.body));
  const texts = await waitFor('the echo', async () => {
    const page = await restForm(anna, 'im.dialog.messages.get', { DIALOG_ID: bot.id });
    const all = (page.body.result.messages as { text: string; author_id: number }[]).filter((m) => m.author_id === bot.id).map((m) => m.text);
    return all.includes('You said: hello there') && all;
  });
  assert.ok(texts.includes('Hello! I repeat what you write.'), texts.join(' | '));
}

describe('example bots', () => {
  const portal = sqlitePortalFor();

  test('examples/php-echo-bot under php -S', { skip: hasPhp ? false : 'php is not on PATH (install php-cli to run the example bot)' }, async () => {
    const port = await freePort();
    const php: ChildProcess = spawn('php', ['-S', `127.0.0.1:${port}`, '-t', path.join(ROOT, 'examples/php-echo-bot')], { stdio: 'ignore' });
    try {
      const url = `http://127.0.0.1:${port}/bot.php`;
      // Served once it answers (a GET with no event just says ok).
      await waitFor('php -S serving', async () => (await fetch(url).catch(() => undefined))?.ok);
      await talksBack(portal(), url, 'echo_bot');
    } finally {
      php.kill('SIGKILL');
    }
  });

  test('examples/python-echo-bot', async () => {
    const python: Child = await spawnListening('python3', [path.join(ROOT, 'examples/python-echo-bot/bot.py'), '0']);
    try {
      await talksBack(portal(), python.url, 'echo_bot_py');
    } finally {
      await python.stop();
    }
  });
});
