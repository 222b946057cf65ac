/**
 * The website live chat (connector `livechat`): every line gets a public live-chat code of its own
 * (not its network code: the live-chat code is published on web pages, the network code is not), and
 * the visitors of a line's live chat are kept with the hash of their token.
 */
import crypto from 'node:crypto';
import { int, text, withBigId, type Step } from '../migration-kit.ts';

const step: Step = async (db, caps) => {
  await db.schema.alterTable('ol_lines').addColumn('livechat_code', 'text', (c) => c.notNull().defaultTo('')).execute();
  // Lines made before this step get a code now; new lines get one when they are created (createLine).
  const lines = await db.selectFrom('ol_lines').select('id').execute();
  for (const l of lines) {
    await db.updateTable('ol_lines').set({ livechat_code: crypto.randomBytes(12).toString('hex') }).where('id', '=', l.id).execute();
  }
  await db.schema.createIndex('ol_lines_livechat').on('ol_lines').columns(['livechat_code']).execute();

  let v = withBigId(db.schema.createTable('ol_livechat_visitors'), caps);
  for (const c of ['token_hash', 'name', 'email', 'phone', 'origin']) v = text(v, c);
  for (const c of ['line_id', 'customer_id', 'user_id', 'chat_id', 'created_at']) v = int(v, c);
  await v.execute();
  await db.schema.createIndex('ol_livechat_visitors_token').unique().on('ol_livechat_visitors').columns(['token_hash']).execute();
};
export default step;
