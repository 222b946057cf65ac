/**
 * Prepared statements kept per SQL text for Kysely's SQLite driver, which prepares every query
 * again: under load preparing was a tenth of the portal's CPU (issue 10's profile). A statement is
 * reused only after its previous run finished — better-sqlite3 runs synchronously and Parley does
 * not stream queries — and SQLite re-prepares a cached statement itself after a schema change.
 */
import type SQLite from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

// Queries differ mostly by the length of their IN lists; a bound keeps odd ones from piling up.
const MAX_STATEMENTS = 1000;

/** `file` as Kysely's SQLite dialect sees it, its statements cached (least recently used dropped). */
export function withStatementCache(file: SQLite.Database, max = MAX_STATEMENTS): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => file.close(),
    prepare(sql: string) {
      let stmt = cache.get(sql);
      if (stmt) cache.delete(sql);
      else {
        stmt = file.prepare(sql);
        if (cache.size >= max) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, stmt);
      return stmt;
    },
  };
}
