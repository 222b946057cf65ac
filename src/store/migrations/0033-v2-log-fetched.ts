/**
 * The v2 event log keeps what was fetched (imbot.v2.Event.get / im.v2.Event.get acknowledged it) for
 * a while instead of deleting it at once, so the developer console can show it: `fetched_at` is
 * when its reader acknowledged it (0 while it waits). Retention removes fetched rows after
 * PARLEY_KEEP_FETCHED_EVENTS_HOURS.
 */
import type { Step } from '../migration-kit.ts';

const step: Step = async (db) => {
  await db.schema.alterTable('bot_v2_events').addColumn('fetched_at', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.createIndex('bot_v2_events_fetched').on('bot_v2_events').columns(['fetched_at']).execute();
};
export default step;
