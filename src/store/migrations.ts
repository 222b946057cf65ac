/**
 * The schema, as ordered migrations that run on every start. Each migration is written once with
 * Kysely's schema builder so both dialects get the same tables.
 */
import fs from 'node:fs';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { DialectCaps } from './dialect.ts';
import { int, text, withId, type Step } from './migration-kit.ts';

const steps: Step[] = [
  async (db, caps) => {
    await db.schema.createTable('settings').addColumn('key', 'text', (c) => c.primaryKey()).addColumn('value', 'text', (c) => c.notNull()).execute();

    let t = withId(db.schema.createTable('departments'), caps).addColumn('name', 'text', (c) => c.notNull())
      .addColumn('parent_id', 'bigint').addColumn('head_user_id', 'bigint');
    await t.execute();

    t = withId(db.schema.createTable('users'), caps).addColumn('login', 'text', (c) => c.unique()).addColumn('password_hash', 'text');
    for (const c of ['name', 'last_name', 'email', 'work_position', 'gender', 'color', 'avatar', 'personal_www', 'birthday']) t = text(t, c);
    t = t.addColumn('departments', 'text', (c) => c.notNull().defaultTo('[]'));
    for (const c of ['is_admin', 'is_bot', 'created_at']) t = int(t, c);
    t = t.addColumn('active', 'bigint', (c) => c.notNull().defaultTo(1));
    await t.execute();

    t = withId(db.schema.createTable('apps'), caps).addColumn('client_id', 'text', (c) => c.notNull().unique());
    for (const c of ['code', 'name', 'client_secret', 'application_token', 'handler_url', 'scope']) t = text(t, c);
    for (const c of ['version', 'installed', 'install_user_id', 'created_at']) t = int(t, c);
    await t.execute();

    await db.schema.createTable('tokens').addColumn('access_token', 'text', (c) => c.primaryKey())
      .addColumn('refresh_token', 'text', (c) => c.notNull().unique())
      .addColumn('app_id', 'bigint', (c) => c.notNull()).addColumn('user_id', 'bigint', (c) => c.notNull())
      .addColumn('scope', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('expires_at', 'bigint', (c) => c.notNull()).addColumn('refresh_expires_at', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull()).execute();
    await db.schema.createIndex('tokens_app_user').on('tokens').columns(['app_id', 'user_id', 'expires_at']).execute();

    await db.schema.createTable('oauth_codes').addColumn('code', 'text', (c) => c.primaryKey())
      .addColumn('app_id', 'bigint', (c) => c.notNull()).addColumn('user_id', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull()).execute();

    t = withId(db.schema.createTable('webhooks'), caps).addColumn('code', 'text', (c) => c.notNull().unique());
    for (const c of ['scope', 'title']) t = text(t, c);
    for (const c of ['user_id', 'created_at']) t = int(t, c);
    await t.execute();

    await db.schema.createTable('sessions').addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'bigint', (c) => c.notNull()).addColumn('expires_at', 'bigint', (c) => c.notNull()).execute();

    t = withId(db.schema.createTable('event_handlers'), caps);
    for (const c of ['event', 'handler']) t = text(t, c);
    for (const c of ['app_id', 'auth_type', 'created_at']) t = int(t, c);
    await t.execute();

    t = db.schema.createTable('bots').addColumn('id', 'bigint', (c) => c.primaryKey());
    for (const c of ['code', 'type', 'client_id', 'h_message_add', 'h_message_update', 'h_message_delete', 'h_welcome', 'h_bot_delete']) t = text(t, c);
    for (const c of ['app_id', 'openline', 'created_at']) t = int(t, c);
    await t.execute();

    t = withId(db.schema.createTable('chats'), caps).addColumn('private_key', 'text', (c) => c.unique());
    for (const c of ['type', 'title', 'description', 'color', 'avatar', 'entity_type', 'entity_id', 'entity_data_1', 'entity_data_2', 'entity_data_3']) t = text(t, c);
    for (const c of ['owner_id', 'last_message_id', 'created_at']) t = int(t, c);
    await t.execute();

    t = db.schema.createTable('chat_members').addColumn('chat_id', 'bigint', (c) => c.notNull()).addColumn('user_id', 'bigint', (c) => c.notNull());
    for (const c of ['last_read_id', 'joined_at']) t = int(t, c);
    await t.addPrimaryKeyConstraint('chat_members_pk', ['chat_id', 'user_id']).execute();
    await db.schema.createIndex('chat_members_user').on('chat_members').columns(['user_id']).execute();

    t = withId(db.schema.createTable('messages'), caps);
    for (const c of ['text']) t = text(t, c);
    t = t.addColumn('params', 'text', (c) => c.notNull().defaultTo('{}'));
    for (const c of ['chat_id', 'author_id', 'system', 'deleted', 'created_at', 'updated_at']) t = int(t, c);
    await t.execute();
    await db.schema.createIndex('messages_chat').on('messages').columns(['chat_id', 'id']).execute();

    t = withId(db.schema.createTable('outbox'), caps);
    for (const c of ['event', 'handler_url', 'order_key', 'status', 'last_error', 'last_response']) t = text(t, c);
    t = t.addColumn('payload', 'text', (c) => c.notNull());
    for (const c of ['app_id', 'handler_id', 'attempts', 'next_attempt_at', 'claimed_until', 'last_status', 'last_latency_ms', 'created_at', 'delivered_at']) t = int(t, c);
    await t.execute();
    await db.schema.createIndex('outbox_pending').on('outbox').columns(['status', 'order_key', 'id']).execute();
  },
  // 2: bot commands and the minimal tasks store (task.item.*).
  async (db, caps) => {
    let t = withId(db.schema.createTable('commands'), caps);
    for (const c of ['command', 'client_id', 'handler_url']) t = text(t, c);
    t = t.addColumn('lang', 'text', (c) => c.notNull().defaultTo('[]'));
    for (const c of ['bot_id', 'app_id', 'common', 'hidden', 'extranet_support', 'created_at']) t = int(t, c);
    await t.execute();
    await db.schema.createIndex('commands_bot').on('commands').columns(['bot_id']).execute();

    t = withId(db.schema.createTable('tasks'), caps);
    for (const c of ['title', 'description', 'status', 'priority']) t = text(t, c);
    for (const c of ['responsible_id', 'created_by', 'deadline', 'created_at', 'changed_at', 'closed_at']) t = int(t, c);
    await t.execute();
    await db.schema.createIndex('tasks_responsible').on('tasks').columns(['responsible_id']).execute();
  },
  // 3: chat administrators (imbot.chat.setManager); chats are looked up by their bound entity (imbot.chat.get).
  async (db) => {
    await db.schema.alterTable('chat_members').addColumn('manager', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.createIndex('chats_entity').on('chats').columns(['entity_type', 'entity_id']).execute();
  },
];

/**
 * Steps after the first three live one per file in src/store/migrations/, named `NNNN-what.ts`
 * (NNNN is the version) with the step as default export, so features add tables without touching
 * a shared list.
 */
async function fileSteps(): Promise<Map<number, Step>> {
  const dir = path.join(import.meta.dirname, 'migrations');
  const found = new Map<number, Step>();
  for (const name of fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []) {
    const m = /^(\d{4})-[\w-]+\.[jt]s$/.exec(name);
    if (!m) continue;
    const version = Number(m[1]);
    if (version <= steps.length || found.has(version)) throw new Error(`migration ${name}: version ${version} is taken`);
    found.set(version, ((await import(path.join(dir, name))) as { default: Step }).default);
  }
  return found;
}

/**
 * Bring the schema up to date; safe to run from several processes at once. `upTo` stops after that
 * version (tests build a store as an older release left it). Answers the versions this call applied.
 */
export async function migrate(db: Kysely<any>, caps: DialectCaps, upTo = Infinity): Promise<number[]> {
  const applied: number[] = [];
  // Under the same lock as the steps: two PostgreSQL starters racing on CREATE TABLE IF NOT EXISTS
  // both try to create the table's row type, and one fails (pg_type_typname_nsp_index).
  await db.transaction().execute(async (trx) => {
    if (caps.name === 'postgres') await sql`SELECT pg_advisory_xact_lock(424242)`.execute(trx);
    await sql`CREATE TABLE IF NOT EXISTS parley_migrations (version integer PRIMARY KEY)`.execute(trx);
  });
  const all = new Map<number, Step>(steps.map((s, i) => [i + 1, s]));
  for (const [v, s] of await fileSteps()) all.set(v, s);
  for (const v of [...all.keys()].sort((a, b) => a - b).filter((n) => n <= upTo)) {
    await db.transaction().execute(async (trx) => {
      // PostgreSQL: serialise concurrent starters on an advisory lock held until commit.
      if (caps.name === 'postgres') await sql`SELECT pg_advisory_xact_lock(424242)`.execute(trx);
      const done = await trx.selectFrom('parley_migrations').select('version').where('version', '=', v).executeTakeFirst();
      if (done) return;
      await all.get(v)!(trx, caps);
      await trx.insertInto('parley_migrations').values({ version: v }).execute();
      applied.push(v);
    });
  }
  return applied;
}
