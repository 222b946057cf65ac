/**
 * Who is calling: an incoming webhook (`/rest/{user}/{code}/…`) or an app's OAuth token (the
 * `Authorization: Bearer` header, then `auth`, then `access_token`, as Bitrix24's core looks).
 */
import type { Portal } from '../portal.ts';
import { findAccessToken } from '../auth/tokens.ts';
import { findWebhook } from '../domain/apps.ts';
import { restError } from '../errors.ts';
import type { App, CallContext, User } from './registry.ts';

/** Credentials as they arrived on the request. */
export interface Credentials {
  webhook?: { userId: number; code: string };
  token?: string;
}

async function activeUser(portal: Portal, id: number): Promise<User> {
  const user = await portal.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  if (!user || !user.active) throw restError('authorization_error');
  return user;
}

/** Resolve credentials into a call context, or throw the auth error Bitrix24 would send. */
export async function authenticate(portal: Portal, creds: Credentials, start: number): Promise<CallContext> {
  if (creds.webhook) {
    const hook = await findWebhook(portal.db, creds.webhook.userId, creds.webhook.code);
    if (!hook) throw restError('INVALID_CREDENTIALS');
    const user = await activeUser(portal, hook.user_id);
    return { portal, user, app: null, webhook: hook, scopes: splitScope(hook.scope), start };
  }
  if (!creds.token) throw restError('NO_AUTH_FOUND');
  const token = await findAccessToken(portal.db, creds.token);
  if (!token) throw restError('invalid_token');
  if (token.expires_at <= Date.now()) throw restError('expired_token');
  const app = (await portal.db.selectFrom('apps').selectAll().where('id', '=', token.app_id).executeTakeFirst()) as App | undefined;
  if (!app || !app.installed) throw restError('invalid_token', 'Application not installed');
  const user = await activeUser(portal, token.user_id);
  return { portal, user, app, webhook: null, scopes: splitScope(token.scope), start };
}

/** Scopes are stored comma-separated (Bitrix24 also accepts spaces). */
export function splitScope(scope: string): string[] {
  return scope.split(/[\s,]+/).map((s) => s.trim().toLowerCase()).filter(Boolean);
}
