/**
 * The pace of failed sign-ins from one client address: a burst of `burst` failures, then one per
 * `intervalMs` (a generic cell rate algorithm: a bucket that drains one failure per interval). It
 * slows a fast guesser at once, long before the address's count lock (throttle.ts) refuses it for
 * minutes, while people behind one office address who mistype now and then never notice it.
 *
 * It lives in the same table as the counts (`signin_throttle`, key `pace:<client network>`), so
 * every portal process on one database paces together. Its `locked_until` is the bucket's "empty
 * at" time (the theoretical arrival time): now + burst × interval at the most; a failure is admitted
 * while adding one interval keeps it there. Deciding and counting are one statement, so parallel
 * guesses cannot pass the burst while their hashes run.
 */
import { sql } from 'kysely';
import type { Db } from '../store/db.ts';
import { clientNetwork } from '../net/addresses.ts';
import type { Claim } from './throttle.ts';

/** The pace of one address: how many failures at once, then one per how many ms. */
export interface Pace {
  burst: number;
  intervalMs: number;
}

/** The pace key of a client address (its network, as the address counts: IPv6 by /64). */
export function paceKey(address: string | undefined): string {
  return `pace:${clientNetwork(address)}`;
}

/** Count one attempt against the key's pace, or refuse it (uncounted) with the time to its next slot. */
export async function claimPace(db: Db, key: string, pace: Pace, now: number): Promise<Claim> {
  const interval = sql.lit(pace.intervalMs);
  // The bucket's level as a time: it never drains below now.
  const from = sql<number>`(CASE WHEN signin_throttle.locked_until > ${sql.lit(now)} THEN signin_throttle.locked_until ELSE ${sql.lit(now)} END)`;
  const counted = await sql<{ failures: number }>`
    INSERT INTO signin_throttle (key, failures, last_at, locked_until) VALUES (${key}, 1, ${sql.lit(now)}, ${sql.lit(now + pace.intervalMs)})
    ON CONFLICT (key) DO UPDATE SET failures = signin_throttle.failures + 1, last_at = ${sql.lit(now)}, locked_until = ${from} + ${interval}
    WHERE ${from} + ${interval} <= ${sql.lit(now + pace.burst * pace.intervalMs)}
    RETURNING failures`.execute(db);
  if (counted.rows.length) return { ok: true };
  const row = await db.selectFrom('signin_throttle').select('locked_until').where('key', '=', key).executeTakeFirst();
  // The next failure fits once the bucket has drained to one interval below full.
  const wait = (row?.locked_until ?? now) + pace.intervalMs - (now + pace.burst * pace.intervalMs);
  return { ok: false, retryAfterMs: Math.max(1000, wait) };
}

/** Give back one counted attempt (a success, or an attempt refused before its password was checked). */
export async function uncountPace(db: Db, key: string, pace: Pace): Promise<void> {
  await db.updateTable('signin_throttle')
    .set({ failures: sql`failures - 1`, locked_until: sql`locked_until - ${sql.lit(pace.intervalMs)}` })
    .where('key', '=', key).where('failures', '>', 0).execute();
}
