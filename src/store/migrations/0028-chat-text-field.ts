/**
 * A chat's text field (imbot.v2.Chat.TextField.enabled): 0 when a bot has turned the messenger's
 * composer off for that dialog, for everyone in it; 1, writing as usual, for every chat so far.
 */
import type { Step } from '../migration-kit.ts';

const step: Step = async (db) => {
  await db.schema.alterTable('chats').addColumn('text_field_enabled', 'bigint', (c) => c.notNull().defaultTo(1)).execute();
};
export default step;
