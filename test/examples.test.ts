/**
 * The bots in examples/ run as the README says: served by their own runtime on loopback, installed
 * as a local app, they register their bot, greet a person who opens a dialog with it and answer
 * what they are told. Needs php-cli on PATH (CI installs it; elsewhere the file says why it skips).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { ROOT, freePort, restForm, waitFor } from './helpers/portal.ts';
import { addApp, portalSuite, webhookFor, type TestPortal } from './helpers/suite.ts';

const hasPhp = !spawnSync('php', ['-v']).error;
if (!hasPhp && process.env.CI) throw new Error('php-cli is required under CI (.ci/run installs it)');

describe('examples/php-echo-bot', { skip: hasPhp ? false : 'php is not on PATH (install php-cli to run the example bot)' }, () => {
  let p: TestPortal;
  let php: ChildProcess | undefined;
  let botUrl = '';
  before(async () => {
    const s = await portalSuite('sqlite');
    if ('skip' in s) throw new Error(s.skip);
    p = s;
    const port = await freePort();
    php = spawn('php', ['-S', `127.0.0.1:${port}`, '-t', path.join(ROOT, 'examples/php-echo-bot')], { stdio: 'ignore' });
    botUrl = `http://127.0.0.1:${port}/bot.php`;
    // Served once it answers (a GET with no event just says ok).
    await waitFor('php -S serving', async () => (await fetch(botUrl).catch(() => undefined))?.ok);
  });
  after(async () => {
    php?.kill('SIGKILL');
    await p?.close();
  });

  test('installed as the README says, it registers its bot, greets and echoes', async () => {
    await addApp(p, { name: 'EchoBot', handler: botUrl, scope: 'imbot,im' });
    const bot = await waitFor('the bot registered', async () =>
      p.portal.db.selectFrom('bots').selectAll().where('code', '=', 'echo_bot').executeTakeFirst());
    const anna = await webhookFor(p, 2);
    const said = await restForm(anna, 'im.message.add', { DIALOG_ID: bot.id, MESSAGE: 'hello there' });
    assert.equal(said.status, 200, JSON.stringify(said.body));
    const texts = await waitFor('the echo', async () => {
      const page = await restForm(anna, 'im.dialog.messages.get', { DIALOG_ID: bot.id });
      const all = (page.body.result.messages as { text: string; author_id: number }[]).filter((m) => m.author_id === bot.id).map((m) => m.text);
      return all.includes('You said: hello there') && all;
    });
    assert.ok(texts.includes('Hello! I repeat what you write.'), texts.join(' | '));
  });
});
