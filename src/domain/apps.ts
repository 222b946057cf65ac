/**
 * Local applications and incoming webhooks. Installing a server app ("uses only API") POSTs
 * ONAPPINSTALL with a full token block to its handler; uninstalling revokes its access and sends
 * ONAPPUNINSTALL, and ONIMBOTDELETE for each of its bots.
 */
import type { Generated } from 'kysely';
import type { Db } from '../store/db.ts';
import type { Portal } from '../portal.ts';
import { secret, revokeTokens } from '../auth/tokens.ts';
import { forgetConsents } from '../auth/consent.ts';
import { HINT_LENGTH, hashSecret, maskCode } from '../auth/secret-hash.ts';
import { enqueue } from '../events/outbox.ts';
import { botsOfApp, unregisterBot } from './bots.ts';
import { removeAppConnectors } from './lines/connector-admin.ts';
import { removeAppPlacements } from './placements.ts';
import { deleteAppChatApps } from './chat-apps.ts';
import type { App } from './types.ts';
import type { Webhook } from '../store/rows.ts';
import { isRowId } from '../store/row-id.ts';
import { fail } from '../errors.ts';
import { afterCommit, runAction } from './action.ts';

declare module '../store/schema.ts' {
  interface AppsTable {
    /** "Initial installation path": where ONAPPINSTALL / ONAPPUPDATE go; '' for the handler path (migration 0013). */
    install_url: Generated<string>;
    /** How its events are delivered: `retry` or `once` (DELIVERY_MODES, migration 0019). */
    delivery_mode: Generated<string>;
  }
}

/**
 * How an app's events are delivered. `retry` (the default): at least once, retried with growing
 * delays after a failure and then dead-lettered, in order per dialog; the handler tells a repeat by
 * X-Parley-Delivery. `once`: Bitrix24's own behaviour, one attempt and never resent; a failed event
 * is given up (discarded) at once and does not hold its dialog's later events.
 */
export const DELIVERY_MODES = ['retry', 'once'] as const;
/** One of DELIVERY_MODES. */
export type DeliveryMode = (typeof DELIVERY_MODES)[number];

/**
 * Parley's own scope for the administrators' methods (parley.*, the developer console). It is never
 * implied: only an app or webhook created with it named explicitly (and the web messenger's own
 * app) carries it, and even then only an administrator's calls get through.
 */
export const ADMIN_SCOPE = 'parley';

/**
 * The scopes a local app or webhook may ask for. `imopenlines`: open lines (their configuration,
 * sessions, operators); `imconnector`: the custom connectors customers write through.
 */
export const KNOWN_SCOPES = ['basic', 'imbot', 'im', 'imopenlines', 'imconnector', 'placement', 'user', 'user_brief', 'user_basic', 'department', 'task', 'tasks', 'disk', 'pull', 'crm', ADMIN_SCOPE];

/** Normalise and check a scope list; returns the unknown ones in `bad`. */
export function parseScopes(raw: string): { scopes: string[]; bad: string[] } {
  const scopes = [...new Set(raw.split(/[\s,]+/).map((s) => s.trim().toLowerCase()).filter(Boolean))];
  return { scopes, bad: scopes.filter((s) => !KNOWN_SCOPES.includes(s)) };
}

/** What it takes to create a local app. */
export interface NewApp {
  name: string;
  handlerUrl: string;
  /** The initial installation path, when it differs from the handler path. */
  installUrl?: string;
  scopes: string[];
  installUserId: number;
  /** How its events are delivered; `retry` when not given. */
  delivery?: DeliveryMode;
}

/** Create a local app with fresh client credentials (not installed yet). */
export async function createApp(db: Db, input: NewApp): Promise<App> {
  const clientId = `local.${secret(7)}.${Math.floor(Date.now() / 1000) % 100000000}`;
  return db.insertInto('apps').values({
    code: clientId, name: input.name, client_id: clientId, client_secret: secret(24), application_token: secret(16),
    handler_url: input.handlerUrl, install_url: input.installUrl ?? '', scope: input.scopes.join(','), version: 1, installed: 0,
    install_user_id: input.installUserId, delivery_mode: input.delivery ?? 'retry', created_at: Date.now(),
  }).returningAll().executeTakeFirstOrThrow();
}

// An app event goes to the app's handler URL (install and update: to its initial installation path
// when it has one) and to every handler the app bound with event.bind.
async function appEventUrls(db: Db, app: App, event: string): Promise<string[]> {
  const bound = await db.selectFrom('event_handlers').select('handler').where('app_id', '=', app.id).where('event', '=', event).execute();
  const own = (event === 'ONAPPINSTALL' || event === 'ONAPPUPDATE') && app.install_url ? app.install_url : app.handler_url;
  // An offline binding's '' stays: enqueue() queues the event for it (events/offline-queue.ts).
  return [...new Set([...(own ? [own] : []), ...bound.map((h) => h.handler)])];
}

/** Mark the app installed and queue ONAPPINSTALL (or ONAPPUPDATE on a reinstall with a new version). */
export async function installApp(portal: Portal, db: Db, app: App, opts: { update?: boolean } = {}): Promise<App> {
  const version = opts.update ? app.version + 1 : app.version;
  await db.updateTable('apps').set({ installed: 1, version }).where('id', '=', app.id).execute();
  const installed = { ...app, installed: 1, version };
  await queueInstallEvent(db, installed, opts.update ? app.version : undefined, app.install_user_id);
  afterCommit(portal, db).wake();
  return installed;
}

/**
 * Queue ONAPPINSTALL for an installed app, or ONAPPUPDATE when `previousVersion` is given (the app
 * now has its new version), with the tokens of `authUserId`. A test ONAPPUPDATE is queued by it too.
 */
export async function queueInstallEvent(db: Db, app: App, previousVersion: number | undefined, authUserId: number): Promise<void> {
  const update = previousVersion !== undefined;
  const data = update
    ? { VERSION: String(app.version), PREVIOUS_VERSION: String(previousVersion), LANGUAGE_ID: 'en' }
    : { LANGUAGE_ID: 'en', VERSION: String(app.version), ACTIVE: 'Y', INSTALLED: 'Y' };
  const event = update ? 'ONAPPUPDATE' : 'ONAPPINSTALL';
  await enqueue(db, (await appEventUrls(db, app, event)).map((url) => ({
    appId: app.id, event, handlerUrl: url, stream: 'app', authUserId, data,
  })));
}

/** Create a local app and install it (ONAPPINSTALL), as one action; `install: false` only creates it. */
export async function addLocalApp(portal: Portal, input: NewApp, install = true): Promise<App> {
  return runAction(portal, async (trx) => {
    const created = await createApp(trx, input);
    return install ? installApp(portal, trx, created) : created;
  });
}

/** Install, reinstall (a new version: ONAPPUPDATE) or uninstall an app (`clean`: its data too), as one action. */
export async function changeInstallation(portal: Portal, app: App, action: 'install' | 'reinstall' | 'uninstall', clean = false): Promise<void> {
  await runAction(portal, async (trx) => {
    if (action === 'uninstall') await uninstallApp(portal, trx, app, clean);
    else await installApp(portal, trx, app, { update: action === 'reinstall' });
  });
}

/** Uninstall: bots are removed (ONIMBOTDELETE), connectors and chat apps removed, tokens revoked, ONAPPUNINSTALL sent with the reduced auth. */
export async function uninstallApp(portal: Portal, db: Db, app: App, clean: boolean): Promise<void> {
  for (const bot of await botsOfApp(db, app.id)) await unregisterBot(db, bot, null);
  // Its open-line connectors go too (their customers' chats stay as history).
  await removeAppConnectors(db, app.id);
  // And its chat apps, the bot-less ones included (a bot's went with it above).
  await deleteAppChatApps(db, app.id);
  await enqueue(db, (await appEventUrls(db, app, 'ONAPPUNINSTALL')).map((url) => ({
    appId: app.id, event: 'ONAPPUNINSTALL', handlerUrl: url, stream: 'app', authUserId: 0,
    data: { LANGUAGE_ID: 'en', CLEAN: clean ? '1' : '0' },
  })));
  await db.updateTable('apps').set({ installed: 0 }).where('id', '=', app.id).execute();
  await revokeTokens(db, app.id);
  // Consents go too: whoever authorizes a later installation is asked again.
  await forgetConsents(db, app.id);
  // Handlers bound with event.bind go with the installation, as in Bitrix24.
  await db.deleteFrom('event_handlers').where('app_id', '=', app.id).where('event', 'not in', ['ONAPPUNINSTALL', 'ONIMBOTDELETE']).execute();
  // Its placements too ("handlers are removed together with the application"), and their open frames.
  await removeAppPlacements(db, app.id);
  afterCommit(portal, db).wake();
}

/** Find an app by id or client_id. */
export async function findApp(db: Db, idOrClientId: string | number): Promise<App | undefined> {
  const q = db.selectFrom('apps').selectAll();
  if (typeof idOrClientId === 'number' || /^\d+$/.test(idOrClientId)) {
    return isRowId(Number(idOrClientId)) ? q.where('id', '=', Number(idOrClientId)).executeTakeFirst() : undefined;
  }
  return q.where('client_id', '=', idOrClientId).executeTakeFirst();
}

/** Every app record by id (the web messenger's own included; see isWebApp). */
export async function listApps(db: Db): Promise<App[]> {
  return db.selectFrom('apps').selectAll().orderBy('id').execute();
}

/**
 * Create an incoming webhook for a user; returns its id and its secret code. Only the code's hash and
 * its first characters are stored: the full URL can be shown once, by whoever created it.
 */
export async function addWebhook(db: Db, userId: number, scopes: string[], title = ''): Promise<{ id: number; code: string }> {
  const code = secret(8);
  const row = await db.insertInto('webhooks').values({
    user_id: userId, code_hash: hashSecret(code), code_hint: code.slice(0, HINT_LENGTH), scope: scopes.join(','), title, created_at: Date.now(),
  }).returning('id').executeTakeFirstOrThrow();
  return { id: Number(row.id), code };
}

/** Create an incoming webhook for a user (see addWebhook); returns its secret code. */
export async function createWebhook(db: Db, userId: number, scopes: string[], title = ''): Promise<string> {
  return (await addWebhook(db, userId, scopes, title)).code;
}

/** Every webhook by id (their codes are hashed: see maskedWebhookUrl). */
export async function listWebhooks(db: Db): Promise<Webhook[]> {
  return db.selectFrom('webhooks').selectAll().orderBy('id').execute();
}

/** Delete a webhook: its URL stops working. False when there is no such webhook. */
export async function deleteWebhook(db: Db, id: number): Promise<boolean> {
  if (!isRowId(id)) return false;
  const res = await db.deleteFrom('webhooks').where('id', '=', id).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

/** A webhook's full URL: shown once, by whoever created it (only its code's hash is stored). */
export function webhookUrl(publicUrl: string, userId: number, code: string): string {
  return `${publicUrl}/rest/${userId}/${code}/`;
}

/** A webhook's URL as listings show it once created: the code masked to its first characters. */
export function maskedWebhookUrl(publicUrl: string, hook: { user_id: number; code_hint: string }): string {
  return `${publicUrl}/rest/${hook.user_id}/${maskCode(hook.code_hint)}/`;
}

/** Who a bot call comes from: the calling app (null for an incoming webhook), its user and scopes. */
export interface BotCaller {
  app: App | null;
  user: { id: number };
  scopes: string[];
}

/**
 * The app a bot call acts for: the calling OAuth app, or for a webhook the app named by its CLIENT_ID
 * (Bitrix24 keys webhook bots by `custom<CLIENT_ID>`). Without CLIENT_ID a webhook is ACCESS_DENIED;
 * an unknown one is BOT_ID_ERROR, unless `create` (imbot.register): then the app is made here.
 */
export async function botFamilyApp(db: Db, caller: BotCaller, clientId: string, create = false): Promise<App> {
  if (caller.app) return caller.app;
  if (!clientId) fail('ACCESS_DENIED', 'Access denied! Client ID not specified');
  const code = `custom${clientId}`;
  const found = await db.selectFrom('apps').selectAll().where('client_id', '=', code).executeTakeFirst();
  if (found) return found;
  if (!create) fail('BOT_ID_ERROR');
  return db.insertInto('apps').values({
    code, name: `Webhook bot ${clientId}`, client_id: code, client_secret: secret(24), application_token: secret(16),
    // The bot family inherits the webhook's scopes, but never the admin scope: its event tokens go to
    // bot handlers, and a scope is only ever granted by asking for it by name.
    handler_url: '', scope: caller.scopes.filter((s) => s !== ADMIN_SCOPE).join(','), version: 1, installed: 1, install_user_id: caller.user.id, created_at: Date.now(),
  }).returningAll().executeTakeFirstOrThrow();
}
