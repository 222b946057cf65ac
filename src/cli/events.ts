/**
 * `parley events list | tail | show | retry | resend | redeliver | discard`: the event log from the command line, as the
 * developer console shows it. Registered by cli/main.ts with its shared helpers (CliKit). Unknown
 * statuses and ids are usage errors (exit 2), never an empty success.
 */
import type { Command } from 'commander';
import { runAction } from '../domain/action.ts';
import { findDelivery, handlingWindows, parseStored } from '../domain/event-log.ts';
import { listCalls } from '../domain/call-log.ts';
import { attemptState, attemptsOf } from '../events/attempts.ts';
import { discard, redeliver, resend, retryNow, STATUSES, waitingFor } from '../events/dead-letters.ts';
import type { CliKit } from './task.ts';
import type { Db } from '../store/db.ts';

/** REST calls `events show` lists, the oldest of the newest this many. */
const CALLS_SHOWN = 100;

/** Deliveries `events tail` watches: the newest this many (a change to an older one is not shown). */
const TAIL_WINDOW = 50;

/** A time as the lists print it: UTC, to the second ('-' for none). */
export function cliTime(ms: number): string {
  return ms > 0 ? new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z') : '-';
}

/** Add the `events` command group to the program. */
export function eventCommands(cli: Command, kit: CliKit): void {
  const events = cli.command('events').description('event deliveries');
  kit.dbOptions(events.command('list').description('list event deliveries, oldest first, with a header row'))
    .option('--status <status>', STATUSES.join(', '))
    .action(async (o) => kit.withPortal(o, async (portal) => {
      if (o.status !== undefined && !(STATUSES as readonly string[]).includes(o.status)) throw kit.usage(`--status must be one of: ${STATUSES.join(', ')}`);
      let q = portal.db.selectFrom('outbox').selectAll().orderBy('id');
      if (o.status) q = q.where('status', '=', o.status);
      const rows = await q.execute();
      const blocked = await waitingFor(portal.db, rows);
      console.log(['ID', 'STATUS', 'EVENT', 'HANDLER', 'ATTEMPTS', 'CREATED', 'LAST'].join('\t'));
      for (const r of rows) {
        const waits = blocked.has(r.id) ? `\twaiting for dead #${blocked.get(r.id)}` : '';
        console.log(`${r.id}\t${r.status}\t${r.event}\t${r.handler_url}\tattempts=${r.attempts}\t${cliTime(r.created_at)}\tlast=${r.last_status || '-'} ${r.last_error}${waits}`);
      }
    }));
  kit.dbOptions(events.command('tail').description('print deliveries as they are queued, sent, retried or fail, until interrupted'))
    .option('--interval <ms>', 'how often to look', '500')
    .action(async (o) => kit.withPortal(o, async (portal) => {
      const interval = kit.positiveInt(o.interval, '--interval');
      // A delivery is printed again whenever its status, attempts or answer change.
      const shown = new Map<number, string>();
      const look = async () => {
        const rows = (await portal.db.selectFrom('outbox').selectAll().orderBy('id', 'desc').limit(TAIL_WINDOW).execute()).reverse();
        for (const r of rows) {
          const state = `${r.status} ${r.attempts} ${r.last_status} ${r.last_error}`;
          if (shown.get(r.id) === state) continue;
          shown.set(r.id, state);
          console.log(`${cliTime(Date.now())}\t${r.id}\t${r.status}\t${r.event}\t${r.handler_url}\tattempts=${r.attempts}\tlast=${r.last_status || '-'} ${r.last_error}`);
        }
        if (shown.size > 4 * TAIL_WINDOW) for (const id of [...shown.keys()].slice(0, shown.size - TAIL_WINDOW)) shown.delete(id);
      };
      console.log(['TIME', 'ID', 'STATUS', 'EVENT', 'HANDLER', 'ATTEMPTS', 'LAST'].join('\t'));
      // The newest TAIL_WINDOW as they stand, then every change.
      await look();
      await new Promise<void>((resolve) => {
        let busy = false;
        const timer = setInterval(() => {
          if (busy) return;
          busy = true;
          void look().catch((err) => console.error(`parley: ${(err as Error).message}`)).finally(() => (busy = false));
        }, interval);
        const stop = () => {
          clearInterval(timer);
          resolve();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    }));
  kit.dbOptions(events.command('show <id>').description('one delivery in full: payload, every attempt with the request as sent (secrets masked), the REST calls its app made while handling it (JSON)'))
    .action(async (id: string, o) => kit.withPortal(o, async (portal) => {
      const row = await findDelivery(portal.db, kit.positiveInt(id, 'event id'));
      if (!row) throw kit.usage(`no event ${id}`);
      const payload = parseStored(row.payload) as { data?: unknown } | undefined;
      const now = Date.now();
      const attempts = ((await attemptsOf(portal.db, [row.id])).get(Number(row.id)) ?? []).map((a) => ({
        attempt: a.attempt, started: cliTime(a.started_at), finished: cliTime(a.finished_at), state: attemptState(a, now),
        status: a.status, latency_ms: a.latency_ms, error: a.error, response: a.response,
        request: { url: a.url, headers: parseStored(a.headers), body: a.body },
      }));
      const during = await handlingWindows(portal.db, row.id, now);
      const calls = during ? (await listCalls(portal.db, { during }, 0, CALLS_SHOWN)).rows.reverse().map((c) => ({
        id: c.id, time: cliTime(c.created_at), method: c.method, status: c.status, error: c.error, duration_ms: c.duration_ms,
      })) : [];
      console.log(JSON.stringify({
        id: row.id, status: row.status, event: row.event, app_id: row.app_id, handler: row.handler_url, stream: row.order_key,
        attempts: row.attempts, created: cliTime(row.created_at), delivered: cliTime(row.delivered_at), next_attempt: cliTime(row.status === 'pending' ? row.next_attempt_at : 0),
        last_status: row.last_status, last_error: row.last_error, last_latency_ms: row.last_latency_ms, last_response: row.last_response,
        data: payload?.data ?? payload,
        attempt_log: attempts, rest_calls: calls,
      }, null, 2));
    }));
  for (const [name, what, act, done] of [
    ['retry', 'send pending events now instead of at the end of their backoff', (db: Db, ids: number[]) => retryNow(db, { ids }), 'sent now'],
    ['resend', 'send delivered or discarded events again (same delivery id, next attempt number)', resend, 'queued again'],
  ] as const) {
    kit.dbOptions(events.command(`${name} <ids...>`).description(what))
      .action(async (ids: string[], o) => kit.withPortal(o, async (portal) => {
        const chosen = ids.map((i) => kit.positiveInt(i, 'event id'));
        const n = await runAction(portal, (trx) => act(trx, chosen));
        if (n < chosen.length) throw kit.usage(`${n} of ${chosen.length} event(s) ${done}: ${name === 'retry' ? 'only pending events not being sent or waiting out a timed-out attempt can be' : 'only delivered or discarded events can be'}`);
        console.log(`${n} event(s) ${done}`);
      }));
  }
  for (const [name, what, act] of [
    ['redeliver', 'queue dead-lettered events again (all when no ids)', redeliver],
    ['discard', 'give dead-lettered events up, so later events of their dialogs go on (all when no ids)', discard],
  ] as const) {
    kit.dbOptions(events.command(`${name} [ids...]`).description(what))
      .action(async (ids: string[], o) => kit.withPortal(o, async (portal) => {
        const chosen = ids.length ? ids.map((i) => kit.positiveInt(i, 'event id')) : undefined;
        const n = await runAction(portal, (trx) => act(trx, chosen));
        // Named ids that are not dead letters (unknown, delivered, pending) are an error, not "0 done".
        if (chosen && n < chosen.length) throw kit.usage(`${n} of ${chosen.length} event(s) ${name === 'redeliver' ? 'queued again' : 'discarded'}: only dead-lettered events can be; see parley events list --status dead`);
        console.log(`${n} event(s) ${name === 'redeliver' ? 'queued again' : 'discarded'}`);
      }));
  }
}
