/**
 * Offline events (events/offline-events.md): an app that bound an event with event_type=offline
 * gets no POST for it; the event is queued here, on the portal, and the app takes it with
 * event.offline.get (or reads the queue unchanged with event.offline.list).
 *
 * Every classic event passes through the outbox's enqueue(), which hands its batch here first (one
 * place for every producer). The queue keeps one row per changed object, not its history: a row
 * whose MESSAGE_ID (the hash of the event's name and data) is already waiting is only moved to the
 * newer time. A row reserved by `clear=0` carries the caller's process_id and is hidden from other
 * takers until event.offline.clear removes it or event.offline.error marks it.
 *
 * Not in the v2 bot log's table (bot-v2-log.ts): that log is read in id order and acknowledged by
 * an offset that deletes everything below it, so its ids must follow the commits. This queue is
 * filtered, sorted by any field, reserved and cleared row by row, and merges repeats of one object —
 * neither access pattern fits the other's table, and sharing one would weaken both.
 */
import crypto from 'node:crypto';
import type { Generated } from 'kysely';
import type { Db } from '../store/db.ts';
import { stripMarkers } from './auth-markers.ts';
import { callSource } from './call-source.ts';

/**
 * An event as a producer hands it to the outbox's enqueue() (outbox.ts's OutboxEvent, which has
 * these fields; declared here so the two files do not import each other).
 */
export interface QueuedEvent { appId: number; event: string; handlerUrl: string; stream: string; data: unknown; authUserId: number }

declare module '../store/schema.ts' {
  interface EventHandlersTable {
    /** 1: an offline binding (no handler URL; the event is queued in offline_events). Migration 0027. */
    offline: Generated<number>;
    /** The source key of event.bind's auth_connector; the offline queue is divided by it. */
    auth_connector: Generated<string>;
    /** ONOFFLINEEVENT's options.minTimeout: seconds between two notifications (0: one per action). */
    min_timeout: Generated<number>;
    /** When this ONOFFLINEEVENT handler was last notified (ms). */
    notified_at: Generated<number>;
  }
  interface Database { offline_events: OfflineEventsTable }
}

/** One queued offline event of one app. */
export interface OfflineEventsTable {
  id: Generated<number>;
  app_id: number;
  auth_connector: string;
  event_name: string;
  /** JSON of the event's `data`, tokens left out (the app reads with its own). */
  event_data: string;
  /** JSON of `{user_id}`: whose action caused the event. */
  event_additional: string;
  /** Hash of the event's name and data: the changed object's identity in the queue. */
  message_id: string;
  /** '' while free; the taker's id once reserved by event.offline.get with clear=0. */
  process_id: string;
  reserved_at: number;
  /** 1: marked failed by event.offline.error (answered by event.offline.get only with error=1). */
  error: number;
  /** TIMESTAMP_X: the last change of the object (ms). */
  changed_at: number;
}

/** The online event that tells an app its offline queue got new rows (on-offline-event.md). */
export const ON_OFFLINE_EVENT = 'ONOFFLINEEVENT';

const messageId = (event: string, data: unknown) => crypto.createHash('sha256').update(`${event}\n${JSON.stringify(data)}`).digest('hex').slice(0, 32);

/** ONOFFLINEEVENT handlers already notified by the current action (minTimeout 0: one per action). */
const notifiedIn = new WeakMap<Db, Set<number>>();

/**
 * Queue the events of a batch for the apps that bound them offline, once per app and object however
 * many handler URLs the batch has; answers the ONOFFLINEEVENT notifications to send (online) for
 * the apps whose queue grew, as their minTimeout allows. Runs in the producer's transaction.
 */
export async function recordOffline(db: Db, events: QueuedEvent[], now: number): Promise<QueuedEvent[]> {
  const seen = new Set<string>();
  const grew = new Map<number, number>();
  const bindings = await offlineBindings(db, events);
  if (!bindings.size) return [];
  // The call making this change named its source key: its app's rows under that key are not queued.
  const source = callSource();
  for (const e of events) {
    const bound = bindings.get(`${e.appId}\n${e.event}`);
    if (!bound) continue;
    const data = stripMarkers(e.data);
    const id = messageId(e.event, data);
    for (const connector of bound) {
      if (source && source.appId === e.appId && source.connector === connector) continue;
      if (seen.has(`${e.appId}\n${connector}\n${id}`)) continue;
      seen.add(`${e.appId}\n${connector}\n${id}`);
      const json = JSON.stringify(data);
      const additional = JSON.stringify({ user_id: String(e.authUserId) });
      // The object changed again while its row waits: the row now tells of this change.
      const moved = await db.updateTable('offline_events').set({ changed_at: now, event_data: json, event_additional: additional })
        .where('app_id', '=', e.appId).where('auth_connector', '=', connector).where('message_id', '=', id)
        .where('process_id', '=', '').where('error', '=', 0).executeTakeFirst();
      if (!Number(moved.numUpdatedRows)) {
        await db.insertInto('offline_events').values({
          app_id: e.appId, auth_connector: connector, event_name: e.event, event_data: json, event_additional: additional,
          message_id: id, process_id: '', reserved_at: 0, error: 0, changed_at: now,
        }).execute();
      }
      if (!grew.has(e.appId)) grew.set(e.appId, e.authUserId);
    }
  }
  return notifications(db, grew, now);
}

/**
 * The offline bindings of a batch's (app, event) pairs, keyed `app\nevent`, each with its source keys:
 * one query per batch (one per action), whatever its size.
 */
async function offlineBindings(db: Db, events: QueuedEvent[]): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  const wanted = events.filter((e) => e.event !== ON_OFFLINE_EVENT);
  if (!wanted.length) return out;
  const rows = await db.selectFrom('event_handlers').select(['app_id', 'event', 'auth_connector'])
    .where('app_id', 'in', [...new Set(wanted.map((e) => e.appId))]).where('event', 'in', [...new Set(wanted.map((e) => e.event))])
    .where('offline', '=', 1).execute();
  for (const r of rows) {
    const key = `${r.app_id}\n${r.event}`;
    if (!out.has(key)) out.set(key, new Set());
    out.get(key)!.add(r.auth_connector);
  }
  return out;
}

async function notifications(db: Db, grew: Map<number, number>, now: number): Promise<QueuedEvent[]> {
  const out: QueuedEvent[] = [];
  if (!grew.size) return out;
  let done = notifiedIn.get(db);
  if (!done) notifiedIn.set(db, (done = new Set()));
  const handlers = await db.selectFrom('event_handlers').select(['id', 'app_id', 'handler', 'auth_type', 'min_timeout', 'notified_at'])
    .where('app_id', 'in', [...grew.keys()]).where('event', '=', ON_OFFLINE_EVENT).where('offline', '=', 0).orderBy('id').execute();
  for (const h of handlers) {
    if (done.has(h.id)) continue;
    const wait = Number(h.min_timeout) * 1000;
    if (wait > 0 && now - Number(h.notified_at) < wait) continue;
    done.add(h.id);
    await db.updateTable('event_handlers').set({ notified_at: now }).where('id', '=', h.id).execute();
    // Full tokens (with refresh_token): of the binding's auth_type, else of the user whose action it was.
    out.push({ appId: h.app_id, event: ON_OFFLINE_EVENT, handlerUrl: h.handler, stream: 'offline', authUserId: Number(h.auth_type) || grew.get(h.app_id)!, data: [] });
  }
  return out;
}

/** A field of the queue as the methods name it, and its column. */
export const OFFLINE_FIELDS = { ID: 'id', TIMESTAMP_X: 'changed_at', EVENT_NAME: 'event_name', MESSAGE_ID: 'message_id', PROCESS_ID: 'process_id', ERROR: 'error' } as const;
export type OfflineField = keyof typeof OFFLINE_FIELDS;

/** One condition of a filter: `=` and `!` take a list too (IN / NOT IN). */
export interface OfflineCondition { field: OfflineField; op: '=' | '!' | '>' | '>=' | '<' | '<='; value: string | number | (string | number)[] }
export interface OfflineOrder { field: OfflineField; desc: boolean }

/** Which rows of an app's queue a call reads. */
export interface OfflineQuery { appId: number; connector: string; filter: OfflineCondition[]; order: OfflineOrder[] }

/** A row as event.offline.list answers it (event.offline.get leaves out PROCESS_ID and ERROR). */
export interface OfflineRecord {
  ID: string; TIMESTAMP_X: number; EVENT_NAME: string; EVENT_DATA: unknown; EVENT_ADDITIONAL: unknown; MESSAGE_ID: string; PROCESS_ID: string; ERROR: string;
}

type Sel = ReturnType<typeof base>;
const base = (db: Db, q: OfflineQuery) => db.selectFrom('offline_events').where('app_id', '=', q.appId).where('auth_connector', '=', q.connector);

function applyFilter(sel: Sel, filter: OfflineCondition[]): Sel {
  for (const f of filter) {
    const col = OFFLINE_FIELDS[f.field];
    if (Array.isArray(f.value)) {
      // An empty list matches nothing with `=` and everything with `!`.
      if (!f.value.length) { if (f.op === '=') sel = sel.where('id', '<', 0); continue; }
      sel = sel.where(col, f.op === '!' ? 'not in' : 'in', f.value);
    } else sel = sel.where(col, f.op === '!' ? '!=' : f.op, f.value);
  }
  return sel;
}

function applyOrder(sel: Sel, order: OfflineOrder[]): Sel {
  for (const o of order) sel = sel.orderBy(OFFLINE_FIELDS[o.field], o.desc ? 'desc' : 'asc');
  return sel.orderBy('id', 'asc');
}

const toRecord = (r: { id: number; changed_at: number; event_name: string; event_data: string; event_additional: string; message_id: string; process_id: string; error: number }): OfflineRecord => ({
  ID: String(r.id), TIMESTAMP_X: Number(r.changed_at), EVENT_NAME: r.event_name, EVENT_DATA: JSON.parse(r.event_data), EVENT_ADDITIONAL: JSON.parse(r.event_additional),
  MESSAGE_ID: r.message_id, PROCESS_ID: r.process_id, ERROR: String(r.error),
});

/** event.offline.list: a page of the queue as it is, and how many rows match. */
export async function listOffline(db: Db, q: OfflineQuery, start: number, pageSize: number): Promise<{ rows: OfflineRecord[]; total: number }> {
  const { n } = await applyFilter(base(db, q), q.filter).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  const rows = await applyOrder(applyFilter(base(db, q), q.filter), q.order).selectAll().offset(start).limit(pageSize).execute();
  return { rows: rows.map(toRecord), total: Number(n) };
}

/**
 * event.offline.get: reserve up to `limit` free rows matching (errored ones only with `withErrors`)
 * under `processId` — an UPDATE that re-checks `process_id = ''`, so two parallel takers never get
 * the same row — then answer every row reserved under it that matches, and with `clear` delete them.
 * A `processId` the caller already holds re-reads its reserved rows first.
 */
export async function takeOffline(db: Db, q: OfflineQuery, processId: string, limit: number, withErrors: boolean, clear: boolean, now: number): Promise<OfflineRecord[]> {
  const mine = () => applyFilter(base(db, q), q.filter).where('process_id', '=', processId);
  const { n } = await mine().select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  const wanted = limit - Number(n);
  if (wanted > 0) {
    let free = applyFilter(base(db, q), q.filter).where('process_id', '=', '');
    if (!withErrors) free = free.where('error', '=', 0);
    const ids = (await applyOrder(free, q.order).select('id').limit(wanted).execute()).map((r) => Number(r.id));
    if (ids.length) {
      await db.updateTable('offline_events').set({ process_id: processId, reserved_at: now })
        .where('id', 'in', ids).where('process_id', '=', '').execute();
    }
  }
  const rows = await applyOrder(mine(), q.order).selectAll().limit(limit).execute();
  if (clear && rows.length) await db.deleteFrom('offline_events').where('id', 'in', rows.map((r) => r.id)).execute();
  return rows.map(toRecord);
}

/** event.offline.clear: delete the rows reserved under `processId` (only those of `ids` or `messageIds` when given). */
export async function clearOffline(db: Db, appId: number, processId: string, ids: number[] | undefined, messageIds: string[] | undefined): Promise<number> {
  let q = db.deleteFrom('offline_events').where('app_id', '=', appId).where('process_id', '=', processId);
  if (ids) q = q.where('id', 'in', ids.length ? ids : [-1]);
  else if (messageIds) q = q.where('message_id', 'in', messageIds.length ? messageIds : ['']);
  return Number((await q.executeTakeFirst()).numDeletedRows);
}

/**
 * event.offline.error: the rows of `processId` (only those of `messageIds` when given) are marked
 * failed and given back to the queue, where event.offline.get answers them with error=1 only.
 */
export async function failOffline(db: Db, appId: number, processId: string, messageIds: string[] | undefined): Promise<number> {
  let q = db.updateTable('offline_events').set({ error: 1, process_id: '', reserved_at: 0 }).where('app_id', '=', appId).where('process_id', '=', processId);
  if (messageIds) q = q.where('message_id', 'in', messageIds.length ? messageIds : ['']);
  return Number((await q.executeTakeFirst()).numUpdatedRows);
}

/** Drop an app's queue (the app was removed). */
export async function dropOffline(db: Db, appId: number): Promise<void> {
  await db.deleteFrom('offline_events').where('app_id', '=', appId).execute();
}

/**
 * Retention: a reserved batch is deleted once reserved longer than the keep window (the docs keep
 * one 30 days), and so is a row nobody took for as long, so an app that stopped reading does not
 * grow the queue without end.
 */
export async function pruneOffline(db: Db, before: number): Promise<number> {
  const res = await db.deleteFrom('offline_events').where((eb) => eb.or([
    eb.and([eb('process_id', '!=', ''), eb('reserved_at', '<', before)]),
    eb.and([eb('process_id', '=', ''), eb('changed_at', '<', before)]),
  ])).executeTakeFirst();
  return Number(res.numDeletedRows);
}
