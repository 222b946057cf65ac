/**
 * Sign-in throttling and OAuth consent. `signin_throttle` counts failed sign-ins per key (a login or
 * a remote address) in the store, so every portal process sharing a database sees the same counts;
 * `oauth_consents` remembers which user allowed which app, and for which scopes.
 */
import { int, text, type Step } from '../migration-kit.ts';

const step: Step = async (db) => {
  let t = db.schema.createTable('signin_throttle').addColumn('key', 'text', (c) => c.primaryKey());
  for (const c of ['failures', 'last_at', 'locked_until']) t = int(t, c);
  await t.execute();
  await db.schema.createIndex('signin_throttle_last').on('signin_throttle').columns(['last_at']).execute();

  let c = db.schema.createTable('oauth_consents').addColumn('user_id', 'bigint', (col) => col.notNull())
    .addColumn('app_id', 'bigint', (col) => col.notNull());
  c = text(c, 'scope');
  c = int(c, 'created_at');
  await c.addPrimaryKeyConstraint('oauth_consents_pk', ['user_id', 'app_id']).execute();
  await db.schema.createIndex('oauth_consents_app').on('oauth_consents').columns(['app_id']).execute();
};
export default step;
