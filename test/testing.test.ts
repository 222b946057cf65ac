/**
 * Conversation tests for bots: `parley test` plays scenario files (the examples' own, a fixture bot's
 * with keyboards, a menu, an attachment and a group chat) as a real CLI process against bots it
 * starts; a scenario that should fail does, with a diff and a JUnit failure; a malformed file exits 2.
 * The same through the JavaScript API, as a node:test suite would use it.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT, cliResult } from './helpers/portal.ts';
import { startConversation, ExpectationFailed, type Conversation } from '../src/testing/index.ts';

const hasPhp = !spawnSync('php', ['-v']).error;
if (!hasPhp && process.env.CI) throw new Error('php-cli is required under CI (.ci/run installs it)');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-scenarios-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A scenario file in the temporary folder. */
function scenarioFile(name: string, text: string): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return file;
}

const PYTHON_BOT = path.join(ROOT, 'examples/python-echo-bot/bot.py');

describe('parley test', () => {
  test('the example bots pass their own scenarios', async () => {
    const files = ['examples/python-echo-bot/echo.scenario.yaml', 'examples/node-echo-bot/echo.scenario.yaml', ...(hasPhp ? ['examples/php-echo-bot/echo.scenario.yaml'] : [])];
    const junit = path.join(tmp, 'examples.xml');
    const r = await cliResult(['test', ...files, '--junit', junit]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /✓ Python echo bot/);
    assert.match(r.stdout, /✓ Node echo bot \(JS SDK\)/);
    if (hasPhp) assert.match(r.stdout, /✓ greets a new dialog, then repeats what it is told/);
    assert.match(r.stdout, new RegExp(`${hasPhp ? 4 : 2} passed, 0 failed`));
    const xml = fs.readFileSync(junit, 'utf8');
    assert.match(xml, new RegExp(`<testsuites name="parley test" tests="${hasPhp ? 4 : 2}" failures="0"`));
    assert.doesNotMatch(xml, /<failure/);
  });

  test('keyboard buttons, menu items, attachments and group chats in a scenario file', async () => {
    const r = await cliResult(['test', 'test/fixtures/menu-bot.scenario.yaml']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /✓ Menu bot/);
  });

  test('a scenario that should fail does: exit 1, the failing step, a diff, and a JUnit failure', async () => {
    const file = scenarioFile('wrong.yaml', [
      'name: expects the wrong echo',
      `bot: { run: "python3 ${PYTHON_BOT} {port}", handler: "http://127.0.0.1:{port}/" }`,
      'scenarios:',
      '  - name: right',
      '    steps: [ { say: one }, { expect: "Hello! I repeat what you write." }, { expect: "You said: one" } ]',
      '  - name: wrong',
      '    steps:',
      '      - say: hello there',
      '      - expect: { match: "^Hello!" }',
      '      - expect: "You said: hello their"',
      '      - say: never played',
    ].join('\n'));
    const junit = path.join(tmp, 'wrong.xml');
    const r = await cliResult(['test', file, '--junit', junit]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /✓ right/);
    assert.match(r.stdout, /✗ wrong/);
    assert.match(r.stdout, /step 3: expect "You said: hello their": the text differs/);
    assert.match(r.stdout, /^ +- You said: hello their$/m);
    assert.match(r.stdout, /^ +\+ You said: hello there$/m);
    assert.match(r.stdout, /1 passed, 1 failed/);
    const xml = fs.readFileSync(junit, 'utf8');
    assert.match(xml, /<testsuite name="expects the wrong echo" [^>]*tests="2" failures="1"/);
    assert.match(xml, /<testcase name="right" [^>]*\/>/);
    assert.match(xml, /<failure message="step 3: expect &quot;You said: hello their&quot;: the text differs">[^<]*- You said: hello their\n\+ You said: hello there/);
    assert.match(xml, /FAILED {2}step 3/);
    assert.doesNotMatch(xml, /never played/, 'steps after the failing one are not played');
  });

  test('a handler that answers an error fails its scenario even when the expected messages came', async () => {
    const file = scenarioFile('crash.yaml', [
      `bot: { run: "node ${path.join(ROOT, 'test/fixtures/menu-bot.mjs')} {port}", handler: "http://127.0.0.1:{port}/" }`,
      'steps: [ { say: hi }, { expect: { contains: Welcome } }, { expect: "Echo: hi" }, { say: crash }, { wait: 800 } ]',
    ].join('\n'));
    const r = await cliResult(['test', file]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /events to the bot failed:\n +ONIMBOTMESSAGEADD \(delivery \d+\): HTTP 500/);
  });

  test('a bot that never listens, or never registers, fails with the reason', async () => {
    const silent = scenarioFile('silent.yaml', 'bot: { run: "sleep 20", handler: "http://127.0.0.1:{port}/", startTimeout: 800 }\nsteps: [ { say: hi } ]\n');
    const wrongCode = scenarioFile('code.yaml', `bot: { run: "python3 ${PYTHON_BOT} {port}", handler: "http://127.0.0.1:{port}/", code: other_bot, startTimeout: 1500 }\nsteps: [ { say: hi } ]\n`);
    const r = await cliResult(['test', silent, wrongCode]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /✗ could not start: nothing listens at http:\/\/127\.0\.0\.1:\d+\/ after 800 ms/);
    assert.match(r.stdout, /✗ could not start: the app did not register a bot with CODE other_bot within 1500 ms \(it registered echo_bot_py\)/);
    assert.match(r.stdout, /0 passed, 2 failed/);
  });

  test('a malformed scenario file exits 2 naming the problem, and runs nothing', async () => {
    const cases: [string, string, RegExp][] = [
      ['no-bot.yaml', 'steps: [ { say: hi } ]\n', /bot: /],
      ['typo.yaml', 'bot: { handler: "http://127.0.0.1:1/" }\nsteps: [ { sya: hi } ]\n', /steps\.0/],
      ['as.yaml', 'bot: { handler: "http://127.0.0.1:1/" }\nusers: [Anna Smith]\nsteps: [ { say: hi, as: Boris } ]\n', /"as: Boris" is not one of its users \(Anna Smith\)/],
      ['in.yaml', 'bot: { handler: "http://127.0.0.1:1/" }\nsteps: [ { say: hi, in: Team } ]\n', /"in: Team" names no chat/],
      ['regex.yaml', 'bot: { handler: "http://127.0.0.1:1/" }\nsteps: [ { expect: { match: "(" } } ]\n', /match is not a regular expression/],
      ['both.json', JSON.stringify({ bot: { handler: 'http://127.0.0.1:1/' }, steps: [{ say: 'hi' }], scenarios: [{ name: 'x', steps: [{ say: 'hi' }] }] }), /either "steps" \(one scenario\) or "scenarios"/],
      ['broken.json', '{"bot": ', /not valid JSON/],
    ];
    for (const [name, text, why] of cases) {
      const r = await cliResult(['test', scenarioFile(name, text)]);
      assert.equal(r.code, 2, `${name}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, why, name);
      assert.equal(r.stdout, '', `${name}: nothing is played`);
    }
    const missing = await cliResult(['test', path.join(tmp, 'nope.yaml')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\.yaml: ENOENT/);
  });
});

describe('the JavaScript API', () => {
  let bot: Conversation;
  before(async () => {
    bot = await startConversation({ run: `node ${path.join(ROOT, 'test/fixtures/menu-bot.mjs')} {port}`, handler: 'http://127.0.0.1:{port}/', timeout: 3000 });
  });
  after(() => bot?.close());

  test('people talk to the bot, press its buttons and check what it answers', async () => {
    assert.equal(bot.bot.code, 'menu_bot');
    const anna = await bot.person('Anna Smith');
    await anna.say('menu');
    await anna.expect({ contains: 'Welcome' });
    const menu = await anna.expect({ text: 'Choose a colour:', keyboard: ['Red', 'Blue', 'Say hi', 'Docs'] });
    assert.equal(menu.author_id, bot.bot.id);
    await anna.press('Red');
    await anna.expect('Picked red');
    await assert.rejects(anna.press('Docs'), (err: Error) => err instanceof ExpectationFailed && /sends nothing to the bot \(a LINK\)/.test(err.message));
    await assert.rejects(anna.press('Green'), /no keyboard button "Green"/);
    await anna.say('card');
    await anna.expect({ attach: [{ MESSAGE: 'A card' }, { DELIMITER: { SIZE: 200 } }] });
  });

  test('a wrong expectation throws with a diff; nothing() fails when the bot speaks', async () => {
    const boris = await bot.person('Boris Ivanov');
    await boris.say('menu');
    await boris.expect({ contains: 'Welcome' });
    const wrong = await boris.expect({ keyboard: ['Red', 'Green'] }).then(() => undefined, (e: unknown) => e);
    assert.ok(wrong instanceof ExpectationFailed, String(wrong));
    assert.match(wrong.message, /^expected with a keyboard: keyboard: expected 2 items, got 4/);
    assert.match(wrong.diff, /^- +"Green"/m);
    assert.match(wrong.diff, /^\+ +"Say hi"/m);
    await boris.say('again');
    const spoke = await boris.nothing(3000).then(() => undefined, (e: unknown) => e);
    assert.ok(spoke instanceof ExpectationFailed);
    assert.match(spoke.message, /expected nothing: the bot said something within 3000 ms\n\+ Echo: again/);
  });

  test('no answer in time names the failed delivery', async () => {
    const vera = await bot.person('Vera Petrova');
    await vera.say('crash');
    await vera.expect({ contains: 'Welcome' });
    const silent = await vera.expect('Echo: crash', { within: 1500 }).then(() => undefined, (e: unknown) => e);
    assert.ok(silent instanceof ExpectationFailed);
    assert.match(silent.message, /no message from the bot within 1500 ms\n {2}failed deliveries:\n {4}ONIMBOTMESSAGEADD \(delivery \d+\): HTTP 500/);
  });
});
