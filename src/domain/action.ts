/**
 * A domain action as a unit of work: one transaction, and what must follow its commit — waking the
 * event dispatcher and the realtime hub, ephemeral realtime signals — run only once the transaction
 * has committed, and never when it rolls back. Domain code asks for that work with `afterCommit(db)`
 * on the handle it writes through; outside an action the handle's writes are already committed (or
 * belong to a caller's own transaction, as before), so the work runs at once.
 */
import type { Portal } from '../portal.ts';
import type { Db } from '../store/db.ts';

type Push = Parameters<Portal['signal']>[1];

/** What an action does once it has committed. */
export interface AfterCommit {
  /** Tell the dispatcher and the realtime hub that outbox or push rows are there to send. */
  wake(): void;
  /** Send an ephemeral signal (typing) to users' open clients. */
  signal(userIds: Iterable<number>, push: Push): void;
}

interface Queued { wake: boolean; signals: [number[], Push][] }

/** The after-commit work of each open action, by its transaction handle. */
const queuedBy = new WeakMap<Db, Queued>();

/** Run `work` as one action; its after-commit work runs once the transaction has committed. */
export async function runAction<T>(portal: Portal, work: (trx: Db) => Promise<T>): Promise<T> {
  const queued: Queued = { wake: false, signals: [] };
  const result = await portal.db.transaction().execute((trx) => {
    queuedBy.set(trx, queued);
    return work(trx);
  });
  if (queued.wake) portal.wake();
  for (const [userIds, push] of queued.signals) portal.signal(userIds, push);
  return result;
}

/** The after-commit work for writes made through `db`: queued in an action, done at once otherwise. */
export function afterCommit(portal: Portal, db: Db): AfterCommit {
  const queued = queuedBy.get(db);
  return {
    wake() {
      if (queued) queued.wake = true;
      else portal.wake();
    },
    signal(userIds, push) {
      if (queued) queued.signals.push([[...userIds], push]);
      else portal.signal(userIds, push);
    },
  };
}
