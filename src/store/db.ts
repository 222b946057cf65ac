/**
 * Opens the portal database: embedded SQLite in the data directory by default, PostgreSQL when a
 * `postgres://` URL is given. Dialect differences are capability flags here, never `if (sqlite)`
 * scattered through queries.
 */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, type Transaction } from 'kysely';
import type { Database } from './schema.ts';
import { migrate } from './migrations.ts';
import type { DialectCaps } from './dialect.ts';
import { privateDatabase, privateDir } from './private-files.ts';
import { withStatementCache } from './statement-cache.ts';
import type { Logger } from '../log.ts';

/** An open database with its capabilities. */
export interface Store {
  db: Kysely<Database>;
  caps: DialectCaps;
  /**
   * SQLite's `data_version`: a number that changes when another connection (another process) has
   * committed to the database since the last look. Absent on PostgreSQL, which has no such thing.
   */
  dataVersion?: () => number;
  close(): Promise<void>;
}

/** A query context: the database itself or an open transaction. */
export type Db = Kysely<Database> | Transaction<Database>;

// int8 (COUNT, BIGINT columns) comes back from node-postgres as a string; our values fit a double.
pg.types.setTypeParser(20, (v) => Number(v));

/**
 * Open (and migrate) the store named by `db`, or SQLite at `${dataDir}/parley.sqlite`. `log` gets
 * its warnings (the running portal's log); without one they are not written.
 */
export async function openStore(opts: { dataDir: string; db?: string; log?: Logger }): Promise<Store> {
  let db: Kysely<Database>;
  let caps: DialectCaps;
  let sqliteFile: { name: string; db: SQLite.Database } | undefined;
  if (opts.db && /^postgres(ql)?:\/\//.test(opts.db)) {
    const pool = new pg.Pool({ connectionString: opts.db, max: 10 });
    // An idle connection the server drops (restart, admin kill) must not crash the process: the pool
    // discards it and opens a new one on the next query.
    pool.on('error', (err) => opts.log?.warn({ component: 'store', err }, 'idle PostgreSQL connection lost'));
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    caps = { name: 'postgres', skipLocked: true, oneWriter: false };
  } else {
    if (opts.db) throw new Error(`unsupported --db URL: ${opts.db} (use postgres://… or leave it out for SQLite)`);
    privateDir(opts.dataDir, opts.log);
    const name = path.join(opts.dataDir, 'parley.sqlite');
    // Created 0600 before SQLite opens it: SQLite gives its -wal and -shm files the database's mode.
    // Only when absent: closing any descriptor of an open database would drop this process's
    // POSIX locks on it (SQLite's documented pitfall).
    if (!fs.existsSync(name)) {
      try {
        fs.closeSync(fs.openSync(name, 'wx', 0o600));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err; // another process created it first
      }
    }
    privateDatabase(name, opts.log);
    const file = new SQLite(name);
    // WAL lets the CLI write while a running portal reads; busy_timeout makes the two wait, not fail.
    file.pragma('journal_mode = WAL');
    file.pragma('busy_timeout = 10000');
    file.pragma('synchronous = NORMAL');
    file.pragma('foreign_keys = ON');
    // Deleted rows (revoked credentials, old values rewritten by migrations) are zeroed on disk.
    file.pragma('secure_delete = ON');
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(file) }) });
    caps = { name: 'sqlite', skipLocked: false, oneWriter: true };
    sqliteFile = { name, db: file };
  }
  const applied = await migrate(db, caps);
  if (sqliteFile) {
    privateDatabase(sqliteFile.name, opts.log);
    // Old page versions (plaintext a migration replaced) must not linger in the WAL file.
    if (applied.length) sqliteFile.db.pragma('wal_checkpoint(TRUNCATE)');
  }
  const version = sqliteFile?.db.prepare('PRAGMA data_version').pluck();
  return { db, caps, dataVersion: version && (() => Number(version.get())), close: () => db.destroy() };
}
