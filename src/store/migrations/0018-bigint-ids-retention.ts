/**
 * PostgreSQL row ids become 64-bit (bigint, as SQLite's already are): `serial` ends at 2 147 483 647,
 * which a busy push log or call log reaches, and past which every id in a query was an error. Each
 * table is rewritten once by the type change. Also the indexes retention deletes by (src/domain/retention.ts):
 * old rows go by their time without a scan of the whole table.
 */
import { sql } from 'kysely';
import type { Step } from '../migration-kit.ts';

const step: Step = async (db, caps) => {
  if (caps.name === 'postgres') {
    const { rows } = await sql<{ table_name: string }>`
      select table_name from information_schema.columns
      where table_schema = current_schema() and column_name = 'id' and data_type = 'integer'`.execute(db);
    for (const { table_name: table } of rows) {
      await sql`alter table ${sql.table(table)} alter column id type bigint`.execute(db);
      const { rows: seq } = await sql<{ name: string | null }>`select pg_get_serial_sequence(${table}, 'id') as name`.execute(db);
      if (seq[0]?.name) await sql`alter sequence ${sql.raw(seq[0].name)} as bigint`.execute(db);
    }
  }
  await db.schema.createIndex('outbox_finished').on('outbox').columns(['status', 'delivered_at']).execute();
  await db.schema.createIndex('rest_calls_time').on('rest_calls').columns(['created_at']).execute();
  await db.schema.createIndex('push_log_time').on('push_log').columns(['created_at']).execute();
  await db.schema.createIndex('command_calls_time').on('command_calls').columns(['created_at']).execute();
};
export default step;
