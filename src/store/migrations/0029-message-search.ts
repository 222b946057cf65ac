/**
 * Full-text message search (src/store/message-terms.ts): `message_terms`, a row of terms per
 * indexed message, and each database's index over it — on SQLite an FTS5 table whose content is
 * `message_terms` (kept in step by triggers on it), on PostgreSQL a generated tsvector column of the
 * very same terms (array_to_tsvector: no dictionary of PostgreSQL's stems them again) with a GIN
 * index. Then every message there is already is indexed, a thousand at a time.
 */
import { sql } from 'kysely';
import type { Step } from '../migration-kit.ts';
import { indexedTerms, type IndexedMessage } from '../message-terms.ts';

const BATCH = 1000;

const step: Step = async (db, caps) => {
  const pg = caps.name === 'postgres';
  // SQLite's FTS5 addresses rows by an integer rowid: message_id is that rowid there.
  await db.schema.createTable('message_terms').addColumn('message_id', pg ? 'bigint' : 'integer', (c) => c.primaryKey())
    .addColumn('terms', 'text', (c) => c.notNull()).execute();
  if (pg) {
    await sql`alter table message_terms add column tsv tsvector generated always as (array_to_tsvector(string_to_array(terms, ' '))) stored`.execute(db);
    await sql`create index message_terms_tsv on message_terms using gin (tsv)`.execute(db);
  } else {
    // Letters, marks and digits are the characters of terms (terms.ts): FTS5 must not split a term again.
    await sql`create virtual table message_terms_fts using fts5(terms, content='message_terms', content_rowid='message_id',
      tokenize="unicode61 remove_diacritics 0 categories 'L* M* N* Co'")`.execute(db);
    await sql`create trigger message_terms_ai after insert on message_terms begin
      insert into message_terms_fts(rowid, terms) values (new.message_id, new.terms); end`.execute(db);
    await sql`create trigger message_terms_ad after delete on message_terms begin
      insert into message_terms_fts(message_terms_fts, rowid, terms) values ('delete', old.message_id, old.terms); end`.execute(db);
    await sql`create trigger message_terms_au after update on message_terms begin
      insert into message_terms_fts(message_terms_fts, rowid, terms) values ('delete', old.message_id, old.terms);
      insert into message_terms_fts(rowid, terms) values (new.message_id, new.terms); end`.execute(db);
  }
  for (let after = 0; ;) {
    const rows: IndexedMessage[] = await db.selectFrom('messages').select(['id', 'text', 'author_id', 'deleted'])
      .where('id', '>', after).orderBy('id').limit(BATCH).execute();
    if (!rows.length) break;
    after = Number(rows[rows.length - 1].id);
    const values = rows.map((m) => ({ message_id: Number(m.id), terms: indexedTerms(m).join(' ') })).filter((v) => v.terms);
    if (values.length) await db.insertInto('message_terms').values(values).execute();
  }
};
export default step;
