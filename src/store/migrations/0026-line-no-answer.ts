/**
 * Open lines' no-answer scenario (NO_ANSWER_RULE=text): when the line told a waiting customer that no
 * operator has answered yet, so it is told once a session (src/domain/lines/timers.ts).
 */
import type { Step } from '../migration-kit.ts';

const step: Step = async (db) => {
  await db.schema.alterTable('ol_sessions').addColumn('no_answer_at', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
};
export default step;
