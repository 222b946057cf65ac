/**
 * Offline events (events/offline-events.md): an app's binding may be offline (no handler URL: the
 * event is queued on the portal for event.offline.get instead of POSTed), with the source key
 * (auth_connector) its queue is divided by and ONOFFLINEEVENT's minTimeout and last notification;
 * and the queue itself, one row per changed object per app (src/events/offline-queue.ts).
 * Also im.v2 user events (im.v2.Event.*): the v2 event log gets a reader user (a user's rows have
 * bot_id 0, a bot's user_id 0: one id sequence, so one offset acknowledges both in a merged read),
 * and the users subscribed to it.
 */
import { int, text, withBigId, type Step } from '../migration-kit.ts';

const step: Step = async (db, caps) => {
  await db.schema.alterTable('event_handlers').addColumn('offline', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('event_handlers').addColumn('auth_connector', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.alterTable('event_handlers').addColumn('min_timeout', 'bigint', (c) => c.notNull().defaultTo(1)).execute();
  await db.schema.alterTable('event_handlers').addColumn('notified_at', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  let t = withBigId(db.schema.createTable('offline_events'), caps);
  for (const c of ['app_id', 'error', 'reserved_at', 'changed_at']) t = int(t, c);
  for (const c of ['auth_connector', 'event_name', 'event_data', 'event_additional', 'message_id', 'process_id']) t = text(t, c);
  await t.execute();
  await db.schema.createIndex('offline_events_app').on('offline_events').columns(['app_id', 'auth_connector', 'id']).execute();
  await db.schema.createIndex('offline_events_message').on('offline_events').columns(['app_id', 'message_id']).execute();
  await db.schema.alterTable('bot_v2_events').addColumn('user_id', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.createIndex('bot_v2_events_user').on('bot_v2_events').columns(['user_id', 'id']).execute();
  await db.schema.createIndex('bot_v2_events_created').on('bot_v2_events').column('created_at').execute();
  await db.schema.createTable('im_v2_subscribers').addColumn('user_id', 'bigint', (c) => c.primaryKey())
    .addColumn('created_at', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.createIndex('offline_events_process').on('offline_events').columns(['app_id', 'process_id']).execute();
};
export default step;
