/**
 * A domain action as a unit of work: one transaction; what must be its last statements (the outbox
 * rows, src/events/outbox.ts); and what must follow its commit — waking the event dispatcher and the
 * realtime hub, ephemeral realtime signals — run only once the transaction has committed, and never
 * when it rolls back. Domain code asks for that work with `afterCommit(db)`
 * on the handle it writes through; outside an action the handle's writes are already committed (or
 * belong to a caller's own transaction, as before), so the work runs at once.
 */
import type { Portal } from '../portal.ts';
import type { Db } from '../store/db.ts';
/** The handle an action's work runs on (its transaction), for callers above the domain. */
export type { Db };
import { openPending, pendingOf, runBeforeCommit, type Pending, type Signal } from '../store/after-commit.ts';

type Push = Signal[1];

/** What an action does once it has committed. */
export interface AfterCommit {
  /** Tell the dispatcher and the realtime hub that outbox or push rows are there to send. */
  wake(): void;
  /** Send an ephemeral signal (typing) to users' open clients. */
  signal(userIds: Iterable<number>, push: Push): void;
}

/**
 * Run `work` as one action: its before-commit steps run after it in the same transaction, its
 * after-commit work once the transaction has committed. Rows written to the push log or the outbox
 * inside it wake the hub and the dispatcher by themselves.
 */
export async function runAction<T>(portal: Portal, work: (trx: Db) => Promise<T>): Promise<T> {
  let pending: Pending | undefined;
  const result = await portal.db.transaction().execute(async (trx) => {
    const opened = (pending = openPending(trx));
    const value = await work(trx);
    await runBeforeCommit(opened, portal.store.caps);
    return value;
  });
  if (pending?.wake) portal.wake();
  for (const [userIds, push] of pending?.signals ?? []) portal.signal(userIds, push);
  return result;
}

/** The after-commit work for writes made through `db`: queued in an action, done at once otherwise. */
export function afterCommit(portal: Portal, db: Db): AfterCommit {
  const pending = pendingOf(db);
  return {
    wake() {
      if (pending) pending.wake = true;
      else portal.wake();
    },
    signal(userIds, push) {
      if (pending) pending.signals.push([[...userIds], push]);
      else portal.signal(userIds, push);
    },
  };
}
