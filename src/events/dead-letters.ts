/**
 * Dead letters: events whose handler did not take them within the retry budget. A dead letter keeps
 * its stream (handler + dialog) on hold: later events of that stream stay pending, untried, until it
 * is redelivered (then the stream goes on in id order, the dead ones first) or discarded (given up
 * for good). So a bot never receives an event of a dialog before an earlier one of the same dialog,
 * across outages and redeliveries alike — the guarantee of an ordered queue.
 */
import type { Db } from '../store/db.ts';
import { isRowId } from '../store/row-id.ts';
import { wakeAfterCommit } from '../store/after-commit.ts';
import { TIMED_OUT } from './handler-post.ts';

/** Statuses that hold the rest of their stream: not delivered yet, nor given up. */
export const OPEN = ['pending', 'dead'];

/** Every status an outbox row can have. */
export const STATUSES = ['pending', 'delivered', 'dead', 'discarded'] as const;

function only(ids: number[] | undefined): number[] | undefined {
  if (!ids) return undefined;
  const valid = ids.filter(isRowId);
  return valid.length ? valid : [-1];
}

/**
 * Put dead-lettered events back in the queue (all of them, or the given ids); answers how many. Run
 * it in an action: the dispatcher is woken once that commits.
 */
export async function redeliver(db: Db, ids?: number[]): Promise<number> {
  let q = db.updateTable('outbox')
    .set({ status: 'pending', attempts: 0, next_attempt_at: Date.now(), claimed_until: 0 })
    .where('status', '=', 'dead');
  const chosen = only(ids);
  if (chosen) q = q.where('id', 'in', chosen);
  const res = await q.executeTakeFirst();
  wakeAfterCommit(db);
  return Number(res.numUpdatedRows);
}

/** Which pending events to hurry: by id, or those of one app's handler that it could not reach. */
export type Hurry = { ids: number[] } | { appId: number; handlerUrl: string; unreached: true };

/**
 * Send pending events now instead of at the end of their backoff; answers how many. Never one being
 * sent (leased), nor one waiting out a timed-out attempt's grace: that attempt may still be running
 * on the handler. The one rule behind "retry now" (parley.event.retry) and the dispatcher's release
 * of the events of a handler that answers again. In an action, or waking the dispatcher by itself.
 */
export async function retryNow(db: Db, which: Hurry): Promise<number> {
  const now = Date.now();
  let q = db.updateTable('outbox').set({ next_attempt_at: now })
    .where('status', '=', 'pending').where('claimed_until', '<', now).where('last_error', 'not like', `${TIMED_OUT}%`);
  if ('ids' in which) q = q.where('id', 'in', only(which.ids) ?? [-1]);
  else {
    q = q.where('app_id', '=', which.appId).where('handler_url', '=', which.handlerUrl).where('last_status', '=', 0)
      .where('next_attempt_at', '>', now);
  }
  const res = await q.executeTakeFirst();
  wakeAfterCommit(db);
  return Number(res.numUpdatedRows);
}

/**
 * Send delivered or discarded events again (the given ids): each goes back into its stream as the
 * next to send, with the same delivery id and the next attempt number (X-Parley-Attempt), so a
 * handler that dedupes by id sees a repeat. Answers how many. As redeliver, in an action.
 */
export async function resend(db: Db, ids: number[]): Promise<number> {
  const res = await db.updateTable('outbox').set({ status: 'pending', next_attempt_at: Date.now(), claimed_until: 0, delivered_at: 0 })
    .where('status', 'in', ['delivered', 'discarded']).where('id', 'in', only(ids) ?? [-1])
    .executeTakeFirst();
  wakeAfterCommit(db);
  return Number(res.numUpdatedRows);
}

/** Give dead-lettered events up (all of them, or the given ids), releasing their streams; answers how many. As redeliver, in an action. */
export async function discard(db: Db, ids?: number[]): Promise<number> {
  let q = db.updateTable('outbox').set({ status: 'discarded', claimed_until: 0 }).where('status', '=', 'dead');
  const chosen = only(ids);
  if (chosen) q = q.where('id', 'in', chosen);
  const res = await q.executeTakeFirst();
  wakeAfterCommit(db);
  return Number(res.numUpdatedRows);
}

/**
 * For pending rows, the dead letter each one waits behind (the oldest dead row of its stream with a
 * smaller id), by row id; rows that wait for nothing are absent.
 */
export async function waitingFor(db: Db, rows: { id: number; status: string; order_key: string }[]): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  const keys = [...new Set(rows.filter((r) => r.status === 'pending').map((r) => r.order_key))];
  if (!keys.length) return out;
  const heads = await db.selectFrom('outbox').select(['order_key', (eb) => eb.fn.min('id').as('head')])
    .where('status', '=', 'dead').where('order_key', 'in', keys).groupBy('order_key').execute();
  const headOf = new Map(heads.map((h) => [h.order_key, Number(h.head)]));
  for (const r of rows) {
    const head = headOf.get(r.order_key);
    if (r.status === 'pending' && head !== undefined && head < r.id) out.set(r.id, head);
  }
  return out;
}
