/**
 * Every attempt to deliver an event, one row each (migration 0020): begun in the same transaction
 * that claims the event (so an attempt whose node dies during the POST is still on record, as
 * unfinished: "interrupted" once its lease has passed), finished with the request exactly as sent —
 * URL, headers, and the body with its secrets masked — and how the handler answered. The outbox row
 * keeps the last outcome; these rows explain how it came to be.
 */
import type { Generated, Selectable } from 'kysely';
import type { Db } from '../store/db.ts';
import { redactFormBody } from '../auth/secret-redact.ts';

declare module '../store/schema.ts' {
  interface Database { delivery_attempts: DeliveryAttemptsTable }
}

/** A row of delivery_attempts. */
export interface DeliveryAttemptsTable {
  id: Generated<number>;
  outbox_id: number;
  app_id: number;
  /** The number sent as X-Parley-Attempt (1 again after a dead letter is redelivered). */
  attempt: number;
  started_at: number;
  /** The claim's lease: an attempt unfinished after it was interrupted (its dispatcher died). */
  lease_until: number;
  /** 0 while unfinished. */
  finished_at: number;
  /** HTTP status of the answer, 0 when there was none. */
  status: number;
  latency_ms: number;
  url: string;
  /** JSON object of the request's headers as sent ({} when nothing was sent). */
  headers: string;
  /** The form body as sent, secrets masked, cut at BODY_CHARS (at a field boundary). */
  body: string;
  error: string;
  response: string;
}

/** One attempt as stored. */
export type Attempt = Selectable<DeliveryAttemptsTable>;

/** Attempts kept per event: a stream retried for days keeps its newest ones. */
export const ATTEMPTS_KEPT = 20;
/** Characters of a request body kept; the rest is cut before any masking work. */
export const BODY_CHARS = 16_000;

/** Begin an attempt of each claimed event (in the claim's transaction); answers the attempt row ids by outbox id. */
export async function beginAttempts(db: Db, rows: { id: number; app_id: number; attempts: number; handler_url: string }[], lease: number, now: number): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  if (!rows.length) return out;
  const made = await db.insertInto('delivery_attempts').values(rows.map((r) => ({
    outbox_id: r.id, app_id: r.app_id, attempt: r.attempts + 1, started_at: now, lease_until: lease, url: r.handler_url,
    finished_at: 0, status: 0, latency_ms: 0, headers: '{}', body: '', error: '', response: '',
  }))).returning(['id', 'outbox_id']).execute();
  for (const m of made) out.set(Number(m.outbox_id), Number(m.id));
  return out;
}

/** The body kept of a request: the first BODY_CHARS, cut after a whole field, marked when cut. */
export function capBody(body: string): string {
  if (body.length <= BODY_CHARS) return body;
  const cut = body.lastIndexOf('&', BODY_CHARS);
  return `${body.slice(0, cut > 0 ? cut : 0)}&…(cut: ${body.length} characters in all)`;
}

/** How an attempt ended, and what was sent (absent when nothing was: a refused address, a deleted app). */
export interface AttemptOutcome {
  status: number; latencyMs: number; error: string; response: string;
  sent?: { headers: Record<string, string | number>; body: string };
  /** Secrets of the app to mask wherever they appear in the body (client_secret, application_token). */
  secrets?: string[];
}

/** Record how an attempt ended; an event with many attempts keeps its newest ATTEMPTS_KEPT. */
export async function finishAttempt(db: Db, attemptId: number, outboxId: number, outcome: AttemptOutcome): Promise<void> {
  const body = outcome.sent ? await redactFormBody(db, capBody(outcome.sent.body), outcome.secrets ?? []) : '';
  await db.updateTable('delivery_attempts').set({
    finished_at: Date.now(), status: outcome.status, latency_ms: outcome.latencyMs, error: outcome.error, response: outcome.response,
    headers: JSON.stringify(outcome.sent?.headers ?? {}), body,
  }).where('id', '=', attemptId).execute();
  const edge = await db.selectFrom('delivery_attempts').select('id').where('outbox_id', '=', outboxId)
    .orderBy('id', 'desc').offset(ATTEMPTS_KEPT).limit(1).executeTakeFirst();
  if (edge) await db.deleteFrom('delivery_attempts').where('outbox_id', '=', outboxId).where('id', '<=', edge.id).execute();
}

/** Attempts of the given events, oldest first, by outbox id. */
export async function attemptsOf(db: Db, outboxIds: number[]): Promise<Map<number, Attempt[]>> {
  const out = new Map<number, Attempt[]>();
  if (!outboxIds.length) return out;
  for (const a of await db.selectFrom('delivery_attempts').selectAll().where('outbox_id', 'in', outboxIds).orderBy('id').execute()) {
    const list = out.get(Number(a.outbox_id)) ?? [];
    list.push(a);
    out.set(Number(a.outbox_id), list);
  }
  return out;
}

/** Where an attempt stands: finished, still running (under its lease), or interrupted (its dispatcher died during it). */
export function attemptState(a: Attempt, now: number): 'finished' | 'running' | 'interrupted' {
  if (a.finished_at) return 'finished';
  return a.lease_until > now ? 'running' : 'interrupted';
}

/** Delete the attempts of events that are gone (pruned or deleted); answers how many. */
export async function pruneOrphanAttempts(db: Db): Promise<number> {
  const res = await db.deleteFrom('delivery_attempts').where(({ not, exists, selectFrom }) => not(exists(
    selectFrom('outbox').select('outbox.id').whereRef('outbox.id', '=', 'delivery_attempts.outbox_id'),
  ))).executeTakeFirst();
  return Number(res.numDeletedRows);
}
