/**
 * What a portal's store holds, read raw for the secrets-at-rest tests: the SQLite files' bytes and
 * every PostgreSQL row.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';

/**
 * Every byte a SQLite portal keeps in its data directory's database files, as one string. Read by a
 * child process: closing a descriptor of the file in this process would drop an in-process portal's
 * POSIX locks on it.
 */
export function sqliteBytes(dataDir: string): string {
  return ['parley.sqlite', 'parley.sqlite-wal', 'parley.sqlite-shm', 'parley.sqlite-journal']
    .map((f) => path.join(dataDir, f)).filter((f) => fs.existsSync(f))
    .map((f) => execFileSync('cat', [f], { maxBuffer: 1 << 30 }).toString('latin1')).join('\n');
}

/** Every row of every table of a PostgreSQL database, as one string. */
export async function postgresRows(url: string): Promise<string> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const tables = await c.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`);
    let all = '';
    for (const { table_name: t } of tables.rows) all += JSON.stringify((await c.query(`SELECT * FROM "${t}"`)).rows);
    return all;
  } finally {
    await c.end();
  }
}
