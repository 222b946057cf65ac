/**
 * Locks held until the transaction ends, named by text keys: writers of one key wait for each
 * other's commit. PostgreSQL hands out an id at the insert, not at the commit, so two transactions
 * writing rows of one ordered stream could otherwise commit in the opposite order to their ids, and
 * a reader ordering by id would see the later row while the earlier one is still invisible.
 * Where one transaction writes at a time (caps.oneWriter, SQLite) there is nothing to do.
 */
import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { DialectCaps } from './dialect.ts';
import type { Db } from './db.ts';

/**
 * Spaces of keys, so that users of these locks never wait for each other by accident. They are the
 * first half of PostgreSQL's two-integer advisory lock ids, a family apart from the one-bigint ids
 * (the migration lock, src/store/migrations.ts).
 */
export const LOCK_SPACE = { outboxStreams: 1, botV2Log: 2, messageUuids: 3 } as const;

// A key's 32-bit lock id. Two keys that share one only wait for each other needlessly, never wrongly.
function lockId(key: string): number {
  return crypto.createHash('sha256').update(key).digest().readInt32BE(0);
}

/**
 * Take the lock of every key in `keys` within `trx`, held until it commits or rolls back. Taken in
 * one call, in ascending order of lock id: transactions that take all their locks this way, as the
 * last thing before their commit, cannot deadlock on them.
 */
export async function lockUntilCommit(trx: Db, caps: DialectCaps, space: number, keys: Iterable<string>): Promise<void> {
  if (caps.oneWriter) return;
  const ids = [...new Set([...keys].map(lockId))].sort((a, b) => a - b);
  for (const id of ids) await sql`SELECT pg_advisory_xact_lock(${space}::integer, ${id}::integer)`.execute(trx);
}
