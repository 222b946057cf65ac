/**
 * Browser sessions of portal users (signed-in people), kept in the store behind an opaque cookie.
 * The store holds the cookie value's SHA-256 only: a copy of the database signs no one in.
 */
import type { Db } from '../store/db.ts';
import { hashSecret, secret } from './secret-hash.ts';

/** Name of the session cookie. */
export const SESSION_COOKIE = 'parley_session';
const TTL_MS = 14 * 86400_000;

/** The Set-Cookie value that carries a new session (HttpOnly, SameSite=Lax, Secure on HTTPS). */
export function sessionCookie(sid: string, https: boolean): string {
  return `${SESSION_COOKIE}=${sid}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${TTL_MS / 1000}${https ? '; Secure' : ''}`;
}

/**
 * Start a session for a user at `now` (the portal clock's time) and return its id (the cookie value;
 * only its hash is stored).
 */
export async function createSession(db: Db, userId: number, now: number): Promise<string> {
  const id = secret(24);
  // Expired sessions of this user go as a new one starts, so the table does not grow forever.
  await db.deleteFrom('sessions').where('user_id', '=', userId).where('expires_at', '<=', now).execute();
  await db.insertInto('sessions').values({ id_hash: hashSecret(id), user_id: userId, expires_at: now + TTL_MS }).execute();
  return id;
}

/** The user id of a session still live at `now` (the portal clock's time), or undefined. */
export async function sessionUser(db: Db, id: string | undefined, now: number): Promise<number | undefined> {
  if (!id) return undefined;
  const row = await db.selectFrom('sessions').selectAll().where('id_hash', '=', hashSecret(id)).executeTakeFirst();
  return row && row.expires_at > now ? row.user_id : undefined;
}

/** End a session (sign-out) by its cookie value. */
export async function endSession(db: Db, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', hashSecret(id)).execute();
}

/**
 * End every session of a user but the one whose cookie value is `keep` (a password change keeps the
 * browser it was made in); all of them without `keep`.
 */
export async function endSessions(db: Db, userId: number, keep?: string): Promise<void> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keep) q = q.where('id_hash', '!=', hashSecret(keep));
  await q.execute();
}

/** Read one cookie from a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k !== name) continue;
    try {
      return decodeURIComponent(v.join('='));
    } catch {
      return undefined; // a malformed %-escape is no cookie of ours
    }
  }
  return undefined;
}
