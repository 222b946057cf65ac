/**
 * Messenger placements (placement.bind): the handlers apps bound to IM_* places, and the frames the
 * messenger opened for them (APP_SID, kept as its hash for a bounded time so that a frame may ask for
 * fresh tokens, and nobody else may).
 */
import { int, text, withBigId, type Step } from '../migration-kit.ts';

const step: Step = async (db, caps) => {
  let p = withBigId(db.schema.createTable('placements'), caps);
  for (const c of ['app_id', 'user_id', 'created_at']) p = int(p, c);
  // lang_all and options are JSON objects as placement.get answers them.
  for (const c of ['placement', 'handler', 'title', 'description', 'group_name', 'lang_all', 'options']) p = text(p, c);
  await p.execute();
  await db.schema.createIndex('placements_app').on('placements').columns(['app_id', 'placement']).execute();

  let s = db.schema.createTable('placement_frames').addColumn('sid_hash', 'text', (c) => c.primaryKey());
  for (const c of ['placement_id', 'app_id', 'user_id', 'expires_at', 'created_at']) s = int(s, c);
  await s.execute();
  await db.schema.createIndex('placement_frames_expiry').on('placement_frames').columns(['expires_at']).execute();
};
export default step;
