/**
 * What schema steps are written with: one spelling of ids, text and integer columns for both
 * dialects. Used by src/store/migrations.ts and by every file in src/store/migrations/.
 */
import type { Kysely, CreateTableBuilder } from 'kysely';
import type { DialectCaps } from './dialect.ts';

/** One schema step; it runs inside a transaction. */
export type Step = (db: Kysely<any>, caps: DialectCaps) => Promise<void>;

/** An auto-incrementing integer primary key, spelt the way each dialect wants it. */
export function withId(t: CreateTableBuilder<any, any>, caps: DialectCaps) {
  return caps.name === 'postgres'
    ? t.addColumn('id', 'serial', (c) => c.primaryKey())
    : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

/** A NOT NULL text column defaulting to ''. */
export const text = (t: CreateTableBuilder<any, any>, name: string) => t.addColumn(name, 'text', (c) => c.notNull().defaultTo(''));
/** A NOT NULL bigint column defaulting to 0 (times in ms, ids, 0/1 flags). */
export const int = (t: CreateTableBuilder<any, any>, name: string) => t.addColumn(name, 'bigint', (c) => c.notNull().defaultTo(0));
