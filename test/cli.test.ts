/**
 * The `parley` command itself, each of its commands the suite relies on: what it prints on success,
 * what its writes do to a running portal (which finds them at its next poll, as it finds another
 * process's), and the one-line errors on bad arguments. Every other test sets its state up
 * in-process through the functions these commands call (test/helpers/suite.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { BIN, botEvents, cliResult, echoBot, eventSink, freePort, restForm, spawnListening, tempDir, testPortal, waitFor, where } from './helpers/portal.ts';
import { addApp, webhookFor } from './helpers/suite.ts';
import { expectOk } from './helpers/rest-assert.ts';

const execFileP = promisify(execFile);

/** Run the commands two at a time (the machine's cores); answers their results in order. */
async function inPairs<T, R>(items: T[], run: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await run(items[i]);
    }
  };
  await Promise.all([worker(), worker()]);
  return out;
}

/** A command that must succeed: its stdout. */
async function ok(args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const r = await cliResult(args, env);
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** A command given `input` on its standard input (how a password reaches it, never on the command line). */
async function piped(args: string[], input: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const run = execFileP(process.execPath, [BIN, ...args], { timeout: 60_000 });
  run.child.stdin!.end(input);
  try {
    return { code: 0, ...(await run) };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

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
  // Nothing listens at the handler (port 1): said at once, not left to a dead letter.
  assert.match(app.stderr, /warning: nothing answers at http:\/\/127\.0\.0\.1:1\/h \(ECONNREFUSED\); ONAPPINSTALL is retried until it does/);
});

test('--version prints the package version; each subcommand\'s help lists its own options', async () => {
  const pkg = JSON.parse(await (await import('node:fs/promises')).readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  assert.equal(await ok(['--version']), `${pkg.version}\n`);
  const reinstall = await ok(['app', 'reinstall', '--help']);
  assert.doesNotMatch(reinstall, /--clean/);
  assert.match(await ok(['app', 'uninstall', '--help']), /--clean/);
});

/** The environment of a command that is told nothing: no PARLEY_DATA, PARLEY_DB or PARLEY_CONFIG, and an empty user config folder. */
function bareEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_CONFIG_HOME: tempDir('parley-xdg-'), ...extra };
  for (const name of ['PARLEY_DATA', 'PARLEY_DB', 'PARLEY_CONFIG', 'PARLEY_HOST', 'PARLEY_PORT', 'PARLEY_HTTPS', 'PARLEY_PUBLIC_URL']) {
    if (!(name in extra)) delete env[name];
  }
  return env;
}

/** Run the command in `folder`; its exit code, stdout and stderr. */
async function runIn(folder: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    return { code: 0, ...(await execFileP(process.execPath, [BIN, ...args], { cwd: folder, env, timeout: 60_000 })) };
  } catch (e) {
    return e as { code: number; stdout: string; stderr: string };
  }
}

test('without --data, PARLEY_DATA or a config file a command uses ./data only where a portal database is, and says so', async () => {
  const folder = fs.realpathSync(tempDir());
  const env = bareEnv();
  const refused = await runIn(folder, ['user', 'add', '--name', 'Lost Soul'], env);
  assert.equal(refused.code, 2, refused.stderr);
  assert.match(refused.stderr, /no portal database at .*\/data\/parley\.sqlite: a command finds its portal by --data, else PARLEY_DATA .*, else a config file \(PARLEY_CONFIG, \.\/parley\.json, ~\/\.config\/parley\/config\.json\), else \.\/data where a portal database already is/);
  assert.ok(!fs.existsSync(path.join(folder, 'data')), 'no database was made');
  const made = await runIn(folder, ['user', 'add', '--name', 'Found Soul', '--data', 'data'], env);
  assert.equal(made.code, 0, made.stderr);
  assert.equal(made.stderr, `parley: using ${folder}/data/parley.sqlite (--data; a new portal)\n`);
  const listed = await runIn(folder, ['user', 'list'], env);
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(listed.stdout, /Found Soul/);
  assert.equal(listed.stderr, `parley: using ${folder}/data/parley.sqlite (./data)\n`);
  const byEnv = await runIn(tempDir(), ['user', 'list'], bareEnv({ PARLEY_DATA: path.join(folder, 'data') }));
  assert.equal(byEnv.stderr, `parley: using ${folder}/data/parley.sqlite (PARLEY_DATA)\n`);
});

test('a config file comes after --data and PARLEY_DATA and before ./data: parley.json here, else the user\'s, else PARLEY_CONFIG\'s', { timeout: 120_000 }, async () => {
  const project = fs.realpathSync(tempDir());
  const elsewhere = fs.realpathSync(tempDir());
  const env = bareEnv();
  const file = path.join(project, 'parley.json');
  const port = await freePort();
  // Relative to the file's folder, wherever the command runs; the start options come from it too.
  fs.writeFileSync(file, JSON.stringify({ data: 'portal', port, host: '127.0.0.1' }));
  fs.mkdirSync(path.join(project, 'data'));
  const sqlite = path.join(project, 'portal/parley.sqlite');

  // A command that changes data does not make the database the file names: parley start does.
  const refused = await runIn(project, ['user', 'add', '--name', 'Too Early'], env);
  assert.equal(refused.code, 2, refused.stderr);
  assert.equal(refused.stderr, `parley: no portal database at ${sqlite} (data in ${file}): parley start creates it; or fix the file\n`);
  assert.ok(!fs.existsSync(path.join(project, 'portal')));
  const started = await spawnListening(process.execPath, [BIN, 'start'], env, /running at http:\/\/127\.0\.0\.1:(\d+)/, project);
  try {
    assert.equal(started.port, port, 'the port is the file\'s');
    assert.match(started.output(), new RegExp(`parley: using ${sqlite} \\(data in ${file}; a new portal\\)`));
    assert.equal((await fetch(`http://127.0.0.1:${port}/health`)).status, 200);
  } finally {
    await started.stop();
  }

  const added = await runIn(project, ['user', 'add', '--name', 'Filed Person'], env);
  assert.equal(added.code, 0, added.stderr);
  assert.equal(added.stderr, `parley: using ${sqlite} (data in ${file})\n`);
  // The same file named by PARLEY_CONFIG, from another folder.
  const named = await runIn(elsewhere, ['user', 'list'], { ...env, PARLEY_CONFIG: file });
  assert.equal(named.code, 0, named.stderr);
  assert.match(named.stdout, /\tFiled Person\t/);
  assert.equal(named.stderr, `parley: using ${sqlite} (data in ${file})\n`);
  // The user's config file applies in any folder; ./parley.json comes before it.
  const xdg = env.XDG_CONFIG_HOME!;
  fs.mkdirSync(path.join(xdg, 'parley'));
  const userFile = path.join(xdg, 'parley/config.json');
  fs.writeFileSync(userFile, JSON.stringify({ data: path.join(project, 'data') }));
  assert.equal((await runIn(elsewhere, ['user', 'list'], env)).stderr, `parley: no portal database at ${project}/data/parley.sqlite (data in ${userFile}): parley start creates it; or fix the file\n`);
  assert.equal((await runIn(project, ['user', 'list'], env)).stderr, `parley: using ${sqlite} (data in ${file})\n`);
  fs.writeFileSync(userFile, JSON.stringify({ data: '../../../' + path.relative('/', path.join(project, 'portal')) }));
  const fromUser = await runIn(elsewhere, ['user', 'list'], env);
  assert.match(fromUser.stdout, /\tFiled Person\t/);
  assert.equal(fromUser.stderr, `parley: using ${sqlite} (data in ${userFile})\n`);
  // PARLEY_DATA and --data come before any file.
  const other = path.join(elsewhere, 'other');
  assert.equal((await runIn(project, ['user', 'list'], { ...env, PARLEY_DATA: other })).stderr, `parley: using ${other}/parley.sqlite (PARLEY_DATA; a new portal)\n`);
  assert.equal((await runIn(project, ['user', 'list', '--data', other], env)).stderr, `parley: using ${other}/parley.sqlite (--data)\n`);
  // A PostgreSQL URL from the file is named without its password (nothing listens on port 1).
  fs.writeFileSync(file, JSON.stringify({ data: 'portal', db: 'postgres://parley:hunter2@127.0.0.1:1/parley' }));
  const pg = await runIn(project, ['user', 'list'], env);
  assert.equal(pg.code, 1);
  assert.match(pg.stderr, new RegExp(`^parley: using PostgreSQL postgres://parley:\\*\\*\\*@127\\.0\\.0\\.1:1/parley \\(db in ${file}\\)\n`));
  assert.doesNotMatch(pg.stderr, /hunter2/);
});

test('a config file that is not JSON, has unknown keys or wrong types, or that PARLEY_CONFIG names but is not there stops every command (exit 2)', async () => {
  const folder = fs.realpathSync(tempDir());
  const file = path.join(folder, 'parley.json');
  const cases: [string | undefined, NodeJS.ProcessEnv, string][] = [
    ['{"data": "x",', {}, `parley: the config file ${file} is not JSON: `],
    ['["data"]', {}, `parley: invalid config file ${file}:\n  (the file): Invalid input: expected object, received array\n`],
    ['{"dat": "x", "port": "80", "db": "mysql://x"}', {}, `parley: invalid config file ${file}:\n  db: must be a postgres:// URL\n  port: Invalid input: expected number, received string\n  dat: unknown (a config file holds data, db, redis, host, port, https, publicUrl)\n`],
    [undefined, { PARLEY_CONFIG: 'missing.json' }, `parley: cannot read the config file ${folder}/missing.json: ENOENT\n`],
  ];
  for (const [text, extra, message] of cases) {
    if (text === undefined) fs.rmSync(file, { force: true });
    else fs.writeFileSync(file, text);
    for (const args of [['app', 'list'], ['start', '--port', '0'], ['user', 'list', '--data', 'd']]) {
      const r = await runIn(folder, args, bareEnv(extra));
      assert.equal(r.code, 2, `${args.join(' ')} with ${text}: ${r.stderr}`);
      assert.ok(r.stderr.startsWith(message), `${args.join(' ')} with ${text}: ${r.stderr}`);
    }
  }
  assert.deepEqual(fs.readdirSync(folder), [], 'nothing was made');
});

test('events tail prints deliveries as they are queued and sent, until interrupted', { timeout: 60_000 }, async () => {
  const portal = await testPortal();
  const port = await freePort();
  const sink = await eventSink(port);
  const tail = spawn(process.execPath, [BIN, 'events', 'tail', '--interval', '100', ...where(portal)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  tail.stdout!.on('data', (d) => (out += d));
  try {
    await waitFor('the header', async () => out.startsWith('TIME\tID\tSTATUS\tEVENT\tHANDLER\tATTEMPTS\tLAST\n'));
    const app = await addApp(portal, { name: 'Tailed', handler: `http://127.0.0.1:${port}/`, scope: 'imbot' });
    await waitFor('delivered', async () => sink.received.includes('ONAPPINSTALL'));
    const line = await waitFor('the delivered line', async () => out.split('\n').find((l) => /\tdelivered\tONAPPINSTALL\t/.test(l) && l.includes(`127.0.0.1:${port}`)));
    assert.match(line, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\t\d+\tdelivered\tONAPPINSTALL\thttp:\/\/127\.0\.0\.1:\d+\/\tattempts=1\tlast=200 $/);
    assert.ok(app.id > 0);
    const exited = new Promise<number | null>((r) => tail.once('exit', (code) => r(code)));
    tail.kill('SIGTERM');
    assert.equal(await exited, 0);
  } finally {
    tail.kill('SIGKILL');
    sink.close();
    await portal.close();
  }
});

test('bad arguments give a clear one-line error and a non-zero exit, never a stack trace', async () => {
  const data = tempDir();
  // [arguments, stderr, exit code when it matters (2: a usage error, 1: commander's own), environment]
  const cases: [string[], RegExp, number?, NodeJS.ProcessEnv?][] = [
    [['webhook', 'add', '--user', 'abc', '--scope', 'im'], /--user must be a positive integer/],
    [['webhook', 'add', '--user', '999', '--scope', 'im'], /no active user with ID 999/],
    [['webhook', 'add', '--user', '1', '--scope', 'im,bogus'], /unknown scope\(s\): bogus/],
    [['webhook', 'add', '--user', '1'], /required option '--scope <list>' not specified/],
    [['app', 'add', '--name', 'X', '--handler', 'not a url', '--scope', 'imbot'], /--handler must be an absolute http\(s\) URL/],
    [['app', 'add', '--name', 'X', '--handler', 'ftp://x/y', '--scope', 'imbot'], /--handler must be an http or https URL/],
    [['app', 'add', '--name', 'X', '--handler', 'http://x/y', '--scope', 'imbot', '--delivery', 'twice'], /--delivery must be one of: retry, once/],
    [['app', 'add', '--name', 'X', '--handler', 'http://x/y', '--install-url', 'nope', '--scope', 'imbot'], /--install-url must be an absolute http\(s\) URL/],
    // The handler policy (test/handler-policy.test.ts) holds for the command too.
    [['app', 'add', '--name', 'X', '--handler', 'http://metadata.google.internal./', '--scope', 'imbot'], /--handler: Handler URL refused: metadata\.google\.internal is a cloud metadata address/],
    [['app', 'add', '--name', 'X', '--handler', 'http://127.0.0.1:9/', '--scope', 'imbot'], /127\.0\.0\.1 is a loopback address/, undefined, { PARLEY_EVENT_NETWORKS: 'public' }],
    [['user', 'add', '--name', 'A B', '--department', '77'], /no department 77/, 2],
    [['app', 'uninstall', '42'], /no app 42/],
    [['webhook', 'delete', '42'], /no webhook 42/, 2],
    [['department', 'add', '--name', 'X', '--parent', '999'], /no department 999/, 2],
    [['department', 'add', '--name', 'X', '--parent', 'abc'], /--parent must be a positive integer/, 2],
    [['department', 'add', '--name', 'X', '--head', '999'], /no active user with ID 999/, 2],
    [['department', 'add', '--name', '  '], /--name must not be empty/, 2],
    [['department', 'add'], /--name/],
    [['task', 'add', '--title', '  ', '--responsible', '5'], /--title must not be empty/, 2],
    [['task', 'add', '--title', 'x', '--responsible', 'five'], /--responsible must be a positive integer/, 2],
    [['task', 'add', '--title', 'x', '--responsible', '999'], /no active user with ID 999/, 2],
    [['task', 'add', '--title', 'x', '--responsible', '5', '--creator', '0'], /--creator must be a positive integer/, 2],
    [['task', 'add', '--title', 'x', '--responsible', '5', '--deadline', 'tomorrow'], /--deadline must be a date/, 2],
    [['task', 'add', '--title', 'x', '--responsible', '5', '--deadline', '2024-02-30'], /--deadline must be a date/, 2],
    [['task', 'add', '--responsible', '5'], /required option '--title/, 1],
    [['start', '--port', 'eighty'], /invalid configuration/],
    [['start', '--trust-proxy', '10.0.0.1,10.0.0.0/40'], /invalid configuration:\n\s+--trustProxy: "10\.0\.0\.0\/40" is refused: invalid range on address/, 2],
    [['events', 'list', '--status', 'bogus'], /--status must be one of: pending, delivered, dead, discarded/, 2],
    [['events', 'show', '424242'], /no event 424242/, 2],
    [['events', 'retry', '424242'], /0 of 1 event\(s\) sent now: only pending events/, 2],
    [['events', 'resend', '424242'], /0 of 1 event\(s\) queued again: only delivered or discarded events/, 2],
    [['events', 'test', '--app', '424242', '--event', 'ONAPPUPDATE'], /no app 424242/, 2],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ];
  const withData = (args: string[]) => (args[0] === 'frobnicate' ? args : [...args, '--data', data]);
  // The first command seeds the fresh data directory; the others may then run side by side.
  const first = await cliResult(withData(cases[0][0]));
  const rest = await inPairs(cases.slice(1), ([args, , , env]) => cliResult(withData(args), env));
  [first, ...rest].forEach((r, i) => {
    const [args, message, code] = cases[i];
    const what = args.join(' ');
    assert.notEqual(r.code, 0, what);
    if (code !== undefined) assert.equal(r.code, code, `${what}: ${r.stderr}`);
    assert.match(r.stderr, message, what);
    assert.doesNotMatch(r.stderr, /^\s+at /m, `no stack trace for ${what}`);
  });
});

test('against a running portal: what each command writes, the portal shows', { timeout: 180_000 }, async () => {
  // One attempt per event: a handler that is down dead-letters at once, for the events commands.
  const portal = await testPortal({ eventAttempts: 1 });
  const bot = await echoBot();
  const downPort = await freePort();
  let sink: Awaited<ReturnType<typeof eventSink>> | undefined;
  const at = where(portal);
  try {
    const admin = await webhookFor(portal, 1, 'im,task,parley');

    // department add: a department below Support headed by John, and a new root.
    const second = Number(await ok(['department', 'add', '--name', 'Second line', '--parent', '3', '--head', '5', ...at]));
    const board = Number(await ok(['department', 'add', '--name', 'Board', ...at]));
    assert.ok(second > 3 && board > second);
    // user add: in that department, with a login to sign in with.
    const olga = Number(await ok(['user', 'add', '--name', 'Olga Novak', '--department', String(second), '--login', 'olga', '--password', 'secret-pw', ...at]));
    assert.ok(olga > 5);
    const signIn = await fetch(`${portal.url}/web/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'olga', password: 'secret-pw' }) });
    assert.equal(signIn.status, 200, 'a user made by the CLI signs in');
    // user password: a generated one, printed once; her session ends, the new password alone signs in.
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0];
    const [said, generated, rest] = (await ok(['user', 'password', '--user', String(olga), ...at])).split('\n');
    assert.deepEqual([said, rest], [`new password set for olga (ID ${olga}); their web sessions were ended`, '']);
    assert.match(generated, /^[\w-]{16}$/);
    assert.equal((await fetch(`${portal.url}/web/token`, { headers: { cookie } })).status, 401, 'her session ended');
    const signInAs = (password: string) => fetch(`${portal.url}/web/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'olga', password }) });
    assert.equal((await signInAs('secret-pw')).status, 401);
    assert.equal((await signInAs(generated)).status, 200);
    // --password-stdin: the first line of standard input, nothing printed but the line; the policy holds.
    const short = await piped(['user', 'password', '--user', String(olga), '--password-stdin', ...at], 'short\n');
    assert.deepEqual([short.code, short.stdout], [2, '']);
    assert.match(short.stderr, /\nparley: The new password must have at least 8 characters\n$/);
    const fromStdin = await piped(['user', 'password', '--user', String(olga), '--password-stdin', ...at], 'chosen-by-olga\nignored\n');
    assert.deepEqual([fromStdin.code, fromStdin.stdout], [0, `new password set for olga (ID ${olga}); their web sessions were ended\n`]);
    assert.equal((await signInAs('chosen-by-olga')).status, 200);
    assert.match((await cliResult(['user', 'password', '--user', '99999', ...at])).stderr, /\nparley: No person with ID 99999\n$/);

    // webhook add: the URL it prints works as Olga, and shows the tree the department commands built.
    const hook = (await ok(['webhook', 'add', '--user', String(olga), '--scope', 'im', ...at])).trim();
    const me = expectOk(await restForm(hook, 'user.current'));
    assert.equal(me.ID, String(olga));
    assert.equal(me.FULL_NAME, 'Olga Novak');
    assert.deepEqual(me.UF_DEPARTMENT, [second]);
    assert.deepEqual(expectOk(await restForm(hook, 'im.department.get', { ID: [second] })), [
      { id: second, name: 'Second line', full_name: 'Second line / Support / Company', manager_user_id: 5 },
    ]);
    assert.equal(expectOk(await restForm(hook, 'im.department.get', { ID: [board] }))[0].manager_user_id, 0);
    assert.deepEqual(expectOk(await restForm(hook, 'im.department.employees.get', { ID: [second] })), { [second]: [olga] });
    // webhook delete: the URL stops working.
    const { id: hookId } = await portal.portal.db.selectFrom('webhooks').select('id').where('user_id', '=', olga).executeTakeFirstOrThrow();
    assert.equal(await ok(['webhook', 'delete', String(hookId), ...at]), `deleted webhook ${hookId}\n`);
    assert.equal((await restForm(hook, 'user.current')).status, 401);

    // task add: the task as task.item.list shows it; the creator defaults to the admin.
    const taskId = Number(await ok(['task', 'add', '--title', 'From the CLI', '--responsible', '5', '--deadline', '2020-03-01', '--creator', '2', ...at]));
    assert.ok(taskId > 0);
    const [item] = expectOk(await restForm(admin, 'task.item.list', { FILTER: { ID: taskId } }));
    assert.equal(item.TITLE, 'From the CLI');
    assert.equal(item.RESPONSIBLE_ID, '5');
    assert.equal(item.CREATED_BY, '2');
    assert.equal(item.DEADLINE, '2020-03-01T00:00:00+00:00');
    const plain = Number(await ok(['task', 'add', '--title', 'No deadline', '--responsible', '5', ...at]));
    const [undated] = expectOk(await restForm(admin, 'task.item.list', { FILTER: { ID: plain } }));
    assert.equal(undated.DEADLINE, '');
    assert.equal(undated.CREATED_BY, '1');

    // app add: the running portal sends ONAPPINSTALL, the bot registers; the admin scope is granted when named.
    const added = await cliResult(['app', 'add', '--name', 'Echo', '--handler', bot.url, '--scope', 'parley,imbot,im', ...at]);
    assert.equal(added.code, 0, added.stderr);
    assert.doesNotMatch(added.stderr, /ONAPPINSTALL is sent when it starts/, 'a portal answers: nothing waits');
    assert.doesNotMatch(added.stderr, /nothing answers/, 'the bot listens');
    const app = JSON.parse(added.stdout) as { id: number; client_id: string; application_token: string };
    const install = await waitFor('ONAPPINSTALL', async () => (await botEvents(bot)).find((e) => e.event === 'ONAPPINSTALL' && e.registered));
    assert.equal(install.auth.application_token, app.application_token);
    assert.ok(Number(install.registered.result) > 0, JSON.stringify(install.registered));
    // app list: one line per local app.
    const listed = (await ok(['app', 'list', ...at])).trim().split('\n');
    assert.equal(listed[0], 'ID\tCLIENT_ID\tSTATE\tNAME\tHANDLER\tSCOPE\tDELIVERY\tCREATED');
    assert.equal(listed.length, 2);
    assert.match(listed[1], new RegExp(`^${app.id}\t${app.client_id}\tinstalled\tEcho\t${bot.url}\tparley,imbot,im\tretry\t\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$`));
    // webhook list and user list: a header row, then one line each; webhook codes never whole.
    const hooks = (await ok(['webhook', 'list', ...at])).trim().split('\n');
    assert.equal(hooks[0], 'ID\tUSER\tURL\tSCOPE\tTITLE\tCREATED');
    assert.ok(hooks.length >= 2);
    for (const line of hooks.slice(1)) assert.match(line, /^\d+\t\d+\thttp:\/\/\S+\/rest\/\d+\/[0-9a-f]{4}…\/\t/);
    const people = (await ok(['user', 'list', ...at])).trim().split('\n');
    assert.equal(people[0], 'ID\tLOGIN\tNAME\tADMIN\tACTIVE\tDEPARTMENTS\tCREATED');
    assert.match(people[1], /^1\t\S+\t.+\tyes\tyes\t/);
    // app reinstall: a new version, ONAPPUPDATE.
    assert.equal(await ok(['app', 'reinstall', String(app.id), ...at]), `reinstalled ${app.client_id}\n`);
    const update = await waitFor('ONAPPUPDATE', async () => (await botEvents(bot)).find((e) => e.event === 'ONAPPUPDATE'));
    assert.deepEqual(update.data, { VERSION: '2', PREVIOUS_VERSION: '1', LANGUAGE_ID: 'en' });

    // events test: a test ONIMBOTMESSAGEADD from Olga reaches the bot, marked, and it answers in her dialog.
    const tested = await ok(['events', 'test', '--app', String(app.id), '--event', 'ONIMBOTMESSAGEADD', '--user', String(olga), '--text', 'from the CLI', ...at]);
    assert.match(tested, /^\d+\n$/);
    const testEvent = await waitFor('the test event', async () => (await botEvents(bot)).find((e) => e.event === 'ONIMBOTMESSAGEADD' && e.data.PARAMS.MESSAGE === 'from the CLI' && e.reply));
    assert.equal(testEvent.parleyTest, '1');
    assert.equal(testEvent.data.PARAMS.DIALOG_ID, String(olga));
    assert.ok(testEvent.reply.result > 0, JSON.stringify(testEvent.reply));
    const testRow = await portal.portal.db.selectFrom('outbox').selectAll().where('id', '=', Number(tested)).executeTakeFirstOrThrow();
    assert.equal(testRow.event, 'ONIMBOTMESSAGEADD');
    assert.equal(JSON.parse(testRow.payload).test, true);
    // A user that does not exist is refused with the portal's error code, exit 2.
    const refused = await cliResult(['events', 'test', '--app', String(app.id), '--event', 'ONIMBOTMESSAGEADD', '--user', '999', '--text', 'x', ...at]);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /USER_NOT_FOUND/);

    // events list, discard, redeliver: an app whose handler is down; its events die at the first attempt.
    const downApp = JSON.parse(await ok(['app', 'add', '--name', 'Down', '--handler', `http://127.0.0.1:${downPort}/`, '--scope', 'imbot', ...at])) as { id: number; client_id: string };
    const deadRow = (event: string) => portal.portal.db.selectFrom('outbox').selectAll().where('event', '=', event)
      .where('handler_url', '=', `http://127.0.0.1:${downPort}/`).where('status', '=', 'dead').executeTakeFirst();
    const deadInstall = await waitFor('ONAPPINSTALL dead', () => deadRow('ONAPPINSTALL'));
    const deadList = await ok(['events', 'list', '--status', 'dead', ...at]);
    assert.match(deadList, new RegExp(`^${deadInstall.id}\tdead\tONAPPINSTALL\thttp://127\\.0\\.0\\.1:${downPort}/\tattempts=1\t`, 'm'));
    assert.equal(deadList.split('\n')[0], 'ID\tSTATUS\tEVENT\tHANDLER\tATTEMPTS\tCREATED\tLAST');
    const shown = JSON.parse(await ok(['events', 'show', String(deadInstall.id), ...at]));
    assert.equal(shown.id, deadInstall.id);
    assert.equal(shown.status, 'dead');
    assert.equal(shown.event, 'ONAPPINSTALL');
    assert.equal(shown.attempts, 1);
    assert.deepEqual(shown.data, { LANGUAGE_ID: 'en', VERSION: '1', ACTIVE: 'Y', INSTALLED: 'Y' });
    // Its one attempt, with the request as sent (the token masked), and no REST calls it caused.
    assert.equal(shown.attempt_log.length, 1);
    const [tried] = shown.attempt_log;
    assert.deepEqual([tried.attempt, tried.state, tried.status], [1, 'finished', 0]);
    assert.match(tried.error, /ECONNREFUSED|refused/i);
    assert.equal(tried.request.url, `http://127.0.0.1:${downPort}/`);
    assert.equal(tried.request.headers['x-parley-delivery'], String(deadInstall.id));
    assert.equal(tried.request.headers['x-parley-attempt'], '1');
    const sentBody = new URLSearchParams(tried.request.body);
    assert.equal(sentBody.get('event'), 'ONAPPINSTALL');
    assert.equal(sentBody.get('auth[application_token]'), '(hidden)');
    assert.deepEqual(shown.rest_calls, []);
    // Ids that are not dead letters are an error, not "0 done".
    const notDead = await cliResult(['events', 'redeliver', '99999', ...at]);
    assert.equal(notDead.code, 2, notDead.stderr);
    assert.match(notDead.stderr, /0 of 1 event\(s\) queued again: only dead-lettered events can be/);
    assert.equal(await ok(['events', 'discard', String(deadInstall.id), ...at]), '1 event(s) discarded\n');
    assert.equal((await portal.portal.db.selectFrom('outbox').select('status').where('id', '=', deadInstall.id).executeTakeFirstOrThrow()).status, 'discarded');
    await ok(['app', 'reinstall', String(downApp.id), ...at]);
    await waitFor('ONAPPUPDATE dead', () => deadRow('ONAPPUPDATE'));
    sink = await eventSink(downPort);
    assert.equal(await ok(['events', 'redeliver', ...at]), '1 event(s) queued again\n');
    await waitFor('the redelivered ONAPPUPDATE', async () => sink!.received.includes('ONAPPUPDATE'));
    assert.deepEqual(sink.received, ['ONAPPUPDATE'], 'the discarded ONAPPINSTALL stays given up');

    // app uninstall --clean: ONIMBOTDELETE and ONAPPUNINSTALL, with CLEAN.
    assert.equal(await ok(['app', 'uninstall', String(app.id), '--clean', ...at]), `uninstalled ${app.client_id}\n`);
    const un = await waitFor('ONAPPUNINSTALL', async () => (await botEvents(bot)).find((e) => e.event === 'ONAPPUNINSTALL'));
    assert.deepEqual(un.data, { LANGUAGE_ID: 'en', CLEAN: '1' });
    await waitFor('ONIMBOTDELETE', async () => (await botEvents(bot)).find((e) => e.event === 'ONIMBOTDELETE'));
  } finally {
    sink?.close();
    await bot.stop();
    await portal.close();
  }
});
