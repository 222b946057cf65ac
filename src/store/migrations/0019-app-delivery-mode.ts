/**
 * How an app's events are delivered (src/events/dispatcher.ts): `retry` (at least once, with backoff,
 * then dead-lettered: what every app did so far) or `once` (one attempt, never resent: Bitrix24's).
 */
import type { Step } from '../migration-kit.ts';

const step: Step = async (db) => {
  await db.schema.alterTable('apps').addColumn('delivery_mode', 'text', (c) => c.notNull().defaultTo('retry')).execute();
};
export default step;
