/**
 * The message search index (migration 0029): one `message_terms` row per indexed message, its
 * distinct terms (src/text/terms.ts) separated by spaces. The row is written with the same
 * statements on both databases, in the transaction that writes the message; what makes it
 * searchable is the database's own full-text machinery, kept in step by the database itself:
 * on SQLite an FTS5 table over it (external content, updated by triggers), on PostgreSQL a
 * generated tsvector column with a GIN index. Queries pass only terms, quoted, so a user's search
 * string can neither raise a syntax error nor use FTS5 or tsquery operators.
 */
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { textTerms, type TermQuery } from '../text/terms.ts';
import type { Db } from './db.ts';
import type { DialectCaps } from './dialect.ts';

declare module './schema.ts' {
  interface Database { message_terms: MessageTermsTable }
}

/** One indexed message. */
export interface MessageTermsTable {
  message_id: number;
  /** Distinct terms, one space between them; never empty (a message without words has no row). */
  terms: string;
}

/** What the index reads of a message. */
export interface IndexedMessage { id: number; text: string; author_id: number; deleted: number }

/**
 * The terms the index keeps for a message: none for a deleted one and none for the portal's own
 * lines ("X created the chat", author 0); a person's or a bot's text otherwise, tags left out.
 */
export function indexedTerms(m: IndexedMessage): string[] {
  return m.deleted || !m.author_id ? [] : textTerms(m.text);
}

/** Bring a message's index row in line with the message (written, edited, deleted) through `db`. */
export async function indexMessage(db: Db, m: IndexedMessage): Promise<void> {
  const terms = indexedTerms(m).join(' ');
  if (!terms) {
    await db.deleteFrom('message_terms').where('message_id', '=', m.id).execute();
    return;
  }
  await db.insertInto('message_terms').values({ message_id: m.id, terms })
    .onConflict((oc) => oc.column('message_id').doUpdateSet({ terms })).execute();
}

/** Drop a message's row (the message itself is gone). */
export async function unindexMessage(db: Db, messageId: number): Promise<void> {
  await db.deleteFrom('message_terms').where('message_id', '=', messageId).execute();
}

// A term inside an FTS5 string or a tsquery lexeme: terms are letters, marks and digits only, but
// quotes are doubled (FTS5) or dropped (tsquery) all the same, so nothing can end the quoting.
const ftsString = (t: string) => `"${t.replace(/"/g, '""')}"`;
const lexeme = (t: string) => `'${t.replace(/['\\]/g, '')}'`;

/**
 * A condition on `idColumn` (a message id): the message's terms hold every term of `q`, the last as
 * a prefix. `q` must have a term (a query of no words matches nothing: callers ask nothing then).
 */
export function matchesTerms(caps: DialectCaps, idColumn: string, q: TermQuery): RawBuilder<SqlBool> {
  const last = q.terms.length - 1;
  if (caps.name === 'postgres') {
    const query = q.terms.map((t, i) => lexeme(t) + (i === last ? ':*' : '')).join(' & ');
    return sql<SqlBool>`${sql.ref(idColumn)} in (select message_id from message_terms where tsv @@ ${query}::tsquery)`;
  }
  const query = q.terms.map((t, i) => ftsString(t) + (i === last ? '*' : '')).join(' ');
  return sql<SqlBool>`${sql.ref(idColumn)} in (select rowid from message_terms_fts where message_terms_fts match ${query})`;
}
