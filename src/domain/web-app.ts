/**
 * The web messenger's own OAuth app. The SPA at `/` is an ordinary REST client: it calls the public
 * methods with an access token of this built-in app, minted for the signed-in user, so it can do
 * nothing a bot or a third-party app could not. The record is created on first use and is never
 * shown to anyone as something to install or uninstall.
 */
import type { Portal } from '../portal.ts';
import type { Db } from '../store/db.ts';
import { revokeTokens, secret, tokenForEvent } from '../auth/tokens.ts';
import type { App } from './types.ts';
import { ADMIN_SCOPE } from './apps.ts';

/** The client_id (and code) of the built-in web client. */
export const WEB_APP_CODE = 'parley.web';
/**
 * What the messenger needs: chats and bots' keyboards, users, files, tasks in messages, departments,
 * open lines (the console's Lines tab changes them for an administrator only); and `parley` for the
 * developer console at /dev, which the parley.* methods still refuse to anyone but an administrator.
 */
export const WEB_APP_SCOPES = ['im', 'imbot', 'user', 'disk', 'task', 'department', 'imopenlines', ADMIN_SCOPE];

/** The web client's app record, created installed on first call (never sends ONAPPINSTALL: no handler listens). */
export async function ensureWebApp(portal: Portal): Promise<App> {
  const db = portal.db;
  const found = await db.selectFrom('apps').selectAll().where('client_id', '=', WEB_APP_CODE).executeTakeFirst();
  if (found && found.scope === WEB_APP_SCOPES.join(',')) return found as App;
  if (found) return rescope(db, found as App);
  try {
    await db.insertInto('apps').values({
      code: WEB_APP_CODE, name: 'Parley web messenger', client_id: WEB_APP_CODE, client_secret: secret(24),
      application_token: secret(16),
      // OAuth redirects of this app may only go back to the portal itself.
      handler_url: `${portal.publicUrl}/`, scope: WEB_APP_SCOPES.join(','), version: 1, installed: 1,
      install_user_id: 1, created_at: Date.now(),
    }).execute();
  } catch {
    // Two first requests raced: the unique client_id kept one row, which is read below.
  }
  return (await db.selectFrom('apps').selectAll().where('client_id', '=', WEB_APP_CODE).executeTakeFirstOrThrow()) as App;
}

/**
 * A record made by an older version carries another scope list: bring it and its live tokens (the
 * SPA reuses a token while it has half its life left) to the current one.
 */
async function rescope(db: Db, app: App): Promise<App> {
  const scope = WEB_APP_SCOPES.join(',');
  await db.updateTable('apps').set({ scope }).where('id', '=', app.id).execute();
  await db.updateTable('tokens').set({ scope }).where('app_id', '=', app.id).execute();
  return { ...app, scope };
}

/** Whether an app row is the built-in web client (for listings that show only user-installed apps). */
export function isWebApp(app: { client_id: string }): boolean {
  return app.client_id === WEB_APP_CODE;
}

/**
 * An access token of the web app for a signed-in user. One this process minted with more than half
 * its life left is reused (tokenForEvent), so opening many tabs or refreshing often does not pile up
 * token rows.
 */
export async function webToken(portal: Portal, userId: number): Promise<{ access_token: string; expires_in: number; user_id: number }> {
  const app = await ensureWebApp(portal);
  const db: Db = portal.db;
  // tokenForEvent also drops this user's pairs whose refresh token expired (the SPA never refreshes).
  const t = await tokenForEvent(portal, db, app, userId);
  return { access_token: t.access_token, expires_in: Math.max(1, Math.floor((t.expires_at - portal.clock.now()) / 1000)), user_id: userId };
}

/** Revoke every web-client token of a user (sign-out). */
export async function revokeWebTokens(portal: Portal, userId: number): Promise<void> {
  await revokeTokens(portal.db, (await ensureWebApp(portal)).id, userId);
}
