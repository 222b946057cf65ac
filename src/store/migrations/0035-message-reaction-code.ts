/**
 * Reactions of Chatbots 2.0 beyond the like: each row of message_likes now says which reaction the
 * person set (`like`, `fire`, `redHeart`, …; imbot.v2.Chat.Message.Reaction.add lists them). One
 * per person and message, as Bitrix24 keeps them (a new one replaces the old); the classic PARAMS.LIKE
 * still lists everyone with a reaction, as Bitrix24's legacy like does. Existing rows are likes.
 */
import type { Step } from '../migration-kit.ts';

const step: Step = async (db) => {
  await db.schema.alterTable('message_likes').addColumn('reaction', 'text', (c) => c.notNull().defaultTo('like')).execute();
};
export default step;
