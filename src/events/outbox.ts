/**
 * The durable outbox: every event is a row written in the same transaction as the change that
 * caused it, so a committed message always gets its events and a rolled-back one never does.
 */
import type { Db } from '../store/db.ts';
import { wakeAfterCommit } from '../store/after-commit.ts';

/** One event to deliver to one handler URL. */
export interface OutboxEvent {
  appId: number;
  event: string;
  handlerUrl: string;
  /** Events sharing a key are delivered in order; use the dialog (or 'app') the event is about. */
  stream: string;
  /** `data` of the event; may hold auth markers (see events/auth-markers.ts). */
  data: unknown;
  /** User whose tokens go into the top-level `auth`; 0 for the reduced block without tokens. */
  authUserId: number;
}

// Bitrix24 has one handler row per (app, event, URL); its id is sent as event_handler_id.
async function handlerId(db: Db, appId: number, event: string, url: string): Promise<number> {
  const found = await db.selectFrom('event_handlers').select('id')
    .where('app_id', '=', appId).where('event', '=', event).where('handler', '=', url).executeTakeFirst();
  if (found) return found.id;
  const row = await db.insertInto('event_handlers')
    .values({ app_id: appId, event, handler: url, auth_type: 0, created_at: Date.now() })
    .returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** Write events to the outbox inside the caller's transaction. */
export async function enqueue(db: Db, events: OutboxEvent[]): Promise<void> {
  const now = Date.now();
  wakeAfterCommit(db);
  for (const e of events) {
    if (!e.handlerUrl) continue;
    const id = await handlerId(db, e.appId, e.event, e.handlerUrl);
    await db.insertInto('outbox').values({
      app_id: e.appId,
      event: e.event,
      handler_id: id,
      handler_url: e.handlerUrl,
      order_key: `${e.handlerUrl}\n${e.stream}`,
      payload: JSON.stringify({ data: e.data, authUserId: e.authUserId }),
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
      claimed_until: 0,
      last_status: 0,
      last_error: '',
      last_response: '',
      last_latency_ms: 0,
      created_at: now,
      delivered_at: 0,
    }).execute();
  }
}

/**
 * Drop events that are finished — delivered, or discarded (given up) — before `before` (ms). Pending
 * and dead rows stay whatever their age: they still hold their stream.
 */
export async function pruneFinished(db: Db, before: number): Promise<number> {
  const res = await db.deleteFrom('outbox').where((eb) => eb.or([
    eb.and([eb('status', '=', 'delivered'), eb('delivered_at', '<', before)]),
    eb.and([eb('status', '=', 'discarded'), eb('created_at', '<', before)]),
  ])).executeTakeFirst();
  return Number(res.numDeletedRows);
}

/** How many events wait (pending) or are held (dead), and when the oldest pending one was written: for the metrics. */
export async function outboxDepth(db: Db): Promise<{ pending: number; dead: number; oldestPendingAt: number | null }> {
  const rows = await db.selectFrom('outbox').select(['status', (eb) => eb.fn.countAll().as('n'), (eb) => eb.fn.min('created_at').as('oldest')])
    .where('status', 'in', ['pending', 'dead']).groupBy('status').execute();
  const of = (status: string) => rows.find((r) => r.status === status);
  const oldest = of('pending')?.oldest;
  return { pending: Number(of('pending')?.n ?? 0), dead: Number(of('dead')?.n ?? 0), oldestPendingAt: oldest == null ? null : Number(oldest) };
}
