/**
 * The `parley` command: start the portal, and manage it (apps, webhooks, users, events) against the
 * same data directory or database, also while it runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { ConfigError, type ConfigInput } from '../config.ts';
import { openState } from '../domain/state.ts';
import { makePortal, type Portal } from '../portal.ts';
import { DELIVERY_MODES, deleteWebhook, listApps, listWebhooks, maskedWebhookUrl, parseScopes, type DeliveryMode } from '../domain/apps.ts';
import { isWebApp } from '../domain/web-app.ts';
import { fullName, listPeople, type SeededLogin } from '../domain/users.ts';
import { addDepartment, addInstalledApp, addPerson, addUserWebhook, changeApp, OperatorError } from '../domain/operator.ts';
import { taskCommands } from './task.ts';
import { userPasswordCommand } from './user-password.ts';
import { LocationError, locatePortal } from './portal-location.ts';
import { cliTime, eventCommands } from './events.ts';
import { testCommand } from './test.ts';
import { testEventCommand } from './test-event.ts';
import { handlerUrlProblem } from '../events/handler-policy.ts';
import { tcpSilence } from '../net/tcp-silence.ts';
import { revocationHook } from '../realtime/revocations.ts';
import { publishOnce } from '../cluster/publish-once.ts';
import { channelOf } from '../cluster/bus-messages.ts';

/** A mistake in the command line, printed as one line without a stack trace. */
class UsageError extends Error {}

// The portal's data directory: --data, else PARLEY_DATA, else a config file, else ./data
// (cli/portal-location.ts; no default value here, so a command can tell the implicit ./data from one
// it was given).
const dbOptions = (c: Command) => c
  .option('--data <dir>', 'data directory (SQLite database, TLS material): --data, else PARLEY_DATA, else a config file, else ./data')
  .option('--db <url>', 'postgres://… to use PostgreSQL instead of SQLite')
  // start: the nodes of one portal (one --db) wake each other through it; other commands tell them of their change.
  .option('--redis <url>', 'redis://… shared by the portal\'s nodes, so they hear of each other\'s changes at once');

// CLI commands open the store themselves (a fresh data directory is seeded as a first start seeds
// it); the running portal (if any) sees their rows at its next poll, or at once when the command can
// tell it through Redis. What the operator functions refuse (src/domain/operator.ts) is a usage
// error like the command line's own.
async function withPortal<T>(opts: { data?: string; db?: string; redis?: string }, fn: (portal: Portal) => Promise<T>): Promise<T> {
  const config = locatePortal({ dataDir: opts.data, db: opts.db, redis: opts.redis }, false);
  const { store } = await openState(config);
  const tell = new Set<'wake' | 'revoke'>();
  let memberId: string | undefined;
  try {
    const watched = { ...store, db: store.db.withPlugin(revocationHook(() => tell.add('revoke'))) };
    const portal = await makePortal(config, watched, { wake: () => tell.add('wake') });
    memberId = portal.memberId;
    return await fn(portal);
  } catch (err) {
    throw err instanceof OperatorError ? new UsageError(err.message) : err;
  } finally {
    await store.close();
    if (config.redis && memberId) {
      const failed = await publishOnce(config.redis, channelOf(config.redisChannel, memberId), [...tell]);
      if (failed) console.error(`note: Redis unreachable (${failed}); running nodes see this change at their next poll`);
    }
  }
}

function positiveInt(value: string, name: string): number {
  if (!/^\d+$/.test(value) || Number(value) <= 0) throw new UsageError(`${name} must be a positive integer, got "${value}"`);
  return Number(value);
}

function httpUrl(value: string, name: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${name} must be an absolute http(s) URL, got "${value}"`);
  }
  if (!['http:', 'https:'].includes(url.protocol)) throw new UsageError(`${name} must be an http or https URL`);
  return url;
}

// A handler URL the handler policy allows (events/handler-policy.ts), under this process's configuration.
async function allowedUrl(portal: Portal, value: string, name: string): Promise<URL> {
  const url = httpUrl(value, name);
  const problem = await handlerUrlProblem(portal.config, url.toString());
  if (problem && 'refused' in problem) throw new UsageError(`${name}: ${problem.refused}`);
  return url;
}

function scopesOf(raw: string): string[] {
  const { scopes, bad } = parseScopes(raw);
  if (!scopes.length) throw new UsageError('--scope needs at least one scope, e.g. --scope imbot,im');
  if (bad.length) throw new UsageError(`unknown scope(s): ${bad.join(', ')}`);
  return scopes;
}

async function portalReachable(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1500) });
    return res.ok;
  } catch {
    return false;
  }
}

// Passwords are printed once, by the start that seeded them; later starts say where they are kept,
// so a start log (CI output, a terminal scrollback, a service journal) does not repeat them.
function printStartBanner(url: string, dataDir: string, seeded: SeededLogin[], caCertPath?: string) {
  const out = [
    `Parley is running at ${url}`,
    `  web messenger: ${url}/   developer console (admins): ${url}/dev`,
    `  REST endpoint: ${url}/rest/`,
    `  data: ${dataDir}`,
  ];
  const creds = path.join(dataDir, 'credentials.txt');
  if (seeded.length) {
    out.push(`  sign in with one of the seeded accounts (login / password; kept in ${creds}, readable only by you):`);
    for (const s of seeded) out.push(`    ${s.login.padEnd(6)} ${s.password}   (ID ${s.id}, ${s.name})`);
  } else if (fs.existsSync(creds)) {
    out.push(`  seeded accounts (login / password): ${creds}`);
  }
  if (caCertPath) {
    out.push(`  TLS: certificate issued by the portal CA ${caCertPath}; trust it with`,
      `    Node:   NODE_EXTRA_CA_CERTS=${caCertPath}`,
      `    PHP:    php -d curl.cainfo=${caCertPath} -d openssl.cafile=${caCertPath} …`,
      `    system: cp ${caCertPath} /usr/local/share/ca-certificates/parley.crt && update-ca-certificates`);
  }
  // In a clone the command is the package's own bin; installed from the package it is on the PATH.
  const command = fs.existsSync(path.join(import.meta.dirname, '..', '..', 'src')) ? 'npx parley' : 'parley';
  out.push(`  next: ${command} app add --name MyBot --handler http://127.0.0.1:9000/bot.php --scope imbot,im`);
  console.log(out.join('\n'));
}

/** The version in package.json (two levels up from both src/cli/ and dist/cli/). */
function packageVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
}

/** Build the command tree. */
export function program(): Command {
  const cli = new Command('parley').description('A self-hosted messenger that speaks the Bitrix24 Bot Platform protocol').exitOverride()
    .version(packageVersion(), '-V, --version', 'print the version of parley');

  dbOptions(cli.command('start').description('run the portal'))
    .option('--port <port>', 'port to listen on (8080, or 8443 with --https)')
    .option('--host <host>', 'address to listen on (127.0.0.1)')
    .option('--public-url <url>', 'URL clients reach the portal at (default: the listen address)')
    .option('--https', 'serve TLS with a certificate from the portal CA in the data directory')
    .option('--token-ttl <seconds>', 'access-token lifetime', process.env.PARLEY_TOKEN_TTL)
    .option('--event-timeout <ms>', 'time one event POST may take', process.env.PARLEY_EVENT_TIMEOUT_MS)
    .option('--log', 'log every HTTP request')
    .option('--metrics-port <port>', 'serve Prometheus metrics at /metrics on this port (off by default)', process.env.PARLEY_METRICS_PORT)
    .option('--metrics-host <host>', 'address for the metrics port', process.env.PARLEY_METRICS_HOST ?? '127.0.0.1')
    .option('--rate-limit <plan>', "Bitrix24's cloud REST limits: off, cloud (50 burst, 2/s) or enterprise (250, 5/s)", process.env.PARLEY_RATE_LIMIT)
    .option('--trust-proxy <list>', 'proxies in front of the portal (addresses, CIDR ranges, loopback, linklocal, uniquelocal): their X-Forwarded-For names the client (default: trust none)')
    .action(async (o) => {
      const input: ConfigInput = {
        dataDir: o.data, db: o.db, host: o.host, port: o.port, publicUrl: o.publicUrl, https: o.https,
        tokenTtl: o.tokenTtl, eventTimeoutMs: o.eventTimeout, log: o.log, rateLimit: o.rateLimit,
        metricsPort: o.metricsPort, metricsHost: o.metricsHost, redis: o.redis, trustProxy: o.trustProxy,
      };
      // Only `start` loads the server and its methods: the other commands start faster without them.
      const { startPortal } = await import('../http/server.ts');
      const running = await startPortal(locatePortal(input, true));
      printStartBanner(running.url, running.portal.config.dataDir, running.seeded, running.caCertPath);
      const stop = async () => {
        await running.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });

  const webhook = cli.command('webhook').description('incoming webhooks');
  dbOptions(webhook.command('add').description('create an incoming webhook and print its URL'))
    .requiredOption('--user <id>', 'user the webhook acts as')
    .requiredOption('--scope <list>', 'comma-separated scopes, e.g. im,imbot (parley: the admin methods, only when named)')
    .action(async (o) => withPortal(o, async (portal) => {
      const { url } = await addUserWebhook(portal, positiveInt(o.user, '--user'), scopesOf(o.scope));
      console.log(url);
    }));
  dbOptions(webhook.command('list').description('list incoming webhooks (their URLs masked: only the code\'s first characters are stored)'))
    .action(async (o) => withPortal(o, async (portal) => {
      console.log(['ID', 'USER', 'URL', 'SCOPE', 'TITLE', 'CREATED'].join('\t'));
      for (const w of await listWebhooks(portal.db)) {
        console.log(`${w.id}\t${w.user_id}\t${maskedWebhookUrl(portal.publicUrl, w)}\t${w.scope}\t${w.title}\t${cliTime(w.created_at)}`);
      }
    }));
  // A running portal closes the webhook's realtime sockets at its next credential re-check.
  dbOptions(webhook.command('delete <id>').description('delete an incoming webhook (REST calls and realtime sockets with it stop working)'))
    .action(async (id: string, o) => withPortal(o, async (portal) => {
      if (!(await deleteWebhook(portal.db, positiveInt(id, 'webhook id')))) throw new UsageError(`no webhook ${id}`);
      console.log(`deleted webhook ${id}`);
    }));

  const app = cli.command('app').description('local applications');
  dbOptions(app.command('add').description('create and install a local server app; its handler receives ONAPPINSTALL'))
    .requiredOption('--name <name>', 'application name')
    .requiredOption('--handler <url>', 'handler URL (receives ONAPPINSTALL and other events)')
    .requiredOption('--scope <list>', 'comma-separated scopes, e.g. imbot,im (parley: the admin methods, only when named)')
    .option('--install-url <url>', 'initial installation path: ONAPPINSTALL goes here instead of the handler')
    .option('--user <id>', 'installing admin (tokens belong to this user)', '1')
    .option('--delivery <mode>', 'retry: at least once, retried then dead-lettered; once: one attempt, never resent (as Bitrix24)', 'retry')
    .action(async (o) => withPortal(o, async (portal) => {
      if (!(DELIVERY_MODES as readonly string[]).includes(o.delivery)) throw new UsageError(`--delivery must be one of: ${DELIVERY_MODES.join(', ')}`);
      const handler = await allowedUrl(portal, o.handler, '--handler');
      const installUrl = o.installUrl === undefined ? '' : (await allowedUrl(portal, o.installUrl, '--install-url')).toString();
      const created = await addInstalledApp(portal, {
        name: o.name, handlerUrl: handler.toString(), installUrl, scopes: scopesOf(o.scope), installUserId: positiveInt(o.user, '--user'),
        delivery: o.delivery as DeliveryMode,
      });
      console.log(JSON.stringify({ id: created.id, client_id: created.client_id, client_secret: created.client_secret, application_token: created.application_token }));
      // The app is made either way (a bot is often started after it is added), but a developer
      // should not learn only from a dead letter that nothing listens at the handler.
      const silence = await tcpSilence(new URL(o.installUrl || handler.toString()), 2000);
      if (silence) console.error(`warning: nothing answers at ${o.installUrl || handler} (${silence}); ONAPPINSTALL is retried until it does (parley events list)`);
      if (!(await portalReachable(portal.publicUrl))) console.error(`note: no portal answers at ${portal.publicUrl}; ONAPPINSTALL is sent when it starts`);
    }));

  dbOptions(app.command('list').description('list local apps')).action(async (o) => withPortal(o, async (portal) => {
    // The web messenger's own app record is the portal's, not the developer's.
    const rows = (await listApps(portal.db)).filter((a) => !isWebApp(a));
    console.log(['ID', 'CLIENT_ID', 'STATE', 'NAME', 'HANDLER', 'SCOPE', 'DELIVERY', 'CREATED'].join('\t'));
    for (const r of rows) console.log(`${r.id}\t${r.client_id}\t${r.installed ? 'installed' : 'not installed'}\t${r.name}\t${r.handler_url}\t${r.scope}\t${r.delivery_mode}\t${cliTime(r.created_at)}`);
  }));

  for (const [name, desc] of [['uninstall', 'uninstall (ONAPPUNINSTALL, ONIMBOTDELETE)'], ['reinstall', 'reinstall as a new version (ONAPPUPDATE)']] as const) {
    const command = dbOptions(app.command(`${name} <id>`).description(desc));
    if (name === 'uninstall') command.option('--clean', 'delete the app data too');
    command.action(async (id: string, o) => withPortal(o, async (portal) => {
        const found = await changeApp(portal, id, name, !!o.clean);
        console.log(`${name === 'uninstall' ? 'uninstalled' : 'reinstalled'} ${found.client_id}`);
      }));
  }

  const user = cli.command('user').description('portal users');
  dbOptions(user.command('add').description('create a user and print its ID'))
    .requiredOption('--name <name>', 'full name, "First Last"')
    .option('--department <id>', 'department ID')
    .option('--login <login>', 'login for signing in')
    .option('--password <password>', 'password for signing in')
    .option('--admin', 'make the user an administrator')
    .action(async (o) => withPortal(o, async (portal) => {
      const [first, ...rest] = String(o.name).trim().split(/\s+/);
      if (!first) throw new UsageError('--name must not be empty');
      const departments = o.department ? [positiveInt(o.department, '--department')] : [];
      console.log(await addPerson(portal, { name: first, lastName: rest.join(' '), departments, login: o.login, password: o.password, isAdmin: !!o.admin }));
    }));

  dbOptions(user.command('list').description('list people (not bots)'))
    .action(async (o) => withPortal(o, async (portal) => {
      console.log(['ID', 'LOGIN', 'NAME', 'ADMIN', 'ACTIVE', 'DEPARTMENTS', 'CREATED'].join('\t'));
      for (const u of await listPeople(portal.db)) {
        const departments = (JSON.parse(u.departments) as number[]).join(',') || '-';
        console.log(`${u.id}\t${u.login || '-'}\t${fullName(u)}\t${u.is_admin ? 'yes' : 'no'}\t${u.active ? 'yes' : 'no'}\t${departments}\t${cliTime(u.created_at)}`);
      }
    }));

  const department = cli.command('department').description('the department tree');
  dbOptions(department.command('add').description('create a department and print its ID'))
    .requiredOption('--name <name>', 'department name')
    .option('--parent <id>', 'parent department ID (default: a new root)')
    .option('--head <id>', 'user ID of the department head')
    .action(async (o) => withPortal(o, async (portal) => {
      const name = String(o.name).trim();
      if (!name) throw new UsageError('--name must not be empty');
      const parent = o.parent !== undefined ? positiveInt(o.parent, '--parent') : null;
      const head = o.head !== undefined ? positiveInt(o.head, '--head') : null;
      console.log(await addDepartment(portal, name, parent, head));
    }));

  const kit = { dbOptions, withPortal, positiveInt, usage: (m: string) => new UsageError(m) };
  eventCommands(cli, kit);
  testEventCommand(cli, kit);
  userPasswordCommand(cli, kit);
  taskCommands(cli, kit);
  testCommand(cli, kit.usage);
  return cli;
}

/** Entry point of bin/parley.js. */
export async function main(argv: string[]): Promise<void> {
  try {
    await program().parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) process.exit(err.exitCode);
    if (err instanceof UsageError || err instanceof ConfigError || err instanceof LocationError) {
      console.error(`parley: ${err.message}`);
      process.exit(2);
    }
    const e = err as NodeJS.ErrnoException;
    if (e?.code === 'EADDRINUSE') {
      console.error(`parley: ${e.message} — is another portal running? Use --port.`);
      process.exit(1);
    }
    console.error(`parley: ${e?.message ?? err}`);
    process.exit(1);
  }
}
