/**
 * OAuth access and refresh tokens of installed apps: minting, lookup, refresh, revocation, and the
 * token block Bitrix24 sends (in /oauth/token/ answers and in every event's `auth`).
 */
import crypto from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Portal } from '../portal.ts';
import type { Db } from '../store/db.ts';
import type { AppsTable, TokensTable } from '../store/schema.ts';

/** A stored token pair. */
export type Token = Selectable<TokensTable>;

/** A random secret in the hex form Bitrix24 tokens have. */
export function secret(bytes = 32): string {
  return crypto.randomBytes(bytes).toString('hex');
}

/** Issue a new token pair for a user of an app. */
export async function mintToken(portal: Portal, db: Db, app: Selectable<AppsTable>, userId: number): Promise<Token> {
  const now = Date.now();
  const row: Token = {
    access_token: secret(),
    refresh_token: secret(),
    app_id: app.id,
    user_id: userId,
    scope: app.scope,
    expires_at: now + portal.config.tokenTtl * 1000,
    refresh_expires_at: now + portal.config.refreshTtl * 1000,
    created_at: now,
  };
  await db.insertInto('tokens').values(row).execute();
  return row;
}

/**
 * A token for an event POST: reuse one with more than half its life left, so a busy bot does not
 * create a token per event, else mint a new one.
 */
export async function tokenForEvent(portal: Portal, db: Db, app: Selectable<AppsTable>, userId: number): Promise<Token> {
  const halfLife = Date.now() + (portal.config.tokenTtl * 1000) / 2;
  const fresh = await db.selectFrom('tokens').selectAll()
    .where('app_id', '=', app.id).where('user_id', '=', userId).where('expires_at', '>', halfLife)
    .orderBy('expires_at', 'desc').limit(1).executeTakeFirst();
  return fresh ?? mintToken(portal, db, app, userId);
}

/** Find a token by its access token. */
export async function findAccessToken(db: Db, accessToken: string): Promise<Token | undefined> {
  return db.selectFrom('tokens').selectAll().where('access_token', '=', accessToken).executeTakeFirst();
}

/** Exchange a refresh token for a new pair; the old pair stops working (refresh tokens rotate). */
export async function refreshToken(portal: Portal, app: Selectable<AppsTable>, refresh: string): Promise<Token | undefined> {
  return portal.db.transaction().execute(async (trx) => {
    const old = await trx.selectFrom('tokens').selectAll().where('refresh_token', '=', refresh).where('app_id', '=', app.id).executeTakeFirst();
    if (!old || old.refresh_expires_at < Date.now()) return undefined;
    await trx.deleteFrom('tokens').where('refresh_token', '=', refresh).execute();
    return mintToken(portal, trx, app, old.user_id);
  });
}

/** Drop every token of an app (uninstall) or of one app user. */
export async function revokeTokens(db: Db, appId: number, userId?: number): Promise<void> {
  let q = db.deleteFrom('tokens').where('app_id', '=', appId);
  if (userId !== undefined) q = q.where('user_id', '=', userId);
  await q.execute();
}

/** The full token block as Bitrix24 sends it in `auth` and in /oauth/token/ answers. */
export function tokenBlock(portal: Portal, app: Selectable<AppsTable>, t: Token): Record<string, string | number> {
  return {
    access_token: t.access_token,
    expires: Math.floor(t.expires_at / 1000),
    expires_in: portal.config.tokenTtl,
    scope: t.scope,
    domain: portal.domain,
    server_endpoint: `${portal.publicUrl}/rest/`,
    status: 'L',
    client_endpoint: `${portal.publicUrl}/rest/`,
    member_id: portal.memberId,
    user_id: t.user_id,
    refresh_token: t.refresh_token,
    application_token: app.application_token,
  };
}

/** The reduced `auth` of events sent without user tokens (ONAPPUNINSTALL). */
export function anonymousBlock(portal: Portal, app: Selectable<AppsTable>): Record<string, string> {
  return {
    domain: portal.domain,
    server_endpoint: `${portal.publicUrl}/rest/`,
    client_endpoint: `${portal.publicUrl}/rest/`,
    member_id: portal.memberId,
    application_token: app.application_token,
  };
}
