/**
 * Counters of failed sign-ins, kept in the store (table signin_throttle) so that every portal
 * process sharing a database counts together. An attempt is counted before its password is
 * checked, in one atomic statement that also sets the lock: parallel guesses cannot slip past the
 * limit while the hashes run. After `maxFailures` counted attempts the key is locked for `lockMs`;
 * each attempt after a lock ends is one more failure and doubles the lock, up to `maxLockMs`.
 * A key's count is forgotten `windowMs` after its last attempt and the end of its lock.
 */
import crypto from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../store/db.ts';
import { clientNetwork } from '../net/addresses.ts';

declare module '../store/schema.ts' {
  interface Database { signin_throttle: SigninThrottleTable }
}

/** A row of signin_throttle: one login or one remote address. */
export interface SigninThrottleTable {
  /** `login:<sha256 of the login>` or `addr:<IPv4 or IPv6 /64>`. */
  key: string;
  /** Attempts counted since the count was last forgotten or reset. */
  failures: number;
  last_at: number;
  /** Unix ms until which attempts are refused; 0 when not locked. */
  locked_until: number;
}

/** How many failures a key may have and how long it is locked after. */
export interface ThrottleLimits {
  maxFailures: number;
  lockMs: number;
  maxLockMs: number;
  windowMs: number;
}

/** The answer to an attempt: counted, or refused for `retryAfterMs`. */
export type Claim = { ok: true } | { ok: false; retryAfterMs: number };

/** The throttle key of a login (hashed: bounded length, and no login kept in another table). */
export function loginKey(login: string): string {
  return `login:${crypto.createHash('sha256').update(login).digest('hex').slice(0, 40)}`;
}

/** The throttle key of a remote address: its client network (IPv6 by /64, see net/addresses.ts). */
export function addressKey(address: string | undefined): string {
  return `addr:${clientNetwork(address)}`;
}

// The lock set by the n-th counted attempt, as a SQL CASE over n (no dialect-specific power or shift).
function lockExpr(n: RawBuilder<number>, now: number, l: ThrottleLimits): RawBuilder<number> {
  const steps: RawBuilder<unknown>[] = [];
  for (let i = 0, ms = l.lockMs; ms < l.maxLockMs && i < 64; i++, ms *= 2) {
    steps.push(sql`WHEN ${n} = ${sql.lit(l.maxFailures + i)} THEN ${sql.lit(now + ms)}`);
  }
  return sql<number>`CASE WHEN ${n} < ${sql.lit(l.maxFailures)} THEN 0 ${sql.join(steps, sql` `)} ELSE ${sql.lit(now + l.maxLockMs)} END`;
}

function lockFor(n: number, now: number, l: ThrottleLimits): number {
  if (n < l.maxFailures) return 0;
  return now + Math.min(l.maxLockMs, l.lockMs * 2 ** Math.min(64, n - l.maxFailures));
}

const lastPrune = new WeakMap<object, number>();

// Forgotten rows are deleted at most once a minute per process, so sprayed logins cannot pile up.
async function prune(db: Db, now: number, windowMs: number): Promise<void> {
  if ((lastPrune.get(db) ?? 0) > now - 60_000) return;
  lastPrune.set(db, now);
  const cutoff = now - windowMs;
  await db.deleteFrom('signin_throttle').where('last_at', '<', cutoff).where('locked_until', '<', cutoff).execute();
}

/**
 * Count one attempt against `key`, unless the key is locked: then it is refused with the time left.
 * The count is forgotten when its last attempt and lock ended more than windowMs ago.
 */
export async function claimAttempt(db: Db, key: string, limits: ThrottleLimits, now: number): Promise<Claim> {
  await prune(db, now, limits.windowMs);
  const cutoff = sql.lit(now - limits.windowMs);
  const n = sql<number>`(CASE WHEN signin_throttle.last_at < ${cutoff} AND signin_throttle.locked_until < ${cutoff} THEN 1 ELSE signin_throttle.failures + 1 END)`;
  const counted = await sql<{ failures: number }>`
    INSERT INTO signin_throttle (key, failures, last_at, locked_until) VALUES (${key}, 1, ${sql.lit(now)}, ${sql.lit(lockFor(1, now, limits))})
    ON CONFLICT (key) DO UPDATE SET failures = ${n}, last_at = ${sql.lit(now)}, locked_until = ${lockExpr(n, now, limits)}
    WHERE signin_throttle.locked_until <= ${sql.lit(now)}
    RETURNING failures`.execute(db);
  if (counted.rows.length) return { ok: true };
  const row = await db.selectFrom('signin_throttle').select('locked_until').where('key', '=', key).executeTakeFirst();
  return { ok: false, retryAfterMs: Math.max(1000, (row?.locked_until ?? 0) - now) };
}

/** A successful sign-in: the key's count and lock are gone (used for the login's key). */
export async function resetAttempts(db: Db, key: string): Promise<void> {
  await db.deleteFrom('signin_throttle').where('key', '=', key).execute();
}

/**
 * Take back one counted attempt (a success from an address, or an attempt refused before its
 * password was checked), lifting the lock when the count falls below the limit again.
 */
export async function uncountAttempt(db: Db, key: string, limits: ThrottleLimits): Promise<void> {
  await db.updateTable('signin_throttle')
    .set({
      failures: sql`failures - 1`,
      locked_until: sql`CASE WHEN failures - 1 < ${sql.lit(limits.maxFailures)} THEN 0 ELSE locked_until END`,
    })
    .where('key', '=', key).where('failures', '>', 0).execute();
}
