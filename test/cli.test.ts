/** The `parley` command: what it prints on success and the one-line errors on bad arguments. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cliResult, freePort, tempDir } from './helpers/portal.ts';

test('user add and webhook add print what scripts need, one line each', async () => {
  const data = tempDir();
  // A public URL where certainly no portal answers.
  const env = { PARLEY_PUBLIC_URL: `http://127.0.0.1:${await freePort()}` };
  const user = await cliResult(['user', 'add', '--name', 'Olga Ivanova', '--department', '2', '--data', data], env);
  assert.equal(user.code, 0, user.stderr);
  assert.match(user.stdout, /^\d+\n$/);
  const hook = await cliResult(['webhook', 'add', '--user', user.stdout.trim(), '--scope', 'im,imbot', '--data', data], env);
  assert.equal(hook.code, 0, hook.stderr);
  assert.equal(hook.stdout.replace(/[0-9a-f]+\/\n$/, 'CODE/'), `${env.PARLEY_PUBLIC_URL}/rest/${user.stdout.trim()}/CODE/`);
  const app = await cliResult(['app', 'add', '--name', 'X', '--handler', 'http://127.0.0.1:1/h', '--scope', 'imbot', '--data', data], env);
  assert.equal(app.code, 0, app.stderr);
  assert.deepEqual(Object.keys(JSON.parse(app.stdout)), ['id', 'client_id', 'client_secret', 'application_token']);
  // No portal runs on this data directory: the CLI says when ONAPPINSTALL will go out.
  assert.match(app.stderr, /ONAPPINSTALL is sent when it starts/);
});

test('bad arguments give a clear one-line error and a non-zero exit, never a stack trace', async () => {
  const data = tempDir();
  const cases: [string[], RegExp][] = [
    [['webhook', 'add', '--user', 'abc', '--scope', 'im', '--data', data], /--user must be a positive integer/],
    [['webhook', 'add', '--user', '999', '--scope', 'im', '--data', data], /no active user with ID 999/],
    [['webhook', 'add', '--user', '1', '--scope', 'im,bogus', '--data', data], /unknown scope\(s\): bogus/],
    [['webhook', 'add', '--user', '1', '--data', data], /required option '--scope <list>' not specified/],
    [['app', 'add', '--name', 'X', '--handler', 'not a url', '--scope', 'imbot', '--data', data], /--handler must be an absolute http\(s\) URL/],
    [['app', 'add', '--name', 'X', '--handler', 'ftp://x/y', '--scope', 'imbot', '--data', data], /--handler must be an http or https URL/],
    [['app', 'add', '--name', 'X', '--handler', 'http://x/y', '--install-url', 'nope', '--scope', 'imbot', '--data', data], /--install-url must be an absolute http\(s\) URL/],
    [['user', 'add', '--name', 'A B', '--department', '77', '--data', data], /no department 77/],
    [['app', 'uninstall', '42', '--data', data], /no app 42/],
    [['start', '--port', 'eighty', '--data', data], /invalid configuration/],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ];
  for (const [args, message] of cases) {
    const r = await cliResult(args);
    assert.notEqual(r.code, 0, args.join(' '));
    assert.match(r.stderr, message, args.join(' '));
    assert.doesNotMatch(r.stderr, /^\s+at /m, `no stack trace for ${args.join(' ')}`);
  }
});
