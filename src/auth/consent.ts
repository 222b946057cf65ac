/**
 * OAuth consent: which user allowed which app, for which scopes (table oauth_consents). The admin
 * who installed an app has consented by installing it, as in Bitrix24, where the installer is
 * asked at install time; anyone else is asked once per app, and again when the app's scopes grow.
 */
import type { Db } from '../store/db.ts';
import type { App } from '../store/rows.ts';

declare module '../store/schema.ts' {
  interface Database { oauth_consents: OAuthConsentsTable }
}

/** A row of oauth_consents. */
export interface OAuthConsentsTable {
  user_id: number;
  app_id: number;
  /** The app's scopes when the user allowed it, comma-separated. */
  scope: string;
  created_at: number;
}

/** The scopes of a comma-separated scope string, normalised. */
export function scopeList(scope: string): string[] {
  return [...new Set(scope.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean))];
}

/** Whether the user has allowed the app for all of its current scopes (its installer always has). */
export async function hasConsent(db: Db, app: App, userId: number): Promise<boolean> {
  if (app.install_user_id === userId) return true;
  const row = await db.selectFrom('oauth_consents').select('scope').where('user_id', '=', userId).where('app_id', '=', app.id).executeTakeFirst();
  if (!row) return false;
  const allowed = new Set(scopeList(row.scope));
  return scopeList(app.scope).every((s) => allowed.has(s));
}

/** Remember that the user allowed the app for its current scopes. */
export async function recordConsent(db: Db, app: App, userId: number): Promise<void> {
  const values = { user_id: userId, app_id: app.id, scope: app.scope, created_at: Date.now() };
  await db.insertInto('oauth_consents').values(values)
    .onConflict((oc) => oc.columns(['user_id', 'app_id']).doUpdateSet({ scope: app.scope, created_at: values.created_at })).execute();
}

/** Forget every consent given to an app (it was uninstalled: a new installation asks again). */
export async function forgetConsents(db: Db, appId: number): Promise<void> {
  await db.deleteFrom('oauth_consents').where('app_id', '=', appId).execute();
}
