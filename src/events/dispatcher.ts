/**
 * Delivers outbox rows to handlers: form-encoded POSTs in PHP style (only to addresses the handler
 * policy allows, events/handler-post.ts; a refused one is dead-lettered at once), strictly in order per
 * (handler, dialog) and in parallel across them, retried with exponential backoff, then
 * dead-lettered; a stream with a dead letter waits until it is redelivered or discarded
 * (events/dead-letters.ts). Rows are claimed with a lease so several nodes (or a restart after kill -9) never
 * lose an event; PostgreSQL nodes claim with FOR UPDATE SKIP LOCKED.
 */
import { sql, type Selectable, type Updateable } from 'kysely';
import type { Portal } from '../portal.ts';
import type { OutboxTable } from '../store/schema.ts';
import { buildQuery } from '../wire/php-query.ts';
import { resolveMarkers, userAuth } from './auth-markers.ts';
import { OPEN, retryNow } from './dead-letters.ts';
import { HandlerRefused, HandlerTimedOut, postToHandler } from './handler-post.ts';
import { deliveryHeaders } from './delivery-headers.ts';
import { isTestPayload } from './outbox.ts';
import { redactForLog } from '../auth/secret-redact.ts';
import { beginAttempts, finishAttempt, type AttemptOutcome } from './attempts.ts';
import { EVENT_ID_ENVELOPE } from './line-events.ts';

type Row = Selectable<OutboxTable>;

/**
 * A row this dispatcher leased, with the lease it set (its outcome is written only while that lease
 * is still its own) and the attempt row begun with the claim.
 */
interface Claimed { row: Row; lease: number; attemptId: number }

const BATCH = 32;

// A network failure in one line: the error's code and message, with its cause when it has one.
function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as Error & { cause?: Error }).cause;
  return `${err.name}: ${cause?.message ?? err.message}`;
}

/** Running delivery loop; `wake()` after committing outbox rows, `stop()` on shutdown. */
export class Dispatcher {
  private timer: NodeJS.Timeout | null = null;
  private soon: NodeJS.Immediate | null = null;
  private running = false;
  /** The claim round in progress: the deliveries it starts are in flight once it ends. */
  private round: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private inflight = new Set<Promise<void>>();
  /** Handlers (app and URL) this dispatcher could not reach, and has not since: their waiting events go once it does. */
  private failing = new Set<string>();

  constructor(private portal: Portal) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Stop claiming; resolves once the claim round in progress and every delivery it started have recorded their outcome. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cancel();
    await this.round;
    await Promise.allSettled([...this.inflight]);
  }

  /** New rows were committed: look now instead of at the next poll. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  private schedule(ms: number) {
    if (this.stopped) return;
    this.cancel();
    // "Now" is the next turn of the event loop, not a 0 ms timer: Node's timers wait at least 1 ms,
    // a quarter of a delivery's time on an idle portal.
    if (ms === 0) this.soon = setImmediate(() => this.startRound());
    else this.timer = setTimeout(() => this.startRound(), ms);
  }

  // A claim round, kept so that stop() can wait for it.
  private startRound() {
    if (!this.running) this.round = this.tick();
  }

  private cancel() {
    if (this.timer) clearTimeout(this.timer);
    if (this.soon) clearImmediate(this.soon);
    this.timer = null;
    this.soon = null;
  }

  private async tick() {
    if (this.running || this.stopped) return;
    this.running = true;
    this.again = false;
    let claimed = 0;
    try {
      const claims = await this.claim();
      claimed = claims.length;
      for (const c of claims) {
        const p = this.deliver(c).catch((err) => this.portal.log.error({ err, component: 'events' }, 'delivery bookkeeping failed'));
        this.inflight.add(p);
        void p.finally(() => {
          this.inflight.delete(p);
          this.wake();
        });
      }
    } catch (err) {
      if (!this.stopped) this.portal.log.error({ err, component: 'events' }, 'claim failed');
    } finally {
      this.running = false;
      this.schedule(this.again || claimed === BATCH ? 0 : this.portal.config.eventPollMs);
    }
  }

  /** Lease the head row of every stream that is due and not already leased. */
  private async claim(): Promise<Claimed[]> {
    const { db, config } = this.portal;
    const now = Date.now();
    // A dispatcher that died during the POST leaves the handler possibly at work on it: the row is
    // taken over only once that attempt would have timed out and its grace passed (5 s of margin).
    const lease = now + config.eventTimeoutMs + config.eventGraceMs + 5000;
    return db.transaction().execute(async (trx) => {
      let q = trx.selectFrom('outbox as o').selectAll()
        .where('o.status', '=', 'pending')
        .where('o.next_attempt_at', '<=', now)
        .where('o.claimed_until', '<', now)
        // Only the oldest open row of its stream may go: that is what keeps a stream in order (the ids
        // of one stream follow the commits of its writers, events/outbox.ts). A dead letter stays
        // open until it is redelivered or discarded, so later events of its stream wait behind it
        // ("head of line") instead of overtaking it (issue 8, finding 13).
        .where(({ not, exists, selectFrom }) => not(exists(
          selectFrom('outbox as p').select('p.id')
            .whereRef('p.order_key', '=', 'o.order_key').where('p.status', 'in', OPEN).whereRef('p.id', '<', 'o.id'),
        )))
        .orderBy('o.id').limit(BATCH);
      if (this.portal.store.caps.skipLocked) q = q.modifyEnd(sql`for update skip locked`);
      const rows = await q.execute();
      // The attempt is counted when it is claimed, not when it ends: an attempt whose node died in the
      // middle of the POST still counts, so the next one carries the next number (X-Parley-Attempt).
      if (rows.length) {
        await trx.updateTable('outbox').set({ claimed_until: lease, attempts: sql`attempts + 1` })
          .where('id', 'in', rows.map((r) => r.id)).execute();
      }
      // Begun with the claim, so an attempt whose node dies during the POST is on record too.
      const attemptIds = await beginAttempts(trx, rows, lease, now);
      return rows.map((row) => ({ row, lease, attemptId: attemptIds.get(Number(row.id)) ?? 0 }));
    });
  }

  /**
   * Record a delivery's outcome, only if the row is still under the lease this dispatcher set. A
   * POST that outlived its lease (a stalled process, a node whose clock is behind) may have seen the
   * row claimed again by another dispatcher, which then owns it: a late write here would replace
   * that one's outcome (dead-letter an event it delivered, holding its stream, or log an answer
   * that is not the last). A later lease is always greater (it is taken only once this one has
   * passed), so equality names this claim alone.
   */
  private async settle({ row, lease }: Claimed, outcome: Updateable<OutboxTable>): Promise<void> {
    const res = await this.portal.db.updateTable('outbox').set(outcome)
      .where('id', '=', row.id).where('claimed_until', '=', lease).executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) this.portal.log.warn({ component: 'events', outboxId: row.id }, 'lease lost during delivery, outcome left to its new holder');
  }

  private async deliver(claimed: Claimed): Promise<void> {
    const { row } = claimed;
    const { db, config } = this.portal;
    const app = await db.selectFrom('apps').selectAll().where('id', '=', row.app_id).executeTakeFirst();
    // An attempt that ends before anything is sent: its record says why.
    const notSent = (error: string) => finishAttempt(db, claimed.attemptId, row.id, { status: 0, latencyMs: 0, error, response: '' });
    if (!app) {
      await this.settle(claimed, { status: 'dead', last_error: 'application deleted', claimed_until: 0 });
      await notSent('application deleted');
      return;
    }
    const once = app.delivery_mode === 'once';
    if (once && row.attempts > 0 && !row.last_status && !row.last_error) {
      // Its one attempt was begun by a dispatcher that died during it (an attempt that ended always
      // leaves a status or an error; a resent or redelivered event has one): the handler may have had it.
      const why = 'its one attempt was interrupted (delivery: once)';
      await this.settle(claimed, { status: 'discarded', last_error: why, claimed_until: 0 });
      await notSent(`not sent: ${why}`);
      return;
    }
    const stored = JSON.parse(row.payload) as { data: unknown; authUserId: number; test?: boolean };
    const attempt = row.attempts + 1;
    // Built once the handler's address has passed the policy: no tokens are minted for a refused one.
    const request = async () => {
      const body = buildQuery({
        event: row.event,
        // The open-line events name the handler `eventId` (their pages' envelope); the others `event_handler_id`.
        [EVENT_ID_ENVELOPE.has(row.event) ? 'eventId' : 'event_handler_id']: row.handler_id,
        data: await resolveMarkers(this.portal, app, stored.data),
        ts: Math.floor(Date.now() / 1000),
        auth: await userAuth(this.portal, app, stored.authUserId),
      });
      return { body, headers: deliveryHeaders(row.id, attempt, body, app.client_secret, isTestPayload(stored)) };
    };
    const t0 = Date.now();
    let status = 0;
    let text = '';
    let error = '';
    let refused = false;
    let timedOut = false;
    let sent: AttemptOutcome['sent'];
    try {
      ({ status, text } = await postToHandler(config, row.handler_url, request, (r) => (sent = r)));
      if (status < 200 || status >= 300) error = `HTTP ${status}`;
    } catch (err) {
      refused = err instanceof HandlerRefused;
      timedOut = err instanceof HandlerTimedOut;
      error = refused || timedOut ? (err as Error).message : describe(err);
    }
    const latency = Date.now() - t0;
    // A handler that echoes its request (a debugging bot) must not put the tokens it was sent into
    // the event log: the stored response is redacted like the REST call log.
    if (text) text = String((await redactForLog(db, [text], []))[0]);
    const common = { attempts: attempt, last_status: status, last_response: text, last_error: error, last_latency_ms: latency, claimed_until: 0 };
    // The attempt's record before the outcome: whoever reads a settled event finds its attempt finished.
    await finishAttempt(db, claimed.attemptId, row.id, { status, latencyMs: latency, error, response: text, sent, secrets: [app.client_secret, app.application_token] });
    const appLabel = String(row.app_id);
    this.portal.metrics.deliverySeconds.observe({ app: appLabel }, latency / 1000);
    const outcome = !error ? 'delivered' : once ? 'discarded' : refused || attempt >= config.eventAttempts ? 'dead' : 'retry';
    this.portal.metrics.deliveries.inc({ app: appLabel, outcome });
    const handler = `${row.app_id} ${row.handler_url}`;
    if (!error) {
      await this.settle(claimed, { ...common, status: 'delivered', delivered_at: Date.now() });
      if (this.failing.delete(handler)) await this.retryWaiting(row);
    } else if (once) {
      // Bitrix24's behaviour: one attempt, then given up, and the dialog's later events go on.
      await this.settle(claimed, { ...common, status: 'discarded' });
    } else if (refused || attempt >= config.eventAttempts) {
      // A refused address stays refused: dead-lettered at once, no retries against it.
      await this.settle(claimed, { ...common, status: 'dead' });
    } else {
      const backoff = Math.min(config.eventFirstDelayMs * 2 ** (attempt - 1), config.eventMaxDelayMs);
      // A handler that did not answer in time may still be running the attempt: the next one waits
      // out the grace, so a handler never has two attempts of one event running at once.
      const delay = timedOut ? Math.max(backoff, config.eventGraceMs) : backoff;
      await this.settle(claimed, { ...common, next_attempt_at: Date.now() + delay });
      // Unreachable (no answer at all, not a timeout): its waiting events go once it answers again.
      if (!status && !timedOut) this.failing.add(handler);
    }
  }

  /**
   * A handler that could not be reached (refused, reset, no such host) has answered again: the
   * events that failed to reach it go now instead of sitting out their backoff. Not those the
   * handler answered with an error (a bad event stays on its growing delays) nor those waiting out a
   * timed-out attempt's grace (that one may still be running on the handler). Only this
   * dispatcher's own failures are known here; another node's waiting events keep their backoff.
   */
  private async retryWaiting(row: Row): Promise<void> {
    if (await retryNow(this.portal.db, { appId: row.app_id, handlerUrl: row.handler_url, unreached: true })) this.wake();
  }
}
