/**
 * Who is calling: an incoming webhook (`/rest/{user}/{code}/…`, `?webhook=USER:CODE` on /realtime)
 * or an app's OAuth token. One resolution for every door that takes credentials — REST calls, file
 * downloads and the realtime socket, on connect and on every re-check.
 */
import type { Db } from '../store/db.ts';
import type { App, User, Webhook } from '../store/rows.ts';
import { restError } from '../errors.ts';
import { findAccessToken } from './tokens.ts';
import { hashSecret } from './secret-hash.ts';

/** Credentials as they arrived on the request. */
export interface Credentials {
  webhook?: { userId: number; code: string };
  token?: string;
}

/** An authenticated caller: the user, and the app (OAuth token) or the webhook it came through, with its scopes. */
export interface Caller {
  user: User;
  /** The calling application (OAuth token), or null for an incoming webhook. */
  app: App | null;
  webhook: Webhook | null;
  scopes: string[];
}

/** The webhook whose URL carries this user id and code, if any (only the code's hash is stored). */
export async function findWebhook(db: Db, userId: number, code: string): Promise<Webhook | undefined> {
  return db.selectFrom('webhooks').selectAll().where('code_hash', '=', hashSecret(code)).where('user_id', '=', userId).executeTakeFirst();
}

async function activeUser(db: Db, id: number): Promise<User> {
  const user = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  if (!user || !user.active) throw restError('authorization_error');
  return user;
}

/**
 * Resolve credentials into a caller, or throw the auth error Bitrix24 would send. The token is
 * looked for in the order Bitrix24's core looks (`Authorization: Bearer`, then `auth`, then
 * `access_token`): the transport picks it before calling this. `now` is the portal clock's time,
 * against which a token has expired.
 */
export async function authenticate(db: Db, creds: Credentials, now: number): Promise<Caller> {
  return (await resolveCaller(db, creds, now)).caller;
}

/** authenticate(), with when the credential expires (Infinity for a webhook) for those who keep the caller. */
export async function resolveCaller(db: Db, creds: Credentials, now: number): Promise<{ caller: Caller; expiresAt: number }> {
  if (creds.webhook) {
    const hook = await findWebhook(db, creds.webhook.userId, creds.webhook.code);
    if (!hook) throw restError('INVALID_CREDENTIALS');
    const user = await activeUser(db, hook.user_id);
    return { caller: { user, app: null, webhook: hook, scopes: splitScope(hook.scope) }, expiresAt: Infinity };
  }
  if (!creds.token) throw restError('NO_AUTH_FOUND');
  const token = await findAccessToken(db, creds.token);
  if (!token) throw restError('invalid_token');
  if (token.expires_at <= now) throw restError('expired_token');
  const app = await db.selectFrom('apps').selectAll().where('id', '=', token.app_id).executeTakeFirst();
  if (!app || !app.installed) throw restError('invalid_token', 'Application not installed');
  const user = await activeUser(db, token.user_id);
  return { caller: { user, app, webhook: null, scopes: splitScope(token.scope) }, expiresAt: token.expires_at };
}

/** Scopes are stored comma-separated (Bitrix24 also accepts spaces). */
export function splitScope(scope: string): string[] {
  return scope.split(/[\s,]+/).map((s) => s.trim().toLowerCase()).filter(Boolean);
}
