/**
 * The package as a user gets it: `npm pack`, `npm install -g` of the tarball into a prefix of its
 * own, and the installed `parley` run in empty folders, far from the repository: it runs the
 * compiled server without a TypeScript loader, serves the built messenger over https and http,
 * answers REST calls, and a command that finds no portal refuses with the rule that finds one;
 * `parley test` and the package's ./testing API test a bot from a folder of their own.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort, httpsJson, ROOT, spawnListening, tempDir } from './helpers/portal.ts';

const execFileP = promisify(execFile);

/** This process's environment without npm's own variables (set when the suite runs under `npm test`) and the portal's. */
function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k) && !k.startsWith('PARLEY_')) env[k] = v;
  return { ...env, ...extra };
}

/** One GET over https trusting `ca`: status, content type and body. */
function httpsText(url: string, ca: Buffer): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    https.get(url, { ca, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    }).on('error', reject);
  });
}

/** The messenger's page and its script, as a browser would load them: the page names the script. */
async function checkUi(get: (p: string) => Promise<{ status: number; type: string; body: string }>): Promise<void> {
  const page = await get('/');
  assert.equal(page.status, 200, page.body.slice(0, 200));
  assert.match(page.type, /^text\/html/);
  const script = /<script[^>]+src="(\/assets\/[^"]+\.js)"/.exec(page.body)?.[1];
  assert.ok(script, `the page loads a script: ${page.body.slice(0, 300)}`);
  const js = await get(script);
  assert.equal(js.status, 200);
  assert.match(js.type, /^text\/javascript/);
  assert.ok(js.body.length > 10_000, 'the built bundle');
}

test('npm pack, npm install -g of the tarball: parley runs in any folder and serves the messenger', { timeout: 600_000 }, async (t) => {
  const work = tempDir('parley-pack-');
  // The installed package with its compiled SQLite binding is some 70 MB: not left behind.
  t.after(() => fs.rmSync(work, { recursive: true, force: true }));
  const began = Date.now();
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };

  // npm pack runs `prepare`, which builds dist/ and ui/dist when they are older than their sources.
  await execFileP('npm', ['pack', '--pack-destination', work, '--silent'], { cwd: ROOT, env: cleanEnv(), timeout: 300_000 });
  const tarball = path.join(work, `${pkg.name}-${pkg.version}.tgz`);
  const files = (await execFileP('tar', ['-tzf', tarball])).stdout.trim().split('\n').map((f) => f.replace(/^package\//, ''));
  for (const needed of ['bin/parley.js', 'bin/server-build.js', 'dist/cli/main.js', 'dist/store/migrations/0019-app-delivery-mode.js', 'ui/dist/index.html', 'package.json', 'README.md']) {
    assert.ok(files.includes(needed), `the package holds ${needed}`);
  }
  for (const f of files) assert.doesNotMatch(f, /^(src|test|bench|scripts|examples|docs|ui\/src)\/|\.map$|\.ts$/, `the package holds only what runs: ${f}`);
  assert.ok(files.some((f) => /^ui\/dist\/assets\/.+\.js$/.test(f)), 'the built messenger');
  const packed = Date.now();

  // From the npm cache where it can; better-sqlite3's install script fetches or builds its binding.
  const prefix = path.join(work, 'prefix');
  await execFileP('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', '--allow-scripts=better-sqlite3', tarball], { cwd: work, env: cleanEnv(), timeout: 480_000 });
  const installed = path.join(prefix, 'lib/node_modules', pkg.name);
  for (const buildOnly of ['tsx', 'vite', 'vue', '@vitejs/plugin-vue', 'typescript']) {
    assert.ok(!fs.existsSync(path.join(installed, 'node_modules', buildOnly)), `${buildOnly} is not installed with the package`);
  }
  const parley = path.join(prefix, 'bin/parley');
  const installDone = Date.now();

  // Commands run far from the repository, without a config file (the user's config folder is empty).
  const env = cleanEnv({ XDG_CONFIG_HOME: tempDir('parley-xdg-') });
  const empty = tempDir('parley-anywhere-');
  assert.equal((await execFileP(parley, ['--version'], { cwd: empty, env })).stdout, `${pkg.version}\n`);
  const refused = await execFileP(parley, ['app', 'list'], { cwd: empty, env }).then(() => assert.fail('app list ran without a portal'), (e) => e as { code: number; stderr: string });
  assert.equal(refused.code, 2, refused.stderr);
  assert.match(refused.stderr, /^parley: no portal database at .*\/data\/parley\.sqlite: a command finds its portal by --data, else PARLEY_DATA .*, else a config file .*, else \.\/data where a portal database already is/);
  assert.deepEqual(fs.readdirSync(empty), [], 'no database was made');

  await t.test('parley start --https in an empty folder', async () => {
    const folder = tempDir('parley-https-');
    const port = await freePort();
    const portal = await spawnListening(parley, ['start', '--https', '--port', String(port), '--data', './data'], env, /running at https:\/\/127\.0\.0\.1:(\d+)/, folder);
    try {
      const ca = fs.readFileSync(path.join(folder, 'data/tls/ca.crt'));
      const base = `https://127.0.0.1:${port}`;
      await checkUi((p) => httpsText(base + p, ca));
      // The installed CLI beside the running portal: a webhook, and a REST call with it.
      const hook = (await execFileP(parley, ['webhook', 'add', '--user', '1', '--scope', 'user', '--data', './data'], { cwd: folder, env })).stdout.trim();
      const me = await httpsJson('GET', hook.replace(/^https?:\/\/[^/]+/, base) + 'user.current', ca);
      assert.equal(me.status, 200, JSON.stringify(me.body));
      assert.equal(me.body.result.ID, '1');
    } finally {
      await portal.stop();
    }
  });

  await t.test('parley start in an empty folder, without --data: it makes ./data', async () => {
    const folder = tempDir('parley-http-');
    const port = await freePort();
    const portal = await spawnListening(parley, ['start', '--port', String(port)], env, /running at http:\/\/127\.0\.0\.1:(\d+)/, folder);
    try {
      assert.match(portal.output(), new RegExp(`parley: using ${fs.realpathSync(folder)}/data/parley\\.sqlite \\(\\./data; a new portal\\)`));
      await checkUi(async (p) => {
        const res = await fetch(`http://127.0.0.1:${port}${p}`);
        return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
      });
    } finally {
      await portal.stop();
    }
  });
  await t.test('parley test and the ./testing API from the installed package, beside a bot in another folder', async () => {
    const folder = tempDir('parley-bottest-');
    for (const f of ['bot.py', 'echo.scenario.yaml']) fs.copyFileSync(path.join(ROOT, 'examples/python-echo-bot', f), path.join(folder, f));
    const played = await execFileP(parley, ['test', 'echo.scenario.yaml', '--junit', 'report.xml'], { cwd: folder, env, timeout: 120_000 });
    assert.match(played.stdout, /✓ Python echo bot/);
    assert.match(fs.readFileSync(path.join(folder, 'report.xml'), 'utf8'), /tests="1" failures="0"/);
    // A project that depends on the package imports its test API by the package name.
    fs.mkdirSync(path.join(folder, 'node_modules'));
    fs.symlinkSync(installed, path.join(folder, 'node_modules', pkg.name));
    fs.writeFileSync(path.join(folder, 'api.mjs'), [
      `import { startConversation } from '${pkg.name}/testing';`,
      "const bot = await startConversation({ run: 'python3 bot.py {port}', handler: 'http://127.0.0.1:{port}/' });",
      'try {',
      "  const anna = await bot.person('Anna Smith');",
      "  await anna.say('from the API');",
      "  await anna.expect({ contains: 'Hello' });",
      "  await anna.expect('You said: from the API');",
      "  console.log('echoed', bot.bot.code);",
      '} finally {',
      '  await bot.close();',
      '}',
    ].join('\n'));
    const api = await execFileP(process.execPath, ['api.mjs'], { cwd: folder, env, timeout: 120_000 });
    assert.equal(api.stdout, 'echoed echo_bot_py\n');
  });
  t.diagnostic(`pack ${((packed - began) / 1000).toFixed(1)} s, install ${((installDone - packed) / 1000).toFixed(1)} s, runs ${((Date.now() - installDone) / 1000).toFixed(1)} s`);
});
