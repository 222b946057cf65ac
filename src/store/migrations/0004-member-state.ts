/**
 * What a messenger keeps per member of a chat, shared by the chat, dialog, recent and counter
 * methods: where their visible history starts (im.chat.user.add HIDE_HISTORY), mute (im.chat.mute),
 * and their recent-list state (im.recent.pin / hide / unread).
 */
import type { Step } from '../migration-kit.ts';

const step: Step = async (db) => {
  for (const column of ['start_id', 'muted', 'pinned', 'hidden', 'marked_unread']) {
    await db.schema.alterTable('chat_members').addColumn(column, 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  }
};
export default step;
