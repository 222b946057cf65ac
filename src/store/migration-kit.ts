/**
 * What schema steps are written with: one spelling of ids, text and integer columns for both
 * dialects. Used by src/store/migrations.ts and by every file in src/store/migrations/.
 */
import type { Kysely, CreateTableBuilder } from 'kysely';
import type { DialectCaps } from './dialect.ts';

/** One schema step; it runs inside a transaction. */
export type Step = (db: Kysely<any>, caps: DialectCaps) => Promise<void>;

/**
 * An auto-incrementing integer primary key as the steps before 0018 made it: 32-bit `serial` on
 * PostgreSQL (migration 0018 widens every such column). Steps keep what they made when they were
 * written, so an old database and a new one migrate to the same schema; new tables use withBigId.
 */
export function withId(t: CreateTableBuilder<any, any>, caps: DialectCaps) {
  return caps.name === 'postgres'
    ? t.addColumn('id', 'serial', (c) => c.primaryKey())
    : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

/** An auto-incrementing 64-bit primary key (SQLite's INTEGER PRIMARY KEY is 64-bit already). */
export function withBigId(t: CreateTableBuilder<any, any>, caps: DialectCaps) {
  return caps.name === 'postgres'
    ? t.addColumn('id', 'bigserial', (c) => c.primaryKey())
    : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

/** A NOT NULL text column defaulting to ''. */
export const text = (t: CreateTableBuilder<any, any>, name: string) => t.addColumn(name, 'text', (c) => c.notNull().defaultTo(''));
/** A NOT NULL bigint column defaulting to 0 (times in ms, ids, 0/1 flags). */
export const int = (t: CreateTableBuilder<any, any>, name: string) => t.addColumn(name, 'bigint', (c) => c.notNull().defaultTo(0));
