/**
 * Users' presence as im.user.status.* and the user object show it (chosen status, idle since, last
 * REST activity), and each user's recent search picks (im.search.last.*).
 */
import { int, text, withId, type Step } from '../migration-kit.ts';

const step: Step = async (db, caps) => {
  await db.schema.alterTable('users').addColumn('status', 'text', (c) => c.notNull().defaultTo('online')).execute();
  for (const column of ['idle_at', 'last_activity_at']) {
    await db.schema.alterTable('users').addColumn(column, 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  }
  let t = withId(db.schema.createTable('search_last'), caps);
  t = text(t, 'dialog_id');
  for (const c of ['user_id', 'created_at']) t = int(t, c);
  await t.addUniqueConstraint('search_last_user_dialog', ['user_id', 'dialog_id']).execute();
};
export default step;
