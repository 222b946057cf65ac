/**
 * Keeps open /realtime sockets bound to live credentials. Each socket remembers the credentials it
 * was opened with, and they go through authenticate() again — every `recheckMs`, which also catches
 * revocations by another process and expiry, and shortly after this process revoked something
 * (revocations.ts) — so a socket whose webhook was deleted, whose app was uninstalled, whose token
 * was revoked, rotated or expired or whose user was deactivated is closed with code 4401 and the
 * REST error code as the reason. A ping every `pingMs` drops peers that vanished without closing,
 * so they do not hold their credential's and address's slots.
 */
import { setImmediate as yieldToIo } from 'node:timers/promises';
import type { WebSocket } from 'ws';
import type { Portal } from '../portal.ts';
import { authenticate, type Caller, type Credentials } from '../auth/credentials.ts';
import { RestError, restError } from '../errors.ts';

/** Close code for "the credentials of this socket are no longer valid: get new ones and reconnect". */
export const CLOSE_REAUTHENTICATE = 4401;
/** Re-checks in flight at once, so a sweep leaves the database pool to REST. */
const CONCURRENCY = 4;
/** After an in-process revocation, re-check this soon (the revoking transaction commits first)… */
const SOON_MS = 100;
/** …and once more in case it committed later than that (PostgreSQL reads from another connection). */
const FOLLOW_UP_MS = 1500;
/** Sweeps start at most this often, however many revocations come in. */
const MIN_GAP_MS = 1000;

/** Authenticate a realtime client exactly as a REST call is authenticated, and require the im scope. */
export async function authorizeRealtime(portal: Portal, creds: Credentials): Promise<Caller> {
  const caller = await authenticate(portal.db, creds, portal.clock.now());
  if (!caller.scopes.includes('im')) throw restError('insufficient_scope', 'The realtime channel needs the im scope');
  return caller;
}

/** Who a socket counts against: one webhook, or one app's tokens for one user (a refreshed token is the same holder). */
export function holderOf(caller: Caller): string {
  return caller.webhook ? `webhook:${caller.webhook.id}` : `app:${caller.app?.id ?? 0}:user:${caller.user.id}`;
}

interface Entry { creds: Credentials; alive: boolean }

/** The open sockets of one portal process and the timers that re-check and ping them. */
export class CredentialWatch {
  private readonly sockets = new Map<WebSocket, Entry>();
  private readonly timers: NodeJS.Timeout[] = [];
  private due: NodeJS.Timeout | undefined;
  private dueAt = 0;
  private followUp: NodeJS.Timeout | undefined;
  private lastStart = 0;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(private readonly portal: Portal, private readonly opts: { recheckMs: number; pingMs: number }) {}

  /** Begin the periodic re-checks and pings. */
  start(): void {
    this.timers.push(setInterval(() => this.schedule(0), this.opts.recheckMs), setInterval(() => this.ping(), this.opts.pingMs));
    for (const t of this.timers) t.unref();
  }

  /** Stop every timer and wait for a sweep in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of [...this.timers, this.due, this.followUp]) clearTimeout(t);
    await this.running;
  }

  /** Watch an open socket opened with these credentials, until it closes. */
  track(ws: WebSocket, creds: Credentials): void {
    const entry: Entry = { creds, alive: true };
    this.sockets.set(ws, entry);
    ws.on('pong', () => (entry.alive = true));
    ws.on('close', () => this.sockets.delete(ws));
  }

  /** Something a credential depends on changed in this process: re-check open sockets shortly. */
  recheckSoon(): void {
    if (this.stopped) return;
    this.schedule(SOON_MS);
    this.followUp ??= setTimeout(() => {
      this.followUp = undefined;
      this.schedule(0);
    }, FOLLOW_UP_MS).unref();
  }

  private schedule(ms: number): void {
    if (this.stopped || !this.sockets.size) return;
    const at = Math.max(Date.now() + ms, this.lastStart + MIN_GAP_MS);
    if (this.due && this.dueAt <= at) return;
    clearTimeout(this.due);
    this.dueAt = at;
    this.due = setTimeout(() => {
      this.due = undefined;
      this.sweep();
    }, at - Date.now()).unref();
  }

  private sweep(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.lastStart = Date.now();
    this.running = this.checkAll().catch((err) => this.portal.log.error({ err, component: 'realtime' }, 'credential re-check failed')).finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.schedule(0);
      }
    });
  }

  /** One authenticate() per distinct credential, however many sockets share it. */
  private async checkAll(): Promise<void> {
    const groups = new Map<string, { creds: Credentials; sockets: WebSocket[] }>();
    for (const [ws, e] of this.sockets) {
      const key = e.creds.webhook ? `w${e.creds.webhook.userId}:${e.creds.webhook.code}` : `t${e.creds.token ?? ''}`;
      const g = groups.get(key);
      if (g) g.sockets.push(ws);
      else groups.set(key, { creds: e.creds, sockets: [ws] });
    }
    const queue = [...groups.values()];
    const worker = async () => {
      for (let g = queue.shift(); g && !this.stopped; g = queue.shift()) {
        await this.check(g.creds, g.sockets);
        // SQLite answers synchronously: without this a long sweep would hold the event loop.
        await yieldToIo();
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, queue.length) }, worker));
  }

  private async check(creds: Credentials, sockets: WebSocket[]): Promise<void> {
    let reason: string;
    try {
      await authorizeRealtime(this.portal, creds);
      return;
    } catch (err) {
      // A database failure says nothing about the credentials: keep the sockets, try next time.
      if (!(err instanceof RestError) || err.status >= 500) return;
      reason = err.code;
    }
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.close(CLOSE_REAUTHENTICATE, reason);
  }

  private ping(): void {
    for (const [ws, e] of this.sockets) {
      if (ws.readyState !== ws.OPEN) continue;
      if (!e.alive) {
        ws.terminate();
        continue;
      }
      e.alive = false;
      ws.ping();
    }
  }
}
