/**
 * Where each bot command was called: one row per (command, message) that sent ONIMCOMMANDADD, so
 * imbot.command.answer can only answer in the message (and so the dialog) its command came from.
 */
import type { CreateTableBuilder } from 'kysely';
import { int, type Step } from '../migration-kit.ts';

const step: Step = async (db) => {
  let t: CreateTableBuilder<any, any> = db.schema.createTable('command_calls');
  for (const c of ['command_id', 'message_id', 'chat_id', 'created_at']) t = int(t, c);
  await t.addPrimaryKeyConstraint('command_calls_pk', ['command_id', 'message_id']).execute();
};
export default step;
