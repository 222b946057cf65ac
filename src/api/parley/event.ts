/**
 * The developer console's logs as Parley methods (admins only, see parley.console.ts): every event
 * delivery with its payload, response, latency and attempts (filterable; dead letters re-deliverable or
 * discardable), and the
 * REST call log. Lists page like Bitrix24's (`start`, 50 per page, `total`, `next`), newest first.
 */
import { defineMethod, nextOffset, Page, PAGE_SIZE, slice } from '../../rest/registry.ts';
import { fail } from '../../errors.ts';
import { flag, int, list, obj, str, type Params } from '../../rest/params.ts';
import { discard, redeliver, STATUSES, waitingFor } from '../../events/dead-letters.ts';
import { listCalls } from '../../domain/call-log.ts';
import { requireAdmin } from './app.ts';
import { ADMIN_SCOPE } from '../../domain/apps.ts';
import { wireDate } from '../wire.ts';

/** Rows scanned when filtering by bot (the bot is inside the payload, not a column). */
const BOT_SCAN = 2000;

/** Whether an event's data is about a bot: data[BOT][id], or a BOT_ID equal to it at any depth. */
function aboutBot(data: unknown, botId: number): boolean {
  if (!data || typeof data !== 'object') return false;
  const o = data as Record<string, unknown>;
  if (o.BOT && typeof o.BOT === 'object' && String(botId) in (o.BOT as object)) return true;
  if (Number(o.BOT_ID) === botId) return true;
  return Object.values(o).some((v) => aboutBot(v, botId));
}

const json = (s: string): unknown => {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
};

defineMethod({
  name: 'parley.event.list', scope: ADMIN_SCOPE, access: 'admin',
  async handler(ctx, p) {
    requireAdmin(ctx);
    const f = obj(p, 'FILTER');
    const status = str(f, 'STATUS').toLowerCase();
    if (status && !(STATUSES as readonly string[]).includes(status)) fail('ERROR_ARGUMENT', `FILTER[STATUS] is one of ${STATUSES.join(', ')}`);
    let q = ctx.portal.db.selectFrom('outbox');
    if (int(f, 'APP_ID') > 0) q = q.where('app_id', '=', int(f, 'APP_ID'));
    if (str(f, 'EVENT')) q = q.where('event', '=', str(f, 'EVENT').toUpperCase());
    if (status) q = q.where('status', '=', status);
    const start = Math.max(0, ctx.start);
    const botId = int(f, 'BOT_ID');
    let rows;
    let total: number;
    if (botId > 0) {
      const scanned = await q.selectAll().orderBy('id', 'desc').limit(BOT_SCAN).execute();
      const matching = scanned.filter((r) => aboutBot((json(r.payload) as { data?: unknown }).data, botId));
      ({ page: rows, total } = slice(matching, start, PAGE_SIZE));
    } else {
      total = Number((await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst())?.n ?? 0);
      rows = await q.selectAll().orderBy('id', 'desc').offset(start).limit(PAGE_SIZE).execute();
    }
    const blocked = await waitingFor(ctx.portal.db, rows);
    const items = rows.map((r) => {
      const stored = json(r.payload) as { data?: unknown; authUserId?: number };
      return {
        id: r.id, app_id: r.app_id, event: r.event, handler: r.handler_url, event_handler_id: r.handler_id,
        status: r.status, attempts: r.attempts,
        // Tokens are minted when the event is sent; the stored data names whose (auth markers), never a secret.
        data: stored.data ?? null, auth_user_id: stored.authUserId ?? 0,
        response_status: r.last_status, response_body: r.last_response, error: r.last_error, latency_ms: r.last_latency_ms,
        date_create: wireDate(r.created_at), date_delivered: r.delivered_at ? wireDate(r.delivered_at) : false,
        next_attempt: r.status === 'pending' ? wireDate(r.next_attempt_at) : false,
        // A pending event of a stream with a dead letter waits for that one to be redelivered or discarded.
        waiting_for: blocked.get(r.id) ?? false,
      };
    });
    return new Page(items, total, nextOffset(start, PAGE_SIZE, total));
  },
});

// ID or IDS: those dead-lettered events; ALL=Y: every dead-lettered event.
function deadIds(p: Params): number[] | undefined {
  const ids = [...list(p, 'IDS'), ...(int(p, 'ID') > 0 ? [int(p, 'ID')] : [])].map(Number).filter((n) => Number.isSafeInteger(n) && n > 0);
  if (!ids.length && !flag(p, 'ALL')) fail('ERROR_ARGUMENT', 'Pass ID, IDS[] or ALL=Y');
  return ids.length ? ids : undefined;
}

defineMethod({
  name: 'parley.event.redeliver', scope: ADMIN_SCOPE, access: 'admin',
  async handler(ctx, p) {
    requireAdmin(ctx);
    return { count: await redeliver(ctx.portal, deadIds(p)) };
  },
});

defineMethod({
  name: 'parley.event.discard', scope: ADMIN_SCOPE, access: 'admin',
  async handler(ctx, p) {
    requireAdmin(ctx);
    return { count: await discard(ctx.portal, deadIds(p)) };
  },
});

defineMethod({
  name: 'parley.call.list', scope: ADMIN_SCOPE, access: 'admin',
  async handler(ctx, p) {
    requireAdmin(ctx);
    const f = obj(p, 'FILTER');
    const start = Math.max(0, ctx.start);
    const { total, rows } = await listCalls(ctx.portal.db, {
      appId: int(f, 'APP_ID') > 0 ? int(f, 'APP_ID') : undefined,
      userId: int(f, 'USER_ID') > 0 ? int(f, 'USER_ID') : undefined,
      method: str(f, 'METHOD') || undefined,
      errorsOnly: flag(f, 'ERRORS'),
    }, start, PAGE_SIZE);
    const items = rows.map((r) => ({
      id: r.id, method: r.method, user_id: r.user_id, app_id: r.app_id, webhook_id: r.webhook_id,
      params: json(r.params), status: r.status, error: r.error || false, result: json(r.result),
      duration_ms: r.duration_ms, date: wireDate(r.created_at),
    }));
    return new Page(items, total, nextOffset(start, PAGE_SIZE, total));
  },
});
