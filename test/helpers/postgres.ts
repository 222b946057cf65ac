/**
 * A throw-away PostgreSQL database per test suite on the machine's server (PARLEY_TEST_PG, default
 * postgres://postgres@127.0.0.1:5432/postgres). Under CI the server must be there; elsewhere a
 * missing server skips the PostgreSQL variants with the reason.
 */
import crypto from 'node:crypto';
import pg from 'pg';

const ADMIN_URL = process.env.PARLEY_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh database URL and a function that drops it, or a reason why PostgreSQL is unavailable. */
export async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> } | { skip: string }> {
  const name = `parley_test_${crypto.randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  try {
    await admin.connect();
  } catch (err) {
    if (process.env.CI) throw new Error(`PostgreSQL is required under CI (${ADMIN_URL}): ${(err as Error).message}`);
    return { skip: `no PostgreSQL at ${ADMIN_URL}: ${(err as Error).message}` };
  }
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * The database a suite runs on for `dialect`: nothing for SQLite (the portal's own file), a fresh
 * PostgreSQL database otherwise — or the reason PostgreSQL is unavailable. `drop()` is always safe.
 */
export async function databaseFor(dialect: 'sqlite' | 'postgres'): Promise<{ db?: string; skip?: string; drop(): Promise<void> }> {
  const none = async () => {};
  if (dialect === 'sqlite') return { drop: none };
  const fresh = await freshDatabase();
  if ('skip' in fresh) return { skip: fresh.skip, drop: none };
  return { db: fresh.url, drop: fresh.drop };
}
