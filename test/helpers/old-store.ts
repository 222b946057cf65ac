/**
 * A portal's store as an older release left it, for the migration tests: the schema migrated up to
 * a version and the portal seeded, then what that release wrote (the test writes it through the raw
 * handle), then the portal started on it — which runs the newer migrations. The portal is closed and
 * a PostgreSQL database dropped after the test.
 */
import path from 'node:path';
import type { TestContext } from 'node:test';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { tempDir, testPortal } from './portal.ts';
import { databaseFor } from './postgres.ts';
import { migrate } from '../../src/store/migrations.ts';
import { seedPortal } from '../../src/domain/users.ts';

/** A running portal (testPortal). */
type Running = Awaited<ReturnType<typeof testPortal>>;

/**
 * The store of `dialect` at schema `version`, seeded; `write` fills it through a raw Kysely handle (closed
 * afterwards) and answers what the test needs of it. Answers that, with the portal started on the
 * store, or the reason to skip (no PostgreSQL server).
 */
export async function oldStore<T>(t: TestContext, dialect: 'sqlite' | 'postgres', version: number, write: (db: Kysely<any>) => Promise<T>)
  : Promise<{ skip: string } | { written: T; portal: Running }> {
  const store = await databaseFor(dialect);
  let portal: Running | undefined;
  t.after(async () => {
    await portal?.close();
    await store.drop();
  });
  if (store.skip) return { skip: store.skip };
  const dataDir = tempDir();
  const old = new Kysely<any>({
    dialect: dialect === 'sqlite'
      ? new SqliteDialect({ database: new SQLite(path.join(dataDir, 'parley.sqlite')) })
      : new PostgresDialect({ pool: new pg.Pool({ connectionString: store.db }) }),
  });
  let written: T;
  try {
    await migrate(old, { name: dialect, skipLocked: dialect === 'postgres', oneWriter: dialect !== 'postgres' }, version);
    await seedPortal(old);
    written = await write(old);
  } finally {
    await old.destroy();
  }
  portal = await testPortal({ dataDir, db: store.db });
  return { written, portal };
}
