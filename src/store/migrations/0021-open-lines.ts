/**
 * Open lines (docs/OPEN-LINES.md): lines (with their network code and bot) and their queues, connectors and the lines they serve,
 * customers, sessions, the connector's ids of line messages, quick answers; and the users'
 * `external_auth_id`, which tells a customer (`imconnector`) from a person of the portal ('').
 */
import type { CreateTableBuilder } from 'kysely';
import { int, text, withBigId, type Step } from '../migration-kit.ts';

type Table = CreateTableBuilder<any, any>;

const step: Step = async (db, caps) => {
  await db.schema.alterTable('users').addColumn('external_auth_id', 'text', (c) => c.notNull().defaultTo('')).execute();

  let t = withBigId(db.schema.createTable('ol_lines'), caps);
  for (const c of ['name', 'settings', 'network_code']) t = text(t, c);
  for (const c of ['active', 'created_at', 'modified_at', 'modify_user_id', 'network_bot_id']) t = int(t, c);
  await t.execute();
  await db.schema.createIndex('ol_lines_network').on('ol_lines').columns(['network_code']).execute();

  // Network lines: when a line last wrote to a user unasked (imopenlines.network.message.add, once a week).
  let nw: Table = db.schema.createTable('ol_network_sent');
  for (const c of ['line_id', 'user_id', 'sent_at']) nw = int(nw, c);
  await nw.addPrimaryKeyConstraint('ol_network_sent_pk', ['line_id', 'user_id']).execute();

  let q: Table = db.schema.createTable('ol_queue');
  q = text(q, 'entity_type');
  for (const c of ['line_id', 'entity_id', 'position']) q = int(q, c);
  await q.addPrimaryKeyConstraint('ol_queue_pk', ['line_id', 'entity_type', 'entity_id']).execute();

  let k: Table = db.schema.createTable('ol_connectors').addColumn('id', 'text', (c) => c.primaryKey());
  for (const c of ['name', 'icon', 'icon_disabled', 'placement_handler', 'options']) k = text(k, c);
  for (const c of ['app_id', 'created_at']) k = int(k, c);
  await k.execute();

  let kl: Table = db.schema.createTable('ol_connector_lines');
  for (const c of ['connector', 'data']) kl = text(kl, c);
  for (const c of ['line_id', 'active', 'configured', 'error', 'created_at']) kl = int(kl, c);
  await kl.addPrimaryKeyConstraint('ol_connector_lines_pk', ['connector', 'line_id']).execute();

  let cu = withBigId(db.schema.createTable('ol_customers'), caps);
  for (const c of ['connector', 'ext_chat_id', 'ext_user_id', 'group_key', 'ext_chat_name', 'ext_chat_url']) cu = text(cu, c);
  for (const c of ['line_id', 'user_id', 'chat_id', 'created_at']) cu = int(cu, c);
  await cu.execute();
  await db.schema.createIndex('ol_customers_key').unique().on('ol_customers').columns(['connector', 'line_id', 'group_key']).execute();
  await db.schema.createIndex('ol_customers_chat').on('ol_customers').columns(['chat_id']).execute();

  let s = withBigId(db.schema.createTable('ol_sessions'), caps);
  for (const c of ['stage', 'offered', 'skipped', 'vote', 'comment_head']) s = text(s, c);
  for (const c of ['line_id', 'chat_id', 'customer_id', 'status', 'operator_id', 'bot_id', 'parent_id', 'pinned', 'spam', 'vote_head',
    'offered_at', 'bot_until', 'created_at', 'answered_at', 'closed_at', 'last_message_at']) s = int(s, c);
  await s.execute();
  await db.schema.createIndex('ol_sessions_chat').on('ol_sessions').columns(['chat_id', 'id']).execute();
  await db.schema.createIndex('ol_sessions_stage').on('ol_sessions').columns(['stage', 'line_id']).execute();
  await db.schema.createIndex('ol_sessions_operator').on('ol_sessions').columns(['operator_id', 'stage']).execute();

  let m: Table = db.schema.createTable('ol_message_links').addColumn('message_id', 'bigint', (c) => c.primaryKey());
  for (const c of ['connector', 'ext_ids']) m = text(m, c);
  for (const c of ['chat_id', 'incoming', 'delivered', 'created_at']) m = int(m, c);
  await m.execute();

  let a = withBigId(db.schema.createTable('ol_quick_answers'), caps);
  a = text(a, 'text');
  for (const c of ['line_id', 'message_id', 'created_by', 'created_at']) a = int(a, c);
  await a.execute();
};
export default step;
