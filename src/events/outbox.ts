/**
 * The durable outbox: every event is a row written in the same transaction as the change that
 * caused it, so a committed message always gets its events and a rolled-back one never does.
 *
 * The dispatcher sends a stream's events in id order and only its oldest open one at a time, so
 * the ids of one stream must follow the commits: a row must never become visible after a later-id
 * row of its stream was already sent. PostgreSQL hands out an id at the insert and transactions
 * commit in any order, so the rows are inserted as the action's last statements (a before-commit
 * step, store/after-commit.ts), after taking a lock per stream held until the commit
 * (store/xact-locks.ts): a second writer of a stream gets its id only once the first has committed.
 * Taken last, all at once and in a fixed order, the locks cannot deadlock: their holder only inserts
 * outbox rows (no unique keys, no foreign keys) and commits, waiting for nothing another holds.
 */
import type { Insertable } from 'kysely';
import { pruneOrphanAttempts } from './attempts.ts';
import type { Db } from '../store/db.ts';
import type { OutboxTable } from '../store/schema.ts';
import { beforeCommit, pendingOf, wakeAfterCommit } from '../store/after-commit.ts';
import { LOCK_SPACE, lockUntilCommit } from '../store/xact-locks.ts';
import type { DialectCaps } from '../store/dialect.ts';
import { recordOffline } from './offline-queue.ts';

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

/** The rows an action has enqueued, inserted just before it commits. */
const queued = new WeakMap<Db, Insertable<OutboxTable>[]>();

/**
 * A test event's action (the console's "send a test event", domain/test-events.ts): every event it
 * queues is stored with `test: true` beside its data, which the dispatcher sends as the
 * `X-Parley-Test: 1` header (events/delivery-headers.ts) and the event log shows; the body is
 * exactly a real event's. `queued` are the events as queued (a preview shows them), `ids` the
 * deliveries written once the action commits.
 */
export interface TestRun { queued: OutboxEvent[]; ids: number[] }
const testRuns = new WeakMap<Db, TestRun>();

/** Mark the events queued in the action `db` belongs to as test events; answers what they become. */
export function markTest(db: Db): TestRun {
  const run: TestRun = { queued: [], ids: [] };
  testRuns.set(db, run);
  return run;
}

/** Whether a stored payload (the outbox row's `payload`, parsed) is a test event's. */
export function isTestPayload(stored: unknown): boolean {
  return !!stored && typeof stored === 'object' && (stored as { test?: unknown }).test === true;
}

/**
 * Queue events in the caller's action (runAction, src/domain/action.ts): their rows are written in
 * its transaction, as its last statements. Outside an action this throws: nothing would write them.
 */
export async function enqueue(db: Db, events: OutboxEvent[]): Promise<void> {
  if (!pendingOf(db)) throw new Error('enqueue() runs inside an action (runAction): the outbox rows are written just before its commit');
  const now = Date.now();
  wakeAfterCommit(db);
  let rows = queued.get(db);
  if (!rows) {
    queued.set(db, (rows = []));
    beforeCommit(db, (caps) => writeQueued(db, caps));
  }
  const test = testRuns.get(db);
  // Apps that bound an event offline get it queued instead (offline-queue.ts; a binding without a
  // URL), and their online ONOFFLINEEVENT handlers a notification. Test events are never queued there.
  const notices = test ? [] : await recordOffline(db, events, now);
  for (const e of [...events, ...notices]) {
    if (!e.handlerUrl) continue;
    test?.queued.push(e);
    const id = await handlerId(db, e.appId, e.event, e.handlerUrl);
    rows.push({
      app_id: e.appId,
      event: e.event,
      handler_id: id,
      handler_url: e.handlerUrl,
      order_key: `${e.handlerUrl}\n${e.stream}`,
      payload: JSON.stringify({ data: e.data, authUserId: e.authUserId, ...(test ? { test: true } : {}) }),
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
    });
  }
}

// The action's rows, in the order they were enqueued, once every writer of their streams before it has committed.
async function writeQueued(db: Db, caps: DialectCaps): Promise<void> {
  const rows = queued.get(db) ?? [];
  queued.delete(db);
  if (!rows.length) return;
  await lockUntilCommit(db, caps, LOCK_SPACE.outboxStreams, rows.map((r) => r.order_key));
  const test = testRuns.get(db);
  for (const row of rows) {
    const { id } = await db.insertInto('outbox').values(row).returning('id').executeTakeFirstOrThrow();
    test?.ids.push(Number(id));
  }
}

/**
 * Drop events that are finished — delivered, or discarded (given up) — before `before` (ms), and
 * their attempts (with any other event's left behind). Pending and dead rows stay whatever their
 * age: they still hold their stream.
 */
export async function pruneFinished(db: Db, before: number): Promise<number> {
  const res = await db.deleteFrom('outbox').where((eb) => eb.or([
    eb.and([eb('status', '=', 'delivered'), eb('delivered_at', '<', before)]),
    eb.and([eb('status', '=', 'discarded'), eb('created_at', '<', before)]),
  ])).executeTakeFirst();
  await pruneOrphanAttempts(db);
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
