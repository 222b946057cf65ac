/**
 * Mentions and system lines (issue 16). A notification may point at a chat message (`chat_id`,
 * `message_id`: a mention's, so reading the dialog past it reads the notification too); 0 for the
 * notifications apps send. A system line keeps what it reports as data (`system_code`, JSON
 * `system_params`) beside its English text, so the web messenger can word it in the reader's
 * language while REST clients keep the stored text; '' and null for every line written before.
 */
import type { Step } from '../migration-kit.ts';

const step: Step = async (db) => {
  for (const c of ['chat_id', 'message_id']) {
    await db.schema.alterTable('notifications').addColumn(c, 'bigint', (col) => col.notNull().defaultTo(0)).execute();
  }
  await db.schema.alterTable('messages').addColumn('system_code', 'text', (col) => col.notNull().defaultTo('')).execute();
  await db.schema.alterTable('messages').addColumn('system_params', 'text').execute();
};
export default step;
