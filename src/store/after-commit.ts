/**
 * What an open action's transaction must do last, just before it commits, and once it has
 * committed, kept by its transaction handle so that the code writing rows (push log, outbox) can ask
 * for it without knowing who opened the transaction. src/domain/action.ts opens actions, runs the
 * steps before the commit inside the transaction and the rest after the commit.
 */
import type { Db } from './db.ts';
import type { DialectCaps } from './dialect.ts';

/** An ephemeral realtime signal: to whom, and what. */
export type Signal = [userIds: number[], push: { type: string; [key: string]: unknown }];

/** Work that runs inside the transaction after the action's own, in the order asked for. */
export type BeforeCommit = (caps: DialectCaps) => Promise<void>;

/** The before- and after-commit work of one action. */
export interface Pending { wake: boolean; signals: Signal[]; beforeCommit: BeforeCommit[] }

const pendingBy = new WeakMap<Db, Pending>();

/** Start collecting the before- and after-commit work for a transaction handle. */
export function openPending(trx: Db): Pending {
  const pending: Pending = { wake: false, signals: [], beforeCommit: [] };
  pendingBy.set(trx, pending);
  return pending;
}

/** The work of the action `db` belongs to, or undefined outside one. */
export function pendingOf(db: Db): Pending | undefined {
  return pendingBy.get(db);
}

/**
 * Ask for `step` to run as the last work of the action `db` belongs to, before its commit (and not
 * at all when it rolls back). Answers false outside an action, where nothing would run it.
 */
export function beforeCommit(db: Db, step: BeforeCommit): boolean {
  const pending = pendingBy.get(db);
  if (!pending) return false;
  pending.beforeCommit.push(step);
  return true;
}

/** Run the before-commit steps of an action in order, steps they ask for included. */
export async function runBeforeCommit(pending: Pending, caps: DialectCaps): Promise<void> {
  for (let i = 0; i < pending.beforeCommit.length; i++) await pending.beforeCommit[i](caps);
}

/**
 * Rows the dispatcher or the realtime hub sends were written through `db`: inside an action they are
 * woken after its commit. Outside one the caller wakes them itself.
 */
export function wakeAfterCommit(db: Db): void {
  const pending = pendingBy.get(db);
  if (pending) pending.wake = true;
}
