/**
 * The event log behind the developer console: outbox rows (every event delivery, with its payload,
 * response, latency and attempts), newest first, filtered by app, event, status or the bot an event
 * is about; one delivery with every attempt (events/attempts.ts), and when its app was handling it
 * (for the REST calls it made meanwhile). Re-delivering and discarding dead letters is
 * events/dead-letters.ts.
 */
import type { Selectable } from 'kysely';
import type { Db } from '../store/db.ts';
import type { OutboxTable } from '../store/schema.ts';
import { isRowId } from '../store/row-id.ts';
import { attemptState, attemptsOf } from '../events/attempts.ts';

/** One delivery as stored. */
export type Delivery = Selectable<OutboxTable>;

/** What the console filters deliveries by; every given part must match. */
export interface EventFilter { appId?: number; event?: string; status?: string; botId?: number }

/** Rows scanned when filtering by bot (the bot is inside the payload, not a column). */
const BOT_SCAN = 2000;

/** A JSON text parsed, or the text itself when it is not JSON (a cut or foreign value). */
export function parseStored(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

/** Whether an event's data is about a bot: data[BOT][id], or a BOT_ID equal to it at any depth. */
function aboutBot(data: unknown, botId: number): boolean {
  if (!data || typeof data !== 'object') return false;
  const o = data as Record<string, unknown>;
  if (o.BOT && typeof o.BOT === 'object' && String(botId) in (o.BOT as object)) return true;
  if (Number(o.BOT_ID) === botId) return true;
  return Object.values(o).some((v) => aboutBot(v, botId));
}

/**
 * One page of deliveries matching `filter`, newest first, and how many match. By bot only the newest
 * BOT_SCAN rows are looked through, as the bot is found in each payload.
 */
export async function listDeliveries(db: Db, filter: EventFilter, offset: number, limit: number): Promise<{ rows: Delivery[]; total: number }> {
  let q = db.selectFrom('outbox');
  if (filter.appId !== undefined) q = q.where('app_id', '=', filter.appId);
  if (filter.event) q = q.where('event', '=', filter.event);
  if (filter.status) q = q.where('status', '=', filter.status);
  if (filter.botId !== undefined) {
    const botId = filter.botId;
    const scanned = await q.selectAll().orderBy('id', 'desc').limit(BOT_SCAN).execute();
    const matching = scanned.filter((r) => aboutBot((parseStored(r.payload) as { data?: unknown }).data, botId));
    return { rows: matching.slice(offset, offset + limit), total: matching.length };
  }
  const total = Number((await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst())?.n ?? 0);
  const rows = await q.selectAll().orderBy('id', 'desc').offset(offset).limit(limit).execute();
  return { rows, total };
}

/**
 * How the app's handler answered its newest attempted event: `ok` (2xx), `failing` (an HTTP error),
 * `unreachable` (no answer: refused, reset, timed out) or `unknown` (nothing sent yet).
 */
export async function handlerState(db: Db, appId: number): Promise<'ok' | 'failing' | 'unreachable' | 'unknown'> {
  const last = await db.selectFrom('outbox').select('last_status').where('app_id', '=', appId)
    .where('attempts', '>', 0).where('claimed_until', '=', 0).orderBy('id', 'desc').limit(1).executeTakeFirst();
  if (!last) return 'unknown';
  if (last.last_status >= 200 && last.last_status < 300) return 'ok';
  return last.last_status ? 'failing' : 'unreachable';
}

/** One delivery by id, or undefined. */
export async function findDelivery(db: Db, id: number): Promise<Delivery | undefined> {
  if (!isRowId(id)) return undefined;
  return db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * How long after an attempt finished the app's REST calls still count as made while handling it. A
 * handler may answer first and call afterwards (PHP's fastcgi_finish_request, a Node handler that
 * replies before its work, a queue worker): its calls come just after the attempt ended. 5 s covers
 * such a handler's usual work while seldom reaching the calls of the app's next event.
 */
export const CALLS_TAIL_MS = 5000;

/** A span of time (ms) in which an app's calls belong to an event's handling. */
export interface CallWindow { from: number; to: number }

/**
 * When the event's app was handling it: from the start of each attempt until it finished (an
 * attempt still running: until now; interrupted: until its lease ran out) plus CALLS_TAIL_MS.
 * Undefined for an unknown event.
 */
export async function handlingWindows(db: Db, eventId: number, now = Date.now()): Promise<{ appId: number; windows: CallWindow[] } | undefined> {
  const row = await findDelivery(db, eventId);
  if (!row) return undefined;
  const attempts = (await attemptsOf(db, [row.id])).get(Number(row.id)) ?? [];
  return {
    appId: row.app_id,
    windows: attempts.map((a) => {
      const state = attemptState(a, now);
      const end = state === 'finished' ? a.finished_at : state === 'running' ? now : a.lease_until;
      return { from: a.started_at, to: end + CALLS_TAIL_MS };
    }),
  };
}
