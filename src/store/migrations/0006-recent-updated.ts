/**
 * When a member's recent-list entry last changed without a new message (pin, hide, unread mark, a
 * read): im.recent.get's LAST_UPDATE / LAST_SYNC_DATE and the items' `date_update` need it.
 */
import type { Step } from '../migration-kit.ts';

const step: Step = async (db) => {
  await db.schema.alterTable('chat_members').addColumn('recent_at', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
};
export default step;
