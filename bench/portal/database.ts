/**
 * Where a bench portal keeps its state: a fresh temporary data directory, and for PostgreSQL a
 * throw-away database on the machine's server (BENCH_PG, default postgres://postgres@127.0.0.1:5432/postgres),
 * dropped when the scenario ends.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/** The two stores the bench runs on. */
export type Dialect = 'sqlite' | 'postgres';

const ADMIN_URL = process.env.BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A portal's state: its data directory and, for PostgreSQL, its database URL. */
export interface BenchStore {
  dialect: Dialect;
  dataDir: string;
  db?: string;
  drop(): Promise<void>;
}

/** Whether the PostgreSQL server answers, or why not. */
export async function postgresProblem(): Promise<string | undefined> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  try {
    await c.connect();
    await c.end();
    return undefined;
  } catch (err) {
    return `no PostgreSQL at ${ADMIN_URL}: ${(err as Error).message}`;
  }
}

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** A new, empty store of the dialect. */
export async function freshStore(dialect: Dialect): Promise<BenchStore> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-'));
  const removeDir = async () => fs.rmSync(dataDir, { recursive: true, force: true });
  if (dialect === 'sqlite') return { dialect, dataDir, drop: removeDir };
  const name = `parley_bench_${crypto.randomBytes(5).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    dialect, dataDir, db: url.toString(),
    async drop() {
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await removeDir();
    },
  };
}
