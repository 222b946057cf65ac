/**
 * Secrets in what `parley start` prints: with PARLEY_LOG=1 the request log masks webhook codes and
 * never shows an `auth` / `access_token` token, a client_secret or a refresh_token from a query
 * string; seeded passwords are printed by the first start only, later starts say where they are.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BIN, ROOT, echoBot, freePort, tempDir, waitFor } from './helpers/portal.ts';
import { installEchoBot, operatorPortal, webhookFor } from './helpers/suite.ts';

/** `parley start` as a child whose whole output (stdout and stderr) is kept. */
async function startCli(dataDir: string, env: NodeJS.ProcessEnv = {}) {
  const port = await freePort();
  const proc = spawn(process.execPath, [BIN, 'start', '--data', dataDir, '--port', String(port)], {
    cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  await new Promise<void>((resolve, reject) => {
    const check = setInterval(() => {
      // The banner is printed in one write once the portal listens.
      if (/next: npx parley app add/.test(out)) {
        clearInterval(check);
        resolve();
      }
    }, 50);
    proc.once('exit', (code) => {
      clearInterval(check);
      reject(new Error(`parley start exited with ${code}: ${out}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    output: () => out,
    stop: () => new Promise<void>((resolve) => {
      if (proc.exitCode !== null) return resolve();
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
    }),
  };
}

test('--log never prints a webhook code, token, refresh token or client secret; passwords only at the first start', { timeout: 120_000 }, async () => {
  const dataDir = tempDir();
  const first = await startCli(dataDir, { PARLEY_LOG: '1' });
  const bot = await echoBot();
  let second: Awaited<ReturnType<typeof startCli>> | undefined;
  try {
    const logins = fs.readFileSync(path.join(dataDir, 'credentials.txt'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split('\t'));
    assert.equal(logins.length, 5);
    for (const [, login, password] of logins) assert.match(first.output(), new RegExp(`${login}\\s+${password}`), 'the seeding start shows the passwords');

    // Made as a `parley` command makes them, beside the running portal process.
    const state = await operatorPortal({ dataDir });
    const hook = await webhookFor(state, 1);
    const code = /\/rest\/1\/(\w+)\/$/.exec(hook)![1];
    const { app, install } = await installEchoBot(state, bot).finally(() => state.close());
    const secrets = { code, access: install.auth.access_token, refresh: install.auth.refresh_token, clientSecret: app.client_secret };

    assert.equal((await fetch(`${hook}user.current`)).status, 200);
    assert.equal((await fetch(`${hook}user.current?auth=${install.auth.access_token}`)).status, 200);
    assert.equal((await fetch(`${first.url}/rest/user.current?auth=${install.auth.access_token}`)).status, 200);
    assert.equal((await fetch(`${first.url}/rest/user.current?access_token=${install.auth.access_token}&x=1`)).status, 200);
    assert.equal((await fetch(`${first.url}/rest/user.current?auth%5Baccess_token%5D=${install.auth.access_token}`)).status, 401);
    const refreshed = await (await fetch(`${first.url}/oauth/token/?${new URLSearchParams({
      grant_type: 'refresh_token', client_id: app.client_id, client_secret: app.client_secret, refresh_token: install.auth.refresh_token,
    })}`)).json() as any;
    Object.assign(secrets, { newAccess: refreshed.access_token, newRefresh: refreshed.refresh_token });
    assert.equal((await fetch(`${first.url}/rest/profile?auth=${refreshed.access_token}`)).status, 200);
    // Paths that log warnings or errors with the URL in their message.
    await (await fetch(`${first.url}/no-such-page?auth=${refreshed.access_token}`)).text();
    assert.equal((await fetch(`${hook}no.such.method?refresh_token=${refreshed.refresh_token}`)).status, 404);
    // Fastify writes the request log as it goes, in one ordered stream (stdout): once a later
    // request's line is in, the lines of every request before it are too.
    assert.equal((await fetch(`${first.url}/health?log-sentinel=1`)).status, 200);
    await waitFor('the sentinel request in the log', async () => first.output().includes('/health?log-sentinel=1'));

    const log = first.output();
    assert.match(log, /"msg":"incoming request"/, 'PARLEY_LOG=1 logs requests');
    assert.ok(log.includes(`/rest/1/${code.slice(0, 4)}…/user.current`), 'the webhook code is masked');
    assert.match(log, /\/oauth\/token\/\?grant_type=refresh_token&client_id=local\.[^&]+&client_secret=\(hidden\)&refresh_token=\(hidden\)/);
    for (const [name, value] of Object.entries(secrets)) assert.ok(value && !log.includes(value), `${name} is not in the log`);
    await first.stop();

    second = await startCli(dataDir);
    const banner = second.output();
    for (const [, , password] of logins) assert.ok(!banner.includes(password), 'a later start does not print passwords');
    assert.ok(banner.includes(path.join(dataDir, 'credentials.txt')), 'a later start says where the passwords are');
  } finally {
    await bot.stop();
    await first.stop();
    await second?.stop();
  }
});
