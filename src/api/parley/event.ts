/**
 * The developer console's event log (admins only, see app.ts): parley.event.list shows every event
 * delivery with its payload, last response, latency and number of attempts (filterable),
 * parley.event.get one delivery with each of its attempts and the request as sent, and dead letters are
 * re-delivered or discarded with parley.event.redeliver / discard; a pending event is sent now with
 * parley.event.retry, a delivered (or discarded) one again with parley.event.resend. Pages like Bitrix24's lists
 * (`start`, 50 per page, `total`, `next`), newest first.
 */
import { runAction } from '../../domain/action.ts';
import { defineMethod } from '../../rest/registry.ts';
import { fail } from '../../errors.ts';
import { int, str, type Params } from '../../rest/params.ts';
import { c, type InputOf } from '../../rest/schema.ts';
import { discard, redeliver, resend, retryNow, STATUSES, waitingFor } from '../../events/dead-letters.ts';
import { findDelivery, listDeliveries, parseStored, type Delivery, type EventFilter } from '../../domain/event-log.ts';
import { attemptState, attemptsOf, type Attempt } from '../../events/attempts.ts';
import { isTestPayload } from '../../events/outbox.ts';
import { ADMIN_SCOPE } from '../../domain/apps.ts';
import { admin } from '../codecs/callers.ts';
import { wireDate } from '../wire.ts';
import { logPage } from './log-page.ts';

/** FILTER of parley.event.list: APP_ID, EVENT, STATUS (one of STATUSES, ERROR_ARGUMENT otherwise), BOT_ID. */
function eventFilterOf(f: Params): EventFilter {
  const status = str(f, 'STATUS').toLowerCase();
  if (status && !(STATUSES as readonly string[]).includes(status)) fail('ERROR_ARGUMENT', `FILTER[STATUS] is one of ${STATUSES.join(', ')}`);
  return {
    appId: int(f, 'APP_ID') > 0 ? int(f, 'APP_ID') : undefined,
    event: str(f, 'EVENT').toUpperCase() || undefined,
    status: status || undefined,
    botId: int(f, 'BOT_ID') > 0 ? int(f, 'BOT_ID') : undefined,
  };
}

/** A delivery as the console lists it; `blocked`: the dead letter it waits behind (waitingFor). */
function deliveryWire(r: Delivery, blocked: number | undefined) {
  const stored = parseStored(r.payload) as { data?: unknown; authUserId?: number };
  return {
    id: r.id, app_id: r.app_id, event: r.event, handler: r.handler_url, event_handler_id: r.handler_id,
    status: r.status, attempts: r.attempts,
    // Tokens are minted when the event is sent; the stored data names whose (auth markers), never a secret.
    data: stored.data ?? null, auth_user_id: stored.authUserId ?? 0, test: isTestPayload(stored),
    response_status: r.last_status, response_body: r.last_response, error: r.last_error, latency_ms: r.last_latency_ms,
    date_create: wireDate(r.created_at), date_delivered: r.delivered_at ? wireDate(r.delivered_at) : false,
    next_attempt: r.status === 'pending' ? wireDate(r.next_attempt_at) : false,
    // A pending event of a stream with a dead letter waits for that one to be redelivered or discarded.
    waiting_for: blocked ?? false,
  };
}

/** One attempt as parley.event.get shows it: when, how it ended, and the request exactly as sent (secrets masked). */
function attemptWire(a: Attempt, now: number) {
  return {
    attempt: a.attempt, date: wireDate(a.started_at), date_finished: a.finished_at ? wireDate(a.finished_at) : false,
    // running: under its lease now; interrupted: its dispatcher died during it, the outcome is unknown.
    state: attemptState(a, now), status: a.status, latency_ms: a.latency_ms, error: a.error, response: a.response,
    request: { url: a.url, headers: parseStored(a.headers), body: a.body },
  };
}

defineMethod({
  name: 'parley.event.list', scope: ADMIN_SCOPE, access: 'admin',
  params: { _admin: admin(), FILTER: c.object().map(eventFilterOf) },
  handler: (ctx, { FILTER: filter }) => logPage(ctx, (offset, limit) => listDeliveries(ctx.portal.db, filter, offset, limit), async (rows) => {
    const blocked = await waitingFor(ctx.portal.db, rows);
    return rows.map((r) => deliveryWire(r, blocked.get(r.id)));
  }),
});

/**
 * One delivery with every attempt kept (oldest first; at most ATTEMPTS_KEPT): here `attempts` is
 * that list and `attempt_count` the number made; `request` is the newest attempt's request.
 */
defineMethod({
  name: 'parley.event.get', scope: ADMIN_SCOPE, access: 'admin',
  params: { _admin: admin(), ID: c.int() },
  async handler(ctx, { ID: id }) {
    const row = await findDelivery(ctx.portal.db, id);
    if (!row) fail('ERROR_NOT_FOUND', `No event ${id}`);
    const blocked = await waitingFor(ctx.portal.db, [row]);
    const now = Date.now();
    const attempts = ((await attemptsOf(ctx.portal.db, [row.id])).get(Number(row.id)) ?? []).map((a) => attemptWire(a, now));
    return { ...deliveryWire(row, blocked.get(row.id)), attempt_count: row.attempts, attempts, request: attempts.at(-1)?.request ?? null };
  },
});

/** The positive ids of ID and IDS[] together. */
function idsOf(input: { IDS: unknown[]; ID: number }): number[] {
  return [...input.IDS, ...(input.ID > 0 ? [input.ID] : [])].map(Number).filter((n) => Number.isSafeInteger(n) && n > 0);
}

/** Which dead letters: ID and IDS, or every one with ALL=Y. */
const DEAD = { _admin: admin(), IDS: c.list(), ID: c.int(), ALL: c.flag() };

// The ids named (undefined: ALL=Y, every dead letter); naming none without ALL=Y is an error.
function deadIds(input: InputOf<typeof DEAD>): number[] | undefined {
  const ids = idsOf(input);
  if (!ids.length && !input.ALL) fail('ERROR_ARGUMENT', 'Pass ID, IDS[] or ALL=Y');
  return ids.length ? ids : undefined;
}

defineMethod({
  name: 'parley.event.redeliver', scope: ADMIN_SCOPE, access: 'admin', params: DEAD,
  async handler(ctx, input) {
    return { count: await runAction(ctx.portal, (trx) => redeliver(trx, deadIds(input))) };
  },
});

defineMethod({
  name: 'parley.event.discard', scope: ADMIN_SCOPE, access: 'admin', params: DEAD,
  async handler(ctx, input) {
    return { count: await runAction(ctx.portal, (trx) => discard(trx, deadIds(input))) };
  },
});

/** Which events: ID and IDS (at least one). */
const NAMED = { _admin: admin(), IDS: c.list(), ID: c.int() };

// The ids named; none is an error.
function namedIds(input: InputOf<typeof NAMED>): number[] {
  const ids = idsOf(input);
  if (!ids.length) fail('ERROR_ARGUMENT', 'Pass ID or IDS[]');
  return ids;
}

defineMethod({
  name: 'parley.event.retry', scope: ADMIN_SCOPE, access: 'admin', params: NAMED,
  async handler(ctx, input) {
    return { count: await runAction(ctx.portal, (trx) => retryNow(trx, { ids: namedIds(input) })) };
  },
});

defineMethod({
  name: 'parley.event.resend', scope: ADMIN_SCOPE, access: 'admin', params: NAMED,
  async handler(ctx, input) {
    return { count: await runAction(ctx.portal, (trx) => resend(trx, namedIds(input))) };
  },
});
