/** The REST call log of the developer console: one row per call, newest kept, oldest pruned. */
import { int, text, withId, type Step } from '../migration-kit.ts';

const step: Step = async (db, caps) => {
  let t = withId(db.schema.createTable('rest_calls'), caps);
  for (const c of ['user_id', 'app_id', 'webhook_id', 'status', 'duration_ms', 'created_at']) t = int(t, c);
  for (const c of ['method', 'params', 'error', 'result']) t = text(t, c);
  await t.execute();
  await db.schema.createIndex('rest_calls_app').on('rest_calls').columns(['app_id', 'id']).execute();
};
export default step;
