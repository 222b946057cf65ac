/**
 * Chatbots 2.0 (imbot.v2.*, src/domain/bots-v2.ts): what a v2 bot needs beyond the classic `bots`
 * row — its API version, v2 type, event mode and webhook URL, the hash of its botToken (never the
 * token), the webhook user who registered it, its profile flags — and the v2 event log a fetch-mode
 * bot reads with imbot.v2.Event.get (acknowledged rows are deleted).
 */
import { int, text, withBigId, type Step } from '../migration-kit.ts';

const step: Step = async (db, caps) => {
  // 1 for the classic bots every row so far is; 2 for imbot.v2.
  await db.schema.alterTable('bots').addColumn('api_version', 'bigint', (c) => c.notNull().defaultTo(1)).execute();
  for (const c of ['v2_type', 'event_mode', 'webhook_url', 'token_hash', 'background_id']) {
    await db.schema.alterTable('bots').addColumn(c, 'text', (col) => col.notNull().defaultTo('')).execute();
  }
  await db.schema.alterTable('bots').addColumn('owner_user_id', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('bots').addColumn('is_hidden', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('bots').addColumn('reactions_enabled', 'bigint', (c) => c.notNull().defaultTo(1)).execute();
  await db.schema.createIndex('bots_token_hash').on('bots').column('token_hash').execute();
  let t = withBigId(db.schema.createTable('bot_v2_events'), caps);
  for (const c of ['bot_id', 'created_at']) t = int(t, c);
  for (const c of ['type', 'data']) t = text(t, c);
  await t.execute();
  await db.schema.createIndex('bot_v2_events_bot').on('bot_v2_events').columns(['bot_id', 'id']).execute();
};
export default step;
