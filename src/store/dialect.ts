/**
 * What differs between the two backends, as flags: shared by the store that opens a database
 * (db.ts) and the schema steps that consult them (migration-kit.ts, migrations.ts), which db.ts runs.
 */

/** What differs between the backends, as flags the rest of the store can consult. */
export interface DialectCaps {
  name: 'sqlite' | 'postgres';
  /** `FOR UPDATE SKIP LOCKED` is available: several nodes can claim outbox rows safely. */
  skipLocked: boolean;
  /**
   * One transaction writes at a time (SQLite's database lock, held from the first write to the
   * commit), so rows get their ids in the order their transactions commit. Without it (PostgreSQL)
   * an id is handed out at the insert and transactions commit in any order: writers that need ids
   * in commit order must wait for each other (xact-locks.ts).
   */
  oneWriter: boolean;
}
