/**
 * The developer console's live view of the polled logs: when an action queues offline events
 * (offline-queue.ts) or puts events in the v2 log for fetch-mode readers (bot-v2-log.ts), the
 * administrators' open messenger sockets get an ephemeral `eventlog` signal after the commit, and
 * the console reads the log again at once instead of at its next poll. A hint, not the events: they
 * stay in their logs, read by their methods; a missed signal costs a refresh, nothing else.
 */
import type { Db } from '../store/db.ts';
import { pendingOf } from '../store/after-commit.ts';

/** Ask for an `eventlog` signal of `kind` to the active administrators once `db`'s action commits. */
export async function signalLogChanged(db: Db, kind: 'offline' | 'fetch'): Promise<void> {
  const pending = pendingOf(db);
  // Outside an action there is no commit to follow; once per action and kind is enough.
  if (!pending || pending.signals.some(([, push]) => push.type === 'eventlog' && push.kind === kind)) return;
  const admins = await db.selectFrom('users').select('id').where('is_admin', '=', 1).where('active', '=', 1).execute();
  if (admins.length) pending.signals.push([admins.map((a) => Number(a.id)), { type: 'eventlog', kind }]);
}
