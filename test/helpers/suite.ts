/**
 * The suite fixture: a portal per dialect, started in-process, and the state a test needs — users,
 * departments, webhooks, apps, tasks — made in-process through the functions the `parley` CLI calls
 * (src/domain/operator.ts and the domain below it), not by spawning the CLI: a spawn costs a second of
 * CPU for node and tsx to start. test/cli.test.ts runs the command itself, each of its commands once.
 */
import { before, after } from 'node:test';
import { loadConfig, type ConfigInput } from '../../src/config.ts';
import type { StartOptions } from '../../src/http/server.ts';
import { openPortal } from '../../src/domain/state.ts';
import type { Portal } from '../../src/portal.ts';
import type { App } from '../../src/domain/types.ts';
import { parseScopes } from '../../src/domain/apps.ts';
import { addDepartment as operatorDepartment, addInstalledApp, addPerson, addUserWebhook, changeApp } from '../../src/domain/operator.ts';
import { createTask } from '../../src/domain/tasks.ts';
import { runAction } from '../../src/domain/action.ts';
import { discard, redeliver } from '../../src/events/dead-letters.ts';
import { parseTaskDate } from '../../src/wire/dates.ts';
import { botEvents, testPortal, waitFor, type Child, type Where } from './portal.ts';
import { databaseFor } from './postgres.ts';

/** The two stores a family of methods is tested on. */
export type Dialect = 'sqlite' | 'postgres';
/** A portal started in-process (testPortal). */
export type TestPortal = Awaited<ReturnType<typeof testPortal>>;
/** Whatever holds a portal's state: a running portal, or the store a command opens (operatorPortal). */
export interface HasPortal { portal: Portal }

/**
 * Start an in-process portal on `dialect`: SQLite in its own data directory, or a fresh PostgreSQL
 * database that close() drops again. Without a PostgreSQL server (outside CI) it answers the reason
 * to skip instead.
 */
export async function portalSuite(dialect: Dialect, overrides: ConfigInput = {}, options: StartOptions = {}): Promise<TestPortal | { skip: string }> {
  const store = await databaseFor(dialect);
  if (store.skip) return { skip: store.skip };
  let running: TestPortal;
  try {
    running = await testPortal({ ...overrides, ...(store.db ? { db: store.db } : {}) }, options);
  } catch (err) {
    await store.drop();
    throw err;
  }
  const close = running.close.bind(running);
  running.close = async () => {
    try {
      await close();
    } finally {
      await store.drop();
    }
  };
  return running;
}

/**
 * A SQLite portal for the describe block this is called in: started before its tests, closed after
 * them. Answers a getter for use inside the tests.
 */
export function sqlitePortalFor(overrides: ConfigInput = {}): () => TestPortal {
  let running: TestPortal | undefined;
  before(async () => {
    const s = await portalSuite('sqlite', overrides);
    if ('skip' in s) throw new Error(s.skip);
    running = s;
  });
  after(() => running?.close());
  return () => running!;
}

/**
 * A portal's state opened as a `parley` command opens it, beside a portal running in another process
 * (or none): what it writes reaches that portal the way a command's writes do, at its next poll.
 */
export async function operatorPortal(where: Where): Promise<HasPortal & { close(): Promise<void> }> {
  return openPortal(loadConfig({ dataDir: where.dataDir, db: where.db }));
}

// Scopes as a command line lists them; a typo in a test fails here rather than as a puzzling refusal.
function scopesOf(list: string): string[] {
  const { scopes, bad } = parseScopes(list);
  if (bad.length) throw new Error(`unknown scope(s): ${bad.join(', ')}`);
  return scopes;
}

/** A user's incoming webhook base URL (`parley webhook add`). */
export async function webhookFor(p: HasPortal, userId: number, scope = 'im,imbot'): Promise<string> {
  return (await addUserWebhook(p.portal, userId, scopesOf(scope))).url;
}

/** A user's webhook on portal nodes running as processes, made beside them as `parley webhook add` makes it. */
export async function webhookOn(at: Where, userId: number, scope = 'im,imbot'): Promise<string> {
  const op = await operatorPortal(at);
  try {
    return await webhookFor(op, userId, scope);
  } finally {
    await op.close();
  }
}

/** Add a person (`parley user add`); answers the user's ID. */
export async function addUser(p: HasPortal, u: { name: string; lastName?: string; departments?: number[]; login?: string; password?: string; admin?: boolean }): Promise<number> {
  return addPerson(p.portal, { name: u.name, lastName: u.lastName ?? '', departments: u.departments ?? [], login: u.login, password: u.password, isAdmin: u.admin });
}

/** Add a department (`parley department add`); answers its ID. */
export async function addDepartment(p: HasPortal, d: { name: string; parent?: number; head?: number }): Promise<number> {
  return operatorDepartment(p.portal, d.name, d.parent ?? null, d.head ?? null);
}

/** Create and install a local app (`parley app add`): ONAPPINSTALL goes to its handler (or installUrl). */
export async function addApp(p: HasPortal, a: { name: string; handler: string; scope: string; installUrl?: string; user?: number }): Promise<App> {
  return addInstalledApp(p.portal, { name: a.name, handlerUrl: a.handler, installUrl: a.installUrl ?? '', scopes: scopesOf(a.scope), installUserId: a.user ?? 1 });
}

/** Uninstall an app (`parley app uninstall [--clean]`). */
export async function uninstallApp(p: HasPortal, appId: number, clean = false): Promise<void> {
  await changeApp(p.portal, String(appId), 'uninstall', clean);
}

/** Reinstall an app as a new version (`parley app reinstall`): ONAPPUPDATE. */
export async function reinstallApp(p: HasPortal, appId: number): Promise<void> {
  await changeApp(p.portal, String(appId), 'reinstall');
}

/** Add a task as the portal operator (`parley task add`); `deadline` as the command takes it. Answers its ID. */
export async function addTask(p: HasPortal, t: { title: string; responsible: number; deadline?: string; creator?: number; description?: string }): Promise<number> {
  const deadline = t.deadline === undefined ? null : parseTaskDate(t.deadline);
  if (t.deadline !== undefined && deadline === null) throw new Error(`not a task date: ${t.deadline}`);
  return createTask(p.portal.db, null, { title: t.title, description: t.description ?? '', responsibleId: t.responsible, createdBy: t.creator ?? 1, deadline });
}

/** Queue dead-lettered events again, all or the given ones (`parley events redeliver`); answers how many. */
export async function redeliverEvents(p: HasPortal, ids?: number[]): Promise<number> {
  return runAction(p.portal, (trx) => redeliver(trx, ids));
}

/** Give dead-lettered events up, all or the given ones (`parley events discard`); answers how many. */
export async function discardEvents(p: HasPortal, ids?: number[]): Promise<number> {
  return runAction(p.portal, (trx) => discard(trx, ids));
}

/** Install the echo bot as a local app; resolves once it registered its bot (the portal must be running). */
export async function installEchoBot(p: HasPortal, bot: Child, scope = 'imbot,im'): Promise<{ app: App; botId: number; install: any }> {
  const app = await addApp(p, { name: 'Echo', handler: bot.url, scope });
  const install = await waitFor('ONAPPINSTALL', async () => (await botEvents(bot)).find((e) => e.event === 'ONAPPINSTALL' && e.registered));
  const botId = Number(install.registered.result);
  if (!botId) throw new Error(`bot registration failed: ${JSON.stringify(install.registered)}`);
  return { app, botId, install };
}
