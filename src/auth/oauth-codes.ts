/**
 * OAuth authorization codes: issued by /oauth/authorize/ to a signed-in user for an app, traded once
 * by /oauth/token/. Stored as SHA-256 hashes; the plaintext only travels in the redirect.
 */
import type { Db } from '../store/db.ts';
import { hashSecret, secret } from './secret-hash.ts';

/** How long a code may wait to be traded (Bitrix24's codes are short-lived too). */
export const CODE_TTL_MS = 30_000;

/** Issue a code for a user of an app at `now` (the portal clock's time); returns the plaintext for the redirect. */
export async function issueCode(db: Db, appId: number, userId: number, now: number): Promise<string> {
  const code = secret(16);
  await db.insertInto('oauth_codes').values({ code_hash: hashSecret(code), app_id: appId, user_id: userId, expires_at: now + CODE_TTL_MS }).execute();
  return code;
}

/**
 * Trade a code once: it is deleted whoever presents it, and the user id comes back only when it was
 * issued to this app and has not expired by `now` (the portal clock's time).
 */
export async function redeemCode(db: Db, code: string, appId: number, now: number): Promise<number | undefined> {
  const hash = hashSecret(code);
  const row = await db.selectFrom('oauth_codes').selectAll().where('code_hash', '=', hash).where('app_id', '=', appId).executeTakeFirst();
  await db.deleteFrom('oauth_codes').where('code_hash', '=', hash).execute();
  return row && row.expires_at >= now ? row.user_id : undefined;
}
