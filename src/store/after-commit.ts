/**
 * What an open action's transaction must do once it commits, kept by its transaction handle so that
 * the code writing rows (push log, outbox) can ask for it without knowing who opened the
 * transaction. src/domain/action.ts opens actions and runs this after the commit.
 */
import type { Db } from './db.ts';

/** An ephemeral realtime signal: to whom, and what. */
export type Signal = [userIds: number[], push: { type: string; [key: string]: unknown }];

/** The after-commit work of one action. */
export interface Pending { wake: boolean; signals: Signal[] }

const pendingBy = new WeakMap<Db, Pending>();

/** Start collecting after-commit work for a transaction handle. */
export function openPending(trx: Db): Pending {
  const pending: Pending = { wake: false, signals: [] };
  pendingBy.set(trx, pending);
  return pending;
}

/** The after-commit work of the action `db` belongs to, or undefined outside one. */
export function pendingOf(db: Db): Pending | undefined {
  return pendingBy.get(db);
}

/**
 * Rows the dispatcher or the realtime hub sends were written through `db`: inside an action they are
 * woken after its commit. Outside one the caller wakes them itself.
 */
export function wakeAfterCommit(db: Db): void {
  const pending = pendingBy.get(db);
  if (pending) pending.wake = true;
}
