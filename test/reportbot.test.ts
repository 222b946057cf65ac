/**
 * The seed's example bot ("Докладун", ReportBot) run unchanged with `php -S` against an HTTPS portal:
 * it installs, registers its bot through `https://{auth[domain]}/rest/imbot.register`, and answers
 * ONIMBOTJOINCHAT in a group chat and in a private dialog with its welcome and ATTACH, and reports
 * overdue tasks (task.item.list; tasks made as `parley task add` makes them) when asked "что горит".
 *
 * Needs php-cli with the curl extension on PATH and the seed's reportbot.php (../shared/seed-examples
 * next to the repository, PARLEY_SEED_EXAMPLES, or /work/shared/seed-examples); the file is skipped
 * otherwise, with the reason (CI installs php).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ROOT, httpsJson, tempDir, testPortal, waitFor } from './helpers/portal.ts';
import { addApp, addTask, webhookFor } from './helpers/suite.ts';
import { buildQuery } from '../src/wire/php-query.ts';

// The seed's examples live beside the checkout (../shared); a clone elsewhere on the same machine
// finds them through PARLEY_SEED_EXAMPLES or the workspace's shared folder.
const BOT_FILE = [
  process.env.PARLEY_SEED_EXAMPLES,
  path.resolve(ROOT, '../shared/seed-examples'),
  '/work/shared/seed-examples',
].filter((d): d is string => !!d).map((d) => path.join(d, 'reportbot.php')).find((f) => fs.existsSync(f))
  ?? path.resolve(ROOT, '../shared/seed-examples/reportbot.php');
const hasPhp = !spawnSync('php', ['-v']).error;
const skip = !hasPhp
  ? 'php is not on PATH (install php-cli and php-curl to run the seed example bot)'
  : !fs.existsSync(BOT_FILE)
    ? `seed example bot not found at ${BOT_FILE}`
    : false;

const WELCOME = 'Привет! Я Докладун, докладываю все как есть.';
const WELCOME_ATTACH = [{ MESSAGE: '[send=что горит]Что горит?[/send]' }];

const AFTER_REPORT = 'Как разберетесь с этими задачами, просто спросите еще раз [send=что горит]Что горит?[/send] и я дам новую сводку!';

/**
 * The blocks of a stored ATTACH, whether it is kept as the list of blocks the bot sent or wrapped as
 * `[{ID, COLOR, BLOCKS: [...]}]`.
 */
function attachBlocks(params: any): any[] {
  const attach = params?.ATTACH;
  const list: any[] = Array.isArray(attach) ? attach : attach ? [attach] : [];
  return list.flatMap((a) => (a && typeof a === 'object' && Array.isArray(a.BLOCKS) ? a.BLOCKS : [a]));
}

/** A block's value as a list: LINK, USER, … may be stored as one object or as a list of them. */
const asList = (v: unknown) => (Array.isArray(v) ? v : [v]);

let portal: Awaited<ReturnType<typeof testPortal>>;
let php: ChildProcess | undefined;
let phpLog = '';
let botDir: string;
let phpPort: number;
let admin: string;
let anna: string;
let botId: number;

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Whether something accepts TCP connections on the port. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** POST a REST call as a form body (PHP style) to the HTTPS portal, trusting its CA. */
const restForm = (base: string, method: string, params: Record<string, unknown> = {}) =>
  httpsJson('POST', `${base}${method}`, fs.readFileSync(portal.caCertPath!), buildQuery(params));

/** What to show when a wait fails: the php server log and the portal's event deliveries. */
async function diagnostics(): Promise<string> {
  let events = '';
  try {
    const rows = await portal.portal.db.selectFrom('outbox').select(['id', 'status', 'event', 'handler_url', 'attempts', 'last_status', 'last_error']).orderBy('id').execute();
    events = rows.map((r) => `${r.id}\t${r.status}\t${r.event}\t${r.handler_url}\tattempts=${r.attempts}\tlast=${r.last_status || '-'} ${r.last_error}`).join('\n');
  } catch (e) {
    events = String(e);
  }
  return `\n--- php -S log ---\n${phpLog}\n--- event deliveries ---\n${events}`;
}

async function waitOrExplain<T>(what: string, check: () => Promise<T | undefined | false | null>, ms = 20_000): Promise<T> {
  try {
    return await waitFor(what, check, ms);
  } catch (e) {
    throw new Error(`${(e as Error).message}${await diagnostics()}`);
  }
}

async function messages(base: string, dialogId: string | number): Promise<any[]> {
  const r = await restForm(base, 'im.dialog.messages.get', { DIALOG_ID: dialogId, LIMIT: 50 });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.result.messages;
}

before(async () => {
  if (skip) return;
  portal = await testPortal({ https: true });
  assert.ok(portal.caCertPath, 'an https portal has a CA');

  // The bot writes config_<domain>.php next to itself: serve a writable copy.
  botDir = tempDir('parley-reportbot-');
  fs.copyFileSync(BOT_FILE, path.join(botDir, 'reportbot.php'));
  phpPort = await freePort();
  php = spawn('php', [
    '-d', `curl.cainfo=${portal.caCertPath}`, '-d', `openssl.cafile=${portal.caCertPath}`,
    '-S', `127.0.0.1:${phpPort}`, '-t', botDir,
  ], { cwd: botDir, stdio: ['ignore', 'pipe', 'pipe'] });
  php.stdout!.on('data', (d) => (phpLog += d));
  php.stderr!.on('data', (d) => (phpLog += d));
  await waitFor('php -S to accept connections', async () => {
    if (php!.exitCode !== null) throw new Error(`php -S exited with ${php!.exitCode}: ${phpLog}`);
    return accepts(phpPort);
  });

  admin = await webhookFor(portal, 1, 'imbot,im');
  anna = await webhookFor(portal, 2, 'im,imbot');
});

after(async () => {
  if (php && php.exitCode === null) {
    const exited = new Promise((resolve) => php!.once('exit', resolve));
    php.kill('SIGKILL');
    await exited;
  }
  // REPORTBOT_DEBUG=1 prints what php -S logged (requests, warnings, fatal errors).
  if (process.env.REPORTBOT_DEBUG) console.error(phpLog);
  await portal?.close();
  if (botDir) fs.rmSync(botDir, { recursive: true, force: true });
});

test('the seed ReportBot installs and registers its bot over HTTPS', { skip }, async () => {
  const handler = `http://127.0.0.1:${phpPort}/reportbot.php`;
  const app = await addApp(portal, { name: 'ReportBot', handler, scope: 'imbot,im,task' });

  const bot = await waitOrExplain('ReportBot in imbot.bot.list', async () => {
    const r = await restForm(admin, 'imbot.bot.list');
    return Object.values(r.body.result ?? {}).find((b: any) => b.CODE === 'ReportBot') as any;
  });
  assert.equal(bot.NAME, 'Докладун');
  botId = Number(bot.ID);
  assert.ok(botId > 0);

  // The bot's domain is the portal's host:port; only the dots become underscores.
  const config = await waitOrExplain('the bot config file', async () => {
    return fs.readdirSync(botDir).find((f) => /^config_.*\.php$/.test(f));
  });
  const port = new URL(portal.url).port;
  assert.equal(config, `config_127_0_0_1:${port}.php`);
  const saved = fs.readFileSync(path.join(botDir, config), 'utf8');
  assert.ok(saved.includes(`'${app.application_token}'`), 'config keyed by the application_token of ONAPPINSTALL');
  assert.match(saved, new RegExp(`'BOT_ID' => ${botId},`));
  assert.match(saved, /'LANGUAGE_ID' => 'en',/);
});

test('invited to a group chat, ReportBot posts its welcome with the ATTACH', { skip }, async () => {
  assert.ok(botId, 'bot registered');
  const chat = await restForm(anna, 'im.chat.add', { TITLE: 'Отчёты', USERS: [3, botId] });
  assert.equal(chat.status, 200, JSON.stringify(chat.body));
  const chatId = chat.body.result;

  const welcome = await waitOrExplain('the welcome in the group chat', async () =>
    (await messages(anna, `chat${chatId}`)).find((m) => m.author_id === botId));
  assert.equal(welcome.text, WELCOME);
  assert.equal(welcome.chat_id, chatId);
  assert.deepEqual(attachBlocks(welcome.params), WELCOME_ATTACH);
  // Exactly one welcome: the event was delivered once and answered once.
  const fromBot = (await messages(anna, `chat${chatId}`)).filter((m) => m.author_id === botId);
  assert.equal(fromBot.length, 1);
});

test('a private dialog with ReportBot gets the welcome too', { skip }, async () => {
  assert.ok(botId, 'bot registered');
  const sent = await restForm(anna, 'im.message.add', { DIALOG_ID: botId, MESSAGE: 'привет' });
  assert.equal(sent.status, 200, JSON.stringify(sent.body));

  const welcome = await waitOrExplain('the welcome in the private dialog', async () =>
    (await messages(anna, botId)).find((m) => m.author_id === botId && m.text === WELCOME));
  assert.deepEqual(attachBlocks(welcome.params), WELCOME_ATTACH);
  // The message itself reaches the bot, which does not understand it and says so.
  const reply = await waitOrExplain('the answer to "привет"', async () =>
    (await messages(anna, botId)).find((m) => m.author_id === botId && m.text.startsWith('Туплю-с')));
  assert.equal(reply.text, 'Туплю-с\nНе соображу, что вы хотите узнать. А может вообще не умею...');
  assert.deepEqual(attachBlocks(reply.params), [{ MESSAGE: AFTER_REPORT }]);
});

/** Ask the bot "что горит" as Anna and wait for its answer that starts with `title`. */
async function askWhatsBurning(title: string): Promise<any> {
  const before = new Set((await messages(anna, botId)).map((m) => m.id));
  const sent = await restForm(anna, 'im.message.add', { DIALOG_ID: botId, MESSAGE: 'что горит' });
  assert.equal(sent.status, 200, JSON.stringify(sent.body));
  return waitOrExplain(`the answer "${title}…"`, async () =>
    (await messages(anna, botId)).find((m) => !before.has(m.id) && m.author_id === botId && m.text.startsWith(title)));
}

test('"что горит" without overdue tasks: the bot praises, and offers to ask again', { skip }, async () => {
  assert.ok(botId, 'bot registered');
  // Not overdue for Anna, and overdue for someone else: neither counts.
  await addTask(portal, { title: 'Later', responsible: 2, deadline: '2099-01-01' });
  await addTask(portal, { title: 'Ivan is late', responsible: 3, deadline: '2020-01-01' });

  const reply = await askWhatsBurning('Шикарно');
  // The bot sends "title\nreport\n"; the portal trims the trailing newline.
  assert.equal(reply.text, 'Шикарно работаете!\nНечем даже огорчить - ни одной просроченной задачи');
  assert.deepEqual(attachBlocks(reply.params), [{ MESSAGE: AFTER_REPORT }]);
});

test('"что горит" with overdue tasks: a LINK and a DELIMITER per overdue task, latest deadline first', { skip }, async () => {
  assert.ok(botId, 'bot registered');
  const add = (title: string, deadline: string) => addTask(portal, { title, responsible: 2, deadline });
  const older = await add('Сдать отчёт', '2024-01-15');
  const newer = await add('Позвонить клиенту', '2025-03-01');
  await add('Спланировать квартал', '2099-12-31');
  assert.ok(older > 0 && newer > older);

  const reply = await askWhatsBurning('Да, кое-какие');
  assert.equal(reply.text, 'Да, кое-какие задачи уже пролетели, например:');
  const domain = new URL(portal.url).host;
  const link = (id: number) => `https://${domain}/company/personal/user/2/tasks/task/view/${id}/`;
  const blocks = attachBlocks(reply.params);
  assert.equal(blocks.length, 5, JSON.stringify(blocks));
  assert.deepEqual(Object.keys(blocks[0]), ['LINK']);
  assert.deepEqual(asList(blocks[0].LINK), [{ NAME: 'Позвонить клиенту', LINK: link(newer) }]);
  assert.deepEqual(Object.keys(blocks[2]), ['LINK']);
  assert.deepEqual(asList(blocks[2].LINK), [{ NAME: 'Сдать отчёт', LINK: link(older) }]);
  for (const d of [blocks[1], blocks[3]]) {
    assert.deepEqual(Object.keys(d), ['DELIMITER']);
    assert.equal(Number(d.DELIMITER.SIZE), 400);
    assert.equal(d.DELIMITER.COLOR, '#c6c6c6');
  }
  assert.deepEqual(blocks[4], { MESSAGE: AFTER_REPORT });
});
