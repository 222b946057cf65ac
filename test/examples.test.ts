/**
 * The bots in examples/ run as the README says: served by their own runtime on loopback, installed
 * as a local app, they register their bot, greet a person who opens a dialog with it and answer
 * what they are told. The PHP one needs php-cli on PATH (CI installs it; elsewhere its suite says
 * why it skips); the Python one python3, which every machine here has; the Node one the official JS
 * SDK, a devDependency. Given the app's client_secret (PARLEY_CLIENT_SECRET), each one checks
 * X-Parley-Signature by the README's recipe: real deliveries pass, a tampered or unsigned POST is
 * refused with 401 and has no effect.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { ROOT, freePort, httpsJson, restForm, spawnListening, testPortal, waitFor, type Child } from './helpers/portal.ts';
import { addApp, sqlitePortalFor, type TestPortal, webhookFor } from './helpers/suite.ts';
import { addLocalApp, changeInstallation } from '../src/domain/apps.ts';
import type { App } from '../src/domain/types.ts';
import { buildQuery } from '../src/wire/php-query.ts';

const hasPhp = !spawnSync('php', ['-v']).error;
if (!hasPhp && process.env.CI) throw new Error('php-cli is required under CI (.ci/run installs it)');
const skipPhp = hasPhp ? false : 'php is not on PATH (install php-cli to run the example bot)';

/** A REST call as a form POST, trusting the portal's CA when it serves HTTPS (global fetch cannot). */
async function rest(hook: string, method: string, params: Record<string, unknown>): Promise<{ status: number; body: any }> {
  if (!hook.startsWith('https:')) return restForm(hook, method, params);
  const ca = caOf.get(new URL(hook).origin);
  assert.ok(ca, `no CA known for ${hook}`);
  return httpsJson('POST', `${hook}${method}`, ca, buildQuery(params));
}
/** The CA of each HTTPS portal a test started, by origin. */
const caOf = new Map<string, Buffer>();

/** The texts the bot wrote in its dialog with the person whose webhook is `hook`. */
async function botTexts(hook: string, botId: number): Promise<string[]> {
  const page = await rest(hook, 'im.dialog.messages.get', { DIALOG_ID: botId });
  assert.equal(page.status, 200, JSON.stringify(page.body));
  return (page.body.result.messages as { text: string; author_id: number }[]).filter((m) => m.author_id === botId).map((m) => m.text);
}

/**
 * Install the bot served at `handler` (or install `created`, an app made for it beforehand) and check
 * it registers as `code`, greets and echoes; answers the bot's ID.
 */
async function talksBack(p: TestPortal, handler: string, code: string, created?: App): Promise<number> {
  let app = created;
  if (app) await changeInstallation(p.portal, app, 'install');
  else app = await addApp(p, { name: code, handler, scope: 'imbot,im' });
  const bot = await waitFor(`bot ${code} registered`, async () =>
    p.portal.db.selectFrom('bots').selectAll().where('app_id', '=', app.id).where('code', '=', code).executeTakeFirst());
  const anna = await webhookFor(p, 2);
  const said = await rest(anna, 'im.message.add', { DIALOG_ID: bot.id, MESSAGE: 'hello there' });
  assert.equal(said.status, 200, JSON.stringify(said.body));
  const texts = await waitFor('the echo', async () => {
    const all = await botTexts(anna, bot.id);
    return all.includes('You said: hello there') && all;
  });
  assert.ok(texts.includes('Hello! I repeat what you write.'), texts.join(' | '));
  return bot.id;
}

/** One POST as it reached the bot: its exact body and its headers. */
interface Delivery { body: Buffer; headers: http.IncomingHttpHeaders }

/**
 * A relay in front of a bot: forwards every request to `target` (set once the bot listens) as it
 * came, Host header included, so the bot registers the relay's address as its own and every event
 * passes through it; keeps each POST.
 */
async function relay(): Promise<{ url: string; target: string; posts: Delivery[]; close(): void }> {
  const posts: Delivery[] = [];
  const state = { url: '', target: '', posts, close: () => server.close() };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.method === 'POST') posts.push({ body, headers: req.headers });
      const out = http.request(new URL(req.url!, state.target), { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      out.on('error', () => res.writeHead(502).end());
      out.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return state;
}

/** POST a body straight to the bot with the given Parley headers; answers the status. */
async function postTo(url: string, body: Buffer | string, headers: Record<string, string>): Promise<number> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: typeof body === 'string' ? body : new Uint8Array(body) });
  await res.arrayBuffer();
  return res.status;
}

const sign = (body: Buffer | string, secret: string) => `sha256=${crypto.createHmac('sha256', secret).update(body).digest('hex')}`;

/**
 * The bot started by `start` with the app's client_secret in its environment (PARLEY_CLIENT_SECRET)
 * answers Parley's signed deliveries, and refuses with 401 a real delivery whose body was changed,
 * one signed with another key and one without a signature; none of those has an effect. `file` is
 * the handler's path on the bot's server (bot.php for PHP).
 */
async function signedOnly(p: TestPortal, code: string, start: (env: NodeJS.ProcessEnv) => Promise<{ url: string; stop(): Promise<void> | void }>, file = ''): Promise<void> {
  const front = await relay();
  // Created first, installed once the bot runs: its secret goes to the bot as `parley app add` prints it.
  const app = await addLocalApp(p.portal, { name: code, handlerUrl: `${front.url}/${file}`, scopes: ['imbot', 'im'], installUserId: 1 }, false);
  const bot = await start({ PARLEY_CLIENT_SECRET: app.client_secret });
  try {
    front.target = bot.url;
    const botId = await talksBack(p, `${front.url}/${file}`, code, app);
    const real = front.posts.find((d) => {
      const form = new URLSearchParams(d.body.toString());
      return form.get('event') === 'ONIMBOTMESSAGEADD' && form.get('data[PARAMS][MESSAGE]') === 'hello there';
    });
    assert.ok(real, 'the message event passed the relay');
    const signature = String(real.headers['x-parley-signature']);
    assert.equal(signature, sign(real.body, app.client_secret), 'the README recipe gives the header Parley sent');
    const parley = { 'x-parley-delivery': String(real.headers['x-parley-delivery']), 'x-parley-attempt': String(real.headers['x-parley-attempt']) };
    const target = `${bot.url}${file}`;

    const tampered = real.body.toString().replace('hello+there', 'hello+forged');
    assert.notEqual(tampered, real.body.toString());
    assert.equal(await postTo(target, tampered, { ...parley, 'x-parley-signature': signature }), 401, 'a changed body');
    assert.equal(await postTo(target, tampered, { ...parley, 'x-parley-signature': sign(tampered, 'not-the-client-secret') }), 401, 'another key');
    assert.equal(await postTo(target, tampered, parley), 401, 'no signature');
    // The same bytes with their own signature pass (a replay: X-Parley-Delivery tells those apart),
    // so the refusals above were the signature's doing.
    assert.equal(await postTo(target, real.body, { ...parley, 'x-parley-signature': signature }), 200);
    await waitFor('the replayed echo', async () => (await botTexts(await webhookFor(p, 2), botId)).filter((t) => t === 'You said: hello there').length === 2);

    // A real delivery after the refusals still passes; none of the refused ones was acted on.
    const anna = await webhookFor(p, 2);
    assert.equal((await rest(anna, 'im.message.add', { DIALOG_ID: botId, MESSAGE: 'still here' })).status, 200);
    const texts = await waitFor('the echo after the forgeries', async () => {
      const all = await botTexts(anna, botId);
      return all.includes('You said: still here') && all;
    });
    assert.ok(!texts.some((t) => t.includes('forged')), texts.join(' | '));
  } finally {
    await bot.stop();
    front.close();
  }
}

/** php -S serving examples/php-echo-bot on a free port, once it answers; `url` is its root. */
async function phpBot(env: NodeJS.ProcessEnv = {}): Promise<{ url: string; stop(): void }> {
  const port = await freePort();
  const php: ChildProcess = spawn('php', ['-S', `127.0.0.1:${port}`, '-t', path.join(ROOT, 'examples/php-echo-bot')], { stdio: 'ignore', env: { ...process.env, ...env } });
  const url = `http://127.0.0.1:${port}/`;
  try {
    // Served once it answers (a GET with no event just says ok).
    await waitFor('php -S serving', async () => (await fetch(`${url}bot.php`).catch(() => undefined))?.ok);
  } catch (err) {
    php.kill('SIGKILL');
    throw err;
  }
  return { url, stop: () => php.kill('SIGKILL') };
}

const pythonBot = (env: NodeJS.ProcessEnv = {}): Promise<Child> => spawnListening('python3', [path.join(ROOT, 'examples/python-echo-bot/bot.py'), '0'], env);
const nodeBot = (env: NodeJS.ProcessEnv = {}): Promise<Child> => spawnListening(process.execPath, [path.join(ROOT, 'examples/node-echo-bot/bot.mjs'), '0'], env);

describe('example bots', () => {
  const portal = sqlitePortalFor();

  test('examples/php-echo-bot under php -S', { skip: skipPhp }, async () => {
    const php = await phpBot();
    try {
      await talksBack(portal(), `${php.url}bot.php`, 'echo_bot');
    } finally {
      php.stop();
    }
  });

  test('examples/python-echo-bot', async () => {
    const python = await pythonBot();
    try {
      await talksBack(portal(), python.url, 'echo_bot_py');
    } finally {
      await python.stop();
    }
  });

  test('examples/node-echo-bot (the JS SDK) against a plain-http portal', async () => {
    const node = await nodeBot();
    try {
      await talksBack(portal(), node.url, 'echo_bot_node');
    } finally {
      await node.stop();
    }
  });

  test('examples/node-echo-bot against an HTTPS portal whose CA it trusts; it refuses an event with another application_token', async () => {
    const secure = await testPortal({ https: true });
    const front = await relay();
    try {
      assert.ok(secure.caCertPath, 'an HTTPS portal has a CA');
      caOf.set(new URL(secure.url).origin, fs.readFileSync(secure.caCertPath));
      const node = await nodeBot({ NODE_EXTRA_CA_CERTS: secure.caCertPath });
      try {
        front.target = node.url;
        const botId = await talksBack(secure, `${front.url}/`, 'echo_bot_node');
        const hook = await webhookFor(secure, 2);
        assert.match(hook, /^https:/);
        const real = front.posts.find((d) => new URLSearchParams(d.body.toString()).get('event') === 'ONIMBOTMESSAGEADD');
        assert.ok(real, 'the message event passed the relay');
        const form = new URLSearchParams(real.body.toString());
        assert.match(String(form.get('auth[client_endpoint]')), /^https:\/\/127\.0\.0\.1:\d+\/rest\/$/);
        // The same event with its MESSAGE changed, once with another portal's application_token.
        form.set('data[PARAMS][MESSAGE]', 'from elsewhere');
        const ours = form.toString();
        form.set('auth[application_token]', 'not-this-install');
        assert.equal(await postTo(node.url, form.toString(), {}), 401);
        assert.equal(await postTo(node.url, ours, {}), 200, 'the same POST with the token of its install passes');
        const texts = await waitFor('the echo of the POST with the right token', async () => {
          const all = await botTexts(hook, botId);
          return all.includes('You said: from elsewhere') && all;
        });
        assert.equal(texts.filter((t) => t === 'You said: from elsewhere').length, 1, texts.join(' | '));
      } finally {
        await node.stop();
      }
    } finally {
      front.close();
      await secure.close();
    }
  });

  test('with PARLEY_CLIENT_SECRET, examples/php-echo-bot takes signed deliveries only', { skip: skipPhp }, async () => {
    await signedOnly(portal(), 'echo_bot', phpBot, 'bot.php');
  });

  test('with PARLEY_CLIENT_SECRET, examples/python-echo-bot takes signed deliveries only', async () => {
    await signedOnly(portal(), 'echo_bot_py', pythonBot);
  });

  test('with PARLEY_CLIENT_SECRET, examples/node-echo-bot takes signed deliveries only', async () => {
    await signedOnly(portal(), 'echo_bot_node', nodeBot);
  });
});
