/**
 * One-time file links (imbot.v2 / im.v2 File.download's downloadUrl): the nonce of every such link
 * that was used, kept until the link would have expired anyway (retention deletes it then), so a
 * second use is refused on whichever node it reaches.
 */
import type { Step } from '../migration-kit.ts';

const step: Step = async (db) => {
  await db.schema.createTable('file_link_uses').addColumn('nonce', 'text', (c) => c.primaryKey())
    .addColumn('expires_at', 'bigint', (c) => c.notNull()).execute();
  await db.schema.createIndex('file_link_uses_expiry').on('file_link_uses').columns(['expires_at']).execute();
};
export default step;
