/**
 * What differs between the two backends, as flags: shared by the store that opens a database
 * (db.ts) and the schema steps that consult them (migration-kit.ts, migrations.ts), which db.ts runs.
 */

/** What differs between the backends, as flags the rest of the store can consult. */
export interface DialectCaps {
  name: 'sqlite' | 'postgres';
  /** `FOR UPDATE SKIP LOCKED` is available: several nodes can claim outbox rows safely. */
  skipLocked: boolean;
}
