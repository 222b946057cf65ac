/**
 * The REST call log behind the developer console: method, caller, parameters, result or error and
 * duration of every call, so a bot developer sees what their bot actually sent and got back.
 * Written after the answer is sent and never awaited by it (batched per event-loop turn); bounded in size (long values are cut,
 * old rows pruned), so it cannot slow or grow the portal without limit.
 */
import type { Generated } from 'kysely';
import type { Db } from '../store/db.ts';
import type { Logger } from '../log.ts';
import { logJson } from '../auth/log-json.ts';

declare module '../store/schema.ts' {
  interface Database { rest_calls: RestCallsTable }
}

/** A row of rest_calls. */
export interface RestCallsTable {
  id: Generated<number>;
  method: string;
  user_id: number;
  app_id: number;
  webhook_id: number;
  /** JSON of the parameters the method saw (transport keys such as `auth` are never in them). */
  params: string;
  /** HTTP status of the answer. */
  status: number;
  /** Error code, '' on success. */
  error: string;
  /** JSON of `result` (or of the error body), cut to RESULT_MAX characters (and marked when cut). */
  result: string;
  duration_ms: number;
  created_at: number;
}

/** One call as recorded. */
export interface CallRecord {
  method: string;
  userId: number;
  appId: number;
  webhookId: number;
  params: unknown;
  status: number;
  error: string;
  result: unknown;
  durationMs: number;
  /** The caller's own secrets (access token or webhook code, its app's secrets): hidden wherever they appear. */
  secrets?: (string | undefined)[];
}

const PARAMS_MAX = 8_000;
const RESULT_MAX = 8_000;
/** Rows kept; pruning runs every PRUNE_EVERY inserts of a process. */
export const CALLS_KEPT = 10_000;
const PRUNE_EVERY = 500;
let sincePrune = 0;

// Calls answered in one turn of the event loop are written together, in one statement: a write per
// call was the largest cost of a trivial REST call under load (issue 10's profile).
const MAX_ROWS_PER_INSERT = 200;
interface Pending { calls: { call: CallRecord; at: number }[]; written?: Promise<void>; log?: Logger }
const pending = new WeakMap<Db, Pending>();

/** Queue one call for the log; it is written at the end of this turn of the event loop. */
export function recordCall(db: Db, call: CallRecord, log: Logger): void {
  let queue = pending.get(db);
  if (!queue) pending.set(db, (queue = { calls: [] }));
  queue.log = log;
  queue.calls.push({ call, at: Date.now() });
  if (queue.calls.length === 1) queue.written = new Promise((resolve) => setImmediate(() => void writeQueued(db).finally(resolve)));
}

/** Wait until the calls queued so far are written (a closing portal, a test reading the log). */
export async function flushCallLog(db: Db): Promise<void> {
  await pending.get(db)?.written;
}

/** Write what is queued; failures are logged, never thrown (the callers already have their answers). */
async function writeQueued(db: Db): Promise<void> {
  const queue = pending.get(db);
  const calls = queue?.calls.splice(0) ?? [];
  try {
    for (let i = 0; i < calls.length; i += MAX_ROWS_PER_INSERT) {
      const rows = [];
      for (const { call, at } of calls.slice(i, i + MAX_ROWS_PER_INSERT)) {
        // Secrets go by key and by value, file content becomes "(N bytes)", long values are cut (src/auth/log-json.ts).
        const [params, result] = await logJson(db, [{ value: call.params, max: PARAMS_MAX }, { value: call.result, max: RESULT_MAX }], call.secrets ?? []);
        rows.push({
          method: call.method, user_id: call.userId, app_id: call.appId, webhook_id: call.webhookId,
          params, status: call.status, error: call.error, result, duration_ms: Math.round(call.durationMs), created_at: at,
        });
      }
      await db.insertInto('rest_calls').values(rows).execute();
    }
    sincePrune += calls.length;
    if (sincePrune >= PRUNE_EVERY) {
      sincePrune = 0;
      const edge = await db.selectFrom('rest_calls').select('id').orderBy('id', 'desc').offset(CALLS_KEPT).limit(1).executeTakeFirst();
      if (edge) await db.deleteFrom('rest_calls').where('id', '<=', edge.id).execute();
    }
  } catch (err) {
    queue?.log?.error({ err, component: 'call-log' }, 'recording calls failed');
  }
}

/** Drop calls recorded before `before` (ms), whatever the row cap leaves. */
export async function pruneCalls(db: Db, before: number): Promise<number> {
  return Number((await db.deleteFrom('rest_calls').where('created_at', '<', before).executeTakeFirst()).numDeletedRows);
}

/**
 * What the console filters calls by. `during`: only one app's calls recorded within these spans
 * (an event's handling, domain/event-log.ts handlingWindows); no span matches nothing.
 */
export interface CallFilter { appId?: number; userId?: number; method?: string; errorsOnly?: boolean; during?: { appId: number; windows: { from: number; to: number }[] } }

/** Calls newest first, with the total for paging. */
export async function listCalls(db: Db, filter: CallFilter, offset: number, limit: number) {
  let q = db.selectFrom('rest_calls');
  if (filter.appId !== undefined) q = q.where('app_id', '=', filter.appId);
  if (filter.userId !== undefined) q = q.where('user_id', '=', filter.userId);
  if (filter.method) q = q.where('method', '=', filter.method.toLowerCase());
  if (filter.errorsOnly) q = q.where('error', '!=', '');
  if (filter.during) {
    const { appId, windows } = filter.during;
    // A call is recorded when it is answered, so its time is inside the span it was made in.
    q = windows.length
      ? q.where('app_id', '=', appId).where((eb) => eb.or(windows.map((w) => eb.and([eb('created_at', '>=', w.from), eb('created_at', '<=', w.to)]))))
      : q.where('id', '<', 0);
  }
  const total = Number((await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst())?.n ?? 0);
  const rows = await q.selectAll().orderBy('id', 'desc').offset(offset).limit(limit).execute();
  return { total, rows };
}
