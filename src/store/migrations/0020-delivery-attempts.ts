/**
 * Every attempt to deliver an event (src/events/attempts.ts): one row per POST begun, with the
 * request as sent (secrets masked) and how it ended, so the console explains a delivery instead of
 * showing only its last answer. A row whose attempt never finished (its node died) stays unfinished.
 */
import { int, text, withBigId, type Step } from '../migration-kit.ts';

const step: Step = async (db, caps) => {
  let t = withBigId(db.schema.createTable('delivery_attempts'), caps);
  for (const c of ['outbox_id', 'app_id', 'attempt', 'started_at', 'lease_until', 'finished_at', 'status', 'latency_ms']) t = int(t, c);
  for (const c of ['url', 'headers', 'body', 'error', 'response']) t = text(t, c);
  await t.execute();
  await db.schema.createIndex('delivery_attempts_outbox').on('delivery_attempts').columns(['outbox_id', 'id']).execute();
};
export default step;
