/**
 * Forwarded messages and message UUIDs (imbot.v2.Chat.Message.send's forwardIds and templateId):
 * `forward` keeps where a forwarded copy came from (JSON, null for an original), `uuid` the
 * sender's dedup key ('' when none), looked up per chat and author.
 */
import type { Step } from '../migration-kit.ts';

const step: Step = async (db) => {
  await db.schema.alterTable('messages').addColumn('forward', 'text').execute();
  await db.schema.alterTable('messages').addColumn('uuid', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.createIndex('messages_uuid').on('messages').columns(['chat_id', 'author_id', 'uuid']).where('uuid', '<>', '').execute();
};
export default step;
