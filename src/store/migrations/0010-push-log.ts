/**
 * The realtime push log: what each user's open clients are told (a new message in chat 7, a read,
 * a chat change), written in the same transaction as the change so a push never announces a
 * rolled-back change and a reconnecting client can ask for everything after the last id it saw.
 */
import { int, text, withId, type Step } from '../migration-kit.ts';

const step: Step = async (db, caps) => {
  let t = withId(db.schema.createTable('push_log'), caps);
  for (const c of ['user_id', 'created_at']) t = int(t, c);
  for (const c of ['type', 'payload']) t = text(t, c);
  await t.execute();
  await db.schema.createIndex('push_log_user').on('push_log').columns(['user_id', 'id']).execute();
};
export default step;
