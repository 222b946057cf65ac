/**
 * OAuth access and refresh tokens of installed apps: minting, lookup, refresh, revocation, and the
 * token block Bitrix24 sends (in /oauth/token/ answers and in every event's `auth`). Tokens are
 * stored as SHA-256 hashes; the plaintext exists only in the answer or event that carries it.
 */
import type { Selectable } from 'kysely';
import type { Portal } from '../portal.ts';
import type { Db } from '../store/db.ts';
import type { AppsTable, TokensTable } from '../store/schema.ts';
import { hashSecret, secret } from './secret-hash.ts';

export { secret } from './secret-hash.ts';

/** A stored token pair (hashes only). */
export type Token = Selectable<TokensTable>;

/** A pair just minted: the stored row plus the plaintext tokens, which are never stored. */
export type IssuedToken = Token & { access_token: string; refresh_token: string };

/** Issue a new token pair for a user of an app. */
export async function mintToken(portal: Portal, db: Db, app: Selectable<AppsTable>, userId: number): Promise<IssuedToken> {
  const now = portal.clock.now();
  const accessToken = secret();
  const refreshToken = secret();
  const row: Token = {
    access_hash: hashSecret(accessToken),
    refresh_hash: hashSecret(refreshToken),
    app_id: app.id,
    user_id: userId,
    scope: app.scope,
    expires_at: now + portal.config.tokenTtl * 1000,
    refresh_expires_at: now + portal.config.refreshTtl * 1000,
    created_at: now,
  };
  await db.insertInto('tokens').values(row).execute();
  return { ...row, access_token: accessToken, refresh_token: refreshToken };
}

/** Most (app, user) pairs whose event token one process remembers; the oldest is forgotten first. */
const REUSE_MAX = 10_000;
// Per store (tests run several portals in one process), keyed `${appId}:${userId}`.
const reusable = new WeakMap<object, Map<string, IssuedToken>>();

/**
 * A token for an event POST (and for the web messenger): reuse one minted by this process with more
 * than half its life left, so a busy bot does not create a token per event, else mint a new one.
 * Only this process can reuse it: the store has hashes, so the plaintext lives in its memory only
 * (a restart or another node mints afresh). A reused pair is checked to be still stored, so a
 * revocation or a rotation through refresh_token anywhere is honoured.
 */
export async function tokenForEvent(portal: Portal, db: Db, app: Selectable<AppsTable>, userId: number): Promise<IssuedToken> {
  let cache = reusable.get(portal.store);
  if (!cache) reusable.set(portal.store, (cache = new Map()));
  const key = `${app.id}:${userId}`;
  const hit = cache.get(key);
  const now = portal.clock.now();
  if (hit && hit.expires_at > now + (portal.config.tokenTtl * 1000) / 2) {
    const stored = await db.selectFrom('tokens').select('access_hash').where('access_hash', '=', hit.access_hash).executeTakeFirst();
    if (stored) return hit;
  }
  // Pairs whose refresh token has expired are useless: drop them as new ones are minted.
  await db.deleteFrom('tokens').where('app_id', '=', app.id).where('user_id', '=', userId).where('refresh_expires_at', '<', now).execute();
  const fresh = await mintToken(portal, db, app, userId);
  cache.delete(key);
  cache.set(key, fresh);
  if (cache.size > REUSE_MAX) cache.delete(cache.keys().next().value!);
  return fresh;
}

/** Find a token by its (plaintext) access token. */
export async function findAccessToken(db: Db, accessToken: string): Promise<Token | undefined> {
  return db.selectFrom('tokens').selectAll().where('access_hash', '=', hashSecret(accessToken)).executeTakeFirst();
}

/** Exchange a refresh token for a new pair; the old pair stops working (refresh tokens rotate). */
export async function refreshToken(portal: Portal, app: Selectable<AppsTable>, refresh: string): Promise<IssuedToken | undefined> {
  const hash = hashSecret(refresh);
  return portal.db.transaction().execute(async (trx) => {
    const old = await trx.selectFrom('tokens').selectAll().where('refresh_hash', '=', hash).where('app_id', '=', app.id).executeTakeFirst();
    if (!old || old.refresh_expires_at < portal.clock.now()) return undefined;
    await trx.deleteFrom('tokens').where('refresh_hash', '=', hash).execute();
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
export function tokenBlock(portal: Portal, app: Selectable<AppsTable>, t: IssuedToken): Record<string, string | number> {
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
