/**
 * Notifications (im.notify.*): what a user finds in the notification centre rather than in a
 * dialog — personal or system, optionally with buttons or a quick-answer field, tagged per app.
 */
import { int, text, withId, type Step } from '../migration-kit.ts';

const step: Step = async (db, caps) => {
  let t = withId(db.schema.createTable('notifications'), caps);
  for (const c of ['kind', 'text', 'message_out', 'attach', 'tag_scope', 'tag', 'sub_tag', 'buttons', 'answer']) t = text(t, c);
  for (const c of ['user_id', 'author_id', 'app_id', 'answerable', 'is_read', 'created_at']) t = int(t, c);
  await t.execute();
  await db.schema.createIndex('notifications_user').on('notifications').columns(['user_id', 'id']).execute();
  await db.schema.createIndex('notifications_tag').on('notifications').columns(['tag_scope', 'tag']).execute();
  await db.schema.createIndex('notifications_sub_tag').on('notifications').columns(['tag_scope', 'sub_tag']).execute();
};
export default step;
